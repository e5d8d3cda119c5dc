"""The webapp dbt unit tests (YAML under dbt_project/models/webapp/, answers worked out by hand)
on a temporary DuckDB file: unit tests look up the columns of their input relations, so the
models are built first, on empty raw tables. The stream processor's table is created only
then: the first build on a new warehouse must work without it (nothing judged yet), and the
unit test of int_webapp__playback_judged needs it (its join is rendered when the table
exists)."""

import duckdb

from event_assets.defs.webapp import stream_processor
from event_assets_tests.conftest import create_raw_tables, run_dbt

SELECT = "path:models/webapp"
UNIT_TESTS = 6  # _webapp__unit_tests.yml in intermediate/ (4) and marts/ (2)


def test_unit_tests_pass(tmp_path, monkeypatch) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("EVENT_ASSETS_DUCKDB_PATH", str(warehouse))
    create_raw_tables(warehouse, "webapp", ("events", "playback"))
    built = run_dbt(tmp_path, "run", "--select", SELECT)
    assert built.returncode == 0, built.stdout[-3000:]
    with duckdb.connect(str(warehouse)) as conn:
        stream_processor.ensure_tables(conn)
    result = run_dbt(tmp_path, "test", "--select", f"{SELECT},test_type:unit")
    assert result.returncode == 0, result.stdout[-6000:]
    assert f"PASS={UNIT_TESTS} " in result.stdout, result.stdout[-3000:]
