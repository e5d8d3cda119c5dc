# event_assets: `make run` (install + process the bundled sample), `make test`, `make dev` (UI).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export EVENT_ASSETS_DATA_DIR ?= $(CURDIR)/data

.PHONY: install run dev test lint format bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/python -m event_assets run

dev: install
	$(BIN)/python -c "from event_assets.core.dbt import prepare_dbt_project; prepare_dbt_project()"
	DAGSTER_HOME=$$($(BIN)/python -m event_assets home) $(BIN)/dagster dev -w workspace.yaml

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python benchmarks/schools.py

clean:
	rm -rf data/warehouse.duckdb data/warehouse.duckdb.wal data/.dagster data/plots dbt_project/target
