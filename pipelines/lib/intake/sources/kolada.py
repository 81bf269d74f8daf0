"""Kolada API v3: KPI values per municipality and year.

The answer of ``/v3/data/kpi/{ids}/municipality/{ids}/year/{years}`` looks like::

    {"count": 1,
     "values": [{"kpi": "N01951", "municipality": "0680", "period": 2019,
                 "values": [{"gender": "T", "status": "", "value": 141081, "count": 1}, ...]}],
     "next_url": null}

:func:`parse_kolada` turns one such answer (or a list of them, e.g. several stored pages) into
the ``kolada`` table: one row per value record × gender. ``source_row`` is the 1-based position
of the value record (the element of the top-level ``values`` list) in the file, counted on
across pages when the file holds a list of pages; the genders of one record share it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import polars as pl

from pipelines.lib.intake.problems import json_error_reason
from pipelines.lib.intake.sources import (
    FetchError,
    Problem,
    SourceError,
    get_json,
    http_session,
)

KOLADA_BASE_URL = "https://api.kolada.se/v3"
MAX_IDS_PER_REQUEST = 25
MAX_PAGES = 10_000

KOLADA_SCHEMA: dict[str, pl.DataType] = {
    "kpi": pl.String(),
    "kommun": pl.String(),
    "period": pl.Int32(),
    "kon": pl.String(),
    "varde": pl.Float64(),
    "status": pl.String(),
    "source_row": pl.Int64(),
}

GENDERS = ("T", "K", "M")
_KOMMUN_RE = re.compile(r"^\d{4}$")


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _load_json(data: bytes | str, file_name: str) -> Any:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SourceError(
                [
                    Problem(
                        file_name,
                        "Filen är inte UTF-8-kodad JSON. Spara Kolada-svaret som UTF-8 "
                        f"(fel vid byte {exc.start}).",
                    )
                ]
            ) from exc
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise SourceError(
            [
                Problem(
                    file_name,
                    f"{json_error_reason(exc)}. Hämta svaret från Kolada på nytt.",
                    row=exc.lineno,
                )
            ]
        ) from exc


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _parse_period(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        year = value
    elif isinstance(value, str) and re.fullmatch(r"\d{4}", value.strip()):
        year = int(value.strip())
    else:
        return None
    return year if 1900 <= year <= 2100 else None


def _parse_page(
    page: Any, file_name: str, first_row: int, rows: dict[str, list], problems: list[Problem]
) -> int:
    """Parse one answer into ``rows``; returns the number of value records read."""
    if not isinstance(page, dict) or not isinstance(page.get("values"), list):
        problems.append(
            Problem(
                file_name,
                "Filen saknar en lista 'values' och är inte ett svar från Koladas API v3 "
                "(/v3/data/...). Lägg in svaret oförändrat som kolada_*.json.",
                column="values",
            )
        )
        return 0
    records = page["values"]
    for offset, record in enumerate(records):
        row = first_row + offset
        where = f"post {row} i 'values'"
        if not isinstance(record, dict):
            problems.append(
                Problem(
                    file_name,
                    f"{where} är inte ett objekt med kpi, municipality, period och values.",
                    row=row,
                    value=_short(record),
                )
            )
            continue
        if "ou" in record and "municipality" not in record:
            problems.append(
                Problem(
                    file_name,
                    f"{where} gäller en organisatorisk enhet (ou {record.get('ou')!r}); bara "
                    "kommundata (/data/kpi/.../municipality/...) kan läsas in.",
                    row=row,
                    column="ou",
                    value=_short(record.get("ou")),
                )
            )
            continue
        kpi = record.get("kpi")
        kommun = record.get("municipality")
        period_raw = record.get("period")
        ok = True
        if not isinstance(kpi, str) or not kpi.strip():
            problems.append(
                Problem(
                    file_name,
                    f"{where} saknar KPI-id ('kpi' ska vara en text som N01951).",
                    row=row,
                    column="kpi",
                    value=None if kpi is None else _short(kpi),
                )
            )
            ok = False
        if not isinstance(kommun, str) or not _KOMMUN_RE.match(kommun):
            problems.append(
                Problem(
                    file_name,
                    f"{where} har ogiltigt kommun-id {kommun!r}: 'municipality' ska vara en "
                    'fyrsiffrig kod i text, t.ex. "0680".',
                    row=row,
                    column="municipality",
                    value=None if kommun is None else _short(kommun),
                )
            )
            ok = False
        period = _parse_period(period_raw)
        if period is None:
            problems.append(
                Problem(
                    file_name,
                    f"{where} har ogiltigt år {period_raw!r}: 'period' ska vara ett årtal, "
                    "t.ex. 2024.",
                    row=row,
                    column="period",
                    value=None if period_raw is None else _short(period_raw),
                )
            )
            ok = False
        gender_values = record.get("values")
        if not isinstance(gender_values, list):
            problems.append(
                Problem(
                    file_name,
                    f"{where} saknar listan 'values' med värden per kön.",
                    row=row,
                    column="values",
                    value=None if gender_values is None else _short(gender_values),
                )
            )
            continue
        label = f"{where} (kpi {kpi}, kommun {kommun}, år {period_raw})"
        for item in gender_values:
            if not isinstance(item, dict):
                problems.append(
                    Problem(
                        file_name,
                        f"{label}: ett värde är inte ett objekt med gender och value.",
                        row=row,
                        column="values",
                        value=_short(item),
                    )
                )
                ok = False
                continue
            gender = item.get("gender")
            value = item.get("value")
            status = item.get("status")
            if gender not in GENDERS:
                problems.append(
                    Problem(
                        file_name,
                        f"{label} har ogiltigt kön {gender!r}: 'gender' ska vara T (totalt), "
                        "K (kvinnor) eller M (män).",
                        row=row,
                        column="gender",
                        value=None if gender is None else _short(gender),
                    )
                )
                ok = False
            if value is not None and not _is_number(value):
                problems.append(
                    Problem(
                        file_name,
                        f"{label}, kön {gender}: värdet {value!r} är inte ett tal. 'value' ska "
                        "vara ett tal eller null.",
                        row=row,
                        column="value",
                        value=_short(value),
                    )
                )
                ok = False
            if status is not None and not isinstance(status, str):
                problems.append(
                    Problem(
                        file_name,
                        f"{label}, kön {gender}: 'status' ska vara en text.",
                        row=row,
                        column="status",
                        value=_short(status),
                    )
                )
                ok = False
            if ok:
                rows["kpi"].append(kpi.strip())
                rows["kommun"].append(kommun)
                rows["period"].append(period)
                rows["kon"].append(gender)
                rows["varde"].append(None if value is None else float(value))
                rows["status"].append(status.strip() if status and status.strip() else None)
                rows["source_row"].append(row)
    return len(records)


def parse_kolada(data: bytes | str | dict | list, file_name: str) -> pl.DataFrame:
    """Parse a Kolada API v3 answer (bytes, text, a decoded dict, or a list of pages).

    Columns: kpi, kommun (4 digits), period (Int32 year), kon (T/K/M), varde (Float64, null
    when Kolada has no value), status (null when empty), source_row. Raises
    :class:`SourceError` naming every bad record.
    """
    doc = _load_json(data, file_name) if isinstance(data, bytes | str) else data
    pages = doc if isinstance(doc, list) else [doc]
    if not pages:
        raise SourceError(
            [Problem(file_name, "Filen innehåller en tom lista och inga Kolada-svar.")]
        )
    rows: dict[str, list] = {name: [] for name in KOLADA_SCHEMA}
    problems: list[Problem] = []
    next_row = 1
    for page in pages:
        next_row += _parse_page(page, file_name, next_row, rows, problems)
    if problems:
        raise SourceError(problems)
    return pl.DataFrame(rows, schema=KOLADA_SCHEMA)


def read_kolada_file(path: str | Path) -> dict[str, pl.DataFrame]:
    """Reader for ``kolada_*.json`` inbox files: ``{"kolada": frame}``."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(
            [Problem(path.name, f"Filen kunde inte läsas: {exc.strerror or exc}.")]
        ) from exc
    return {"kolada": parse_kolada(data, path.name)}


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _unique(items: Iterable[Any]) -> list[Any]:
    seen: dict[Any, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


class KoladaClient:
    """Client for Kolada's API v3 data endpoint.

    Without a ``session`` it makes its own (:func:`~pipelines.lib.intake.sources.http_session`):
    HTTP 429, 5xx, timeouts and lost connections are retried ``retries`` times by urllib3's
    ``Retry``, waiting what ``Retry-After`` asks for, else urllib3's backoff (``2*backoff``,
    ``4*backoff``, ... seconds after the first retry). Every URL it requests, the ``next_url``
    links included, must lie under ``base_url``.
    """

    service = "Kolada"

    def __init__(
        self,
        base_url: str = KOLADA_BASE_URL,
        session: Any = None,
        timeout: float = 30,
        retries: int = 4,
        backoff: float = 1.0,
    ):
        self.base_url = base_url.rstrip("/")
        self.session = (
            session
            if session is not None
            else http_session(self.base_url, retries=retries, backoff=backoff)
        )
        self.timeout = timeout

    def _get(self, url: str) -> Any:
        return get_json(
            self.session, self.base_url, url, timeout=self.timeout, service=self.service
        )

    def request_urls(self, kpis: list[str], kommuner: list[str], ar: list[int]) -> list[str]:
        """The first-page URLs: at most 25 ids in every path segment."""
        kpi_ids = _unique(str(k).strip() for k in kpis)
        kommun_ids = _unique(str(k).strip() for k in kommuner)
        years = _unique(int(a) for a in ar)
        if not kpi_ids or not kommun_ids or not years:
            raise ValueError("Ange minst ett KPI-id, en kommun och ett år för Kolada-hämtningen.")
        bad = [k for k in kommun_ids if not _KOMMUN_RE.match(k)]
        if bad:
            raise ValueError(
                f"Ogiltiga kommun-id för Kolada: {', '.join(bad)} (fyra siffror, t.ex. 0680)."
            )
        bad = [k for k in kpi_ids if not k or "," in k or "/" in k]
        if bad:
            raise ValueError(f"Ogiltiga KPI-id för Kolada: {bad!r}.")
        urls = []
        for kpi_chunk in _chunks(kpi_ids, MAX_IDS_PER_REQUEST):
            for kommun_chunk in _chunks(kommun_ids, MAX_IDS_PER_REQUEST):
                for year_chunk in _chunks([str(y) for y in years], MAX_IDS_PER_REQUEST):
                    urls.append(
                        f"{self.base_url}/data/kpi/{','.join(kpi_chunk)}"
                        f"/municipality/{','.join(kommun_chunk)}/year/{','.join(year_chunk)}"
                    )
        return urls

    def _pages(self, first_url: str) -> list[dict]:
        pages: list[dict] = []
        seen: set[str] = set()
        url: str | None = first_url
        while url:
            if url in seen:
                raise FetchError(
                    f"Kolada hänvisade tillbaka till en sida som redan hämtats ({url}); "
                    "hämtningen avbröts för att inte fastna i en slinga."
                )
            if len(pages) >= MAX_PAGES:
                raise FetchError(f"Kolada gav fler än {MAX_PAGES} sidor för {first_url}.")
            seen.add(url)
            page = self._get(url)
            if not isinstance(page, dict) or not isinstance(page.get("values"), list):
                raise FetchError(
                    f"Kolada svarade på {url} utan listan 'values'; svaret är inte ett "
                    "dataresultat från API v3. Kontrollera base_url."
                )
            pages.append(page)
            nxt = page.get("next_url") or page.get("next_page")
            url = urljoin(url, nxt) if nxt else None
        return pages

    def fetch_raw_pages(self, kpis: list[str], kommuner: list[str], ar: list[int]) -> list[dict]:
        """Every answer page, unchanged, in request order (to be stored as kolada_*.json)."""
        pages: list[dict] = []
        for url in self.request_urls(kpis, kommuner, ar):
            pages.extend(self._pages(url))
        return pages

    def fetch_values(self, kpis: list[str], kommuner: list[str], ar: list[int]) -> pl.DataFrame:
        """All values as the ``kolada`` table (see :func:`parse_kolada`)."""
        pages = self.fetch_raw_pages(kpis, kommuner, ar)
        return parse_kolada(pages, f"{self.service} API ({self.base_url})")
