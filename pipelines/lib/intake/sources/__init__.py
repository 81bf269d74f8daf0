"""External sources: Kolada (API v3), SCB PxWebApi 2 answers (json-stat2) and the goal register.

Every reader returns typed polars frames with a ``source_row`` column and raises
:class:`SourceError` on bad input: a subclass of the intake's ``IntakeError`` carrying a list of
the intake's :class:`Problem`. The Kolada client raises :class:`FetchError` (a Swedish message)
when a service cannot be reached or answers badly.

``READERS`` at the bottom maps an inbox file prefix to ``(extensions, reader)``, where
``reader(path) -> dict[str, pl.DataFrame]`` (table name -> frame): the one declaration of the
non-table readers, which the intake's registry (``kinds.reader_for``) loads on first use. This
package imports only ``pipelines.lib.intake.problems`` and the intake's rules, never the registry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from pipelines.lib.intake.problems import IntakeError, Problem

__all__ = [
    "READERS",
    "FetchError",
    "Problem",
    "SourceError",
    "get_json",
    "http_session",
]


class SourceError(IntakeError):
    """Bad input: carries every problem found (not just the first).

    A subclass of the intake's ``IntakeError``, so the intake treats it like its own readers'.
    """

    def __init__(self, problems: Iterable[Problem]):
        super().__init__(problems)


class FetchError(RuntimeError):
    """A service could not be reached or answered badly (message in Swedish)."""


def _short(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


RETRY_STATUSES = (429, 500, 502, 503, 504)


def http_session(base_url: str, *, retries: int, backoff: float) -> requests.Session:
    """A session that retries through urllib3's own ``Retry``, only towards ``base_url``.

    The adapter is mounted on ``base_url`` itself, so the retry policy applies to the configured
    service; HTTP 429 and 5xx answers, timeouts and lost connections are retried at most
    ``retries`` times after the first attempt, waiting what ``Retry-After`` asks for, else
    urllib3's backoff (none before the first retry, then ``2*backoff``, ``4*backoff``, ...
    seconds, at most 120). TLS certificates are always verified; the environment's proxy and CA
    bundle settings (HTTPS_PROXY, REQUESTS_CA_BUNDLE) still apply, since a municipality's network
    often needs them.
    """
    retry = Retry(
        total=max(0, int(retries)),
        backoff_factor=backoff,
        status_forcelist=RETRY_STATUSES,
        respect_retry_after_header=True,
        allowed_methods=frozenset({"GET"}),
        # the last answer is returned instead of raising, so its status is in the message
        raise_on_status=False,
    )
    session = requests.Session()
    session.verify = True
    session.mount(base_url.rstrip("/") + "/", HTTPAdapter(max_retries=retry))
    return session


def get_json(session: Any, base_url: str, url: str, *, timeout: float, service: str) -> Any:
    """GET ``url`` (which must lie under ``base_url``) and return the decoded JSON answer.

    Retrying is the session's (see :func:`http_session`); what is left after the retries is an
    answer that is not 200, or no contact at all, and both give a :class:`FetchError`.
    """
    prefix = base_url.rstrip("/") + "/"
    if not url.startswith(prefix):
        raise FetchError(
            f"{service} hänvisade till {_short(url, 200)}, som inte ligger under den "
            f"konfigurerade adressen {base_url}; anropet gjordes inte."
        )
    try:
        response = session.get(url, timeout=timeout)
    except requests.RequestException as exc:
        raise FetchError(
            f"{service} svarade inte på {url} ({type(exc).__name__}: {_short(str(exc), 200)}). "
            "Tjänsten kan vara överbelastad eller nere; försök igen senare."
        ) from exc
    status = int(response.status_code)
    body = _short(getattr(response, "text", "") or "", 300)
    detail = f"HTTP {status}" + (f": {body}" if body else "")
    if status in RETRY_STATUSES:
        raise FetchError(
            f"{service} svarade inte korrekt på {url} trots upprepade försök (senast: {detail}). "
            "Tjänsten kan vara överbelastad eller nere; försök igen senare."
        )
    if status != 200:
        raise FetchError(
            f"{service} avvisade anropet {url} med {detail}. "
            "Kontrollera id:n och parametrarna i anropet."
        )
    try:
        return response.json()
    except ValueError as exc:
        raise FetchError(
            f"{service} svarade på {url} med något som inte är JSON "
            f"({_short(str(exc), 120)}). Försök igen senare; kvarstår felet, "
            "kontrollera adressen (base_url)."
        ) from exc


# Readers, registered by inbox prefix. Imported last: the modules import the names above.
from pipelines.lib.intake.sources.kolada import read_kolada_file  # noqa: E402
from pipelines.lib.intake.sources.malregister import read_malregister  # noqa: E402
from pipelines.lib.intake.sources.pxweb import read_befolkning_json_file  # noqa: E402

READERS = {
    "kolada_": ((".json",), read_kolada_file),
    "befolkning_": ((".json",), read_befolkning_json_file),
    "mal_": ((".yaml", ".yml", ".xlsx"), read_malregister),
}
