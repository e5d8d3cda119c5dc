"""Per-day usage and stale-day detection on hand-made `sessions` rows (no dbt needed)."""

from datetime import date, datetime

import duckdb
import pytest

from event_assets.core.stale_days import LastCheck
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
    assert find_stale_days(conn).days == [date(2026, 1, 5)]  # nothing stored yet

    conn.execute(f"create table schools.{DAILY_TABLE} ({DAILY_COLUMNS})")
    conn.execute(
        f"insert into schools.{DAILY_TABLE} by name {DAILY_USAGE_SQL}",
        {"start": datetime(2000, 1, 1), "end": datetime(2100, 1, 1)},
    )
    assert find_stale_days(conn).days == []

    # e's session gets its end two days later; d's session becomes invalid (removed).
    conn.execute("update schools.sessions set ended_at = '2026-01-09 01:00' where device_id = 'e'")
    conn.execute("delete from schools.sessions where device_id = 'd'")
    assert find_stale_days(conn).days == [
        date(2026, 1, 5),
        date(2026, 1, 7),
        date(2026, 1, 8),
        date(2026, 1, 9),
    ]


T1, T2 = datetime(2026, 12, 1, 8), datetime(2026, 12, 2, 8)  # two builds' classified_at


@pytest.fixture
def classified(conn):
    """`conn` with the classification tables the watermark reads: s1 (d, Jan 5 09:00-10:00) and
    s2 (e, from Jan 7 09:00, open), classified at T1, and their usage stored."""
    conn.execute(
        """create table schools.stg_schools__events (raw_id bigint, session_id varchar,
           event_at timestamp, syntax_reason varchar)"""
    )
    conn.execute(
        """create table schools.int_schools__events_classified (raw_id bigint,
           classified_at timestamp)"""
    )
    add_events(conn, T1, (1, "s1", "2026-01-05 09:00"), (2, "s1", "2026-01-05 10:00"))
    add_events(conn, T1, (3, "s2", "2026-01-07 09:00"))
    conn.execute(
        """insert into schools.sessions values
           ('s1', 'd', '2026-01-05 09:00', '2026-01-05 10:00'),
           ('s2', 'e', '2026-01-07 09:00', null)"""
    )
    conn.execute(f"create table schools.{DAILY_TABLE} ({DAILY_COLUMNS})")
    store_usage(conn)
    return conn


def add_events(conn, classified_at, *events, syntax_reason=None):
    for raw_id, session_id, event_at in events:
        conn.execute(
            "insert into schools.stg_schools__events values (?, ?, ?, ?)",
            [raw_id, session_id, event_at, syntax_reason],
        )
        conn.execute(
            "insert into schools.int_schools__events_classified values (?, ?)",
            [raw_id, classified_at],
        )


def set_end(conn, session_id, ended_at):
    conn.execute(
        "update schools.sessions set ended_at = ? where session_id = ?", [ended_at, session_id]
    )


def store_usage(conn, start=datetime(2000, 1, 1)):
    conn.execute(f"delete from schools.{DAILY_TABLE} where date >= ?", [start.date()])
    conn.execute(
        f"insert into schools.{DAILY_TABLE} by name {DAILY_USAGE_SQL}",
        {"start": start, "end": datetime(2100, 1, 1)},
    )


def test_a_look_after_the_last_one_starts_at_the_earliest_changed_session(classified):
    conn = classified
    nothing_new = find_stale_days(conn, LastCheck(T1.isoformat(), earliest_stale=None))
    assert (nothing_new.days, nothing_new.checked_through) == ([], T1.isoformat())

    # s2 gets its end (classified at T2); s1's stored day is changed by hand, as no run would:
    # a look after T1 starts on Jan 7 (s2's first event), so it does not see Jan 5.
    add_events(conn, T2, (4, "s2", "2026-01-09 01:00"))
    # a record of s2 whose time failed the syntax checks never counts: it moves nothing
    add_events(conn, T2, (5, "s2", "1970-01-11 00:00"), syntax_reason="time_out_of_range")
    conn.execute(
        "update schools.sessions set ended_at = '2026-01-09 01:00' where session_id = 's2'"
    )
    conn.execute(
        "update schools.sessions set ended_at = '2026-01-05 10:30' where session_id = 's1'"
    )
    after_t1 = find_stale_days(conn, LastCheck(T1.isoformat(), earliest_stale=None))
    assert after_t1.days == [date(2026, 1, 7), date(2026, 1, 8), date(2026, 1, 9)]
    assert after_t1.checked_through == T2.isoformat()
    # Without a last look, or with one this warehouse has not reached (not its history), every
    # day is compared.
    every_day = [date(2026, 1, 5), date(2026, 1, 7), date(2026, 1, 8), date(2026, 1, 9)]
    assert find_stale_days(conn).days == every_day
    ahead = LastCheck(datetime(2026, 12, 3).isoformat(), earliest_stale=None)
    assert find_stale_days(conn, ahead).days == every_day


def test_days_found_stale_are_looked_at_again_until_they_match(classified):
    conn = classified
    conn.execute(
        "update schools.sessions set ended_at = '2026-01-07 10:00' where session_id = 's2'"
    )
    # Nothing classified since T2, but Jan 7 was stale then (its run failed): still stale.
    pending = LastCheck(T2.isoformat(), earliest_stale=date(2026, 1, 7))
    conn.execute("update schools.int_schools__events_classified set classified_at = ?", [T2])
    assert find_stale_days(conn, pending).days == [date(2026, 1, 7)]
    store_usage(conn, start=datetime(2026, 1, 7))
    assert find_stale_days(conn, pending).days == []
