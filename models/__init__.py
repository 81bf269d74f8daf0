"""Statistical forecasting (statsmodels) for Styrhjul: not dbt models. See models/README.md.

Import the submodules directly (``from models.helarsprognos import ...``); this package does not
import them itself, so that importing one does not pay for statsmodels in all.
"""
