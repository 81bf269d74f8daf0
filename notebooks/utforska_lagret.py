# %% [markdown]
# # Utforska Styrhjuls lager
# Opens the published warehouse read-only (never blocks a refresh) and shows the public marts.

# %%
import os
from pathlib import Path

import duckdb

home = Path(os.environ.get("STYRHJUL_HOME", "data"))
con = duckdb.connect(str(home / "warehouse" / "styrhjul.duckdb"), read_only=True)

# %% The public marts and their descriptions (from dbt, persisted as comments)
print(
    con.sql(
        "select table_name, comment from duckdb_tables() where schema_name = 'marts' order by 1"
    )
)

# %% Budget follow-up per nämnd for the latest period
period = con.sql("select rapportperiod from marts.rapportperiod").fetchone()[0]
print(
    con.sql(
        f"""
        select org_namn, utfall_ack, budget_ack, avvikelse_ack, helarsprognos, helarsavvikelse
        from marts.budgetavvikelse
        where niva = 'namnd' and period = '{period}'
        order by helarsavvikelse
        """
    )
)

# %% Åtgärdsplan flags
print(con.sql(f"select * from marts.atgardsplan where period = '{period}' and flagga"))
