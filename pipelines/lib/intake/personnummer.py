"""Personnummer must never enter the warehouse, nor be echoed in full by an error message."""

from __future__ import annotations

import re

# Personnummer: YYMMDD-NNNN, YYMMDD+NNNN, YYYYMMDD-NNNN, YYYYMMDDNNNN with a plausible month and
# day (samordningsnummer: day + 60). Not YYMMDDNNNN: ten bare digits are too often an amount.
# The pattern works both in polars (Rust regex, no look-around) and in Python's re (pandas, GE).
_MONTH = "(?:0[1-9]|1[0-2])"
_DAY = "(?:0[1-9]|[12][0-9]|3[01]|6[1-9]|[78][0-9]|9[01])"
PERSONNUMMER_PATTERN = (
    rf"(?:^|[^0-9])(?:(?:19|20)?[0-9]{{2}}{_MONTH}{_DAY}[-+][0-9]{{4}}"
    rf"|(?:19|20)[0-9]{{2}}{_MONTH}{_DAY}[0-9]{{4}})(?:[^0-9]|$)"
)
_PNR_WITH_SEPARATOR = re.compile(
    rf"(?<![0-9])((?:19|20)?[0-9]{{2}}{_MONTH}{_DAY})([-+])[0-9]{{4}}(?![0-9])"
)
_PNR_WITHOUT_SEPARATOR = re.compile(
    rf"(?<![0-9])((?:19|20)[0-9]{{2}}{_MONTH}{_DAY})[0-9]{{4}}(?![0-9])"
)
PERSONNUMMER_REASON = (
    "Värdet ser ut som ett personnummer. Personnummer får inte finnas i filerna: "
    "ta bort uppgiften eller ersätt den med en kod som inte pekar ut en person"
)


def looks_like_personnummer(text: str | None) -> bool:
    return text is not None and re.search(PERSONNUMMER_PATTERN, text) is not None


def mask_personnummer(text: str) -> str:
    """'Anna 19850612-1234' -> 'Anna 19850612-****': never echo the last four digits."""
    text = _PNR_WITH_SEPARATOR.sub(r"\1\2****", text)
    return _PNR_WITHOUT_SEPARATOR.sub(r"\1-****", text)
