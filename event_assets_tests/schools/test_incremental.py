"""Incremental dbt runs give exactly what a full refresh gives.

The generated stream is delivered in several batches (its files carry late events, session ends
days later, log types arriving after their events, duplicates and every bad kind); after each
batch the incremental models are built. The end state must equal a `--full-refresh` build.
"""

import json
from datetime import timedelta
from pathlib import Path

import duckdb

from event_assets.core.ingest import ingest_files
from event_assets.core.landing import list_landed_files
from event_assets.generate.schools import generate_schools
from event_assets_tests.conftest import run_dbt

SNAPSHOTS = {
    "classified": "select raw_id, status, reason from schools.int_schools__events_classified",
    "sessions": "select * from schools.sessions",
    "devices": "select * from schools.devices",
    "schools": "select * from schools.schools",
    "rejected": "select * exclude (ingested_at) from schools.schools_rejected_events",
}


def dbt_build(tmp_path: Path, *extra: str) -> None:
    build = ("build", "--select", "path:models/schools", "--exclude", "test_type:unit")
    result = run_dbt(tmp_path, *build, *extra)
    assert result.returncode == 0, result.stdout[-4000:]


def snapshot(database: Path) -> dict[str, list[tuple]]:
    """Each table's rows, sorted; floats rounded (sums may add up in another order)."""

    def rounded(row: tuple) -> tuple:
        return tuple(round(value, 9) if isinstance(value, float) else value for value in row)

    with duckdb.connect(str(database), read_only=True) as conn:
        return {
            name: sorted((rounded(row) for row in conn.execute(sql).fetchall()), key=repr)
            for name, sql in SNAPSHOTS.items()
        }


def test_incremental_builds_equal_a_full_refresh(tmp_path, monkeypatch):
    database = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("EVENT_ASSETS_DUCKDB_PATH", str(database))
    landing = tmp_path / "landing"
    generate_schools(landing, events=6_000, seed=3, days=6)
    files = list_landed_files(landing)
    batches = [files[:2], files[2:3], files[3:]]
    for batch in batches:
        with duckdb.connect(str(database)) as conn:
            ingest_files(conn, "schools.raw_schools_events", batch)
        dbt_build(tmp_path)
    changes = write_changes_to_history(database, tmp_path / "late")
    with duckdb.connect(str(database)) as conn:
        ingest_files(conn, "schools.raw_schools_events", list_landed_files(tmp_path / "late"))
    dbt_build(tmp_path)
    incremental = snapshot(database)
    assert len(incremental["classified"]) == 6_000 + 3
    sessions = {row[0]: row for row in incremental["sessions"]}
    assert not any(row[1] == changes["invalidated_device"] for row in sessions.values())
    assert sessions[changes["reassigned_session"]][5] == changes["new_school"]
    assert sessions[changes["reassigned_session"]][6] == "Renamed Late"

    dbt_build(tmp_path, "--full-refresh")
    assert snapshot(database) == incremental


def write_changes_to_history(database: Path, landing: Path) -> dict[str, str]:
    """A late file that changes stored sessions: one device gets a second, conflicting log type
    (its sessions stop counting), another is assigned to another school before its first
    session (every session of it moves), and that school is renamed."""
    with duckdb.connect(str(database), read_only=True) as conn:
        devices = conn.execute(
            """select device_id, min(started_at), min(session_id) from schools.sessions
               group by device_id order by device_id limit 2"""
        ).fetchall()
        (new_school,) = conn.execute(
            "select school_id from schools.schools where school_id not in "
            "(select school_id from schools.sessions "
            "where device_id = ? and school_id is not null) "
            "order by school_id limit 1",
            [devices[1][0]],
        ).fetchone()
    (invalidated, _, _), (moved, first_start, moved_session) = devices

    def at(instant) -> str:
        return instant.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    events = [
        {"type": "SetLogType", "time": at(first_start), "logId": invalidated, "logType": "School"},
        {
            "type": "AssignToSchool",
            "time": at(first_start.replace(microsecond=0) - timedelta(seconds=1)),
            "logId": moved,
            "schoolId": new_school,
        },
        {"type": "SetName", "time": at(first_start), "logId": new_school, "name": "Renamed Late"},
    ]
    landing.mkdir()
    (landing / "late.jsonl").write_text("".join(json.dumps(event) + "\n" for event in events))
    return {
        "invalidated_device": invalidated,
        "reassigned_session": moved_session,
        "new_school": new_school,
    }
