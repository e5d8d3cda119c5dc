"""Daily partitions (each domain its own first day), and how to turn a set of days into runs.

One run can cover a range of days (`BackfillPolicy.single_run()` + the partition-range tags), so
each contiguous run of affected days becomes one run whose step handles the range in one SQL
statement. Days that were not affected are never re-materialized.
"""

from datetime import UTC, date, datetime, timedelta

import dagster as dg


def daily_partitions(first_day: str) -> dg.DailyPartitionsDefinition:
    """UTC days from the domain's `first_day` (the oldest data it accepts) through tomorrow:
    staging accepts events up to a day after their file was ingested, so a day with valid events
    always has a partition."""
    return dg.DailyPartitionsDefinition(start_date=first_day, end_offset=2)


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
