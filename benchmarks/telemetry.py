"""Benchmark of the `telemetry` pipeline: ours against a plain DuckDB floor (issue 13, item 7).

    make bench BENCH_DOMAINS=telemetry           # 10 M sync events over 90 days, about 6.6 GB
    .venv/bin/python benchmarks/telemetry.py --events 1000000 --days 30 --history-small 100000

The data: the generator's `--days + 1` days (`raw_sync_events/` and `raw_users/`, one file per
day, events scaled by (days + 1) / days so the history holds about `--events`), of which the
last day's two files are held back: the history is the first `--days` days, the "one more day"
is the day after it, from the same world (its devices and users exist, a command of the day
before may bring its results). The smaller history (`--history-small`) is generated the same way
and gets the big data set's held-back day: the same files on both histories.

Measured (`bench.py`, shared with the other domains): ours, full, on an empty warehouse; the
DuckDB floor (`telemetry_floor.sql`) on the same files; ours + the new day on that warehouse;
the same day on the smaller history (built by a full run first). The nine contract tables of
ours and the floor are compared (`readings`, a list of structs, as JSON text). The report
checks the issue's targets: full <= 2x the floor and <= 4 GiB peak; a new day <= 10 s, and no
slower on the big history than on the small one (within 10 %, the noise of single runs on a
shared machine). Writes `benchmarks/results/telemetry-<events>.json`; exits 1 when a run of ours
or the floor fails or the tables differ (targets not met do not fail it: they are measured).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import bench
from compare import TableSpec
from datasets import Dataset, FileSet, ensure_dataset

from event_assets.generate.telemetry import DEFAULT_START

BENCH_DIR = Path(__file__).resolve().parent
FLOOR_SQL = BENCH_DIR / "telemetry_floor.sql"
LINES = "lines.json"  # lines per generated file, written next to the data set
FULL_RATIO_TARGET, PEAK_TARGET_GIB, NEW_DAY_TARGET_S, NO_SLOWER_NOISE = 2.0, 4.0, 10.0, 1.10

# --- the contract tables: keys and column kinds ---------------------------------------------

_COMMAND = {"command_uuid": "text", "device_id": "text", "command": "text"}
_COMMAND |= dict.fromkeys(["command_client", "user_id", "command_origin"], "text")
_COMMAND |= {"command_origin_id": "text"}
_COMMAND |= {"thermostat_mode": "text", "thermostat_heat_set_point": "float"}
_COMMAND |= {"thermostat_cool_set_point": "float", "slot": "text", "pin": "text"}
_COMMAND |= dict.fromkeys(["switch_state", "lock_state", "dimmer_state"], "text")
_COMMAND |= {"dimmer_level": "float", "_raw_command_desired_state": "text"}
_COMMAND |= {"update_timestamp": "ts", "event_timestamp": "ts", "_source_file": "text"}
_HUB = {"command_uuid": "text", "device_id": "text", "command_node_id": "text"}
_HUB |= {"update_timestamp": "ts", "event_timestamp": "ts"}
_READING = {"reading_uuid": "text", "device_id": "text", "item_key": "text", "state": "text"}
_READING |= {"state_value": "float", "state_unit": "text", "update_timestamp": "ts"}
_READING |= {"event_timestamp": "ts"}
_USER = {"user_id": "text", "username": "text", "date_registered": "ts", "last_modified": "ts"}
_STATUS = {**_COMMAND, "username": "text", "command_timestamp": "ts", "active_timestamp": "ts"}
_STATUS |= {"command_active_node_id": "text", "command_result_node_id": "text"}
_STATUS |= {"has_hub_response": "bool", "is_hub_success": "bool", "failure_string": "text"}
_STATUS |= dict.fromkeys(
    ["command_update_timestamp", "active_update_timestamp", "result_update_timestamp"], "ts"
)
_STATUS |= {"seconds_to_result": "float"}
_DAILY = {"username": "text", "timestamp_date": "date"}
_DAILY |= dict.fromkeys(
    ["number_of_commands", "number_of_successful_commands", "number_of_failed_commands"], "int"
)
_DAILY |= {"number_without_response": "int"}
_WINDOW = {"readings": "json", "previous_command_within_15s": "bool"}
_WINDOW |= {"next_command_within_15s": "bool", "matching_item_key": "text"}
_WINDOW |= {"has_matching_reading": "bool", "seconds_to_matching_reading": "float"}

TABLES: dict[str, TableSpec] = {
    "stg_commands": TableSpec(("command_uuid",), _COMMAND),
    "stg_command_actives": TableSpec(("command_uuid",), _HUB),
    "stg_command_results": TableSpec(
        ("command_uuid",), {**_HUB, "is_hub_success": "bool", "command_failure_string": "text"}
    ),
    "stg_readings": TableSpec(("reading_uuid", "item_key"), _READING),
    "stg_users": TableSpec(("user_id",), _USER),
    "dim_users": TableSpec(("user_id",), _USER),
    "fct_command_statuses": TableSpec(("command_uuid",), _STATUS),
    "met_daily_command_count_by_username": TableSpec(("username", "timestamp_date"), _DAILY),
    "fct_command_readings": TableSpec(("command_uuid",), {**_STATUS, **_WINDOW}),
}

# --- the data: D + 1 generated days, the last held back -------------------------------------

# In a subprocess: the generator's memory (GBs at 10 M events) is given back before the runs.
_GENERATE = """\
import json, sys
from datetime import date
from pathlib import Path
from event_assets.generate.telemetry import generate_telemetry_sample
out, events, seed, start, days = sys.argv[1:]
sample = generate_telemetry_sample(
    Path(out), int(events), seed=int(seed), start=date.fromisoformat(start), days=int(days)
)
lines = {str(p.relative_to(out)): n for p, n in sample.lines_per_file.items()}
(Path(out) / "lines.json").write_text(json.dumps(lines))
"""


def generate(out_dir: Path, events: int, seed: int, start: date, days: int) -> None:
    command = [sys.executable, "-c", _GENERATE, str(out_dir), str(events), str(seed)]
    subprocess.run(command + [start.isoformat(), str(days)], check=True)


def generated(args: argparse.Namespace, history_events: int) -> Dataset:
    """The cached `--days + 1` days holding about `history_events` in the first `--days`."""
    events = round(history_events * (args.days + 1) / args.days)
    return ensure_dataset(
        args.cache_dir, "telemetry", generate, events, args.seed, DEFAULT_START, args.days + 1
    )


def split(dataset: Dataset) -> tuple[FileSet, FileSet]:
    """The history (every day but the last) and the held-back last day."""
    lines = json.loads((dataset.directory / LINES).read_text())
    last = f"{dataset.last_day}.jsonl"
    parts = []
    for held_back in (False, True):
        files = [p for p in dataset.files if p.name.endswith(last) == held_back]
        names = [str(p.relative_to(dataset.directory)) for p in files]
        events = sum(lines[n] for n in names if n.startswith("raw_sync_events/"))
        users = sum(lines[n] for n in names if n.startswith("raw_users/"))
        mb = sum(p.stat().st_size for p in files) / 1e6
        days = (dataset.start, dataset.last_day - timedelta(days=1))
        what = f"{days[0]} .. {days[1]}" if not held_back else f"the day {dataset.last_day}"
        description = (
            f"{events:,} sync events and {users:,} user records in {len(files)} file(s) "
            f"({what}, {mb:,.1f} MB) of {dataset.events:,} generated over {dataset.days} days, "
            f"seed {dataset.seed}"
        )
        info = {"seed": dataset.seed, "start": dataset.start.isoformat(), "user_records": users}
        info["generated_events"], info["generated_days"] = dataset.events, dataset.days
        parts.append(FileSet(dataset.directory, files, events, description, info))
    return parts[0], parts[1]


def prepare(args: argparse.Namespace) -> bench.Prepared:
    history, increment = split(generated(args, args.events))
    if args.history_small == args.events:
        return bench.Prepared(history, history, increment)
    history_small, _ = split(generated(args, args.history_small))
    return bench.Prepared(history, history_small, increment)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    count = bench.count
    parser.add_argument(
        "--events", type=count, default=10_000_000, help="sync events of the history (about)"
    )
    parser.add_argument(
        "--history-small", type=count, default=1_000_000, help="events of the smaller history"
    )
    parser.add_argument("--days", type=count, default=90, help="days (files) of the history")


def floor_variables(landing: Path) -> dict[str, str]:
    return {"landing_dir": str(landing)}


# --- the targets --------------------------------------------------------------------


def targets(results: dict) -> list[tuple[str, str, bool]]:
    """(target, what was measured, met) for each of the issue's targets that could be measured."""
    runs, found = results["runs"], []
    full, floor = runs["ours_full"], runs["floor"]
    new_day, new_day_small = runs["ours_incremental"], runs["ours_incremental_small"]
    ok = [key for key, run in runs.items() if run is not None and run["status"] == "ok"]
    big, small = results["dataset"]["events"], results["history_small"]["events"]
    if {"ours_full", "floor"} <= set(ok):
        ratio = full["wall_seconds"] / floor["wall_seconds"]
        met = ratio <= FULL_RATIO_TARGET
        found.append((f"full <= {FULL_RATIO_TARGET:g}x the floor (wall)", f"{ratio:.2f}x", met))
    if "ours_full" in ok:
        peak = full["peak_rss_bytes"] / 2**30
        met = peak <= PEAK_TARGET_GIB
        found.append((f"full peak <= {PEAK_TARGET_GIB:g} GiB", f"{peak:.2f} GiB", met))
    if "ours_incremental" in ok:
        wall = new_day["wall_seconds"]
        found.append(
            (
                f"new day <= {NEW_DAY_TARGET_S:g} s on {big:,} events of history",
                f"{wall:.1f} s",
                wall <= NEW_DAY_TARGET_S,
            )
        )
    if {"ours_incremental", "ours_incremental_small"} <= set(ok) and small != big:
        ratio = new_day["wall_seconds"] / new_day_small["wall_seconds"]
        found.append(
            (
                f"new day on {big:,} no slower than on {small:,} events of history "
                f"(within {NO_SLOWER_NOISE - 1:.0%})",
                f"{new_day['wall_seconds']:.1f} s vs {new_day_small['wall_seconds']:.1f} s "
                f"({ratio:.2f}x)",
                ratio <= NO_SLOWER_NOISE,
            )
        )
    return found


DOMAIN = bench.Domain(
    name="telemetry",
    tables=TABLES,
    floor_sql=FLOOR_SQL,
    floor_variables=floor_variables,
    prepare=prepare,
    add_arguments=add_arguments,
    targets=targets,
    compare_after_increment=True,
)


if __name__ == "__main__":
    sys.exit(bench.main(DOMAIN, __doc__.split("\n\n")[0]))
