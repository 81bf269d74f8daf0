"""The registry of input file kinds: which prefix means what, which columns, which types.

This module is data, not logic: a kind is recognised by its file name prefix (case-insensitive),
and its extension selects the reader. `.csv`, `.txt` and `.xlsx` are read by the generic table
reader (`readers.read_table`) and typed by `parse.parse_file` from `required`, `optional`,
`types`, `choices` and `ranges`. Other formats (SCB's json-stat2, Kolada's JSON, the YAML goal
register) are read by the readers declared in `pipelines.lib.intake.sources.READERS`, which the
registry loads on first use (`register_reader` adds one, for tests).

Column types (`types`; a column not listed is "text"):

=================  ============  =========================================================
type               polars dtype  accepts
=================  ============  =========================================================
text               String        a code or name, stripped (an xlsx number 4110 is "4110")
fritext            String        free text, stripped; not checked for "Summa" footer rows
belopp             Decimal(18,2) a Swedish amount (see amounts.py), at most two decimals
number             Float64       a non-money number with the same rule, any decimals
decimal            Decimal(18,4) an exact number with the same rule, at most four decimals
integer            Int32         a whole number; `ranges` may bound it
integer64          Int64         the same, for counts
ar                 Int32         a year, 1900–2100
period             String        YYYYMM or YYYY-MM, month 01–12, not in the future: 'YYYY-MM'
bokslutsperiod     String        as period, and month 13 for the year-end closing entries
indikatorperiod    String        YYYY, YYYYMM or YYYY-MM, not in the future: 'YYYY' or 'YYYY-MM'
date               Date          YYYY-MM-DD or YYYYMMDD, a day that exists
kon                String        'M' (män, man, m, 1) or 'K' (kvinnor, kvinna, k, 2)
riktning           String        'hogre' (högre, öka, ...) or 'lagre' (lägre, minska, ...): codes.py
alder              Int32         0–100; "100+" and "100+ år" mean 100
val                String        one of `choices[column]`, case-insensitive, lowercased
=================  ============  =========================================================
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

TABLE_SUFFIXES = (".csv", ".txt", ".xlsx")

# A registered reader returns typed tables (each with `source_row`) keyed by table name, or
# raises problems.IntakeError.
Reader = Callable[[Path], dict[str, pl.DataFrame]]


@dataclass(frozen=True)
class FileKind:
    prefix: str
    name: str
    tables: tuple[str, ...]
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    types: Mapping[str, str] = field(default_factory=dict, hash=False)
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    ranges: Mapping[str, tuple[int | None, int | None]] = field(default_factory=dict, hash=False)
    table_suffixes: tuple[str, ...] = TABLE_SUFFIXES
    description: str = ""
    # What a delivery replaces: the key columns of its first table. Two files of one refresh
    # sharing a key are ambiguous; across refreshes the later delivery replaces the earlier
    # (the staging models apply the same keys). Budget's `namnd` is the rows' nämnd on 1 January.
    replaces: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    def type_of(self, column: str) -> str:
        return self.types.get(column, "text")


# Budget versions from lowest to highest rank: within a nämnd's year the highest version decided
# by a date is the budget in force then (the dbt seed `budgetversioner` holds the same ranks).
BUDGET_VERSIONS = ("kf", "internbudget", "reviderad")

# Every parameter an antaganden_ file may state, with its unit; a file naming another is
# rejected. The long-term projection requires the first nine
# (models.langtidsprognos_assumptions.PARAMETERS every year, laneskuld for its base year) and
# takes the optional *_index uprating of its level parameters; the balanskrav mart reads the
# last three.
ANTAGANDE_PARAMETRAR: dict[str, str] = {
    "skatteunderlag_tillvaxt": "procent per år",
    "pkv": "procent per år",
    "skattesats": "procent",
    "statsbidrag_per_inv": "kronor per invånare",
    "real_kostnadsdrift": "procent per år",
    "finansnetto": "kronor per år",
    "befolkning_riket_tillvaxt": "procent per år",
    "ranta": "procent per år",
    "laneskuld": "kronor",
    "statsbidrag_per_inv_index": "procent per år",
    "finansnetto_index": "procent per år",
    "balanskrav_undantag": "kronor, + ökar resultatet",
    "resultatreserv_reservation": "kronor",
    "resultatreserv_disposition": "kronor",
}

# The written analysis (analys_): the sections a text comments, the levels it is written on,
# and the longest text accepted (about eight pages; a longer one is an appendix, not an analysis).
ANALYS_AVSNITT = ("ekonomi", "mal", "kvalitet", "intern_kontroll", "sammanfattning")
ANALYS_NIVAER = ("namnd", "forvaltning", "verksamhet", "kommun")
ANALYS_MAX_TECKEN = 20_000

# An uppdrag's status in a period, in the order of its life (uppdragsstatus_).
UPPDRAG_STATUSAR = ("ej_paborjat", "pagar", "genomfort", "avslutat_ej_genomfort")

KINDS: tuple[FileKind, ...] = (
    FileKind(
        prefix="utfall_",
        name="utfall",
        tables=("utfall",),
        required=("period", "ansvar", "verksamhet", "konto", "belopp"),
        optional=("projekt", "motpart"),
        # Period 13 holds the year-end closing entries (docs/rules.md §21).
        types={"period": "bokslutsperiod", "belopp": "belopp"},
        description="utfall från huvudboken",
        replaces=("period",),
    ),
    FileKind(
        prefix="budget_",
        name="budget",
        tables=("budget",),
        required=("ar", "ansvar", "verksamhet", "konto", "belopp"),
        optional=("version", "nyckel", "beslutsdatum"),
        types={"ar": "ar", "belopp": "belopp", "version": "val", "beslutsdatum": "date"},
        # Lowercase: `val` matches case-insensitively; the order is the versions' rank.
        choices={"version": BUDGET_VERSIONS},
        description="budget (årsbelopp)",
        replaces=("ar", "version", "beslutsdatum", "namnd"),
    ),
    FileKind(
        prefix="periodisering_",
        name="periodisering",
        tables=("periodisering",),
        required=("ar", "nyckel", "manad", "andel"),
        types={"ar": "ar", "manad": "integer", "andel": "number"},
        ranges={"manad": (1, 12)},
        description="periodiseringsnycklar",
        replaces=("ar", "nyckel"),
    ),
    FileKind(
        prefix="prognos_",
        name="prognos",
        tables=("prognos",),
        required=("period", "namnd", "prognos"),
        types={"period": "period", "prognos": "belopp"},
        description="förvaltningens helårsprognos",
        replaces=("period", "namnd"),
    ),
    FileKind(
        prefix="organisation_",
        name="organisation",
        tables=("organisation",),
        required=(
            "ansvar",
            "ansvar_namn",
            "forvaltning",
            "forvaltning_namn",
            "namnd",
            "namnd_namn",
            "giltig_from",
        ),
        optional=("verksamhetsomrade", "giltig_tom"),
        types={
            "ansvar_namn": "fritext",
            "forvaltning_namn": "fritext",
            "namnd_namn": "fritext",
            "giltig_from": "date",
            "giltig_tom": "date",
        },
        description="organisationen (ansvar, förvaltning, nämnd)",
        replaces=("ansvar", "giltig_from"),
    ),
    FileKind(
        prefix="atgardsplan_",
        name="atgardsplan",
        tables=("atgardsplan",),
        required=("namnd", "beslutsdatum", "diarienummer"),
        optional=("belopp", "kommentar"),
        types={"beslutsdatum": "date", "belopp": "belopp", "kommentar": "fritext"},
        description="beslutade åtgärdsplaner",
        replaces=("diarienummer",),
    ),
    FileKind(
        prefix="befolkning_",
        name="befolkning",
        tables=("befolkning",),
        required=("region", "ar", "alder", "kon", "antal", "typ"),
        types={"ar": "ar", "alder": "alder", "kon": "kon", "antal": "integer64", "typ": "val"},
        choices={"typ": ("utfall", "prognos")},
        ranges={"antal": (0, None)},
        description="befolkning (SCB json-stat2 eller tabell)",
        replaces=("region", "ar", "typ"),
    ),
    FileKind(
        prefix="kolada_",
        name="kolada",
        tables=("kolada",),
        table_suffixes=(),
        description="nyckeltal från Kolada (JSON)",
        replaces=("kpi", "kommun", "period", "kon"),
    ),
    FileKind(
        prefix="indikator_",
        name="indikator",
        tables=("indikator",),
        required=("indikator", "org", "period", "varde"),
        types={"period": "indikatorperiod", "varde": "number"},
        description="egna indikatorvärden",
        replaces=("indikator", "org", "period"),
    ),
    FileKind(
        prefix="mal_",
        name="mal",
        tables=("mal", "malindikator"),
        table_suffixes=(),
        description="målregistret (YAML eller Excel)",
        replaces=("ar",),
    ),
    FileKind(
        prefix="antaganden_",
        name="antaganden",
        tables=("antaganden",),
        required=("ar", "parameter", "varde", "kalla"),
        # Exact: some parameters are kronor, which must never pass through a float.
        types={"ar": "ar", "parameter": "val", "varde": "decimal", "kalla": "fritext"},
        choices={"parameter": tuple(ANTAGANDE_PARAMETRAR)},
        description="antaganden för långtidsprognosen",
        replaces=("ar", "parameter"),
    ),
    FileKind(
        prefix="investering_",
        name="investering",
        tables=("investering",),
        required=("projekt", "namnd", "ar", "belopp", "typ"),
        # period: the month an utfall (to date) or a prognos was made in; never on a plan row.
        optional=("avskrivningstid", "period"),
        types={
            "ar": "ar",
            "belopp": "belopp",
            "typ": "val",
            "avskrivningstid": "integer",
            "period": "period",
        },
        # prognos: the nämnd's forecast of the year's full investment outcome.
        choices={"typ": ("plan", "utfall", "prognos")},
        ranges={"avskrivningstid": (0, 100)},
        description="investeringsplan och investeringsutfall",
        replaces=("projekt", "ar", "typ"),
    ),
    FileKind(
        prefix="risk_",
        name="risk",
        tables=("risk",),
        required=("namnd", "ar", "risk", "sannolikhet", "konsekvens"),
        optional=("kontrollmoment", "resultat", "atgard", "status"),
        types={
            "ar": "ar",
            "risk": "fritext",
            "sannolikhet": "integer",
            "konsekvens": "integer",
            "kontrollmoment": "fritext",
            "resultat": "fritext",
            "atgard": "fritext",
            "status": "fritext",
        },
        ranges={"sannolikhet": (1, 5), "konsekvens": (1, 5)},
        description="intern kontroll: riskregister",
        replaces=("namnd", "ar"),
    ),
    FileKind(
        prefix="analys_",
        name="analys",
        tables=("analys",),
        required=("period", "niva", "org", "avsnitt", "text"),
        types={"period": "period", "niva": "val", "avsnitt": "val", "text": "fritext"},
        choices={"niva": ANALYS_NIVAER, "avsnitt": ANALYS_AVSNITT},
        description="skriftlig analys",
        replaces=("period", "niva", "org", "avsnitt"),
    ),
    FileKind(
        prefix="uppdrag_",
        name="uppdrag",
        tables=("uppdrag",),
        required=("id", "ar", "givet_av", "mottagare", "titel", "beslutsdatum"),
        optional=("klart_senast",),
        types={"ar": "ar", "titel": "fritext", "beslutsdatum": "date", "klart_senast": "date"},
        description="uppdrag från KF, KS eller en nämnd",
        replaces=("id",),
    ),
    FileKind(
        prefix="uppdragsstatus_",
        name="uppdragsstatus",
        tables=("uppdragsstatus",),
        required=("uppdrag", "period", "status"),
        optional=("kommentar",),
        types={"period": "period", "status": "val", "kommentar": "fritext"},
        choices={"status": UPPDRAG_STATUSAR},
        description="status för uppdrag",
        replaces=("uppdrag", "period"),
    ),
)

KINDS_BY_PREFIX: dict[str, FileKind] = {kind.prefix: kind for kind in KINDS}
KINDS_BY_NAME: dict[str, FileKind] = {kind.name: kind for kind in KINDS}
KNOWN_PREFIXES: tuple[str, ...] = tuple(kind.prefix for kind in KINDS)

# The readers of the formats that are not tables (SCB's json-stat2, Kolada's JSON, the goal
# register) are declared once, in pipelines.lib.intake.sources.READERS, and loaded on first use:
# that package imports the intake's problems, so importing it here at module load would be
# circular. None = not loaded yet.
_READERS: dict[tuple[str, str], Reader] | None = None


def _registry() -> dict[tuple[str, str], Reader]:
    global _READERS
    if _READERS is None:
        from pipelines.lib.intake.sources import READERS

        _READERS = {}
        for prefix, (suffixes, func) in READERS.items():
            register_reader(prefix, suffixes, func)
    return _READERS


def kind_for(filename: str) -> FileKind | None:
    """The kind whose prefix the file name starts with (case-insensitive), or None."""
    lowered = Path(filename).name.lower()
    for kind in KINDS:
        if lowered.startswith(kind.prefix):
            return kind
    return None


def register_reader(prefix: str, suffixes: Iterable[str], func: Reader) -> None:
    """Read files of kind `prefix` with these suffixes (e.g. '.json') by `func`.

    A registered reader takes precedence over the generic table reader for its suffixes.
    """
    if prefix not in KINDS_BY_PREFIX:
        raise ValueError(f"unknown file kind prefix {prefix!r}; known: {KNOWN_PREFIXES}")
    registry = _registry()
    for suffix in suffixes:
        normalised = suffix.lower() if suffix.startswith(".") else f".{suffix.lower()}"
        registry[(prefix, normalised)] = func


def reader_for(kind: FileKind, suffix: str) -> Reader | None:
    """The registered reader for this kind and suffix, or None (generic table reader or none)."""
    return _registry().get((kind.prefix, suffix.lower()))


def supported_suffixes(kind: FileKind) -> tuple[str, ...]:
    registered = sorted(s for (p, s) in _registry() if p == kind.prefix)
    return tuple(dict.fromkeys([*kind.table_suffixes, *registered]))
