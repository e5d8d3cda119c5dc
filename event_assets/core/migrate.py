"""Move a warehouse built by the previous layout (every table in schema `main`) to a schema per
domain, without losing a raw row.

The raw tables are the only data that cannot be rebuilt: they move to the domain's schema as
they are, and the ledger follows them (its rows name the qualified table). Every other table or
view of the domain in `main` (dbt models, daily and statistics tables) is dropped, so nothing
stale is left for an analyst to query: the next dbt build and daily runs rebuild them in the
domain's schema from the raw rows. All of it in one transaction: a migration that fails leaves
the warehouse as it was.
"""

from collections.abc import Iterable

import duckdb

from event_assets.core.ingest import RAW_COLUMNS
from event_assets.core.ledger import LEDGER_TABLE
from event_assets.core.warehouse import table_exists


def _objects_in_main(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """name -> 'BASE TABLE' or 'VIEW' of everything in schema `main`."""
    rows = conn.execute(
        "select table_name, table_type from information_schema.tables where table_schema = 'main'"
    ).fetchall()
    return dict(rows)


def migrate_legacy_layout(
    conn: duckdb.DuckDBPyConnection,
    domain: str,
    raw_tables: Iterable[str],
    derived_tables: Iterable[str],
) -> list[str]:
    """Move `main.<raw table>` to `<domain>.<raw table>` and drop the domain's other tables of
    the previous layout; returns what it did, one line each (nothing when already migrated)."""
    in_main = _objects_in_main(conn)
    to_move = [t for t in raw_tables if t in in_main and not table_exists(conn, t, schema=domain)]
    to_drop = [t for t in derived_tables if t in in_main and t not in to_move]
    if not to_move and not to_drop:
        return []
    done = []
    conn.execute("begin transaction")
    try:
        conn.execute(f"create schema if not exists {domain}")
        for table in to_move:
            conn.execute(f"create table {domain}.{table} ({RAW_COLUMNS})")
            conn.execute(f"insert into {domain}.{table} by name select * from main.{table}")
            conn.execute(f"drop table main.{table}")
            if table_exists(conn, LEDGER_TABLE):
                conn.execute(
                    f"update main.{LEDGER_TABLE} set raw_table = ? where raw_table = ?",
                    [f"{domain}.{table}", table],
                )
            done.append(f"moved main.{table} to {domain}.{table}")
        for table in to_drop:
            kind = "view" if in_main[table] == "VIEW" else "table"
            conn.execute(f"drop {kind} if exists main.{table}")
            done.append(f"dropped main.{table} (rebuilt in schema {domain})")
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    return done
