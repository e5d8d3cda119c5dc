"""Benchmark of the `schools` pipeline: ours against a pandas reference and a plain DuckDB floor.

    make bench                                   # 10 M events, about 1.5 GB over 90 daily files
    .venv/bin/python benchmarks/schools.py --events 1000000 [--skip-pandas] [--keep]

Generates a data set with the project's generator (not timed; cached in `benchmarks/.cache/`
by events, seed, start and days), then measures, one after the other on the same files:

- ours, full: `python -m event_assets run --domain schools` on an empty warehouse (only the
  `schools` domain, so that domains added later do not count);
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
import json
import os
import platform
import shlex
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psutil
from compare import TABLES, TableDiff, compare_runs, format_report
from measure import MIB, Measurement, log_tail, measure

import event_assets
from event_assets.generate.schools import DEFAULT_START, generate_schools

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_CACHE = BENCH_DIR / ".cache"
DEFAULT_RESULTS = BENCH_DIR / "results"
PANDAS_SCRIPT = BENCH_DIR / "pandas_reference.py"
FLOOR_SQL = BENCH_DIR / "duckdb_floor.sql"
GIB = 1024 * MIB

# The floor's runner: the SQL script through the duckdb package, nothing else.
FLOOR_RUNNER = """\
import sys, duckdb
sql_path, landing_glob, db_path = sys.argv[1:]
con = duckdb.connect(db_path)
con.execute("SET VARIABLE landing_glob = '" + landing_glob.replace("'", "''") + "'")
con.execute(open(sql_path).read())
con.close()
"""


# --- data sets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """A cached, generated set of landing files."""

    directory: Path
    events: int
    seed: int
    start: date
    days: int

    @property
    def files(self) -> list[Path]:
        return sorted(self.directory.glob("*.jsonl"))

    @property
    def size_bytes(self) -> int:
        return sum(path.stat().st_size for path in self.files)

    @property
    def last_day(self) -> date:
        return self.start + timedelta(days=self.days - 1)

    def describe(self) -> str:
        files = self.files
        return (
            f"{self.events:,} events in {len(files)} file(s) ({self.start} .. {self.last_day}), "
            f"{self.size_bytes / 1e6:,.1f} MB, seed {self.seed}"
        )


def ensure_dataset(
    cache_dir: Path, events: int, seed: int, start: date, days: int, suffix: str = ""
) -> Dataset:
    """The cached data set for these arguments, generated first if missing.

    With `suffix`, files are renamed `schools-<day><suffix>.jsonl` (a name no other data set
    uses). Generation goes to a hidden folder renamed when complete, so an interrupted run never
    leaves a half-written data set behind.
    """
    key = f"schools-{events}ev-seed{seed}-{start}-{days}d{suffix}"
    dataset = Dataset(cache_dir / key, events, seed, start, days)
    if (dataset.directory / ".complete").is_file():
        return dataset
    partial = cache_dir / f".{key}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    paths = generate_schools(partial, events, seed=seed, start=start, days=days)
    if suffix:
        for path in paths:
            path.rename(path.with_name(path.name.removesuffix(".jsonl") + f"{suffix}.jsonl"))
    (partial / ".complete").write_text(json.dumps({"events": events, "files": len(paths)}))
    shutil.rmtree(dataset.directory, ignore_errors=True)
    os.replace(partial, dataset.directory)
    print(f"generated {dataset.describe()} in {time.perf_counter() - started:,.1f} s")
    return dataset


def link_files(files: list[Path], landing: Path) -> None:
    """Put the files into a landing folder as hard links (symbolic links across devices)."""
    landing.mkdir(parents=True, exist_ok=True)
    for path in files:
        target = landing / path.name
        try:
            os.link(path, target)
        except OSError:
            target.symlink_to(path.resolve())


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
        # 2.4 s at 10 M events) is reported in the README apart.
        EVENT_ASSETS_SNAPSHOT="0",
    )
    return env


def run_ours(label: str, data_dir: Path, logs: Path, limits: Limits) -> Measurement:
    print(f"running {label} ...", flush=True)
    result = measure(
        label,
        [sys.executable, "-m", "event_assets", "run", "--domain", "schools"],
        env=ours_env(data_dir),
        cwd=data_dir.parent,  # not the repository: the installed package is what runs
        log_path=logs / f"{_slug(label)}.log",
        timeout=limits.timeout,
        memory_limit=limits.memory_limit_now(),
    )
    return _reported(result)


def run_pandas(landing: Path, out_dir: Path, logs: Path, limits: Limits) -> Measurement:
    print("running the pandas reference ...", flush=True)
    result = measure(
        "pandas reference",
        [sys.executable, str(PANDAS_SCRIPT), str(landing), str(out_dir)],
        env=dict(os.environ),
        cwd=out_dir.parent,
        log_path=logs / "pandas-reference.log",
        timeout=limits.timeout,
        memory_limit=limits.memory_limit_now(),
    )
    return _reported(result)


def run_floor(landing: Path, db_path: Path, logs: Path, limits: Limits) -> Measurement:
    print("running the DuckDB floor ...", flush=True)
    glob = str(landing / "*.jsonl")
    result = measure(
        "DuckDB floor",
        [sys.executable, "-c", FLOOR_RUNNER, str(FLOOR_SQL), glob, str(db_path)],
        env=dict(os.environ),
        cwd=db_path.parent,
        log_path=logs / "duckdb-floor.log",
        timeout=limits.timeout,
        memory_limit=limits.memory_limit_now(),
    )
    return _reported(result)


def _slug(label: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in label.lower()).strip("-")


def _reported(result: Measurement) -> Measurement:
    print(
        f"  {result.label}: {result.describe()}, {result.wall_seconds:,.1f} s, "
        f"peak {result.peak_mib:,.0f} MiB (largest process {result.max_process_mib:,.0f} MiB)",
        flush=True,
    )
    if result.status == "failed":
        print(log_tail(result.log_path), file=sys.stderr)
    return result


# --- report ---------------------------------------------------------------------------------


def machine() -> dict:
    """Cores, memory and CPU model of this machine, and the versions that matter."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import duckdb
    import pandas

    return {
        "cpu_model": model,
        "logical_cores": psutil.cpu_count(logical=True),
        "physical_cores": psutil.cpu_count(logical=False),
        "ram_gib": round(psutil.virtual_memory().total / GIB, 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
    }


def _seconds(result: Measurement | None) -> str:
    return f"{result.wall_seconds:,.1f}" if result is not None and result.ok else "—"


def _mib(result: Measurement | None) -> str:
    return f"{result.peak_mib:,.0f}" if result is not None and result.ok else "—"


def _ratio(ours: float, other: float) -> str:
    return f"{ours / other:,.2f}" if other else "—"


def _run_row(name: str, result: Measurement | None, ours: Measurement | None) -> str:
    if result is None:
        return f"| {name} | skipped | | | | |"
    if not result.ok:
        return f"| {name} | {result.describe()} | | | | |"
    wall = peak = "—"
    if ours is not None and ours.ok:
        wall = _ratio(ours.wall_seconds, result.wall_seconds)
        peak = _ratio(ours.peak_rss_bytes, result.peak_rss_bytes)
    return (
        f"| {name} | {_seconds(result)} | {_mib(result)} | {result.max_process_mib:,.0f} "
        f"| {wall} | {peak} |"
    )


def render(results: dict, runs: dict[str, Measurement | None], diffs: list[TableDiff]) -> str:
    """The markdown report."""
    data, increment, small = results["dataset"], results["increment"], results["history_small"]
    ours, ours_incremental = runs["ours_full"], runs["ours_incremental"]
    lines = [
        f"## `schools` benchmark: {data['events']:,} events",
        "",
        f"Data: {data['description']}. Increment: {increment['description']}.",
        "",
        "| run | wall s | peak MiB (process tree) | max MiB (one process) "
        "| ours ÷ this (wall) | ours ÷ this (peak) |",
        "|:--|--:|--:|--:|--:|--:|",
        _run_row("ours, full (`python -m event_assets run --domain schools`)", ours, ours),
        _run_row("pandas reference", runs["pandas"], ours),
        _run_row("DuckDB floor", runs["floor"], ours),
        "",
        f"| ours, incremental: +{increment['events']:,} events (1 new daily file) "
        "| wall s | peak MiB (process tree) | max MiB (one process) |",
        "|:--|--:|--:|--:|",
    ]
    lines.append(_incremental_row(f"on {data['events']:,} events of history", ours_incremental))
    if small["events"] != data["events"]:
        history = f"{small['events']:,} events"
        lines.append(_incremental_row(f"on {history} of history", runs["ours_incremental_small"]))
        lines.append(
            _incremental_row(
                f"(set-up, not incremental) ours, full on {history}", runs["ours_full_small"]
            )
        )
    lines += ["", *_equivalence_lines(diffs), "", _machine_line(results["machine"]), ""]
    lines.append(f"Reproduce: `{results['command']}`")
    return "\n".join(lines)


def _incremental_row(name: str, result: Measurement | None) -> str:
    if result is None:
        return f"| {name} | skipped | | |"
    if not result.ok:
        return f"| {name} | {result.describe()} | | |"
    return f"| {name} | {_seconds(result)} | {_mib(result)} | {result.max_process_mib:,.0f} |"


def _equivalence_lines(diffs: list[TableDiff]) -> list[str]:
    if not diffs:
        return ["Equivalence: not checked."]
    pairs = sorted({(d.left, d.right) for d in diffs}, key=lambda p: p[1])
    header = " | ".join(f"{left} vs {right}" for left, right in pairs)
    lines = [
        "Equivalence of the four contract tables (matched on keys, floats within 1e-6):",
        "",
        f"| table | {header} |",
        "|:--|" + "--|" * len(pairs),
    ]
    by_pair = {(d.table, d.left, d.right): d for d in diffs}
    for table in TABLES:
        cells = [by_pair[(table, left, right)].summary() for left, right in pairs]
        lines.append(f"| {table} | " + " | ".join(cells) + " |")
    return lines


def _machine_line(info: dict) -> str:
    return (
        f"Machine: {info['cpu_model']}, {info['logical_cores']} logical cores "
        f"({info['physical_cores']} physical), {info['ram_gib']} GiB RAM; {info['platform']}; "
        f"Python {info['python']}, duckdb {info['duckdb']}, pandas {info['pandas']}. "
        f"Load average (1 min) {info['load_average_1m_before']} before the runs, "
        f"{info['load_average_1m']} after (other work on the machine skews the numbers)."
    )


def reproduce_command(argv: list[str]) -> str:
    if not argv:
        return "make bench"
    return ".venv/bin/python benchmarks/schools.py " + shlex.join(argv)


# --- the benchmark --------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/schools.py", description=__doc__.split("\n\n")[0]
    )
    count = _count
    parser.add_argument("--events", type=count, default=10_000_000, help="events of the data set")
    parser.add_argument(
        "--incremental-events", type=count, default=100_000, help="events of the added file"
    )
    parser.add_argument(
        "--history-small", type=count, default=1_000_000, help="events of the smaller warehouse"
    )
    parser.add_argument("--days", type=count, default=90, help="daily files of the data sets")
    parser.add_argument("--seed", type=int, default=42, help="generator seed")
    parser.add_argument("--skip-pandas", action="store_true", help="no pandas reference run")
    parser.add_argument("--no-compare", action="store_true", help="do not compare the tables")
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
    return parser.parse_args(argv)


def _count(text: str) -> int:
    value = int(text.replace("_", "").replace(",", ""))
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def prepare_data(args: argparse.Namespace) -> tuple[Dataset, Dataset, Dataset]:
    """The data set, the smaller history and the next day's file (all cached)."""
    args.cache_dir.mkdir(parents=True, exist_ok=True)
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
    return big, small, increment


def run_benchmark(args: argparse.Namespace, root: Path) -> tuple[dict, dict, list[TableDiff]]:
    """Every measured run in order; returns the results, the runs and the comparisons."""
    big, small, increment = prepare_data(args)
    load_before = round(os.getloadavg()[0], 2)
    total_ram = psutil.virtual_memory().total
    limits = Limits(args.timeout, int(min(args.memory_limit_gib * GIB, 0.9 * total_ram)))
    logs = root / "logs"
    big_dir, small_dir = root / "large", root / "small"
    landing = big_dir / "landing" / "schools"
    link_files(big.files, landing)
    runs: dict[str, Measurement | None] = dict.fromkeys(
        ["ours_full", "pandas", "floor", "ours_incremental", "ours_full_small"]
        + ["ours_incremental_small"]
    )

    runs["ours_full"] = run_ours("ours, full", big_dir, logs, limits)
    if not args.skip_pandas:
        runs["pandas"] = run_pandas(landing, root / "pandas", logs, limits)
    runs["floor"] = run_floor(landing, root / "floor.duckdb", logs, limits)
    diffs = [] if args.no_compare else compare(root, runs)

    if runs["ours_full"].ok:
        link_files(increment.files, landing)
        runs["ours_incremental"] = run_ours("ours, incremental (large)", big_dir, logs, limits)
    if small == big:  # the same history: its runs are the ones above
        runs["ours_full_small"] = runs["ours_full"]
        runs["ours_incremental_small"] = runs["ours_incremental"]
    else:
        link_files(small.files, small_dir / "landing" / "schools")
        runs["ours_full_small"] = run_ours("ours, full (small history)", small_dir, logs, limits)
        if runs["ours_full_small"].ok:
            link_files(increment.files, small_dir / "landing" / "schools")
            runs["ours_incremental_small"] = run_ours(
                "ours, incremental (small history)", small_dir, logs, limits
            )

    results = {
        "benchmark": "schools",
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": reproduce_command(args.argv),
        "machine": {**machine(), "load_average_1m_before": load_before},
        "pipeline_code": str(Path(event_assets.__file__).parent),  # the package that ran
        "dataset": _dataset_json(big),
        "history_small": _dataset_json(small),
        "increment": _dataset_json(increment),
        "limits": {"timeout_seconds": limits.timeout, "memory_limit_bytes": limits.memory_limit},
        "runs": {key: None if run is None else run.to_json() for key, run in runs.items()},
        "ratios": _ratios(runs),
        "equivalence": [_diff_json(diff) for diff in diffs],
    }
    return results, runs, diffs


def compare(root: Path, runs: dict[str, Measurement | None]) -> list[TableDiff]:
    """The tables of ours, pandas and the floor compared (those that finished)."""
    ours_db = root / "large" / "warehouse.duckdb" if runs["ours_full"].ok else None
    floor_db = root / "floor.duckdb" if runs["floor"].ok else None
    pandas_dir = root / "pandas" if runs["pandas"] is not None and runs["pandas"].ok else None
    if sum(x is not None for x in (ours_db, floor_db, pandas_dir)) < 2:
        return []
    print("comparing the tables ...", flush=True)
    diffs = compare_runs(ours_db, floor_db, pandas_dir)
    print(format_report(diffs), flush=True)
    return diffs


def _dataset_json(dataset: Dataset) -> dict:
    return {
        "events": dataset.events,
        "seed": dataset.seed,
        "start": dataset.start.isoformat(),
        "days": dataset.days,
        "files": len(dataset.files),
        "bytes": dataset.size_bytes,
        "description": dataset.describe(),
    }


def _ratios(runs: dict[str, Measurement | None]) -> dict:
    ours, ratios = runs["ours_full"], {}
    for other in ("pandas", "floor"):
        run = runs[other]
        if ours is not None and ours.ok and run is not None and run.ok:
            ratios[f"ours_over_{other}_wall"] = ours.wall_seconds / run.wall_seconds
            ratios[f"ours_over_{other}_peak_rss"] = ours.peak_rss_bytes / run.peak_rss_bytes
    return ratios


def _diff_json(diff: TableDiff) -> dict:
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
    ours_ok = all(run is not None and run.ok for key, run in runs.items() if key != "pandas")
    pandas = runs["pandas"]
    return ours_ok and (pandas is None or pandas.status != "failed") and all(d.equal for d in diffs)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    args.argv = argv
    if args.work_dir is not None:
        args.work_dir.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="schools-bench-", dir=args.work_dir))
    try:
        results, runs, diffs = run_benchmark(args, root)
        report = render(results, runs, diffs)
        args.results_dir.mkdir(parents=True, exist_ok=True)
        out = args.results_dir / f"schools-{args.events}.json"
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


if __name__ == "__main__":
    sys.exit(main())
