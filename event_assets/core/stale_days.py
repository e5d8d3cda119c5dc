"""`<domain>_stale_days`: which days of a daily-partitioned part no longer match the models.

The asset records the days as contiguous ranges in its metadata; the domain's follow-up
(`pipeline.Domain`) turns them into one run per range, in the UI (a sensor) and headless alike.
"""

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import dagster as dg
import duckdb

from event_assets.core.catalog import code_reference
from event_assets.core.names import asset_key, stale_days_table
from event_assets.core.partitions import contiguous_ranges
from event_assets.core.warehouse import WAREHOUSE_POOL, Warehouse

STALE_RANGES_KEY = "stale_ranges"


def build_stale_days_asset(
    domain: str,
    deps: Sequence[str],
    find_stale_days: Callable[[duckdb.DuckDBPyConnection], list[date]],
    description: str,
) -> dg.AssetsDefinition:
    """`<domain>.<domain>_stale_days`: the days whose partition no longer matches `deps` (tables
    of the domain), found by `find_stale_days`."""

    @dg.asset(
        key=asset_key(domain, stale_days_table(domain)),
        group_name=domain,
        deps=[asset_key(domain, dep) for dep in deps],
        pool=WAREHOUSE_POOL,
        kinds={"duckdb"},
        metadata=code_reference(find_stale_days, f"{domain} stale days"),
        description=description,
    )
    def _stale_days(warehouse: Warehouse) -> dg.MaterializeResult:
        with warehouse.connect(read_only=True) as conn:
            days = find_stale_days(conn)
        ranges = [[first.isoformat(), last.isoformat()] for first, last in contiguous_ranges(days)]
        return dg.MaterializeResult(
            metadata={"stale_days": len(days), STALE_RANGES_KEY: dg.MetadataValue.json(ranges)}
        )

    return _stale_days


def stale_ranges_from_metadata(metadata: Mapping[str, Any]) -> list[tuple[date, date]]:
    value = metadata.get(STALE_RANGES_KEY)
    ranges = getattr(value, "data", value) or []
    return [(date.fromisoformat(first), date.fromisoformat(last)) for first, last in ranges]
