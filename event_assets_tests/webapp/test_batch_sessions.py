"""The webapp batch part end to end: the real Definitions on the generator's committed-size
sample (web events of 5 days, playback files), headless, against the generator's truth.

Asserted: every raw row reconciles (and every check passes), every bad record is in
`webapp_rejected_events` with its kind (the processor's late and closed-stream heartbeats
too), the sessions equal the truth's (times, durations, counts, first app version: the gap
rules at 29:59.999, 30:00.000 and 30:00.001, offsets, late and duplicate lines across files),
the daily activity and the insights equal what the truth's sessions give by the issue's
rules. Then the sample is delivered a day at a time (the incremental path) and must give the
same tables.
"""

import shutil

import dagster as dg
import duckdb
import pandas as pd
import pytest

from event_assets.core.runner import run_domain
from event_assets.generate import webapp

SESSION_COLUMNS = ["user_id", "device_id", "started_at", "ended_at", "duration_seconds",
                   "event_count", "app_version"]  # fmt: skip


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> webapp.WebappSample:
    return webapp.generate_webapp_sample(tmp_path_factory.mktemp("sample"), 2_000)


def run(defs, instance, tmp_path):
    outcome = run_domain(defs, "webapp", instance, tmp_path / "run.log", echo=lambda _: None)
    assert outcome.runs and not outcome.failed_runs, outcome.runs
    assert [check for check in outcome.checks if not check.passed] == []
    return outcome


def table_of(settings, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as conn:
        return conn.execute(sql).df()


def rows(settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def expected_daily(sessions: pd.DataFrame) -> pd.DataFrame:
    days = sessions.assign(date=sessions["started_at"].dt.date)
    return (
        days.groupby("date")
        .agg(
            events=("event_count", "sum"),
            users=("user_id", "nunique"),
            sessions=("user_id", "size"),
        )  # fmt: skip
        .reset_index()
    )


def assert_batch_tables(settings, sample) -> None:
    stored = table_of(
        settings,
        f"select {', '.join(SESSION_COLUMNS)} from webapp.webapp_sessions order by all",
    )
    expected = sample.sessions[SESSION_COLUMNS].sort_values(SESSION_COLUMNS, ignore_index=True)
    stored["started_at"] = stored["started_at"].astype("datetime64[ms]")
    stored["ended_at"] = stored["ended_at"].astype("datetime64[ms]")
    pd.testing.assert_frame_equal(stored, expected, check_dtype=False)

    daily = rows(settings, "select * from webapp.webapp_daily_activity order by date")
    want = expected_daily(expected)
    assert daily == [(row.date, row.events, row.users, row.sessions) for row in want.itertuples()]
    busiest = want.sort_values(["events", "date"], ascending=[False, True]).iloc[0]
    assert rows(settings, "select * from webapp.webapp_insights") == [
        (
            busiest["date"],
            busiest["events"],
            expected["event_count"].max(),
            round(expected["duration_seconds"].mean(), 6),
        )
    ]


def test_sessions_daily_activity_and_insights_of_the_sample(settings, defs, sample, tmp_path):
    landing = settings.landing_dir("webapp")
    for path in sample.files:
        (landing / path.parent.name).mkdir(exist_ok=True)
        shutil.copy2(path, landing / path.parent.name / path.name)
    with dg.DagsterInstance.ephemeral() as instance:
        run(defs, instance, tmp_path)
    assert_batch_tables(settings, sample)
    assert_quarantine(settings, sample)
    assert_streams(settings, sample)


STREAM_COLUMNS = ["user_id", "program_id", "start_time", "session_id", "device",
                  "stream_duration_seconds", "event_count"]  # fmt: skip


def assert_streams(settings, sample) -> None:
    """The processor's streams, open streams and judged heartbeats equal the truth's."""
    for table, expected in [
        ("playback_streams", sample.streams),
        ("playback_open_streams", sample.open_streams),
    ]:
        stored = table_of(
            settings,
            f"select {', '.join(STREAM_COLUMNS[:5])}, "
            + (
                "stream_duration_seconds"
                if table == "playback_streams"
                else "round((epoch_us(last_event_at) - epoch_us(start_time)) / 1e6, 6)"
            )
            + f" as stream_duration_seconds, event_count from webapp.{table}",
        )
        stored["start_time"] = stored["start_time"].astype("datetime64[ms]")
        pd.testing.assert_frame_equal(
            stored.sort_values(["session_id", "program_id"], ignore_index=True),
            expected[STREAM_COLUMNS].sort_values(["session_id", "program_id"], ignore_index=True),
            check_dtype=False,
        )
    judged = rows(
        settings,
        """select reason, count(*) from webapp.int_webapp__playback_rejected_heartbeats
           group by 1 order by 1""",
    )
    assert judged == sorted(
        (kind, n) for kind, n in sample.bad_heartbeats.items() if kind in webapp.JUDGED_KINDS and n
    )


def assert_quarantine(settings, sample) -> None:
    """Every bad line in the quarantine with its generator kind, the heartbeats the processor
    refused (late_event, stream_closed) too; the repeated lines counted."""
    rejected = rows(
        settings,
        """select split_part(source_file, '/', 1), reason, count(*)
           from webapp.webapp_rejected_events group by all order by all""",
    )
    assert set(webapp.JUDGED_KINDS) <= set(sample.bad_heartbeats)
    assert rejected == sorted(
        [("events", kind, n) for kind, n in sample.bad_events.items() if n]
        + [("playback", kind, n) for kind, n in sample.bad_heartbeats.items() if n]
    )
    assert rows(
        settings,
        "select count(*) from webapp.int_webapp__events_classified where status = 'duplicate'",
    ) == [(sample.duplicates,)]


def test_a_day_at_a_time_gives_the_same_tables(settings, defs, sample, tmp_path):
    """The incremental path: the event files in three deliveries (a day's late lines come in
    the next day's file, so a delivery reopens the sessions of the day before)."""
    events = settings.landing_dir("webapp") / "events"
    events.mkdir(parents=True)
    (events.parent / "playback").mkdir()  # a source without files yet
    deliveries = [sample.event_files[:2], sample.event_files[2:3], sample.event_files[3:]]
    with dg.DagsterInstance.ephemeral() as instance:
        for files in deliveries:
            for path in files:
                shutil.copy2(path, events / path.name)
            run(defs, instance, tmp_path)
    assert_batch_tables(settings, sample)
