"""The månadsrapport's sections, each read from its mart in the published warehouse.

The core sections (ekonomi) come from `marts.budgetavvikelse` and `marts.atgardsplan`. The
optional ones (resultaträkning, the forecasts, måluppfyllelse, intern kontroll) are shown only
when their mart exists with the columns used here; otherwise the section says so.
"""
