"""The benchmark (`benchmarks/schools.py`) and its references (pandas, DuckDB floor).

- A smoke run of the whole benchmark at a tiny size, in temporary folders: it exits 0, prints the
  table, writes the JSON, and ours, the pandas reference and the DuckDB floor give the same four
  contract tables on that generated data set (the benchmark compares them).
- The two references on a hand-made stream (the spec's example plus one case of every rule),
  checked against values worked out by hand and against each other.
"""

from datetime import date, datetime
from pathlib import Path

import pytest

from event_assets_tests.benchmark_runs import BENCH_DIR, run_benchmark
from event_assets_tests.conftest import write_events


def test_benchmark_smoke_run(tmp_path: Path) -> None:
    done, results = run_benchmark(
        tmp_path,
        "schools.py",
        "--events",
        "20000",
        "--incremental-events",
        "2000",
        "--history-small",
        "20000",  # the same history: the smaller-history runs repeat the same code, left out
        "--days",
        "5",
        timeout=900,
    )
    for row in ("| ours, full", "| pandas reference |", "| DuckDB floor |", "events of history"):
        assert row in done.stdout
    assert all(run["status"] == "ok" for run in results["runs"].values())
    pairs = {(d["left"], d["right"]) for d in results["equivalence"]}
    assert pairs == {("ours", "pandas"), ("ours", "floor")}
    assert len(results["equivalence"]) == 8
    assert all(d["equal"] for d in results["equivalence"]), results["equivalence"]
    assert not list((tmp_path / "work").iterdir())  # temporary folders removed


# --- the references on a hand-made stream ---------------------------------------------------

A = "aaaaaaaa-0000-4000-8000-00000000000a"
B = "bbbbbbbb-0000-4000-8000-00000000000b"
D = "dddddddd-0000-4000-8000-000000000001"
D2 = "dddddddd-0000-4000-8000-000000000002"
D3 = "dddddddd-0000-4000-8000-000000000003"
X = "eeeeeeee-0000-4000-8000-00000000000e"
S = [f"5e55105e-0000-4000-8000-00000000000{i}" for i in range(8)]


def ev(type_: str, time: str, log_id: str, **payload) -> dict:
    return {"type": type_, "time": time, "logId": log_id, **payload}


def day5(clock: str) -> str:
    return f"2026-01-05T{clock}Z"


FIRST_FILE = [
    # The spec's example: A renamed, D assigned to B then to A, one abandoned and one complete
    # session (both at A, named "My Test School").
    ev("SetLogType", day5("07:00:00.000"), A, logType="School"),
    ev("SetName", day5("07:00:01"), A, name="My Test Scole"),
    ev("SetLogTypeEvent", day5("07:00:02.000"), B, logType="School"),
    ev("SetNameEvent", day5("07:00:03.000"), B, name="Other"),
    ev("SetName", day5("07:00:04.000"), A, name="My Test School"),
    ev("SetName", day5("07:00:05.000"), A, name="   "),  # blank: missing, rejected
    ev("SetLogType", day5("07:00:05.000"), D, logType="Device"),
    ev("AssignToSchool", day5("08:00:00.000"), D, schoolId=B),
    ev("AssignToSchoolEvent", day5("09:00:00.000"), D, schoolId=A.upper()),
    ev("StartSession", day5("10:00:00.000"), D, sessionId=S[1]),  # abandoned
    ev("StartSession", "2026-01-05T13:00:00+02:00", D, sessionId=S[2]),  # 11:00 UTC
    ev("EndSession", day5("11:30:00.000"), D.upper(), sessionId=S[2]),  # 30 minutes
    ev("EndSession", day5("11:30:00"), D, sessionId=S[2].upper()),  # exact duplicate
    ev("EndSession", day5("12:00:00.000"), D, sessionId=S[2]),  # second end
    ev("StartSession", day5("11:10:00.000"), D, sessionId=S[2]),  # later start: rejected
    # D2: never assigned; a session over three days, an end of it on another device before.
    ev("SetLogType", day5("07:00:06.000"), D2, logType="Device"),
    ev("StartSession", day5("22:00:00.000"), D2, sessionId=S[3]),
    ev("EndSession", "2026-01-06T01:00:00.000Z", D, sessionId=S[3]),  # on another device
    # D: an end before its start leaves the session abandoned.
    ev("StartSession", "2026-01-06T09:00:00.000Z", D, sessionId=S[4]),
    ev("EndSession", "2026-01-06T08:00:00.000Z", D, sessionId=S[4]),
    # X has two log types: everything on it is rejected.
    ev("SetLogType", day5("07:00:07.000"), X, logType="School"),
    ev("SetLogType", day5("07:00:08.000"), X, logType="Device"),
    ev("StartSession", day5("10:00:00.000"), X, sessionId=S[5]),
    ev("EndSession", day5("10:10:00.000"), X, sessionId=S[5]),
    # Rejected one way or another.
    ev("StartSession", "2019-12-31T10:00:00.000Z", D, sessionId=S[6]),  # out of range
    ev("SetName", day5("07:30:00.000"), D, name="Not a school"),  # wrong log type
    ev("AssignToSchool", day5("09:30:00.000"), D, schoolId=D2),  # not a School log
    ev("StartSession", day5("10:00:00.000"), "not-a-uuid", sessionId=S[6]),
    '{"type": "StartSession", "time": "2026-01-05T1',
    # D3's session arrives before its log type (second file).
    ev("StartSession", "2026-01-06T12:00:00.000Z", D3, sessionId=S[7]),
    ev("EndSession", "2026-01-06T13:00:00.000Z", D3, sessionId=S[7]),
]
SECOND_FILE = [
    ev("EndSession", "2026-01-07T02:00:00.000Z", D2, sessionId=S[3]),  # 28 hours
    ev("SetLogType", day5("07:00:09.000"), D3, logType="Device"),
    ev("EndSession", day5("11:30:00.000"), D, sessionId=S[2]),  # re-delivered: duplicate
]


@pytest.fixture
def references(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict]:
    """The four tables from both references, as lists of row dicts sorted by key."""
    monkeypatch.syspath_prepend(str(BENCH_DIR))
    import compare
    import pandas_reference
    from schools import DOMAIN

    landing = tmp_path / "landing" / "schools"
    write_events(landing / "schools-2026-01-05.jsonl", FIRST_FILE)
    write_events(landing / "schools-2026-01-07.jsonl", SECOND_FILE)
    pandas_tables = pandas_reference.build_tables(landing)
    floor_db = tmp_path / "floor.duckdb"
    compare.run_floor(DOMAIN.floor_sql, DOMAIN.floor_variables(landing), floor_db)
    con, prefixes = compare.open_sources(None, floor_db, pandas_tables)
    with con:
        diffs = compare.compare_sources(con, prefixes, DOMAIN.tables, base="floor")
        assert all(diff.equal for diff in diffs), compare.format_report(diffs)
        tables = {}
        for table, spec in DOMAIN.tables.items():
            relation = compare.canonical_sql(f"floor.main.{table}", spec)
            cursor = con.execute(f"{relation} ORDER BY {', '.join(spec.keys)}")
            names = [column[0] for column in cursor.description]
            tables[table] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return tables


def test_references_agree_with_hand_worked_values(references: dict[str, list[dict]]) -> None:
    schools = {row["school_id"]: row for row in references["schools"]}
    assert set(schools) == {A, B}
    assert (schools[A]["name"], schools[A]["device_count"]) == ("My Test School", 1)
    assert (schools[A]["session_count"], schools[A]["completed_session_count"]) == (3, 1)
    assert schools[A]["median_session_length"] == pytest.approx(30.0)
    assert (schools[B]["name"], schools[B]["device_count"], schools[B]["session_count"]) == (
        "Other",
        0,
        0,
    )

    sessions = {row["session_id"]: row for row in references["sessions"]}
    assert set(sessions) == {S[1], S[2], S[3], S[4], S[7]}
    assert sessions[S[1]]["ended_at"] is None
    assert sessions[S[1]]["school_name"] == sessions[S[2]]["school_name"] == "My Test School"
    assert sessions[S[2]]["started_at"] == datetime(2026, 1, 5, 11, 0)
    assert sessions[S[2]]["duration_minutes"] == pytest.approx(30.0)
    assert sessions[S[3]]["duration_minutes"] == pytest.approx(28 * 60)
    assert sessions[S[3]]["school_id"] is None
    assert sessions[S[4]]["ended_at"] is None

    devices = {row["device_id"]: row for row in references["devices"]}
    assert set(devices) == {D, D2, D3}
    assert (devices[D]["school_id"], devices[D]["session_count"]) == (A, 3)

    usage = {(r["device_id"], r["date"]): r for r in references["usage_history"]}
    assert len(usage) == 8  # D and D2 Jan 5-7, D3 Jan 6-7 (as-of day: Jan 7)
    assert [usage[(D2, date(2026, 1, d))]["usage_minutes"] for d in (5, 6, 7)] == pytest.approx(
        [120.0, 1440.0, 120.0]
    )
    assert [usage[(D, date(2026, 1, d))]["avg_usage_minutes_7d"] for d in (5, 6, 7)] == (
        pytest.approx([30.0, 15.0, 10.0])
    )
