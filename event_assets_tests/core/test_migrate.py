"""A warehouse of the previous layout (every table in `main`) moves to a schema per domain."""

from datetime import datetime

import duckdb
import pytest

from event_assets.core.ingest import RAW_COLUMNS, ensure_tables
from event_assets.core.ledger import LEDGER_TABLE
from event_assets.core.migrate import migrate_legacy_layout

RAW = "raw_shop_events"


@pytest.fixture
def legacy() -> duckdb.DuckDBPyConnection:
    """The old layout: the raw table, a ledger naming it bare, a derived table and a view."""
    with duckdb.connect() as conn:
        conn.execute(f"create table main.{RAW} ({RAW_COLUMNS})")
        ensure_tables(conn, "main.raw_other_events")  # creates the ledger too
        conn.executemany(
            f"insert into main.{RAW} values (?, 'a.jsonl', 'h', ?, '{{}}', null, null, ?)",
            [(i, i, datetime(2026, 1, 1)) for i in (1, 2, 3)],
        )
        conn.execute(
            f"""insert into main.{LEDGER_TABLE} (raw_table, file_hash, source_file, size_bytes,
                    mtime_ns, records, unparseable, ingested_at)
                values ('{RAW}', 'h', 'a.jsonl', 10, 1, 3, 0, '2026-01-01')"""
        )
        conn.execute("create table main.orders as select 1 as id")
        conn.execute("create view main.orders_view as select * from main.orders")
        yield conn


def test_raw_rows_move_the_ledger_follows_derived_tables_go(legacy):
    done = migrate_legacy_layout(legacy, "shop", [RAW], ["orders", "orders_view", "absent"])
    assert done == [
        f"moved main.{RAW} to shop.{RAW}",
        "dropped main.orders (rebuilt in schema shop)",
        "dropped main.orders_view (rebuilt in schema shop)",
    ]
    assert legacy.execute(f"select list(raw_id order by raw_id) from shop.{RAW}").fetchone() == (
        [1, 2, 3],
    )
    left_in_main = {
        name
        for (name,) in legacy.execute(
            "select table_name from information_schema.tables where table_schema = 'main'"
        ).fetchall()
    }
    assert left_in_main == {LEDGER_TABLE, "raw_other_events"}  # another domain's raw table stays
    assert legacy.execute(f"select raw_table from main.{LEDGER_TABLE}").fetchall() == [
        (f"shop.{RAW}",)
    ]
    # The moved table keeps the raw table's constraints (raw_id is required).
    with pytest.raises(duckdb.ConstraintException):
        legacy.execute(f"insert into shop.{RAW} (raw_id) values (null)")


def test_a_migrated_or_new_warehouse_is_left_alone(legacy):
    migrate_legacy_layout(legacy, "shop", [RAW], ["orders"])
    assert migrate_legacy_layout(legacy, "shop", [RAW], ["orders"]) == []
    with duckdb.connect() as empty:
        assert migrate_legacy_layout(empty, "shop", [RAW], ["orders"]) == []
