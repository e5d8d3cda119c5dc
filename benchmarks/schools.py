"""Benchmark of the `schools` pipeline: ours against a pandas reference and a plain DuckDB floor.

    make bench BENCH_DOMAINS=schools             # 10 M events, about 1.5 GB over 90 daily files
    .venv/bin/python benchmarks/schools.py --events 1000000 [--skip-pandas] [--keep]

Generates a data set with the project's generator (not timed; cached in `benchmarks/.cache/`
by events, seed, start and days), then measures, one after the other on the same files
(`bench.py`, shared with the other domains):

- ours, full: `python -m event_assets run --domain schools` on an empty warehouse;
- the pandas reference (`pandas_reference.py`) and the DuckDB floor (`duckdb_floor.sql`), each
  in its own process, building the same four contract tables;
- ours, incremental: one more daily file (a next day from the generator with another seed) added
  to that warehouse, and the same file added to a smaller one (`--history-small` events, built by
  a full run first, measured separately).

Every run is a subprocess; wall time and peak RSS summed over its process tree (sampled every
50 ms) are recorded, and a run over the memory limit or the timeout is killed and reported as
not finished. The four tables of ours, pandas and the floor are then compared (float tolerance
1e-6). Prints markdown tables and writes `benchmarks/results/schools-<events>.json`. Exits 1 when
a run of ours or of the floor fails, or when the implementations' tables differ.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

import bench
from compare import TableSpec
from datasets import Dataset, FileSet, link_files

from event_assets.generate.schools import DEFAULT_START, generate_schools

BENCH_DIR = Path(__file__).resolve().parent
PANDAS_SCRIPT = BENCH_DIR / "pandas_reference.py"
FLOOR_SQL = BENCH_DIR / "duckdb_floor.sql"
ours_env = bench.ours_env  # used by ui_runs.py
__all__ = ["DOMAIN", "TABLES", "ensure_dataset", "link_files", "ours_env"]

TABLES: dict[str, TableSpec] = {
    "sessions": TableSpec(
        keys=("session_id",),
        columns={
            "session_id": "text",
            "device_id": "text",
            "started_at": "ts",
            "ended_at": "ts",
            "duration_minutes": "float",
            "school_id": "text",
            "school_name": "text",
        },
    ),
    "devices": TableSpec(
        keys=("device_id",),
        columns={
            "device_id": "text",
            "school_id": "text",
            "first_session_started_at": "ts",
            "session_count": "int",
        },
    ),
    "schools": TableSpec(
        keys=("school_id",),
        columns={
            "school_id": "text",
            "name": "text",
            "device_count": "int",
            "median_session_length": "float",
            "mean_session_length": "float",
            "session_count": "int",
            "completed_session_count": "int",
        },
    ),
    "usage_history": TableSpec(
        keys=("device_id", "date"),
        columns={
            "device_id": "text",
            "date": "date",
            "usage_minutes": "float",
            "avg_usage_minutes_7d": "float",
        },
    ),
}


def ensure_dataset(
    cache_dir: Path, events: int, seed: int, start: date, days: int, suffix: str = ""
) -> Dataset:
    """The cached data set for these arguments, generated first if missing.

    With `suffix`, files are renamed `schools-<day><suffix>.jsonl` (a name no other data set
    uses).
    """

    def generate(out_dir: Path, events: int, seed: int, start: date, days: int) -> None:
        paths = generate_schools(out_dir, events, seed=seed, start=start, days=days)
        if suffix:
            for path in paths:
                path.rename(path.with_name(path.name.removesuffix(".jsonl") + f"{suffix}.jsonl"))

    import datasets

    return datasets.ensure_dataset(
        cache_dir, "schools", generate, events, seed, start, days, suffix
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    count = bench.count
    parser.add_argument("--events", type=count, default=10_000_000, help="events of the data set")
    parser.add_argument(
        "--incremental-events", type=count, default=100_000, help="events of the added file"
    )
    parser.add_argument(
        "--history-small", type=count, default=1_000_000, help="events of the smaller warehouse"
    )
    parser.add_argument("--days", type=count, default=90, help="daily files of the data sets")


def prepare(args: argparse.Namespace) -> bench.Prepared:
    """The data set, the smaller history and the next day's file (all cached)."""
    big = ensure_dataset(args.cache_dir, args.events, args.seed, DEFAULT_START, args.days)
    small = ensure_dataset(args.cache_dir, args.history_small, args.seed, DEFAULT_START, args.days)
    increment = ensure_dataset(
        args.cache_dir,
        args.incremental_events,
        args.seed + 1,
        big.last_day + timedelta(days=1),
        1,
        suffix="-increment",
    )
    history = FileSet.whole(big)
    history_small = history if small == big else FileSet.whole(small)
    return bench.Prepared(history, history_small, FileSet.whole(increment))


def floor_variables(landing: Path) -> dict[str, str]:
    return {"landing_glob": str(landing / "*.jsonl")}


def pandas_tables(landing: Path) -> dict:
    sys.path.insert(0, str(BENCH_DIR))
    import pandas_reference

    return pandas_reference.build_tables(landing)


DOMAIN = bench.Domain(
    name="schools",
    tables=TABLES,
    floor_sql=FLOOR_SQL,
    floor_variables=floor_variables,
    prepare=prepare,
    add_arguments=add_arguments,
    pandas_script=PANDAS_SCRIPT,
    pandas_tables=pandas_tables,
)


if __name__ == "__main__":
    sys.exit(bench.main(DOMAIN, __doc__.split("\n\n")[0]))
