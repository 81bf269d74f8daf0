"""The embedded demo municipality: real-format input files shaped like Jönköpings kommun.

`generate_demo(inbox)` writes every input kind of docs/contract.md into an inbox, calibrated on
real SCB figures kept in `data/reference/`. Deterministic: the same arguments give
byte-identical files.
"""

from .generate import DemoSummary, generate_demo

__all__ = ["DemoSummary", "generate_demo"]
