"""Affected days become one run per contiguous range."""

from datetime import date

from event_assets.core.partitions import contiguous_ranges


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
