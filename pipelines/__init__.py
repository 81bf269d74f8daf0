"""Styrhjul: the Dagster code location (definitions.py, defs/), the CLI (cli.py) and lib/."""

import sys

# jsonschema (imported by dbt and dagster-dbt) checks the 'iri' string format with rfc3987_syntax
# when that is installed (the notebooks' Jupyter brings it), and rfc3987_syntax builds a lark
# grammar on import: 2–5 s of every start on a shared 2-core machine. Nothing in Styrhjul
# validates IRIs, so it is kept out and jsonschema simply goes without that one format check.
sys.modules.setdefault("rfc3987_syntax", None)
