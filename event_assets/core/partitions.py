"""Daily partitions (each domain its own first day), and how to turn a set of days into runs.

A domain's partitions are the UTC days from its first day through the newest day with data, as
dynamic partition keys (`YYYY-MM-DD`) the stale-days asset adds as data arrives: the partitions
page shows the days the domain has, not a backlog of days up to today that no data covers yet.
The keys are always added in date order (Dagster orders dynamic keys by when they were added, and
a range of days is a range of keys), and every day added is materialized by the same follow-up
(a day without data as an empty day), so no day stays missing.

One run can cover a range of days (`BackfillPolicy.single_run()` + the partition-range tags), so
each contiguous run of affected days becomes one run whose step handles the range in one SQL
statement. Days that were not affected are never re-materialized.
"""

import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import dagster as dg

from event_assets.core.warehouse import ConfigError


def first_day_var(domain: str) -> str:
    """The variable that moves a domain's first day, e.g. `EVENT_ASSETS_SCHOOLS_FIRST_DAY`."""
    return f"EVENT_ASSETS_{domain.upper()}_FIRST_DAY"


@dataclass(frozen=True)
class DailyPartitions:
    """A domain's days: `definition` for its assets, `first_day` the earliest partition."""

    definition: dg.DynamicPartitionsDefinition
    first_day: date

    def extend_through(self, instance: dg.DagsterInstance, last_day: date) -> list[date]:
        """Makes the keys every day from the first day through `last_day` (at least), in date
        order, and returns the days it added. Keys that are not a prefix of that (the first day
        was moved earlier) are replaced in order; materializations are kept by key."""
        name = self.definition.name
        existing = instance.get_dynamic_partitions(name)
        last_day = max([last_day, *(date.fromisoformat(key) for key in existing)])
        wanted = [key.isoformat() for key in days_between(self.first_day, last_day)]
        if existing != wanted[: len(existing)]:
            for key in existing:
                instance.delete_dynamic_partition(name, key)
            existing = []
        added = wanted[len(existing) :]
        if added:
            instance.add_dynamic_partitions(name, added)
        return [date.fromisoformat(key) for key in added]


def daily_partitions(domain: str, first_day: str) -> DailyPartitions:
    """The domain's daily partitions, from `first_day` as the domain declares it (its first
    plausible day: no false backlog of days before its data), unless `first_day_var(domain)`
    says otherwise."""
    configured = os.environ.get(first_day_var(domain)) or first_day
    try:
        start = date.fromisoformat(configured)
    except ValueError:
        raise ConfigError(
            f"{first_day_var(domain)}={configured!r} is not a date (expected YYYY-MM-DD)"
        ) from None
    return DailyPartitions(dg.DynamicPartitionsDefinition(name=f"{domain}_days"), start)


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


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
    """The run's days as naive UTC datetimes [start of the first, end of the last)."""
    keys = context.partition_key_range
    start = datetime.combine(date.fromisoformat(keys.start), time())
    end = datetime.combine(date.fromisoformat(keys.end), time()) + timedelta(days=1)
    return start, end
