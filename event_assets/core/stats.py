"""`<domain>_stats`, the statistics asset every domain has, and the statistics every domain
reports the same way: its records by quarantine status and its rejected records by reason."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import dagster as dg
import duckdb
import pandas as pd

from event_assets.core.catalog import code_reference
from event_assets.core.names import asset_key, qualified, stats_table
from event_assets.core.plots import plot_daily_series, plotted_numbers, stats_metadata
from event_assets.core.quarantine import rejected_table
from event_assets.core.warehouse import WAREHOUSE_POOL, Warehouse


def quarantine_stats(
    conn: duckdb.DuckDBPyConnection, domain: str, classified_table: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(records per status in `classified_table`, rejected records per reason), both tables
    of `domain`."""
    records = conn.execute(
        f"""select status, count(*) as records from {qualified(domain, classified_table)}
            group by status order by status"""
    ).df()
    rejected_by_reason = conn.execute(
        f"""select reason, count(*) as events from {qualified(domain, rejected_table(domain))}
            group by reason order by events desc, reason"""
    ).df()
    return records, rejected_by_reason


@dataclass(frozen=True)
class DailyPlot:
    """The plot of a statistics asset: `query(conn)` gives the series, one line per `by`."""

    query: Callable[[duckdb.DuckDBPyConnection], pd.DataFrame]
    x: str
    y: str
    title: str
    file_name: str
    caption: str
    by: str | None = None


def build_stats_asset(
    domain: str,
    deps: Sequence[str],
    classified_table: str,
    compute: Callable[[duckdb.DuckDBPyConnection], dict[str, pd.DataFrame]],
    plot: DailyPlot,
    description: str,
) -> dg.AssetsDefinition:
    """`<domain>.<domain>_stats`: the named tables `compute` returns, the records of
    `classified_table` by status and the rejected ones by reason, and `plot`, as UI metadata
    (the headless run prints the same). `deps`: the domain's tables it reads."""

    @dg.asset(
        key=asset_key(domain, stats_table(domain)),
        group_name=domain,
        deps=[asset_key(domain, table) for table in (*deps, classified_table)],
        pool=WAREHOUSE_POOL,
        kinds={"duckdb", "matplotlib"},
        metadata=code_reference(compute, f"{domain} statistics"),
        description=description,
    )
    def _stats(warehouse: Warehouse) -> dg.MaterializeResult:
        with warehouse.connect(read_only=True) as conn:
            tables = compute(conn)
            records, rejected_by_reason = quarantine_stats(conn, domain, classified_table)
            series = plot.query(conn)
        tables |= {"records": records, "rejected_by_reason": rejected_by_reason}
        path = plot_daily_series(
            series,
            x=plot.x,
            y=plot.y,
            by=plot.by,
            title=plot.title,
            path=warehouse.settings.plots_dir / plot.file_name,
        )
        plotted = plotted_numbers(
            series, x=plot.x, y=plot.y, by=plot.by, name=plot.caption.replace(" ", "_")
        )
        return dg.MaterializeResult(metadata=stats_metadata(tables, path, plot.caption, plotted))

    return _stats
