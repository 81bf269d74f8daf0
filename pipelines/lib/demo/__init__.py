"""The embedded demo municipality: real-format input files shaped like Jönköpings kommun.

`generate_demo(inbox)` writes every input kind of docs/contract.md into an inbox, calibrated on
real SCB figures kept in `data/reference/`. Deterministic: the same arguments give
byte-identical files.
"""

from .generate import DemoSummary, generate_demo

# `styrhjul demo` closes the year before its latest period as a controller would (`styrhjul
# close --year`, after the first refresh has published all of it and its period 13), and then
# writes these reports beside the month report the refresh writes: (type, key), each with
# write_reports (a per-nämnd type writes one report per nämnd).
DEMO_CLOSED_YEAR = 2025
DEMO_REPORTS: tuple[tuple[str, str], ...] = (
    ("delarsrapport", "2026-08"),
    ("arsredovisning", "2025"),
    ("kvalitetsrapport", "2025"),
    ("verksamhetsberattelse", "2025"),
)

__all__ = ["DEMO_CLOSED_YEAR", "DEMO_REPORTS", "DemoSummary", "generate_demo"]
