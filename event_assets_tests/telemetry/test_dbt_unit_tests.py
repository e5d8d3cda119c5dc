"""The telemetry dbt unit tests (YAML under dbt_project/models/telemetry/, answers worked out
by hand) on a temporary DuckDB file: unit tests look up the columns of their input relations,
so the models are built first, on empty raw tables."""

from event_assets_tests.conftest import create_raw_tables, run_dbt

SELECT = "path:models/telemetry"


def test_unit_tests_pass(tmp_path, monkeypatch) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("EVENT_ASSETS_DUCKDB_PATH", str(warehouse))
    create_raw_tables(warehouse, "telemetry", ("sync_events", "users"))
    built = run_dbt(tmp_path, "run", "--select", SELECT)
    assert built.returncode == 0, built.stdout[-3000:]
    result = run_dbt(tmp_path, "test", "--select", f"{SELECT},test_type:unit")
    assert result.returncode == 0, result.stdout[-6000:]
    assert "PASS=9" in result.stdout, result.stdout[-3000:]
