"""Affected days become one run per contiguous range; a domain's days run from its first day
through its newest day with data, added in date order."""

from datetime import date

import dagster as dg
import pytest

from event_assets.core.partitions import contiguous_ranges, daily_partitions
from event_assets.core.warehouse import ConfigError


def test_contiguous_ranges():
    days = [date(2026, 1, d) for d in (8, 5, 6, 6, 12, 13, 20)]
    assert contiguous_ranges(days) == [
        (date(2026, 1, 5), date(2026, 1, 6)),
        (date(2026, 1, 8), date(2026, 1, 8)),
        (date(2026, 1, 12), date(2026, 1, 13)),
        (date(2026, 1, 20), date(2026, 1, 20)),
    ]
    assert contiguous_ranges([]) == []


def test_ranges_cross_month_ends():
    days = [date(2025, 12, 31), date(2026, 1, 1)]
    assert contiguous_ranges(days) == [(date(2025, 12, 31), date(2026, 1, 1))]


def test_a_domain_declares_its_first_day_and_a_variable_moves_it(monkeypatch):
    assert daily_partitions("toy", "2026-01-05").first_day == date(2026, 1, 5)
    monkeypatch.setenv("EVENT_ASSETS_TOY_FIRST_DAY", "2025-12-01")
    assert daily_partitions("toy", "2026-01-05").first_day == date(2025, 12, 1)
    monkeypatch.setenv("EVENT_ASSETS_TOY_FIRST_DAY", "last year")
    with pytest.raises(ConfigError, match="EVENT_ASSETS_TOY_FIRST_DAY='last year' is not a date"):
        daily_partitions("toy", "2026-01-05")


def test_the_days_reach_the_newest_day_with_data_in_date_order(monkeypatch):
    instance = dg.DagsterInstance.ephemeral()
    days = daily_partitions("toy", "2026-01-05")
    name = days.definition.name
    assert days.extend_through(instance, date(2026, 1, 7)) == [
        date(2026, 1, 5),
        date(2026, 1, 6),
        date(2026, 1, 7),
    ]
    # an earlier day (a late file) is a key already; a later one adds the days up to it
    assert days.extend_through(instance, date(2026, 1, 6)) == []
    assert days.extend_through(instance, date(2026, 1, 9)) == [date(2026, 1, 8), date(2026, 1, 9)]
    assert instance.get_dynamic_partitions(name) == [f"2026-01-0{d}" for d in range(5, 10)]
    # the first day moved earlier: the keys are laid down again, in order
    monkeypatch.setenv("EVENT_ASSETS_TOY_FIRST_DAY", "2026-01-03")
    earlier = daily_partitions("toy", "2026-01-05")
    assert earlier.extend_through(instance, date(2026, 1, 4)) == [
        date(2026, 1, d) for d in range(3, 10)
    ]
    assert instance.get_dynamic_partitions(name) == [f"2026-01-0{d}" for d in range(3, 10)]
