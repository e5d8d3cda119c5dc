"""The benchmark machinery every domain shares: its runs, in order, measured and compared.

A domain (`schools.py`, `telemetry.py`) says what is its own: how its data sets are generated
and split into history and next day (`prepare`), its floor script and the variables that point
it at the landing folder, its contract tables (keys and column kinds, for `compare.py`), a
pandas reference if it has one, and the targets its report checks. Then, one after the other on
the same files, each in its own measured process (`measure.py`):

- ours, full: `python -m event_assets run --domain <name>` on an empty warehouse (only that
  domain, so that other domains do not count);
- the pandas reference (if any) and the DuckDB floor, building the same contract tables;
- ours, incremental: the next day's files added to that warehouse, and the same files added to a
  smaller one (`--history-small` events, built by a full run first, measured separately).

The tables of ours, pandas and the floor are then compared. Prints markdown (`report.py`) and
writes `benchmarks/results/<domain>-<events>.json`. Exits 1 when a run of ours or of the floor
fails, or when the implementations' tables differ.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil
from compare import TableDiff, TableSpec, compare_runs, format_report
from datasets import FileSet
from measure import MIB, Measurement, log_tail, measure
from report import machine, render

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_CACHE = BENCH_DIR / ".cache"
DEFAULT_RESULTS = BENCH_DIR / "results"
GIB = 1024 * MIB

# The floor's runner: the SQL script through the duckdb package, nothing else. Its arguments:
# the script, the DuckDB variables to set first (JSON), the database to write.
FLOOR_RUNNER = """\
import json, sys, duckdb
sql_path, variables, db_path = sys.argv[1:]
con = duckdb.connect(db_path)
for name, value in json.loads(variables).items():
    con.execute("SET VARIABLE " + name + " = '" + value.replace("'", "''") + "'")
con.execute(open(sql_path).read())
con.close()
"""


@dataclass(frozen=True)
class Prepared:
    """A domain's files for one benchmark: the history, a smaller one, and the next day."""

    history: FileSet
    history_small: FileSet  # the same object as `history` when the sizes are equal
    increment: FileSet


@dataclass
class MoreRuns:
    """A domain's own measured runs after the shared ones (the `webapp` stream): they fail the
    benchmark as the others do; their results go to the JSON under `name`, `report` after the
    markdown."""

    name: str
    runs: dict[str, Measurement | None]
    diffs: list[TableDiff]
    results: dict
    report: list[str]


@dataclass(frozen=True)
class Domain:
    """What a domain's benchmark has of its own; the rest is this module's."""

    name: str
    tables: dict[str, TableSpec]
    floor_sql: Path
    floor_variables: Callable[[Path], dict[str, str]]  # landing/<name>/ -> the script's variables
    prepare: Callable[[argparse.Namespace], Prepared]  # generates (cached) and splits the data
    add_arguments: Callable[[argparse.ArgumentParser], None]  # domain options (sizes, ...)
    pandas_script: Path | None = None  # a pandas reference: `script LANDING OUT_DIR`
    pandas_tables: Callable[[Path], dict] | None = None  # the same in this process (compare.py)
    targets: Callable[[dict], list[tuple[str, str, bool]]] | None = None  # (target, measured, met)
    # compare again after the new day: ours' incremental build against the floor on all files
    compare_after_increment: bool = False
    # its own runs after the shared ones: (args, work folder, limits, logs folder) -> MoreRuns
    # source folders its landing must have even when a run lands no file in them (created empty)
    empty_folders: tuple[str, ...] = ()
    more_runs: Callable[[argparse.Namespace, Path, Limits, Path], MoreRuns] | None = None


# --- the measured runs ----------------------------------------------------------------------


@dataclass
class Limits:
    """When a run is killed: after `timeout` seconds, or over `memory_limit` bytes of RSS."""

    timeout: float
    memory_limit: int

    def memory_limit_now(self) -> int:
        """The limit, lowered to what this machine has available now (others use it too)."""
        available = psutil.virtual_memory().available - 512 * MIB
        return int(min(self.memory_limit, max(available, GIB)))


def ours_env(data_dir: Path) -> dict[str, str]:
    """The environment of `python -m event_assets run` on `data_dir` (its own Dagster home)."""
    env = {key: value for key, value in os.environ.items() if key != "DAGSTER_HOME"}
    env.update(
        EVENT_ASSETS_DATA_DIR=str(data_dir),
        EVENT_ASSETS_DUCKDB_PATH=str(data_dir / "warehouse.duckdb"),
        EVENT_ASSETS_SETTLE_SECONDS="0",
        # The analysts' copy is not a table the references build; its cost (a file copy per run,
        # 2.4 s at 10 M schools events) is reported in the README apart.
        EVENT_ASSETS_SNAPSHOT="0",
    )
    return env


def ours_code(data_dir: Path) -> str:
    """Where the `event_assets` that ours' runs import is (PYTHONPATH, else the installed one),
    asked of a process started the way they are."""
    command = [sys.executable, "-c", "import event_assets; print(event_assets.__path__[0])"]
    cwd = data_dir.parent
    done = subprocess.run(command, env=ours_env(data_dir), cwd=cwd, capture_output=True, text=True)
    return done.stdout.strip() or done.stderr.strip()


def run_measured(label: str, command: list[str], env: dict, cwd: Path, logs: Path, limits: Limits):
    print(f"running {label} ...", flush=True)
    result = measure(
        label,
        command,
        env=env,
        cwd=cwd,
        log_path=logs / f"{_slug(label)}.log",
        timeout=limits.timeout,
        memory_limit=limits.memory_limit_now(),
    )
    print(
        f"  {result.label}: {result.describe()}, {result.wall_seconds:,.1f} s, "
        f"peak {result.peak_mib:,.0f} MiB (largest process {result.max_process_mib:,.0f} MiB)",
        flush=True,
    )
    if result.status == "failed":
        print(log_tail(result.log_path), file=sys.stderr)
    return result


def run_ours(domain: Domain, label: str, data_dir: Path, logs: Path, limits: Limits):
    command = [sys.executable, "-m", "event_assets", "run", "--domain", domain.name]
    # cwd is not the repository: the package on the path (PYTHONPATH or installed) is what runs
    return run_measured(label, command, ours_env(data_dir), data_dir.parent, logs, limits)


def run_pandas(domain: Domain, landing: Path, out_dir: Path, logs: Path, limits: Limits):
    command = [sys.executable, str(domain.pandas_script), str(landing), str(out_dir)]
    return run_measured("pandas reference", command, dict(os.environ), out_dir.parent, logs, limits)


def run_floor(
    domain: Domain,
    landing: Path,
    db_path: Path,
    logs: Path,
    limits: Limits,
    label: str = "DuckDB floor",
):
    variables = json.dumps(domain.floor_variables(landing))
    command = [sys.executable, "-c", FLOOR_RUNNER, str(domain.floor_sql), variables, str(db_path)]
    return run_measured(label, command, dict(os.environ), db_path.parent, logs, limits)


def _slug(label: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in label.lower()).strip("-")


# --- the benchmark --------------------------------------------------------------------------


def parse_args(domain: Domain, argv: list[str], description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"benchmarks/{domain.name}.py", description=description)
    domain.add_arguments(parser)
    parser.add_argument("--seed", type=int, default=42, help="generator seed")
    if domain.pandas_script is not None:
        parser.add_argument("--skip-pandas", action="store_true", help="no pandas reference run")
    parser.add_argument("--no-compare", action="store_true", help="do not compare the tables")
    parser.add_argument(
        "--no-increment",
        action="store_true",
        help="only the full runs and their comparison (no new day: a quicker smoke run)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folders")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help="generated data")
    parser.add_argument(
        "--work-dir", type=Path, default=None, help="where the temporary folders go (default: tmp)"
    )
    parser.add_argument(
        "--results-dir", type=Path, default=DEFAULT_RESULTS, help="where the JSON results go"
    )
    parser.add_argument(
        "--timeout", type=float, default=7200.0, help="seconds before a run is killed"
    )
    parser.add_argument(
        "--memory-limit-gib",
        type=float,
        default=20.0,
        help="summed RSS at which a run is killed (at most 90%% of this machine's RAM)",
    )
    args = parser.parse_args(argv)
    args.skip_pandas = getattr(args, "skip_pandas", True)
    return args


def count(text: str) -> int:
    """A positive count as an option: `10_000_000`, `10,000,000` or `10000000`."""
    value = int(text.replace("_", "").replace(",", ""))
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def run_benchmark(domain: Domain, args: argparse.Namespace, root: Path):
    """Every measured run in order; returns the results, the runs and the comparisons."""
    data = domain.prepare(args)
    load_before = round(os.getloadavg()[0], 2)
    total_ram = psutil.virtual_memory().total
    limits = Limits(args.timeout, int(min(args.memory_limit_gib * GIB, 0.9 * total_ram)))
    logs = root / "logs"
    big_dir = root / "large"
    landing = big_dir / "landing" / domain.name
    data.history.link_into(landing)
    for folder in domain.empty_folders:
        (landing / folder).mkdir(parents=True, exist_ok=True)
    runs: dict[str, Measurement | None] = dict.fromkeys(
        ["ours_full", "pandas", "floor", "ours_incremental", "ours_full_small"]
        + ["ours_incremental_small"]
        + (["floor_after_increment"] if domain.compare_after_increment else [])
    )

    runs["ours_full"] = run_ours(domain, "ours, full", big_dir, logs, limits)
    if not args.skip_pandas:
        runs["pandas"] = run_pandas(domain, landing, root / "pandas", logs, limits)
    runs["floor"] = run_floor(domain, landing, root / "floor.duckdb", logs, limits)
    diffs = [] if args.no_compare else compare(domain, root, runs)

    if not args.no_increment:
        _increment(domain, args, root, data, limits, runs, diffs)
    more = domain.more_runs(args, root, limits, logs) if domain.more_runs else None
    if more is not None:
        runs.update(more.runs)
        diffs = diffs + more.diffs  # kept apart in the markdown: its tables are the domain's own
    results = _results(domain, args, data, load_before, limits, runs, diffs, more)
    return results, runs, diffs


def _increment(
    domain: Domain,
    args: argparse.Namespace,
    root: Path,
    data: Prepared,
    limits: Limits,
    runs: dict[str, Measurement | None],
    diffs: list[TableDiff],
) -> None:
    """The new day on the big history (and the floor again), and on the smaller one."""
    logs, big_dir, small_dir = root / "logs", root / "large", root / "small"
    landing = big_dir / "landing" / domain.name
    if runs["ours_full"].ok:
        data.increment.link_into(landing)
        label = "ours, incremental (large)"
        runs["ours_incremental"] = run_ours(domain, label, big_dir, logs, limits)
        if domain.compare_after_increment:
            diffs += compare_after_increment(domain, root, runs, logs, limits, args.no_compare)
    if data.history_small is data.history:  # the same history: its runs are the ones above
        runs["ours_full_small"] = runs["ours_full"]
        runs["ours_incremental_small"] = runs["ours_incremental"]
    else:
        small_landing = small_dir / "landing" / domain.name
        data.history_small.link_into(small_landing)
        label = "ours, full (small history)"
        runs["ours_full_small"] = run_ours(domain, label, small_dir, logs, limits)
        if runs["ours_full_small"].ok:
            data.increment.link_into(small_landing)
            label = "ours, incremental (small history)"
            runs["ours_incremental_small"] = run_ours(domain, label, small_dir, logs, limits)


def _results(
    domain: Domain,
    args: argparse.Namespace,
    data: Prepared,
    load_before: float,
    limits: Limits,
    runs: dict[str, Measurement | None],
    diffs: list[TableDiff],
    more: MoreRuns | None = None,
) -> dict:
    """What the JSON file holds (the domain's own runs' markdown under `report_more`)."""
    results = {
        "benchmark": domain.name,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": reproduce_command(domain, args.argv),
        "machine": {**machine(), "load_average_1m_before": load_before},
        "pipeline_code": args.pipeline_code,  # the package ours' runs imported
        "dataset": data.history.to_json(),
        "history_small": data.history_small.to_json(),
        "increment": data.increment.to_json(),
        "limits": {"timeout_seconds": limits.timeout, "memory_limit_bytes": limits.memory_limit},
        "runs": {key: None if run is None else run.to_json() for key, run in runs.items()},
        "ratios": _ratios(runs),
        "equivalence": [diff_json(diff) for diff in diffs],
    }
    if more is not None:
        results[more.name], results["report_more"] = more.results, more.report
    if domain.targets is not None:
        results["targets"] = [
            {"target": target, "measured": measured, "met": met}
            for target, measured, met in domain.targets(results)
        ]
    return results


def compare(domain: Domain, root: Path, runs: dict[str, Measurement | None]) -> list[TableDiff]:
    """The tables of ours, pandas and the floor compared (those that finished)."""
    ours_db = root / "large" / "warehouse.duckdb" if runs["ours_full"].ok else None
    floor_db = root / "floor.duckdb" if runs["floor"].ok else None
    pandas_dir = root / "pandas" if runs["pandas"] is not None and runs["pandas"].ok else None
    if sum(x is not None for x in (ours_db, floor_db, pandas_dir)) < 2:
        return []
    print("comparing the tables ...", flush=True)
    diffs = compare_runs(domain.tables, ours_db, floor_db, pandas_dir, domain.name)
    print(format_report(diffs), flush=True)
    return diffs


def compare_after_increment(
    domain: Domain,
    root: Path,
    runs: dict[str, Measurement | None],
    logs: Path,
    limits: Limits,
    no_compare: bool,
) -> list[TableDiff]:
    """The floor on history + new day (measured, not part of a target), compared with ours'
    incremental build: what a new day changes in ours must be what a rebuild gives."""
    landing = root / "large" / "landing" / domain.name
    db_path = root / "floor-after-increment.duckdb"
    floor = run_floor(domain, landing, db_path, logs, limits, "DuckDB floor, history + new day")
    runs["floor_after_increment"] = floor
    if no_compare or not (floor.ok and runs["ours_incremental"].ok):
        return []
    print("comparing the tables after the new day ...", flush=True)
    diffs = compare_runs(
        domain.tables, root / "large" / "warehouse.duckdb", db_path, None, domain.name
    )
    for diff in diffs:
        diff.left, diff.right = "ours + new day", "floor + new day"
    print(format_report(diffs), flush=True)
    return diffs


def reproduce_command(domain: Domain, argv: list[str]) -> str:
    if not argv:
        return f"make bench BENCH_DOMAINS={domain.name}"
    return f".venv/bin/python benchmarks/{domain.name}.py " + shlex.join(argv)


def _ratios(runs: dict[str, Measurement | None]) -> dict:
    ours, ratios = runs["ours_full"], {}
    for other in ("pandas", "floor"):
        run = runs[other]
        if ours is not None and ours.ok and run is not None and run.ok:
            ratios[f"ours_over_{other}_wall"] = ours.wall_seconds / run.wall_seconds
            ratios[f"ours_over_{other}_peak_rss"] = ours.peak_rss_bytes / run.peak_rss_bytes
    return ratios


def diff_json(diff: TableDiff) -> dict:
    return {
        "table": diff.table,
        "left": diff.left,
        "right": diff.right,
        "equal": diff.equal,
        "summary": diff.summary(),
        "examples": diff.examples,
    }


def succeeded(runs: dict[str, Measurement | None], diffs: list[TableDiff]) -> bool:
    """Ours and the floor ran to completion and every comparison made found equal tables.

    The pandas reference may fail to finish at large sizes (memory, timeout) without failing
    the benchmark, but not fail with an error.
    """
    ours_ok = all(run.ok for key, run in runs.items() if key != "pandas" and run is not None)
    ours_ok = ours_ok and runs["ours_full"] is not None and runs["floor"] is not None
    pandas = runs["pandas"]
    return ours_ok and (pandas is None or pandas.status != "failed") and all(d.equal for d in diffs)


def main(domain: Domain, description: str, argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(domain, argv, description)
    args.argv = argv
    if args.work_dir is not None:
        args.work_dir.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix=f"{domain.name}-bench-", dir=args.work_dir))
    try:
        args.pipeline_code = ours_code(root / "large")
        print(f"ours runs the event_assets in {args.pipeline_code}", flush=True)
        results, runs, diffs = run_benchmark(domain, args, root)
        has_pandas = domain.pandas_script is not None
        shared = [d for d in diffs if d.table in domain.tables]
        report = render(domain.name, domain.tables, results, runs, shared, has_pandas)
        report = "\n".join([report, *results.pop("report_more", [])])
        args.results_dir.mkdir(parents=True, exist_ok=True)
        out = args.results_dir / f"{domain.name}-{args.events}.json"
        out.write_text(json.dumps(results, indent=2) + "\n")
        print()
        print(report)
        print(f"\nResults: {out}")
    finally:
        if args.keep:
            print(f"Kept the data folders and logs in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0 if succeeded(runs, diffs) else 1
