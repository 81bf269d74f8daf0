"""Coded values: the words the intake accepts for a code, and the code it stores.

One map per code, used by every reader that meets the code (the table typing in
column_types.py and the goal register), so a word accepted in one file is accepted in all.
Keys are lowercase; the readers look up the stripped, lowercased text.
"""

from __future__ import annotations

KON_VALUES = {
    "m": "M",
    "man": "M",
    "män": "M",
    "1": "M",
    "k": "K",
    "kvinna": "K",
    "kvinnor": "K",
    "2": "K",
}
RIKTNING_VALUES = {
    "högre": "hogre",
    "hogre": "hogre",
    "higher": "hogre",
    "högre är bättre": "hogre",
    "hogre_ar_battre": "hogre",
    "öka": "hogre",
    "oka": "hogre",
    "lägre": "lagre",
    "lagre": "lagre",
    "lower": "lagre",
    "lägre är bättre": "lagre",
    "lagre_ar_battre": "lagre",
    "minska": "lagre",
}


def normalise_riktning(value: str | None) -> str | None:
    """'hogre' or 'lagre' for a word of `RIKTNING_VALUES`; None if empty; else ValueError."""
    if value is None:
        return None
    low = value.strip().lower()
    if low in RIKTNING_VALUES:
        return RIKTNING_VALUES[low]
    raise ValueError(value)
