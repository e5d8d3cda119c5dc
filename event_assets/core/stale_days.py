"""`<domain>_stale_days`: which days of a daily-partitioned part no longer match the models.

The asset first makes the partitions reach the newest stale day (`DailyPartitions.extend_through`),
then records the stale days and the days it added as contiguous ranges in its metadata; the
domain's follow-up (`pipeline.Domain`) turns them into one run per range, in the UI (a sensor) and
headless alike. Days before the domain's first day have no partition: they are left out, and
its check `covers_every_day_with_data` warns with their count and the setting that moves the
first day.

A domain may look only at what changed since its last look: its `find_stale_days` gets the
`LastCheck` this asset recorded for the same warehouse (the domain's own watermark, and the
earliest day that look found stale which no run has materialized since, or that has no
partition) and returns a new watermark. Without one (a first run, another warehouse, another
Dagster instance) it compares every day.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import dagster as dg
import duckdb

from event_assets.core.catalog import code_reference
from event_assets.core.names import asset_key, stale_days_table
from event_assets.core.partitions import (
    DailyPartitions,
    contiguous_ranges,
    days_between,
    first_day_var,
)
from event_assets.core.warehouse import WAREHOUSE_POOL, Warehouse

STALE_RANGES_KEY = "stale_ranges"
COVERAGE_CHECK = "covers_every_day_with_data"
# Metadata of each materialization, read back by the next one (`LastCheck`).
CHECKED_THROUGH_KEY = "checked_through"
EARLIEST_BEFORE_KEY = "earliest_stale_day_before_first_day"
WAREHOUSE_KEY = "warehouse"


@dataclass(frozen=True)
class LastCheck:
    """What the previous look at the same warehouse recorded: the domain's watermark (text of
    its choosing), and the earliest day it found stale that may still be (None: none): not
    materialized since, or before the first day (no partition)."""

    checked_through: str
    earliest_stale: date | None


@dataclass(frozen=True)
class StaleDays:
    """The days found stale, and the watermark the next look starts from (None: the next look
    compares every day)."""

    days: list[date]
    checked_through: str | None = None


FindStaleDays = Callable[[duckdb.DuckDBPyConnection, LastCheck | None], StaleDays]


def build_stale_days_asset(
    domain: str,
    deps: Sequence[str],
    find_stale_days: FindStaleDays,
    description: str,
    partitions: DailyPartitions,
    daily_table: str,
) -> dg.AssetsDefinition:
    """`<domain>.<domain>_stale_days`: the days whose partition (of `partitions`) no longer
    matches `deps` (tables of the domain), found by `find_stale_days`, and the days new to the
    partitions. `daily_table`: the partitioned table whose days are compared (its partitions
    materialized since a look are no longer stale)."""
    key = asset_key(domain, stale_days_table(domain))
    daily_key = asset_key(domain, daily_table)
    first_day = partitions.first_day

    @dg.asset(
        key=key,
        group_name=domain,
        deps=[asset_key(domain, dep) for dep in deps],
        pool=WAREHOUSE_POOL,
        kinds={"duckdb"},
        metadata=code_reference(find_stale_days, f"{domain} stale days"),
        description=description,
        check_specs=[
            dg.AssetCheckSpec(
                COVERAGE_CHECK,
                asset=key,
                description=f"Warns when {domain} has data on days before its first day "
                f"({first_day}): they have no daily partition; set {first_day_var(domain)} "
                "earlier to include them.",
            )
        ],
    )
    def _stale_days(
        context: dg.AssetExecutionContext, warehouse: Warehouse
    ) -> dg.MaterializeResult:
        path = str(warehouse.settings.duckdb_path)
        last = last_check(context.instance, key, daily_key, path)
        with warehouse.connect(read_only=True) as conn:
            found = find_stale_days(conn, last)
        days = [day for day in found.days if day >= first_day]
        before = sorted(day for day in found.days if day < first_day)
        # a day new to the partitions is materialized too, empty when it has no data
        added = partitions.extend_through(context.instance, max(days)) if days else []
        ranges = [
            [first.isoformat(), last.isoformat()]
            for first, last in contiguous_ranges([*days, *added])
        ]
        coverage = dg.AssetCheckResult(
            check_name=COVERAGE_CHECK,
            passed=not before,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "days_before_first_day": len(before),
                "first_day": first_day.isoformat(),
                "earliest_day_with_data": (before[0] if before else first_day).isoformat(),
            },
        )
        watermark = {}
        if found.checked_through is not None:
            watermark = {
                CHECKED_THROUGH_KEY: found.checked_through,
                EARLIEST_BEFORE_KEY: before[0].isoformat() if before else "",
                WAREHOUSE_KEY: path,
            }
        return dg.MaterializeResult(
            metadata={
                "stale_days": len(days),
                "days_added": len(added),
                STALE_RANGES_KEY: dg.MetadataValue.json(ranges),
                **watermark,
            },
            check_results=[coverage],
        )

    return _stale_days


def last_check(
    instance: dg.DagsterInstance, key: dg.AssetKey, daily_key: dg.AssetKey, warehouse: str
) -> LastCheck | None:
    """The watermark of the asset's latest materialization, when it was of this warehouse, and
    the earliest day it found stale that `daily_key` has not materialized since."""
    records = instance.fetch_materializations(key, limit=1).records
    if not records or records[0].asset_materialization is None:
        return None
    look = records[0]
    metadata = look.asset_materialization.metadata
    values = {
        name: getattr(metadata.get(name), "value", None)
        for name in (CHECKED_THROUGH_KEY, EARLIEST_BEFORE_KEY, WAREHOUSE_KEY)
    }
    if values[WAREHOUSE_KEY] != warehouse or not values[CHECKED_THROUGH_KEY]:
        return None
    done = instance.get_materialized_partitions(daily_key, after_cursor=look.storage_id)
    pending = [
        day
        for first, last in stale_ranges_from_metadata(metadata)
        for day in days_between(first, last)
        if day.isoformat() not in done
    ]
    if values[EARLIEST_BEFORE_KEY]:
        pending.append(date.fromisoformat(values[EARLIEST_BEFORE_KEY]))
    return LastCheck(
        checked_through=values[CHECKED_THROUGH_KEY],
        earliest_stale=min(pending) if pending else None,
    )


def stale_ranges_from_metadata(metadata: Mapping[str, Any]) -> list[tuple[date, date]]:
    value = metadata.get(STALE_RANGES_KEY)
    ranges = getattr(value, "data", value) or []
    return [(date.fromisoformat(first), date.fromisoformat(last)) for first, last in ranges]
