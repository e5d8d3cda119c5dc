"""Runs launched by the UI's sensors against the same work done headless, run by run.

For each data set (the bundled sample, and generated ones with `--events`), on two fresh copies
of the same landing files:
- headless: `python -m event_assets run --domain schools`;
- UI: `dagster dev` with that data folder; the landing sensor requests the ingestion, the
  stale-days sensor the days; we wait until the UI has run the same jobs as the headless run,
  then stop it.
Each run's duration is its RUN_START..RUN_SUCCESS in the Dagster instance (the step work plus
the run's own overhead); a UI run also has a launch delay (a new process that loads the code
location) before it starts, and sensor intervals between runs, reported apart.

    .venv/bin/python benchmarks/ui_runs.py                    # the sample only
    .venv/bin/python benchmarks/ui_runs.py --events 1000000   # and 1 M events
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import dagster as dg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from schools import ensure_dataset, link_files, ours_env  # noqa: E402

from event_assets.core.dbt import DBT_PROJECT_DIR  # noqa: E402
from event_assets.core.warehouse import (  # noqa: E402
    DBT_CONNECT_ATTEMPTS_VAR,
    DUCKDB_PATH_VAR,
    export_for_dbt,
    load_settings,
)

SAMPLE = REPO / "data" / "landing" / "schools"
RESULTS = REPO / "benchmarks" / "results"


def runs_of(home: Path) -> list[dict]:
    """The finished runs of an instance, oldest first: job, created/start/end times, status."""
    with dg.DagsterInstance.from_config(str(home)) as instance:
        records = instance.get_run_records()
    return [
        {
            "job": record.dagster_run.job_name,
            "created": record.create_timestamp.timestamp(),
            "start": record.start_time,
            "end": record.end_time,
            "success": record.dagster_run.status == dg.DagsterRunStatus.SUCCESS,
        }
        for record in reversed(records)
        if record.end_time is not None
    ]


def prime_dbt(data: Path) -> None:
    """Leave dbt's partial-parse state for this warehouse, as a previous run on it would: dbt
    parses the whole project again when the warehouse path changes (it is part of the profile),
    which would charge one side of the comparison for the other's warehouse."""
    env = ours_env(data)
    settings = load_settings(env)
    target = settings.dbt_target_dir("schools")
    dbt = Path(sys.executable).with_name("dbt")
    command = [str(dbt), "parse", "--target-path", str(target), "--profiles-dir", "."]
    export_for_dbt(settings)  # the variables the runs give dbt, also those of the profile
    env.update({key: os.environ[key] for key in (DUCKDB_PATH_VAR, DBT_CONNECT_ATTEMPTS_VAR)})
    subprocess.run(command, env=env, cwd=DBT_PROJECT_DIR, check=True, capture_output=True)


def headless(files: list[Path], root: Path) -> list[dict]:
    data = root / "headless"
    link_files(files, data / "landing" / "schools")
    prime_dbt(data)
    command = [sys.executable, "-m", "event_assets", "run", "--domain", "schools"]
    subprocess.run(command, env=ours_env(data), cwd=REPO, check=True, capture_output=True)
    return runs_of(data / ".dagster")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def through_the_ui(files: list[Path], root: Path, jobs: list[str], timeout: float) -> list[dict]:
    """Start `dagster dev` on the files and wait until it has run `jobs` (as many of each)."""
    data = root / "ui"
    link_files(files, data / "landing" / "schools")
    prime_dbt(data)
    env = ours_env(data)
    home = subprocess.run(
        [sys.executable, "-m", "event_assets", "home"], env=env, capture_output=True, text=True
    ).stdout.strip()
    env["DAGSTER_HOME"] = home
    dagster = Path(sys.executable).with_name("dagster")
    command = [str(dagster), "dev", "-w", "workspace.yaml", "-p", str(free_port())]
    log = (root / "dagster-dev.log").open("w")
    server = subprocess.Popen(
        command, env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    wanted = sorted(jobs)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            time.sleep(5)
            done = runs_of(Path(home)) if (Path(home) / "history").exists() else []
            if sorted(run["job"] for run in done) == wanted:
                return done
            if len(done) > len(wanted):
                raise RuntimeError(f"the UI ran more than the headless run: {done}")
        raise RuntimeError(f"the UI did not run {wanted} within {timeout:.0f} s")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        log.close()


def compare(label: str, files: list[Path], timeout: float, keep: bool = False) -> dict:
    root = Path(tempfile.mkdtemp(prefix="ui-runs-"))
    if keep:
        print(f"{label}: data folders kept in {root}")
    try:
        print(f"{label}: headless ...", flush=True)
        ours = headless(files, root)
        print(f"{label}: through the UI ...", flush=True)
        ui = through_the_ui(files, root, [run["job"] for run in ours], timeout)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    rows = []
    for h, u in zip(ours, sorted(ui, key=lambda run: run["created"]), strict=True):
        rows.append(
            {
                "job": h["job"],
                "headless_s": h["end"] - h["start"],
                "ui_s": u["end"] - u["start"],
                "ui_launch_s": u["start"] - u["created"],
                "ui_success": u["success"],
            }
        )
    return {"data": label, "runs": rows}


def render(results: list[dict]) -> str:
    lines = [
        "| data | run | headless (s) | UI (s) | UI / headless | UI launch delay (s) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for result in results:
        for row in result["runs"]:
            ratio = row["ui_s"] / row["headless_s"] if row["headless_s"] else float("nan")
            lines.append(
                f"| {result['data']} | {row['job']} | {row['headless_s']:.1f} | "
                f"{row['ui_s']:.1f} | {ratio:.2f} | {row['ui_launch_s']:.1f} |"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, nargs="*", default=[], help="generated data sets")
    parser.add_argument("--timeout", type=float, default=1800, help="per UI session, seconds")
    parser.add_argument("--keep", action="store_true", help="keep the data folders (to look)")
    args = parser.parse_args()
    results = [compare("sample", sorted(SAMPLE.glob("*.jsonl")), args.timeout, args.keep)]
    for events in args.events:
        dataset = ensure_dataset(REPO / "benchmarks" / ".cache", events, 42, date(2026, 1, 5), 90)
        results.append(compare(f"{events:,} events", dataset.files, args.timeout, args.keep))
    table = render(results)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ui-runs.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0 if all(row["ui_success"] for r in results for row in r["runs"]) else 1


if __name__ == "__main__":
    sys.exit(main())
