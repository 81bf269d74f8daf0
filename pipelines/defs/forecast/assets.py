"""Statistical forecasts (models/, statsmodels), written back into the build copy as marts."""

from __future__ import annotations

FORECAST_ASSETS: list = []
