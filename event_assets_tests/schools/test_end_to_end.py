"""End to end: the real Definitions, run as the headless CLI runs them, on a hand-made stream.

The stream (worked out by hand):
- school A is created as "My Test Scole" and renamed "My Test School"; school B is "Other";
- device D1 is assigned to B, has session S0 (Jan 5 08:30-09:00, 30 min, school B), is re-assigned
  to A, starts S1 (Jan 5 10:00, never ended: abandoned) and S2 (Jan 5 22:00, ended in a *later*
  file on Jan 8 02:00: crosses three midnights; 120 + 1440 + 1440 + 120 = 3120 min, school A);
- device D2 is never assigned: S3 Jan 6 09:00-09:30 (30 min, no school);
- device D3's sessions (S4 Jan 6 12:00-13:00) arrive before its log type, which only comes in the
  second file: rejected first (`log_without_type`), valid after;
- one malformed line; the second file repeats S3's end (an exact duplicate).
"""

import gzip
import json
import os
import shutil
from datetime import date

import dagster as dg
import duckdb
import pytest

from event_assets.core.runner import run_domain
from event_assets_tests.conftest import write_events

A = "aaaaaaaa-0000-4000-8000-000000000001"
B = "bbbbbbbb-0000-4000-8000-000000000002"
D1 = "d1d1d1d1-0000-4000-8000-000000000001"
D2 = "d2d2d2d2-0000-4000-8000-000000000002"
D3 = "d3d3d3d3-0000-4000-8000-000000000003"
S = [f"5e55105e-0000-4000-8000-00000000000{i}" for i in range(5)]


def ev(type_: str, time: str, log_id: str, **payload) -> dict:
    return {"type": type_, "time": f"2026-01-{time}Z", "logId": log_id, **payload}


S3_END = ev("EndSession", "06T09:30:00.000", D2, sessionId=S[3])

FIRST_FILE = [
    ev("SetLogType", "05T07:00:00.000", A, logType="School"),
    ev("SetName", "05T07:00:01.000", A, name="My Test Scole"),
    ev("SetLogTypeEvent", "05T07:00:02.000", B, logType="School"),
    ev("SetNameEvent", "05T07:00:03.000", B, name="Other"),
    ev("SetName", "05T07:00:04.000", A, name="My Test School"),
    ev("SetLogType", "05T07:00:05.000", D1, logType="Device"),
    ev("AssignToSchool", "05T08:00:00.000", D1, schoolId=B),
    ev("StartSession", "05T08:30:00.000", D1, sessionId=S[0]),
    ev("EndSession", "05T09:00:00", D1, sessionId=S[0]),
    ev("AssignToSchoolEvent", "05T09:30:00.000", D1, schoolId=A),
    ev("StartSession", "05T10:00:00.000", D1, sessionId=S[1]),
    ev("StartSessionEvent", "05T22:00:00.000", D1, sessionId=S[2]),
    ev("SetLogType", "05T07:00:06.000", D2, logType="Device"),
    ev("StartSession", "06T09:00:00.000", D2, sessionId=S[3]),
    S3_END,
    ev("StartSession", "06T12:00:00.000", D3, sessionId=S[4]),
    ev("EndSession", "06T13:00:00.000", D3, sessionId=S[4]),
    '{"type": "StartSession", "time": "2026-01-06T1',
]
SECOND_FILE = [
    ev("EndSessionEvent", "08T02:00:00.000", D1, sessionId=S[2]),
    ev("SetLogType", "05T07:00:07.000", D3, logType="Device"),
    S3_END,
]


def query(settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def latest_metadata(instance, table: str) -> dict:
    event = instance.get_latest_materialization_event(dg.AssetKey(["schools", table]))
    return event.asset_materialization.metadata


@pytest.fixture
def instance():
    with dg.DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


def run(defs, instance, tmp_path):
    outcome = run_domain(defs, "schools", instance, tmp_path / "run.log", echo=lambda _: None)
    assert not outcome.failed_runs, outcome.runs
    return outcome


def test_two_deliveries_then_a_redelivery(settings, defs, instance, tmp_path):
    landing = settings.landing_dir("schools")
    write_events(landing / "day-1.jsonl", FIRST_FILE)

    first = run(defs, instance, tmp_path)
    assert first.ingestion["records_loaded"] == 18
    assert first.stale_ranges == [(date(2026, 1, 5), date(2026, 1, 6))]
    assert query(settings, "select count(*) from schools.sessions where ended_at is null") == [(2,)]
    assert query(
        settings,
        "select reason, count(*) from schools.schools_rejected_events group by 1 order by 1",
    ) == [("log_without_type", 2), ("malformed_json", 1)]

    write_events(landing / "day-2.jsonl", SECOND_FILE)
    second = run(defs, instance, tmp_path)
    # S2's end re-opens Jan 5 and adds Jan 6-8; D3's log type makes S4 (Jan 6) count.
    assert second.stale_ranges == [(date(2026, 1, 5), date(2026, 1, 8))]
    assert all(check.passed for check in second.checks), [c for c in second.checks if not c.passed]

    assert query(
        settings,
        """select session_id, device_id, ended_at is null, duration_minutes, school_id,
                  school_name from schools.sessions order by session_id""",
    ) == [
        (S[0], D1, False, 30.0, B, "Other"),
        (S[1], D1, True, None, A, "My Test School"),
        (S[2], D1, False, 3120.0, A, "My Test School"),
        (S[3], D2, False, 30.0, None, None),
        (S[4], D3, False, 60.0, None, None),
    ]
    assert query(
        settings,
        """select school_id, name, device_count, median_session_length, mean_session_length
           from schools.schools order by school_id""",
    ) == [(A, "My Test School", 1, 3120.0, 3120.0), (B, "Other", 0, 30.0, 30.0)]
    assert query(
        settings, "select device_id, school_id from schools.devices order by device_id"
    ) == [
        (D1, A),
        (D2, None),
        (D3, None),
    ]
    assert query(
        settings,
        """select device_id, day(date), usage_minutes, round(avg_usage_minutes_7d, 6)
           from schools.usage_history order by device_id, date""",
    ) == [
        (D1, 5, 150.0, 150.0),
        (D1, 6, 1440.0, 795.0),
        (D1, 7, 1440.0, 1010.0),
        (D1, 8, 120.0, 787.5),
        (D2, 6, 30.0, 30.0),
        (D2, 7, 0.0, 15.0),
        (D2, 8, 0.0, 10.0),
        (D3, 6, 60.0, 60.0),
        (D3, 7, 0.0, 30.0),
        (D3, 8, 0.0, 20.0),
    ]
    assert query(
        settings,
        "select status, count(*) from schools.int_schools__events_classified group by 1 order by 1",
    ) == [("duplicate", 1), ("rejected", 1), ("valid", 19)]

    # The Python assets report their table as dbt's do: name, columns, rows (after the write).
    for table in ("raw_schools_events", "schools_device_daily_usage", "usage_history"):
        metadata = latest_metadata(instance, table)
        assert metadata["dagster/table_name"].value == f"schools.{table}"
        columns = [column.name for column in metadata["dagster/column_schema"].value.columns]
        assert columns == [row[0] for row in query(settings, f"describe schools.{table}")]
        (rows,) = query(settings, f"select count(*) from schools.{table}")
        assert metadata["dagster/row_count"].value == rows[0]
    assert latest_metadata(instance, "usage_history")["dagster/row_count"].value == 10
    # The stats show the plotted numbers (usage hours per day, worked out above) in place.
    plotted = latest_metadata(instance, "schools_stats")["daily_usage_last_31"].value
    assert [(record.data["date"], record.data["usage_hours"]) for record in plotted.records] == [
        ("2026-01-05", 2.5),
        ("2026-01-06", 25.5),
        ("2026-01-07", 24),
        ("2026-01-08", 2),
    ]

    # The same content again under another name adds nothing and re-materializes no day.
    shutil.copy(landing / "day-2.jsonl", landing / "day-2-again.jsonl")
    third = run(defs, instance, tmp_path)
    assert third.ingestion["records_loaded"] == 0
    assert third.ingestion["files_redelivered"] == 1
    assert third.stale_ranges == []
    assert query(settings, "select count(*) from schools.raw_schools_events") == [(21,)]

    # Nothing new since: the next run starts no run at all, so neither dbt nor a check.
    fourth = run(defs, instance, tmp_path)
    assert fourth.idle.startswith("nothing new")
    assert fourth.runs == [] and fourth.checks == []


def test_a_file_that_grew_in_place_and_its_gzip_count_no_reject_twice(
    settings, defs, instance, tmp_path
):
    """The first run catches a file half-written (its writer paused past the settle time); by
    the second it is whole, and a gzip of it has landed too. Every line is received once (the
    half-written one twice: as it arrived, then whole), so every reject is counted once."""
    malformed = FIRST_FILE[-1]
    lines = [*FIRST_FILE[:2], malformed, *FIRST_FILE[2:-1]]  # 18 lines, one malformed
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    day = settings.landing_dir("schools") / "day-1.jsonl"
    day.write_text(text[: text.index(S[4])])  # D3's sessions not written yet, the line cut
    os.utime(day, (0, 1_000_000))
    first = run(defs, instance, tmp_path)
    assert first.ingestion["records_loaded"] == 17
    assert query(
        settings,
        "select reason, count(*) from schools.schools_rejected_events group by 1 order by 1",
    ) == [("malformed_json", 2)]  # the real one and the cut one

    day.write_text(text)
    os.utime(day, (0, 1_000_001))
    day.with_name("day-1.jsonl.gz").write_bytes(gzip.compress(text.encode()))
    second = run(defs, instance, tmp_path)
    assert second.ingestion["records_loaded"] == 2  # line 17 (whole now) and 18
    assert second.ingestion["files_redelivered"] == 1  # the gzip
    assert all(check.passed for check in second.checks), [c for c in second.checks if not c.passed]
    assert query(
        settings,
        "select reason, count(*) from schools.schools_rejected_events group by 1 order by 1",
    ) == [("log_without_type", 2), ("malformed_json", 2)]
    assert query(
        settings,
        "select status, count(*) from schools.int_schools__events_classified group by 1 order by 1",
    ) == [("rejected", 4), ("valid", 15)]


def test_materializing_a_day_twice_gives_the_same_table(settings, defs, instance, tmp_path):
    write_events(settings.landing_dir("schools") / "day-1.jsonl", FIRST_FILE + SECOND_FILE)
    run(defs, instance, tmp_path)
    before = query(settings, "select * from schools.schools_device_daily_usage order by all")
    from event_assets.core.partitions import range_tags

    job = defs.resolve_job_def("schools_days")
    result = job.execute_in_process(
        instance=instance, tags=range_tags(date(2026, 1, 6), date(2026, 1, 7))
    )
    assert result.success
    assert (
        query(settings, "select * from schools.schools_device_daily_usage order by all") == before
    )


def test_a_warehouse_of_the_earlier_layout_moves_without_losing_a_raw_row(
    settings, defs, instance, tmp_path
):
    write_events(settings.landing_dir("schools") / "day-1.jsonl", FIRST_FILE)
    run(defs, instance, tmp_path)
    sessions = "select * from schools.sessions order by session_id"
    before = query(settings, sessions)
    # The earlier layout: everything in `main`, the ledger naming the raw table bare.
    with duckdb.connect(str(settings.duckdb_path)) as conn:
        conn.execute("create table main.raw_schools_events as from schools.raw_schools_events")
        conn.execute("create table main.sessions as from schools.sessions")
        conn.execute("update main.ingestion_ledger set raw_table = 'raw_schools_events'")
        conn.execute("drop schema schools cascade")

    moved = run(defs, instance, tmp_path)
    assert moved.ingestion["records_loaded"] == 0  # the file is known: nothing loaded twice
    assert query(settings, "select count(*) from schools.raw_schools_events") == [(18,)]
    assert query(settings, sessions) == before
    in_main = "select table_name from information_schema.tables where table_schema = 'main'"
    assert query(settings, in_main) == [("ingestion_ledger",)]


def test_materializing_one_model_runs_only_its_own_tests_as_checks(settings, defs, instance):
    """`devices` alone (as from the UI): the relationships test of `sessions` that refers to it
    is not run, so nothing is logged as an observation instead of a check."""
    write_events(settings.landing_dir("schools") / "day-1.jsonl", FIRST_FILE)
    ingest = defs.resolve_job_def("schools_ingest")
    assert ingest.execute_in_process(instance=instance).success
    devices = dg.AssetKey(["schools", "devices"])
    result = ingest.execute_in_process(instance=instance, asset_selection=[devices])
    assert result.success
    assert result.get_asset_observation_events() == []
    checked = {evaluation.asset_key for evaluation in result.get_asset_check_evaluations()}
    assert checked == {devices}
