"""Per-day usage and stale-day detection on hand-made `sessions` rows (no dbt needed)."""

from datetime import date, datetime

import duckdb
import pytest

from event_assets.defs.schools.usage import (
    DAILY_COLUMNS,
    DAILY_TABLE,
    DAILY_USAGE_SQL,
    find_stale_days,
)


@pytest.fixture
def conn():
    with duckdb.connect() as connection:
        connection.execute("create schema schools")
        connection.execute(
            """create table schools.sessions (session_id varchar, device_id varchar,
               started_at timestamp, ended_at timestamp)"""
        )
        yield connection


def add_session(conn, device, start, end):
    conn.execute(
        "insert into schools.sessions values (gen_random_uuid()::varchar, ?, ?, ?)",
        [device, start, end],
    )


def usage(conn, start=datetime(2000, 1, 1), end=datetime(2100, 1, 1)):
    return conn.execute(
        f"select device_id, date, usage_minutes, sessions from ({DAILY_USAGE_SQL}) order by all",
        {"start": start, "end": end},
    ).fetchall()


def test_a_session_over_three_midnights_counts_on_each_day(conn):
    add_session(conn, "d", datetime(2026, 1, 5, 22), datetime(2026, 1, 8, 2, 30))
    assert usage(conn) == [
        ("d", date(2026, 1, 5), 120.0, 1),
        ("d", date(2026, 1, 6), 1440.0, 1),
        ("d", date(2026, 1, 7), 1440.0, 1),
        ("d", date(2026, 1, 8), 150.0, 1),
    ]
    # A window of one day sees only its own part.
    assert usage(conn, datetime(2026, 1, 7), datetime(2026, 1, 8)) == [
        ("d", date(2026, 1, 7), 1440.0, 1)
    ]


def test_abandoned_and_zero_length_sessions_add_nothing(conn):
    add_session(conn, "d", datetime(2026, 1, 5, 10), None)
    add_session(conn, "d", datetime(2026, 1, 5, 11), datetime(2026, 1, 5, 11))
    add_session(conn, "d", datetime(2026, 1, 5, 23), datetime(2026, 1, 6, 0))  # ends at midnight
    add_session(conn, "d", datetime(2026, 1, 5, 8), datetime(2026, 1, 5, 8, 0, 30, 500000))
    # stored to 6 decimals (the same doubles in every run)
    assert usage(conn) == [("d", date(2026, 1, 5), round(60.0 + 30.5 / 60, 6), 2)]


def test_overlapping_sessions_of_one_device_count_their_common_time_once(conn):
    add_session(conn, "d", datetime(2026, 1, 5, 8), datetime(2026, 1, 5, 10))
    add_session(conn, "d", datetime(2026, 1, 5, 9), datetime(2026, 1, 5, 11))  # overlaps
    add_session(conn, "d", datetime(2026, 1, 5, 9, 30), datetime(2026, 1, 5, 9, 45))  # inside
    add_session(conn, "d", datetime(2026, 1, 5, 11), datetime(2026, 1, 5, 11, 30))  # touches
    add_session(conn, "d", datetime(2026, 1, 5, 14), datetime(2026, 1, 5, 15))  # apart
    add_session(conn, "e", datetime(2026, 1, 5, 8), datetime(2026, 1, 5, 10))  # another device
    # d: 08:00-11:30 covered once (210) + 14:00-15:00 (60); five sessions fall on the day
    assert usage(conn) == [("d", date(2026, 1, 5), 270.0, 5), ("e", date(2026, 1, 5), 120.0, 1)]


def test_a_day_never_has_more_than_a_day_of_usage(conn):
    """Two sessions that start on the same day and end six years later on one device."""
    add_session(conn, "d", datetime(2020, 1, 1), datetime(2026, 1, 5, 12))
    add_session(conn, "d", datetime(2020, 1, 1, 0, 0, 1), datetime(2026, 1, 6, 12))
    rows = usage(conn, datetime(2025, 12, 1), datetime(2026, 1, 10))
    assert max(minutes for _, _, minutes, _ in rows) == 1440.0
    assert rows[-1] == ("d", date(2026, 1, 6), 720.0, 1)


def test_stale_days_are_the_days_whose_usage_changed(conn):
    add_session(conn, "d", datetime(2026, 1, 5, 9), datetime(2026, 1, 5, 10))
    add_session(conn, "e", datetime(2026, 1, 7, 9), None)
    assert find_stale_days(conn) == [date(2026, 1, 5)]  # nothing stored yet

    conn.execute(f"create table schools.{DAILY_TABLE} ({DAILY_COLUMNS})")
    conn.execute(
        f"insert into schools.{DAILY_TABLE} by name {DAILY_USAGE_SQL}",
        {"start": datetime(2000, 1, 1), "end": datetime(2100, 1, 1)},
    )
    assert find_stale_days(conn) == []

    # e's session gets its end two days later; d's session becomes invalid (removed).
    conn.execute("update schools.sessions set ended_at = '2026-01-09 01:00' where device_id = 'e'")
    conn.execute("delete from schools.sessions where device_id = 'd'")
    assert find_stale_days(conn) == [
        date(2026, 1, 5),
        date(2026, 1, 7),
        date(2026, 1, 8),
        date(2026, 1, 9),
    ]
