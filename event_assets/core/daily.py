"""A daily-partitioned table copied from a model over all days, and how to find its stale days.

When a dbt model already computes a daily grain over every day (cheap in DuckDB), the partitioned
asset keeps a per-day copy of it: a run over a range of days replaces exactly those days (delete +
insert in one transaction), and the stale days are those where the copy and the model differ.
Floating-point measures are compared rounded, since sums may add up in another order.
"""

from collections.abc import Sequence
from datetime import date

import dagster as dg
import duckdb

from event_assets.core.names import asset_key, qualified
from event_assets.core.partitions import window_bounds
from event_assets.core.table_metadata import table_metadata, table_name
from event_assets.core.warehouse import WAREHOUSE_POOL, Warehouse, table_exists

FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")


def _comparable_columns(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> str:
    columns = conn.execute(
        """select column_name, data_type from information_schema.columns
           where table_schema = ? and table_name = ? order by ordinal_position""",
        [schema, table],
    ).fetchall()
    return ", ".join(
        f"round({name}, 6) as {name}" if kind.upper() in FLOAT_TYPES else name
        for name, kind in columns
    )


def find_stale_days_by_diff(
    conn: duckdb.DuckDBPyConnection,
    domain: str,
    source_table: str,
    copy_table: str,
    date_column: str = "date",
) -> list[date]:
    """Days on which `copy_table` does not hold exactly the rows `source_table` has (both
    tables of `domain`)."""
    if not table_exists(conn, source_table, schema=domain):
        return []
    source, copy = qualified(domain, source_table), qualified(domain, copy_table)
    if not table_exists(conn, copy_table, schema=domain):
        rows = conn.execute(f"select distinct {date_column} from {source}").fetchall()
        return sorted(row[0] for row in rows)
    columns = _comparable_columns(conn, domain, source_table)
    rows = conn.execute(
        f"""
        with fresh as (select {columns} from {source}),
        stored as (select {columns} from {copy}),
        differences as (
            (select * from fresh except all select * from stored)
            union all
            (select * from stored except all select * from fresh)
        )
        select distinct {date_column} from differences order by 1
        """
    ).fetchall()
    return [row[0] for row in rows]


def build_daily_copy_asset(
    domain: str,
    name: str,
    source_table: str,
    partitions_def: dg.PartitionsDefinition,
    description: str,
    date_column: str = "date",
    deps: Sequence[str] = (),
) -> dg.AssetsDefinition:
    """A daily-partitioned asset `<domain>.<name>` holding `source_table`'s rows of the run's
    days (`source_table` and `deps`: tables of the same domain)."""
    table, source = qualified(domain, name), qualified(domain, source_table)

    @dg.asset(
        key=asset_key(domain, name),
        group_name=domain,
        deps=[asset_key(domain, dep) for dep in (source_table, *deps)],
        partitions_def=partitions_def,
        backfill_policy=dg.BackfillPolicy.single_run(),
        pool=WAREHOUSE_POOL,
        kinds={"duckdb"},
        metadata={"partition_expr": date_column, **table_name(domain, name)},
        description=description,
    )
    def _daily(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
        start, end = window_bounds(context)
        days = {"start": start.date(), "end": end.date()}
        in_window = f"{date_column} >= $start and {date_column} < $end"
        with warehouse.connect() as conn:
            conn.execute(
                f"create table if not exists {table} as select * from {source} where false"
            )
            conn.execute("begin transaction")
            conn.execute(f"delete from {table} where {in_window}", days)
            conn.execute(
                f"insert into {table} by name select * from {source} where {in_window}", days
            )
            conn.execute("commit")
            (rows,) = conn.execute(
                f"select count(*) from {table} where {in_window}", days
            ).fetchone()
            described = table_metadata(conn, domain, name, partition_rows=rows)
        return dg.MaterializeResult(
            metadata={
                "first_day": days["start"].isoformat(),
                "days": (end - start).days,
                "rows": rows,
                **described,
            }
        )

    return _daily
