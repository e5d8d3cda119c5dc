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
    assert usage(conn) == [("d", date(2026, 1, 5), 60.0 + 30.5 / 60, 2)]


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
