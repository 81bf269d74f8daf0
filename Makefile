# Two commands set everything up on a fresh machine: `make demo` and `make test`.
# uv is bootstrapped with pip if missing; dependencies come from the committed uv.lock.
SHELL := /bin/bash
# uv from PATH, else the one pip installs (run as a module, so no PATH change is needed).
UV ?= $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
# Two workers: the suite is dominated by demo refreshes, and CI has two cores. Whole files per
# worker (loadfile): the crash, concurrency, incremental and e2e modules build their workspaces
# in module fixtures, which a worker given only some of a module's tests would build again.
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: install chromium demo test lint bench ui docs clean

# --compile-bytecode: where PYTHONDONTWRITEBYTECODE is set, every start would otherwise compile
# dagster and dbt again (it halves the CLI's start-up).
install:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet --user uv \
	  || python3 -m pip install --quiet uv
	$(UV) sync --frozen --compile-bytecode

# The README's commands are .venv/bin/styrhjul: `uv run` works only where uv is on PATH.
demo: install
	$(UV) run styrhjul demo
	@echo "Next: .venv/bin/styrhjul status (every command: .venv/bin/styrhjul --help)"

# The system's Chromium (the report's browser tests), installed where missing and apt is usable.
chromium:
	@.ci/chromium

# pytest's exit 5 ("no tests collected") is a failure here, never a silent pass.
test: install lint chromium
	$(UV) run pytest $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

# sqlfluff's rules are in pyproject.toml; .sqlfluffignore lists the thin forecast marts whose
# columns come from the contract at compile time, which sqlfluff's templater cannot render.
lint: install
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run sqlfluff lint dbt_project/models dbt_project/macros dbt_project/tests --processes 2

bench: install
	$(UV) run python benchmarks/refresh.py

ui: install
	$(UV) run styrhjul ui

# dbt's documentation site for the demo workspace's warehouse: data/docs/index.html (offline).
docs: install
	$(UV) run styrhjul docs

clean:
	rm -rf dbt_project/target .pytest_cache .ruff_cache
