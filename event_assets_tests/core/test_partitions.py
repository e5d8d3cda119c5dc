"""Affected days become one run per contiguous range."""

from datetime import date

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
    assert daily_partitions("toy", "2026-01-05").start.date() == date(2026, 1, 5)
    monkeypatch.setenv("EVENT_ASSETS_TOY_FIRST_DAY", "2025-12-01")
    assert daily_partitions("toy", "2026-01-05").start.date() == date(2025, 12, 1)
    monkeypatch.setenv("EVENT_ASSETS_TOY_FIRST_DAY", "last year")
    with pytest.raises(ConfigError, match="EVENT_ASSETS_TOY_FIRST_DAY='last year' is not a date"):
        daily_partitions("toy", "2026-01-05")
