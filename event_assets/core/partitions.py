"""Daily partitions (each domain its own first day), and how to turn a set of days into runs.

One run can cover a range of days (`BackfillPolicy.single_run()` + the partition-range tags), so
each contiguous run of affected days becomes one run whose step handles the range in one SQL
statement. Days that were not affected are never re-materialized.
"""

import os
from datetime import UTC, date, datetime, timedelta

import dagster as dg

from event_assets.core.warehouse import ConfigError


def first_day_var(domain: str) -> str:
    """The variable that moves a domain's first day, e.g. `EVENT_ASSETS_SCHOOLS_FIRST_DAY`."""
    return f"EVENT_ASSETS_{domain.upper()}_FIRST_DAY"


def daily_partitions(domain: str, first_day: str) -> dg.DailyPartitionsDefinition:
    """UTC days from the domain's first day through tomorrow: `first_day` as the domain
    declares it (its first plausible day: no false backlog of days before its data), unless
    `first_day_var(domain)` says otherwise. Staging accepts events up to a day after their file
    was ingested, so a day with valid events from the first day on always has a partition."""
    configured = os.environ.get(first_day_var(domain)) or first_day
    try:
        start = date.fromisoformat(configured)
    except ValueError:
        raise ConfigError(
            f"{first_day_var(domain)}={configured!r} is not a date (expected YYYY-MM-DD)"
        ) from None
    return dg.DailyPartitionsDefinition(start_date=start.isoformat(), end_offset=2)


def first_partition_day(partitions_def: dg.DailyPartitionsDefinition) -> date:
    return partitions_def.start.date()


RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def contiguous_ranges(days: list[date]) -> list[tuple[date, date]]:
    """[(first, last), ...] covering exactly `days`, one entry per run of consecutive days."""
    ranges: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if ranges and day == ranges[-1][1] + timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def range_tags(first: date, last: date) -> dict[str, str]:
    return {RANGE_START_TAG: first.isoformat(), RANGE_END_TAG: last.isoformat()}


def window_bounds(context: dg.AssetExecutionContext) -> tuple[datetime, datetime]:
    """The run's partition window as naive UTC datetimes [start, end)."""
    window = context.partition_time_window
    return (
        window.start.astimezone(UTC).replace(tzinfo=None),
        window.end.astimezone(UTC).replace(tzinfo=None),
    )
