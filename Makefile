# event_assets: `make run` (install + process the bundled sample), `make test`, `make dev` (UI).
# The first of Python 3.11, 3.12, 3.13 found on PATH (or PYTHON=/path/to/python3.x make run).
PYTHON ?= $(firstword $(foreach version,3.11 3.12 3.13,$(shell command -v python$(version) 2>/dev/null)))
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export EVENT_ASSETS_DATA_DIR ?= $(CURDIR)/data
UI_PORT ?= 3000
# pytest workers: one more than the cores, as part of the suite's time is waiting (subprocesses,
# locks), not computing. `--dist loadscope` keeps a module's tests (and its builds) on one worker.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
CHROMIUM ?= chromium
# `make bench`: the domains' benchmarks one after the other (`make bench BENCH_DOMAINS=telemetry`
# for one); each writes benchmarks/results/<domain>-<events>.json.
BENCH_DOMAINS ?= schools telemetry webshop webapp

.PHONY: install run dev ui-check test lint format bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" && command -v $(PYTHON) >/dev/null || { echo "error: no python3.11, python3.12 or python3.13 on PATH (set PYTHON=/path/to/python3.x)"; exit 2; }
	@echo "using $$($(PYTHON) -c 'import sys; print(sys.executable, sys.version.split()[0])')"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	@echo "$$($(BIN)/python --version) from $(VENV)"
	$(BIN)/python -m event_assets run

# `dg dev` is Dagster's command for the UI and its daemon (`dagster dev` is superseded by it).
dev: install
	$(BIN)/python -c "from event_assets.core.dbt import prepare_dbt_project; prepare_dbt_project()"
	DAGSTER_HOME=$$($(BIN)/python -m event_assets home) $(BIN)/dg dev -w workspace.yaml --port $(UI_PORT)

# Screenshots of the UI's main pages in headless Chromium, failing on a page that shows an error
# (scripts/ui_check.py); not part of `make test`. Installs Debian's chromium when missing, as root.
ui-check: install
	@command -v $(CHROMIUM) >/dev/null || { test "$$(id -u)" = 0 && command -v apt-get >/dev/null \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
		|| { echo "error: ui-check needs Chromium: apt-get install chromium (as root), or CHROMIUM=/path/to/chromium"; exit 2; }
	CHROMIUM=$(CHROMIUM) $(BIN)/python scripts/ui_check.py

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope --durations=15

lint: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# A domain whose benchmark fails (a run failed, tables differ) fails the target after the rest ran.
bench: install
	@status=0; for domain in $(BENCH_DOMAINS); do \
		echo "$(BIN)/python benchmarks/$$domain.py"; $(BIN)/python benchmarks/$$domain.py || status=1; \
	done; exit $$status

clean:
	rm -rf data/warehouse.duckdb data/warehouse.duckdb.wal data/.dagster data/plots data/snapshot data/dbt dbt_project/target
