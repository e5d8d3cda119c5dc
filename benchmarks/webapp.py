"""Benchmark of the `webapp` pipeline: ours against plain DuckDB floors (issue 15, item 7).

    make bench BENCH_DOMAINS=webapp      # 10 M web events over 30 days + 10 M heartbeats
    .venv/bin/python benchmarks/webapp.py --events 1000000 --heartbeats 1000000

The data: one generator run (`python -m event_assets.generate webapp`) of `--days + 1` days of
web events (events scaled by (days + 1) / days, so the history holds about `--events`) and
`--heartbeats` heartbeats in `--heartbeats / 10,000` playback files (`--playback-files`).

Batch (`bench.py`, shared with the other domains): ours, full, on an empty warehouse whose
landing holds the web events only (`events/`: the playback files are the stream part's, so that
the full run is the batch sessions, not 1,000 micro-batches too); the DuckDB floor
(`webapp_floor.sql`) on the same files; ours + the held-back last day on that warehouse; the
floor again on history + day. `webapp_sessions`, `webapp_daily_activity` and `webapp_insights`
compared after both.

Stream (`webapp_stream.py`): the playback files in a warehouse of their own; ours' whole run,
then every micro-batch processed again and timed one by one in one warm process; the floor
(`webapp_stream_floor.sql`): the streams by one query over all heartbeats. `playback_streams`
and `playback_open_streams` compared. The report checks the issue's targets (full <= 2x the
floor and <= 4 GiB peak; a micro-batch <= 2 s, and no slower at the end than at the start).
Writes `benchmarks/results/webapp-<events>.json`; exits 1 when a run fails or tables differ
(targets not met do not fail it: they are measured).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import bench
import telemetry
import webapp_stream
from compare import TableSpec
from datasets import Dataset, FileSet, ensure_dataset

from event_assets.generate.webapp.generator import DEFAULT_START, EVENTS_DIR, PLAYBACK_DIR

BENCH_DIR = Path(__file__).resolve().parent
FLOOR_SQL = BENCH_DIR / "webapp_floor.sql"
LINES = "lines.json"  # lines per generated file, written next to the data set
HEARTBEATS_PER_FILE = 10_000  # the micro-batch

_SESSION = {"session_id": "text", "user_id": "text", "device_id": "text", "started_at": "ts"}
_SESSION |= {"ended_at": "ts", "duration_seconds": "float", "event_count": "int"}
_SESSION |= {"app_version": "text"}
_DAY = {"date": "date", "events": "int", "users": "int", "sessions": "int"}
_INSIGHTS = {"most_active_day": "date", "most_active_day_events": "int"}
_INSIGHTS |= {"max_events_in_session": "int", "avg_session_duration_seconds": "float"}

# the batch tables the floor builds (it keeps no quarantine)
TABLES: dict[str, TableSpec] = {
    "webapp_sessions": TableSpec(("user_id", "device_id", "started_at"), _SESSION),
    "webapp_daily_activity": TableSpec(("date",), _DAY),
    "webapp_insights": TableSpec(("most_active_day",), _INSIGHTS),
}

# --- the data: one generator run, the last day of web events held back ----------------------

# In a subprocess: the generator's memory (GBs at 10 M events) is given back before the runs.
_GENERATE = """\
import json, sys
from datetime import date
from pathlib import Path
from event_assets.generate.webapp.generator import generate_webapp_sample
out, events, seed, start, days, heartbeats, files = sys.argv[1:]
sample = generate_webapp_sample(
    Path(out), int(events), int(heartbeats), int(files),
    seed=int(seed), start=date.fromisoformat(start), days=int(days),
)
lines = {str(p.relative_to(out)): n for p, n in sample.lines_per_file.items()}
(Path(out) / "lines.json").write_text(json.dumps(lines))
"""


def generated(args: argparse.Namespace) -> Dataset:
    """The cached `--days + 1` days of web events (about `--events` in the first `--days`) and
    the heartbeats' files, from one generator run."""
    events = round(args.events * (args.days + 1) / args.days)
    files = args.playback_files or max(1, round(args.heartbeats / HEARTBEATS_PER_FILE))
    extra = [str(args.heartbeats), str(files)]

    def generate(out: Path, events: int, seed: int, start, days: int) -> None:
        command = [sys.executable, "-c", _GENERATE, str(out), str(events), str(seed)]
        subprocess.run(command + [start.isoformat(), str(days), *extra], check=True)

    suffix = f"-{args.heartbeats}hb-{files}f"
    return ensure_dataset(
        args.cache_dir, "webapp", generate, events, args.seed, DEFAULT_START, args.days + 1, suffix
    )


def _lines(dataset: Dataset, files: list[Path]) -> int:
    lines = json.loads((dataset.directory / LINES).read_text())
    return sum(lines[str(p.relative_to(dataset.directory))] for p in files)


def event_files(dataset: Dataset, held_back: bool) -> FileSet:
    """The web event files of the history (every day but the last), or of the held-back day."""
    last = f"{dataset.last_day}.jsonl"
    files = [
        p
        for p in dataset.files
        if p.parent.name == EVENTS_DIR and p.name.endswith(last) == held_back
    ]
    events = _lines(dataset, files)  # lines: duplicates and bad ones included
    mb = sum(p.stat().st_size for p in files) / 1e6
    first, final = dataset.start, dataset.last_day - timedelta(days=1)
    what = f"the day {dataset.last_day}" if held_back else f"{first} .. {final}"
    description = (
        f"{events:,} web event lines in {len(files)} file(s) ({what}, {mb:,.1f} MB) of "
        f"{dataset.events:,} generated over {dataset.days} days, seed {dataset.seed}"
    )
    info = {"seed": dataset.seed, "start": dataset.start.isoformat()}
    info["generated_events"], info["generated_days"] = dataset.events, dataset.days
    return FileSet(dataset.directory, files, events, description, info)


def playback_files(dataset: Dataset) -> FileSet:
    """The playback files, in delivery order (their names)."""
    files = [p for p in dataset.files if p.parent.name == PLAYBACK_DIR]
    heartbeats = _lines(dataset, files)
    mb = sum(p.stat().st_size for p in files) / 1e6
    description = (
        f"{heartbeats:,} heartbeat lines in {len(files):,} playback file(s) ({mb:,.1f} MB), "
        f"seed {dataset.seed}"
    )
    return FileSet(dataset.directory, files, heartbeats, description, {"seed": dataset.seed})


def prepare(args: argparse.Namespace) -> bench.Prepared:
    dataset = generated(args)
    history = event_files(dataset, held_back=False)
    return bench.Prepared(history, history, event_files(dataset, held_back=True))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    count = bench.count
    parser.add_argument(
        "--events", type=count, default=10_000_000, help="web events of the history (about)"
    )
    parser.add_argument("--days", type=count, default=30, help="days (files) of the history")
    parser.add_argument(
        "--heartbeats", type=count, default=10_000_000, help="heartbeat lines in all"
    )
    parser.add_argument(
        "--playback-files",
        type=count,
        default=None,
        help=f"playback files (default: one per {HEARTBEATS_PER_FILE:,} heartbeats)",
    )
    parser.add_argument(
        "--no-stream", action="store_true", help="only the batch part (no playback files)"
    )


def floor_variables(landing: Path) -> dict[str, str]:
    return {"landing_dir": str(landing)}


# --- the targets --------------------------------------------------------------------


def targets(results: dict) -> list[tuple[str, str, bool]]:
    """The batch targets of telemetry (full <= 2x the floor, <= 4 GiB; the new day's are not
    this issue's), then the stream's."""
    found = [t for t in telemetry.targets(results) if t[0].startswith("full")]
    return found + webapp_stream.targets(results.get("stream"))


DOMAIN = bench.Domain(
    name="webapp",
    tables=TABLES,
    floor_sql=FLOOR_SQL,
    floor_variables=floor_variables,
    prepare=prepare,
    add_arguments=add_arguments,
    targets=targets,
    compare_after_increment=True,
    empty_folders=(PLAYBACK_DIR,),  # the batch part lands no playback file
    more_runs=lambda args, root, limits, logs: webapp_stream.run(
        DOMAIN, playback_files(generated(args)), args, root, limits, logs
    ),
)


if __name__ == "__main__":
    sys.exit(bench.main(DOMAIN, __doc__.split("\n\n")[0]))
