"""`int_webapp__playback_classified` is stored in raw_id order, run after run: the stream
processor reads one file's rows by their raw_id range, which skips the other files' row groups
only when each row group holds a narrow range (the model's window would scatter the rows)."""

import duckdb

from event_assets_tests.conftest import create_raw_tables, run_dbt

MODEL = "webapp.int_webapp__playback_classified"


def land(conn: duckdb.DuckDBPyConnection, first_raw_id: int, lines: int) -> None:
    """`lines` valid heartbeats of distinct streams as one file's raw rows, raw ids from
    `first_raw_id`."""
    conn.execute(
        f"""insert into webapp.raw_webapp_playback
            select {first_raw_id} + i, 'playback-{first_raw_id}.jsonl', 'hash-{first_raw_id}',
                   i + 1, json(line), line, null, timestamp '2024-05-01 20:00:00'
            from (
                select i, json_object(
                    'user_id', 'u', 'session_id', 's-{first_raw_id}-' || i, 'program_id', 'p',
                    'start_time', '2024-05-01T20:00:00Z', 'event_time', '2024-05-01T20:00:01Z'
                )::varchar as line
                from range({lines}) as t(i)
            )"""
    )


def stored_raw_ids(warehouse) -> list[int]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        # no order by: the rows as stored (DuckDB keeps insertion order)
        return [raw_id for (raw_id,) in conn.execute(f"select raw_id from {MODEL}").fetchall()]


def test_classified_heartbeats_are_stored_in_raw_id_order(tmp_path, monkeypatch):
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("EVENT_ASSETS_DUCKDB_PATH", str(warehouse))
    create_raw_tables(warehouse, "webapp", ("events", "playback"))
    with duckdb.connect(str(warehouse)) as conn:
        land(conn, 1, 5_000)
    select = ["--select", "int_webapp__playback_classified"]
    assert run_dbt(tmp_path, "run", *select).returncode == 0
    with duckdb.connect(str(warehouse)) as conn:
        land(conn, 5_001, 5_000)  # a second file, classified by an incremental run
    result = run_dbt(tmp_path, "run", *select)
    assert result.returncode == 0, result.stdout[-3000:]
    raw_ids = stored_raw_ids(warehouse)
    assert len(raw_ids) == 10_000
    assert raw_ids == sorted(raw_ids)
