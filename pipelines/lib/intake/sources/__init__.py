"""External sources: Kolada (API v3), SCB PxWebApi 2 answers (json-stat2) and the goal register.

Every reader returns typed polars frames with a ``source_row`` column and raises
:class:`SourceError` on bad input: a subclass of the intake's ``IntakeError`` carrying a list of
the intake's :class:`Problem`. The Kolada client raises :class:`FetchError` (a Swedish message)
when a service cannot be reached or answers badly.

``READERS`` at the bottom maps an inbox file prefix to ``(extensions, reader)``, where
``reader(path) -> dict[str, pl.DataFrame]`` (table name -> frame). The integrator wires it into
the intake registry (``register_reader``); this package imports only
``pipelines.lib.intake.problems``, never the registry, so wire it from a module that the intake
package itself does not import at import time (or import this package lazily there).
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable, Iterable
from datetime import UTC
from typing import Any

import requests

from pipelines.lib.intake.problems import IntakeError, Problem

__all__ = [
    "READERS",
    "FetchError",
    "Problem",
    "SourceError",
    "get_json_with_retry",
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


def _retry_after_seconds(header: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds asked for by a ``Retry-After`` header (delta-seconds or HTTP date), else None."""
    if header is None:
        return None
    header = str(header).strip()
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now())


def get_json_with_retry(
    session: Any,
    url: str,
    *,
    params: dict[str, Any] | None = None,
    timeout: float,
    max_attempts: int,
    backoff: float,
    sleep: Callable[[float], None],
    service: str,
    before_request: Callable[[], None] | None = None,
    max_wait: float = 300.0,
) -> Any:
    """GET ``url`` and return the decoded JSON answer.

    Retries HTTP 429 and 5xx answers, timeouts and connection errors: at most ``max_attempts``
    requests in total (the first one included), waiting ``backoff * 2**n`` seconds after the
    n-th failed attempt (n = 0, 1, ...), or what a ``Retry-After`` header asks for (capped at
    ``max_wait``). Other 4xx answers fail at once. Every request carries ``timeout``.
    ``before_request`` is called before every attempt (rate limiting).
    """
    attempts = max(1, int(max_attempts))
    last = ""
    for attempt in range(attempts):
        if before_request is not None:
            before_request()
        retry_after: float | None = None
        try:
            response = session.get(url, params=params, timeout=timeout)
        except (requests.Timeout, requests.ConnectionError) as exc:
            last = f"ingen kontakt ({type(exc).__name__}: {_short(str(exc), 200)})"
        else:
            status = int(response.status_code)
            if status == 200:
                try:
                    return response.json()
                except (ValueError, json.JSONDecodeError) as exc:
                    raise FetchError(
                        f"{service} svarade på {url} med något som inte är JSON "
                        f"({_short(str(exc), 120)}). Försök igen senare; kvarstår felet, "
                        "kontrollera adressen (base_url)."
                    ) from exc
            body = _short(getattr(response, "text", "") or "", 300)
            if status == 429 or 500 <= status < 600:
                last = f"HTTP {status}" + (f": {body}" if body else "")
                headers = getattr(response, "headers", None) or {}
                retry_after = _retry_after_seconds(headers.get("Retry-After"))
            else:
                raise FetchError(
                    f"{service} avvisade anropet {url} med HTTP {status}"
                    + (f": {body}" if body else "")
                    + ". Kontrollera id:n och parametrarna i anropet."
                )
        if attempt + 1 < attempts:
            wait = retry_after if retry_after is not None else backoff * (2**attempt)
            sleep(min(float(wait), max_wait))
    raise FetchError(
        f"{service} svarade inte korrekt på {url} efter {attempts} försök (senast: {last}). "
        "Tjänsten kan vara överbelastad eller nere; försök igen senare."
    )


# Readers, registered by inbox prefix. Imported last: the modules import the names above.
from pipelines.lib.intake.sources.kolada import read_kolada_file  # noqa: E402
from pipelines.lib.intake.sources.malregister import read_malregister  # noqa: E402
from pipelines.lib.intake.sources.pxweb import read_befolkning_json_file  # noqa: E402

READERS = {
    "kolada_": ((".json",), read_kolada_file),
    "befolkning_": ((".json",), read_befolkning_json_file),
    "mal_": ((".yaml", ".yml", ".xlsx"), read_malregister),
}
