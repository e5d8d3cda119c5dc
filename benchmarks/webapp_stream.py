"""The `webapp` benchmark's stream part (`webapp.py` runs it after the batch part).

On a data folder of its own whose landing holds only the playback files (`--heartbeats` in
files of about 10,000), one after the other, each measured (`measure.py`):

1. ours, whole run: `python -m event_assets run --domain webapp`: the ingestion of every file,
   dbt's classification, then the processor's asset with every file as one micro-batch. The
   ledger's `processed_at` (a transaction's start: DuckDB's `current_timestamp`) gives the
   seconds from one batch's start to the next's inside that asset: the per-batch times of the
   real run (the last batch has no successor: not timed);
2. ours, micro-batches timed (`webapp_stream_batches.py`): the processor's own tables emptied,
   the ingested and classified rows kept, then `process_pending` again in one warm process,
   each batch timed from `begin transaction` to the end of its `commit`: the issue's "time per
   micro-batch of work once the process is warm", at the 1st file and at the last;
3. the DuckDB floor (`webapp_stream_floor.sql`): the streams by one query over all heartbeats.

`playback_streams` and `playback_open_streams` of ours (after 1 and after 2) are compared with
the floor's.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
from pathlib import Path

import bench
import duckdb
from compare import TableSpec, compare_runs, format_report
from datasets import FileSet

from event_assets.generate.webapp.generator import EVENTS_DIR

BENCH_DIR = Path(__file__).resolve().parent
STREAM_FLOOR_SQL = BENCH_DIR / "webapp_stream_floor.sql"
BATCH_TIMER = BENCH_DIR / "webapp_stream_batches.py"
BATCH_TARGET_S, NO_SLOWER_NOISE, EDGE = 2.0, 1.10, 10  # EDGE: batches at the start and the end

_STREAM = {"user_id": "text", "program_id": "text", "start_time": "ts", "session_id": "text"}
_STREAM |= {"device": "text", "event_count": "int"}
STREAM_TABLES: dict[str, TableSpec] = {
    "playback_streams": TableSpec(
        ("session_id", "program_id"), {**_STREAM, "stream_duration_seconds": "float"}
    ),
    "playback_open_streams": TableSpec(
        ("session_id", "program_id"), {**_STREAM, "first_event_at": "ts", "last_event_at": "ts"}
    ),
}


def batch_figures(seconds: list[float]) -> dict:
    """What the report says of per-batch seconds: the first and last ones, median, max, and the
    median of the last `EDGE` over that of the first `EDGE`."""
    if not seconds:
        return {"batches": 0}
    first, last = seconds[:EDGE], seconds[-EDGE:]
    return {
        "batches": len(seconds),
        "first": [round(s, 4) for s in first],
        "last": [round(s, 4) for s in last],
        "median": statistics.median(seconds),
        "max": max(seconds),
        "max_batch": seconds.index(max(seconds)) + 1,
        "total": sum(seconds),
        "median_first": statistics.median(first),
        "median_last": statistics.median(last),
        "last_over_first": statistics.median(last) / statistics.median(first),
    }


def ledger_seconds(warehouse: Path) -> list[float]:
    """Seconds between consecutive batches' transaction starts in the whole run's asset."""
    from event_assets.defs.webapp.stream_processor import BATCHES

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = conn.execute(
            f"select epoch_us(processed_at) from {BATCHES} order by batch_number"
        ).fetchall()
    return [(b[0] - a[0]) / 1e6 for a, b in zip(rows, rows[1:], strict=False)]


def run(
    domain: bench.Domain,
    files: FileSet,
    args: argparse.Namespace,
    root: Path,
    limits: bench.Limits,
    logs: Path,
) -> bench.MoreRuns:
    if args.no_stream:
        return bench.MoreRuns("stream", {}, [], {"skipped": True}, [])
    data_dir = root / "stream"
    landing = data_dir / "landing" / domain.name
    files.link_into(landing)
    (landing / EVENTS_DIR).mkdir()  # the ingestion wants every source's folder; no web events
    warehouse = data_dir / "warehouse.duckdb"
    runs = dict.fromkeys(["stream_ours_whole", "stream_ours_batches", "stream_floor"])
    results: dict = {"dataset": files.to_json()}
    diffs = []

    runs["stream_ours_whole"] = whole = bench.run_ours(
        domain, "ours, stream: whole run", data_dir, logs, limits
    )
    floor_db = root / "stream-floor.duckdb"
    floor_domain = dataclasses.replace(domain, floor_sql=STREAM_FLOOR_SQL)
    runs["stream_floor"] = floor = bench.run_floor(
        floor_domain, landing, floor_db, logs, limits, "DuckDB floor, stream"
    )
    if whole.ok:
        seconds = ledger_seconds(warehouse)
        results["whole_run_batches"] = batch_figures(seconds)
        results["whole_run_batch_seconds"] = [round(s, 6) for s in seconds]
        if floor.ok and not args.no_compare:
            diffs += _compare(warehouse, floor_db, "ours, whole run")

        timings = root / "stream-batches.json"
        command = [sys.executable, str(BATCH_TIMER), str(warehouse), str(landing), str(timings)]
        label = "ours, stream: micro-batches timed"
        runs["stream_ours_batches"] = timed = bench.run_measured(
            label, command, bench.ours_env(data_dir), data_dir.parent, logs, limits
        )
        if timed.ok:
            measured = json.loads(timings.read_text())
            results["batches"] = batch_figures(measured["seconds"])
            results["batch_details"] = measured
            if floor.ok and not args.no_compare:
                diffs += _compare(warehouse, floor_db, "ours, batches timed")
    results["runs"] = {k: None if r is None else r.to_json() for k, r in runs.items()}
    results["equivalence"] = [bench.diff_json(d) for d in diffs]
    return bench.MoreRuns("stream", runs, diffs, results, report(results, runs, diffs))


def _compare(warehouse: Path, floor_db: Path, ours: str) -> list:
    print(f"comparing the streams ({ours}) ...", flush=True)
    diffs = compare_runs(STREAM_TABLES, warehouse, floor_db, None, "webapp")
    for diff in diffs:
        diff.left, diff.right = ours, "stream floor"
    print(format_report(diffs), flush=True)
    return diffs


# --- the report and the targets -------------------------------------------------------------


def _seconds(figures: dict, key: str) -> str:
    return f"{figures[key]:.3f}" if key in figures else "—"


def report(results: dict, runs: dict, diffs: list) -> list[str]:
    lines = ["", f"### Stream: {results['dataset']['description']}", ""]
    lines += ["| run | wall s | peak MiB (process tree) |", "|:--|--:|--:|"]
    for run in runs.values():
        if run is not None:
            wall = f"{run.wall_seconds:,.1f}" if run.ok else run.describe()
            peak = f"{run.peak_mib:,.0f}" if run.ok else ""
            lines.append(f"| {run.label} | {wall} | {peak} |")
    lines += [
        "",
        "| per micro-batch, s | batches | first 10 (median) | last 10 (median) | last ÷ first "
        "| median | max (batch) |",
        "|:--|--:|--:|--:|--:|--:|--:|",
    ]
    sources = [
        ("timed, begin to commit", "batches"),
        ("whole run's asset (ledger, start to start)", "whole_run_batches"),
    ]
    for name, key in sources:
        f = results.get(key)
        if f and f.get("batches"):
            lines.append(
                f"| {name} | {f['batches']:,} | {_seconds(f, 'median_first')} "
                f"| {_seconds(f, 'median_last')} | {f['last_over_first']:.2f} "
                f"| {_seconds(f, 'median')} | {f['max']:.3f} ({f['max_batch']}) |"
            )
    if results.get("batches", {}).get("batches"):
        b = results["batches"]
        lines += ["", f"Timed batches, first {EDGE} s: {b['first']}; last {EDGE} s: {b['last']}."]
    lines += ["", "| stream table | comparison | result |", "|:--|:--|:--|"]
    lines += [f"| {d.table} | {d.left} vs {d.right} | {d.summary()} |" for d in diffs]
    return lines


def targets(stream: dict | None) -> list[tuple[str, str, bool]]:
    """A micro-batch <= 2 s of work (every one: the max), and no slower at the end than at the
    start (the medians of the last and first 10 batches, within 10 %)."""
    batches = (stream or {}).get("batches") or {}
    if not batches.get("batches"):
        return []
    n = batches["batches"]
    return [
        (
            f"a micro-batch <= {BATCH_TARGET_S:g} s (every one of {n:,}, timed warm)",
            f"max {batches['max']:.3f} s (batch {batches['max_batch']}), "
            f"median {batches['median']:.3f} s",
            batches["max"] <= BATCH_TARGET_S,
        ),
        (
            f"the last {EDGE} batches no slower than the first {EDGE} "
            f"(medians, within {NO_SLOWER_NOISE - 1:.0%})",
            f"{batches['median_last']:.3f} s vs {batches['median_first']:.3f} s "
            f"({batches['last_over_first']:.2f}x)",
            batches["last_over_first"] <= NO_SLOWER_NOISE,
        ),
    ]
