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

from event_assets.core.partitions import daily_partitions, window_bounds
from event_assets.core.warehouse import WAREHOUSE_POOL, Warehouse, table_exists

FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")


def _comparable_columns(conn: duckdb.DuckDBPyConnection, table: str) -> str:
    columns = conn.execute(
        """select column_name, data_type from information_schema.columns
           where table_schema = 'main' and table_name = ? order by ordinal_position""",
        [table],
    ).fetchall()
    return ", ".join(
        f"round({name}, 6) as {name}" if kind.upper() in FLOAT_TYPES else name
        for name, kind in columns
    )


def find_stale_days_by_diff(
    conn: duckdb.DuckDBPyConnection, source_table: str, copy_table: str, date_column: str = "date"
) -> list[date]:
    """Days on which `copy_table` does not hold exactly the rows `source_table` has."""
    if not table_exists(conn, source_table):
        return []
    if not table_exists(conn, copy_table):
        rows = conn.execute(f"select distinct {date_column} from main.{source_table}").fetchall()
        return sorted(row[0] for row in rows)
    columns = _comparable_columns(conn, source_table)
    rows = conn.execute(
        f"""
        with fresh as (select {columns} from main.{source_table}),
        stored as (select {columns} from main.{copy_table}),
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
    name: str,
    group: str,
    source_table: str,
    description: str,
    date_column: str = "date",
    deps: Sequence[str] = (),
) -> dg.AssetsDefinition:
    """A daily-partitioned asset `name` holding `source_table`'s rows of the run's days."""

    @dg.asset(
        name=name,
        group_name=group,
        deps=[source_table, *deps],
        partitions_def=daily_partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        pool=WAREHOUSE_POOL,
        kinds={"duckdb"},
        metadata={"partition_expr": date_column},
        description=description,
    )
    def _daily(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
        start, end = window_bounds(context)
        days = {"start": start.date(), "end": end.date()}
        in_window = f"{date_column} >= $start and {date_column} < $end"
        with warehouse.connect() as conn:
            conn.execute(
                f"create table if not exists main.{name} as "
                f"select * from main.{source_table} where false"
            )
            conn.execute("begin transaction")
            conn.execute(f"delete from main.{name} where {in_window}", days)
            conn.execute(
                f"insert into main.{name} by name "
                f"select * from main.{source_table} where {in_window}",
                days,
            )
            conn.execute("commit")
            (rows,) = conn.execute(
                f"select count(*) from main.{name} where {in_window}", days
            ).fetchone()
        return dg.MaterializeResult(
            metadata={
                "first_day": days["start"].isoformat(),
                "days": (end - start).days,
                "rows": rows,
            }
        )

    return _daily
