"""Tests of the schools dbt models (dbt_project/models/schools) on a temporary DuckDB file.

A hand-made raw stream (two files: multi-day sessions, a re-assignment, a rename, an abandoned
session, a log type that arrives in a later file, exact duplicates and one row per rejection
reason) is loaded into `raw_schools_events` the way the Python ingestion stores it; dbt builds
every model and runs the data tests, and the marts are compared with answers worked out by hand.
The dbt unit tests (YAML) run against the same warehouse.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from event_assets.core.ingest import RAW_COLUMNS
from event_assets_tests.conftest import run_dbt

S1 = "11111111-1111-4111-8111-111111111111"  # renamed "My Test Scole" -> "My Test School"
S2 = "22222222-2222-4222-8222-222222222222"  # "Other School"
S3 = "33333333-3333-4333-8333-333333333333"  # never named, nothing assigned
D1 = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"  # assigned to S2, re-assigned to S1
D2 = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"  # assigned to S2
D3 = "cccccccc-cccc-4ccc-8ccc-cccccccccccc"  # never assigned; its log type arrives in batch 2
D4 = "dddddddd-dddd-4ddd-8ddd-dddddddddddd"  # no sessions, assigned to a non-school
GHOST = "eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee"  # never gets a log type
TWO_TYPES = "ffffffff-ffff-4fff-8fff-ffffffffffff"  # School and Device
TABLET = "99999999-9999-4999-8999-999999999999"  # invalid log type


def _session(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


X1, X2, X3, X4, X5, X6, X7, X8, X9 = (_session(n) for n in range(1, 10))


def _event(type_: str, time: str, log_id: str, **payload: str) -> dict:
    return {"type": type_, "time": time, "logId": log_id, **payload}


@dataclass(frozen=True)
class Unparsed:
    """A line the ingestion could not parse: stored with record NULL."""

    raw_line: str
    load_error: str


# one entry per line: a JSON value (stored in `record`) or an unparsed line
BATCH_1: list[object] = [
    _event("SetLogType", "2020-01-15T08:00:00.000Z", S1, logType="School"),
    _event("SetName", "2020-01-15T08:01:00.000Z", S1, name="My Test Scole"),
    _event("SetLogType", "2020-01-15T08:02:00.000Z", S2, logType="School"),
    _event("SetName", "2020-01-15T08:03:00.000Z", S2, name="Other School"),
    _event("SetName", "2020-01-15T08:04:00.000Z", S1, name="My Test School"),
    _event("SetLogTypeEvent", "2020-01-15T08:05:00.000Z", D1, logType="Device"),
    _event("AssignToSchool", "2020-01-15T08:06:00.000Z", D1, schoolId=S2),
    _event("SetLogType", "2020-01-15T08:07:00Z", D2, logType="Device"),
    _event("AssignToSchoolEvent", "2020-01-15T08:08:00.000Z", D2, schoolId=S2),
    _event("StartSession", "2020-01-16T22:00:00.000Z", D1, sessionId=X1),  # 10
    _event("AssignToSchool", "2020-01-17T09:00:00.000Z", D1, schoolId=S1),
    _event("EndSession", "2020-01-18T01:30:00.000Z", D1, sessionId=X1),
    _event("StartSession", "2020-01-18T10:00:00.000+02:00", D1.upper(), sessionId=X2),
    _event("EndSession", "2020-01-18T08:45:30.000Z", D1, sessionId=X2),
    _event("StartSession", "2020-01-21T09:00:00.000Z", D1, sessionId=X3),  # 15
    _event("StartSession", "2020-01-19T12:00:00.000Z", D2, sessionId=X4),
    _event("EndSession", "2020-01-19T11:00:00.000Z", D2, sessionId=X4),
    _event("EndSession", "2020-01-19T12:10:00.000Z", D1, sessionId=X4),
    _event("EndSession", "2020-01-19T12:20:00.600Z", D2, sessionId=X4),
    _event("EndSession", "2020-01-19T12:30:00.000Z", D2, sessionId=X4),  # 20
    _event("StartSession", "2020-01-19T12:05:00.000Z", D2, sessionId=X4),
    _event("EndSession", "2020-01-19T13:00:00.000Z", D2, sessionId=X9),
    _event("StartSession", "2020-01-20T23:50:00.000Z", D3, sessionId=X5),
    _event("EndSession", "2020-01-21T00:10:00.000Z", D3, sessionId=X5),
    _event("SetLogType", "2020-01-15T08:09:00.000Z", D4, logType="Device"),  # 25
    _event("AssignToSchool", "2020-01-15T08:10:00.000Z", D4, schoolId=D3),
    _event("SetName", "2020-01-15T08:11:00.000Z", D1, name="Not a school"),
    _event("SetName", "2020-01-15T08:12:00.000Z", GHOST, name="Ghost"),
    _event("SetLogType", "2020-01-15T08:13:00.000Z", TWO_TYPES, logType="School"),
    _event("SetLogType", "2020-01-15T08:14:00.000Z", TWO_TYPES, logType="Device"),
    _event("SetName", "2020-01-15T08:15:00.000Z", S1),
    _event("Reboot", "2020-01-15T08:16:00.000Z", D1),
    _event("SetLogType", "2020-01-15T08:17:00.000Z", "not-a-uuid", logType="Device"),
    _event("StartSession", "yesterday", D1, sessionId=X7),
    _event("StartSession", "2019-06-01T00:00:00.000Z", D1, sessionId=X8),  # 35
    _event("SetLogType", "2020-01-15T08:18:00.000Z", TABLET, logType="Tablet"),
    [1, 2, 3],
    Unparsed('{"type": "SetName", ', "malformed_json"),
    Unparsed("caf\ufffd", "invalid_encoding"),
    _event("StartSession", "2020-03-01T00:00:00.000Z", D2, sessionId=X6),  # 40
]
BATCH_2: list[object] = [
    _event("SetLogType", "2020-01-15T08:20:00.000Z", D3, logType="Device"),
    BATCH_1[0],
    BATCH_1[13],
    _event("SetNameEvent", "2020-01-15T10:04:00.000+02:00", S1, name="My Test School"),
    _event("SetLogType", "2020-01-22T00:00:00.000Z", S3, logType="School"),
]
FILES = [
    ("batch1.jsonl", "hash1", datetime(2020, 1, 25), BATCH_1),
    ("batch2.jsonl", "hash2", datetime(2020, 1, 26), BATCH_2),
]


@dataclass
class Warehouse:
    """A temporary DuckDB warehouse and the dbt invocations that work on it."""

    path: Path
    tmp_dir: Path

    def dbt(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_dbt(self.tmp_dir, *args)

    def load(self, source_file: str, file_hash: str, ingested_at: datetime, lines: list) -> None:
        """Store a file's lines as the ingestion does: one raw row per line, in arrival order."""
        with duckdb.connect(str(self.path)) as connection:
            connection.execute("create schema if not exists schools")
            connection.execute(
                f"create table if not exists schools.raw_schools_events ({RAW_COLUMNS})"
            )
            (last_raw_id,) = connection.execute(
                "select coalesce(max(raw_id), 0) from schools.raw_schools_events"
            ).fetchone()
            rows = [
                (last_raw_id + number, source_file, file_hash, number, *_raw_columns(line),
                 ingested_at)
                for number, line in enumerate(lines, start=1)
            ]  # fmt: skip
            connection.executemany(
                "insert into schools.raw_schools_events values (?, ?, ?, ?, ?::json, ?, ?, ?)", rows
            )

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as connection:
            return connection.execute(sql).fetchall()


def _raw_columns(line: object) -> tuple[str | None, str | None, str | None]:
    """(record, raw_line, load_error) of a line."""
    if isinstance(line, Unparsed):
        return None, line.raw_line, line.load_error
    return json.dumps(line), None, None


def _assert_ok(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]


def _new_warehouse(tmp_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Warehouse:
    warehouse = Warehouse(path=tmp_dir / "warehouse.duckdb", tmp_dir=tmp_dir)
    monkeypatch.setenv("EVENT_ASSETS_DUCKDB_PATH", str(warehouse.path))
    return warehouse


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Warehouse, object]]:
    """The hand-made stream loaded and `dbt build --exclude test_type:unit` run once."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        warehouse = _new_warehouse(tmp_path_factory.mktemp("schools_dbt"), monkeypatch)
        for source_file, file_hash, ingested_at, lines in FILES:
            warehouse.load(source_file, file_hash, ingested_at, lines)
        _assert_ok(warehouse.dbt("parse"))
        build = warehouse.dbt(
            "build", "--select", "path:models/schools", "--exclude", "test_type:unit"
        )
        yield warehouse, build


def test_build_and_data_tests_pass(built: tuple[Warehouse, subprocess.CompletedProcess]) -> None:
    _, build = built
    _assert_ok(build)
    assert "ERROR=0" in build.stdout and "WARN=0" in build.stdout


def test_unit_tests_pass(built: tuple[Warehouse, subprocess.CompletedProcess]) -> None:
    # unit tests look up the columns of their input relations: they exist after the build
    warehouse, _ = built
    result = warehouse.dbt("test", "--select", "path:models/schools,test_type:unit")
    _assert_ok(result)
    passed = re.search(r"PASS=(\d+) WARN=0 ERROR=0", result.stdout)
    assert passed and int(passed.group(1)) >= 12, result.stdout[-3000:]


def test_every_raw_row_has_exactly_one_status(built: tuple[Warehouse, object]) -> None:
    warehouse, _ = built
    received = warehouse.query("select count(*) from schools.raw_schools_events")[0][0]
    classified = warehouse.query(
        "select count(*), count(distinct raw.source_file || '/' || raw.line_number) "
        "from schools.int_schools__events_classified "
        "join schools.raw_schools_events raw using (raw_id)"
    )[0]
    by_status = dict(
        warehouse.query(
            "select status, count(*) from schools.int_schools__events_classified group by 1"
        )
    )
    assert received == 45
    assert classified == (45, 45)
    assert by_status == {"valid": 22, "rejected": 20, "duplicate": 3}
    duplicates = warehouse.query(
        "select source_file, line_number from schools.int_schools__events_classified "
        "join schools.raw_schools_events using (raw_id) where status = 'duplicate' order by all"
    )
    assert duplicates == [("batch2.jsonl", 2), ("batch2.jsonl", 3), ("batch2.jsonl", 4)]
    assert warehouse.query("select count(*) from schools.int_schools__valid_events")[0][0] == 22


def test_sessions(built: tuple[Warehouse, object]) -> None:
    warehouse, _ = built
    rows = warehouse.query(
        "select session_id, device_id, started_at, ended_at, duration_minutes, school_id, "
        "school_name from schools.sessions order by started_at"
    )
    dt = datetime
    expected = [
        # multi-day, started before the re-assignment: the old school, with its current name
        (X1, D1, dt(2020, 1, 16, 22), dt(2020, 1, 18, 1, 30), 1650.0, S2, "Other School"),
        # started at 10:00+02:00, after the re-assignment; the school was renamed
        (X2, D1, dt(2020, 1, 18, 8), dt(2020, 1, 18, 8, 45, 30), 45.5, S1, "My Test School"),
        # second start, end before start, end on other device and second end are rejected
        (
            X4,
            D2,
            dt(2020, 1, 19, 12),
            dt(2020, 1, 19, 12, 20, 0, 600000),
            20.01,
            S2,
            "Other School",
        ),
        # spans midnight; its device's log type arrives in a later file; never assigned
        (X5, D3, dt(2020, 1, 20, 23, 50), dt(2020, 1, 21, 0, 10), 20.0, None, None),
        # abandoned
        (X3, D1, dt(2020, 1, 21, 9), None, None, S1, "My Test School"),
    ]
    assert [row[:4] + row[5:] for row in rows] == [row[:4] + row[5:] for row in expected]
    assert [row[4] for row in rows] == [pytest.approx(e[4]) if e[4] else None for e in expected]


def test_devices(built: tuple[Warehouse, object]) -> None:
    warehouse, _ = built
    rows = warehouse.query(
        "select device_id, school_id, first_session_started_at, session_count "
        "from schools.devices order by device_id"
    )
    assert rows == [
        (D1, S1, datetime(2020, 1, 16, 22), 3),
        (D2, S2, datetime(2020, 1, 19, 12), 1),
        (D3, None, datetime(2020, 1, 20, 23, 50), 1),
        (D4, None, None, 0),
    ]


def test_schools(built: tuple[Warehouse, object]) -> None:
    warehouse, _ = built
    rows = warehouse.query(
        "select school_id, name, device_count, median_session_length, mean_session_length, "
        "session_count, completed_session_count from schools.schools order by school_id"
    )
    assert rows == [
        (S1, "My Test School", 1, pytest.approx(45.5), pytest.approx(45.5), 2, 1),
        (S2, "Other School", 1, pytest.approx(835.005), pytest.approx(835.005), 2, 2),
        (S3, None, 0, None, None, 0, 0),
    ]


def test_schools_rejected_events(built: tuple[Warehouse, object]) -> None:
    warehouse, _ = built
    rows = warehouse.query(
        "select source_file, line_number, file_hash, reason, event_type, event_time, log_id, "
        "raw_record, ingested_at from schools.schools_rejected_events order by line_number"
    )
    expected_reasons = {
        17: "end_before_start",
        18: "end_on_other_device",
        20: "second_end",
        21: "duplicate_start",
        22: "end_without_start",
        26: "unknown_school",
        27: "wrong_log_type",
        28: "log_without_type",
        29: "conflicting_log_type",
        30: "conflicting_log_type",
        31: "missing_field",
        32: "unknown_type",
        33: "invalid_uuid",
        34: "unparseable_time",
        35: "time_out_of_range",
        36: "invalid_log_type",
        37: "malformed_json",
        38: "malformed_json",
        39: "invalid_encoding",
        40: "time_out_of_range",
    }
    assert {row[1]: row[3] for row in rows} == expected_reasons
    for source_file, line_number, file_hash, _, event_type, event_time, log_id, raw, at in rows:
        line = BATCH_1[line_number - 1]
        record, raw_line, _ = _raw_columns(line)
        assert (source_file, file_hash, at) == ("batch1.jsonl", "hash1", datetime(2020, 1, 25))
        assert raw == (record if record is not None else raw_line)
        fields = line if isinstance(line, dict) else {}
        assert event_type == fields.get("type")
        assert event_time == fields.get("time")
        assert log_id == (fields["logId"].lower() if "logId" in fields else None)


def _built_from_the_first_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Warehouse:
    """A warehouse of its own with the first file loaded and the models run."""
    warehouse = _new_warehouse(tmp_path, monkeypatch)
    warehouse.load(*FILES[0])
    _assert_ok(warehouse.dbt("run", "--select", "path:models/schools"))
    return warehouse


def test_validity_is_recomputed_when_a_log_type_arrives_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = _built_from_the_first_file(tmp_path, monkeypatch)
    reasons = warehouse.query(
        "select line_number, reason from schools.int_schools__events_classified "
        "join schools.raw_schools_events using (raw_id) "
        "join schools.stg_schools__events using (raw_id) "
        "where session_id = '" + X5 + "' order by line_number"
    )
    assert reasons == [(23, "log_without_type"), (24, "log_without_type")]
    assert warehouse.query(f"select count(*) from schools.sessions where session_id = '{X5}'") == [
        (0,)
    ]

    warehouse.load(*FILES[1])
    _assert_ok(warehouse.dbt("run", "--select", "path:models/schools"))
    assert warehouse.query(
        f"select device_id, duration_minutes from schools.sessions where session_id = '{X5}'"
    ) == [(D3, pytest.approx(20.0))]


def test_event_key_uniqueness_is_checked_for_the_keys_the_last_build_classified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = _built_from_the_first_file(tmp_path, monkeypatch)
    select = ("--select", "int_schools__events_classified,test_name:unique_in_last_build")
    _assert_ok(warehouse.dbt("test", *select))

    def execute(sql: str) -> None:
        with duckdb.connect(str(warehouse.path)) as connection:
            connection.execute(sql)

    # the build so far becomes an earlier one; the last build wrote a second valid row with
    # the key of an earlier valid row: caught, by counting the key over the whole table
    execute(
        "update schools.int_schools__events_classified "
        "set classified_at = classified_at - interval 1 day"
    )
    execute(
        """insert into schools.int_schools__events_classified
           select * replace (raw_id + 1000000 as raw_id, classified_at + interval 1 day
                             as classified_at)
           from schools.int_schools__events_classified
           where status = 'valid' order by raw_id limit 1"""
    )
    failed = warehouse.dbt("test", *select)
    assert failed.returncode == 1 and "FAIL 1 unique_in_last_build" in failed.stdout
    # a duplicate of which the last build wrote neither row was an earlier build's failure:
    # not reported again (the scope that keeps the test's cost off the history)
    execute(
        "update schools.int_schools__events_classified "
        "set classified_at = classified_at - interval 1 day where raw_id > 1000000"
    )
    execute(  # the last build: a valid row with a new key
        "insert into schools.int_schools__events_classified "
        "select * replace (raw_id + 2000000 as raw_id, event_key + 1 as event_key, "
        "classified_at + interval 2 day as classified_at) "
        "from schools.int_schools__events_classified where raw_id > 1000000"
    )
    _assert_ok(warehouse.dbt("test", *select))
