"""Issue 15 item 4 through the real run: a heartbeat on time but of a stream already written is
in `webapp_rejected_events` as `stream_closed`, one older than the watermark as `late_event`,
each exactly once, next to dbt's syntax rejects, in the same run that processed their file (the
run builds the quarantine after the processor), and still once after a later run; the
reconciliation of raw_webapp_playback counts them as rejected.

Hand-worked (T = 2024-05-01 20:00:00 UTC, timeout 60 s, lateness 0 s; W = the watermark before
a file = the newest valid event time of the files before it):
- file 1: a@T+0, a@T+4, b@T+10. No watermark yet: all accepted; newest T+10.
- file 2: b@T+70. W = T+10, on time; newest T+70. a closes: T+70 > T+4 + 60 (2 heartbeats,
  4 s); b (last T+70) stays open.
- file 3: line 1 a@T+72: on time (W = T+70) but a is written: stream_closed (it moves the
  newest to T+72); line 2 c@T+69: older than W = T+70: late_event; line 3 b@T+74: accepted;
  line 4 malformed: dbt's malformed_json. Newest T+74; b (last T+74) open.
- second run, file 4: line 1 e@T+200: W = T+74, on time; newest T+200 (line 2 makes it
  T+201), b closes: T+201 > T+74 + 60 (3 heartbeats, 74 s from its start T); line 2 a@T+201:
  stream_closed; line 3 d@T+73: older than W = T+74: late_event.
"""

import json
import os
from datetime import datetime, timedelta

import dagster as dg
import duckdb
from dagster._core.definitions.dependency import NodeHandle

from event_assets.core.runner import run_domain

T = datetime(2024, 5, 1, 20, 0)


def beat(stream: str, seconds: int) -> str:
    return json.dumps(
        {
            "user_id": f"u-{stream}",
            "program_id": f"p-{stream}",
            "start_time": T.isoformat() + "Z",
            "session_id": f"s-{stream}",
            "device": "apple_tv",
            "event_time": (T + timedelta(seconds=seconds)).isoformat() + "Z",
        }
    )


FILES = [
    [beat("a", 0), beat("a", 4), beat("b", 10)],
    [beat("b", 70)],
    [beat("a", 72), beat("c", 69), beat("b", 74), '{"user_id": "u-e", "program_id": '],
    [beat("e", 200), beat("a", 201), beat("d", 73)],
]


def land(settings, number: int) -> None:
    folder = settings.landing_dir("webapp") / "playback"
    path = folder / f"playback-{number:05d}.jsonl"
    path.write_text("\n".join(FILES[number - 1]) + "\n")
    os.utime(path, (0, 1_000_000 + number))  # settled, in arrival order


def run(defs, instance, tmp_path) -> None:
    outcome = run_domain(defs, "webapp", instance, tmp_path / "run.log", echo=lambda _: None)
    assert outcome.runs and not outcome.failed_runs, outcome.runs
    assert [check for check in outcome.checks if not check.passed] == []
    names = {check.check for check in outcome.checks}
    assert {"raw_webapp_playback_reconciles", "webapp_rejected_events_matches_schema"} <= names


def quarantined(settings) -> list[tuple]:
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as conn:
        return conn.execute(
            """select source_file, line_number, reason, user_id, session_id, program_id,
                      event_time,
                      case when json_valid(raw_record) then raw_record::json ->> 'event_time' end
               from webapp.webapp_rejected_events order by source_file, line_number"""
        ).fetchall()


def statuses(settings) -> list[tuple]:
    """The reconciliation's figures: the heartbeats by final status."""
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as conn:
        return conn.execute(
            """select status, count(*) from webapp.int_webapp__playback_judged
               group by all order by all"""
        ).fetchall()


def streams(settings) -> list[tuple]:
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as conn:
        return conn.execute(
            """select session_id, stream_duration_seconds, event_count
               from webapp.playback_streams order by all"""
        ).fetchall()


def judged(stream: str, seconds: int, file: int, line: int, reason: str) -> tuple:
    at = (T + timedelta(seconds=seconds)).isoformat() + "Z"
    return (f"playback/playback-{file:05d}.jsonl", line, reason, f"u-{stream}", f"s-{stream}",
            f"p-{stream}", at, at)  # fmt: skip


def test_late_and_closed_stream_heartbeats_are_in_the_quarantine_once(settings, defs, tmp_path):
    (settings.landing_dir("webapp") / "events").mkdir()
    (settings.landing_dir("webapp") / "playback").mkdir()
    for number in (1, 2, 3):
        land(settings, number)
    with dg.DagsterInstance.ephemeral() as instance:
        run(defs, instance, tmp_path)
        malformed = ("playback/playback-00003.jsonl", 4, "malformed_json", None, None, None,
                     None, None)  # fmt: skip
        first_run = [
            judged("a", 72, file=3, line=1, reason="stream_closed"),
            judged("c", 69, file=3, line=2, reason="late_event"),
            malformed,
        ]
        assert quarantined(settings) == first_run
        # received 8 = valid 5 (files 1-2, b@T+74) + rejected 3 (the late, the closed, the
        # malformed): the processor's refusals counted as the quarantine lists them
        assert statuses(settings) == [("rejected", 3), ("valid", 5)]
        assert streams(settings) == [("s-a", 4.0, 2)]

        land(settings, 4)
        run(defs, instance, tmp_path)
    assert quarantined(settings) == [
        *first_run,
        judged("a", 201, file=4, line=2, reason="stream_closed"),
        judged("d", 73, file=4, line=3, reason="late_event"),
    ]
    assert statuses(settings) == [("rejected", 5), ("valid", 6)]  # + e@T+200; + 2 refused
    assert streams(settings) == [("s-a", 4.0, 2), ("s-b", 74.0, 3)]


def test_the_ingest_job_builds_the_quarantine_after_the_processor(defs):
    """Dagster (1.13.27) splits the dbt multi-asset around the processor (dbt -> processor ->
    dbt would be a cycle of steps): the judged view and the quarantine in a second dbt step
    after the processor's, everything else in the first, before it."""
    job = defs.resolve_job_def("webapp_ingest")

    def tables(step: str) -> set[str]:
        assets = job.asset_layer.get_assets_def_for_node(NodeHandle(step, None))
        return {key.path[-1] for key in assets.keys}

    def upstream(step: str) -> set[str]:
        outputs = job.graph.dependency_structure.all_upstream_outputs_from_node(step)
        return {output.node.name for output in outputs}

    assert tables("webapp_dbt_models_2") == {
        "int_webapp__playback_judged",
        "webapp_rejected_events",
    }
    assert "int_webapp__playback_classified" in tables("webapp_dbt_models")
    assert upstream("playback_stream_processor") == {"webapp_dbt_models"}
    assert upstream("webapp_dbt_models_2") == {"webapp_dbt_models", "playback_stream_processor"}
