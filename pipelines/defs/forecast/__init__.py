"""The forecast stage: statistical forecasts (models/, statsmodels) written into the build
copy's `prognos_ut` schema; dbt publishes each as the mart of the same name under a contract
(dbt_project/models/marts/prognos/)."""

from pipelines.defs.forecast.helarsprognos import HELARSPROGNOS_ASSETS
from pipelines.defs.forecast.langtidsprognos import LANGTIDSPROGNOS_ASSETS

FORECAST_ASSETS = [*HELARSPROGNOS_ASSETS, *LANGTIDSPROGNOS_ASSETS]
