"""kill -9 at any point, then a UI run and the CLI at once, for every domain: nothing is lost,
nothing counted twice, nothing blocks the next run.

Per domain, `python -m event_assets run` on the start of its bundled sample is killed three
times: during the ingestion (the process alone), during the dbt build (the process with its
dbt subprocess, as a machine crash would), and at a random moment (seeded, printed). Then two
runs go at once, one with the instance the killed runs used and one with another instance (the
UI's and a CLI with another DAGSTER_HOME). Both succeed, every raw table reconciles, and the
tables equal the clean run's.
"""

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import dagster as dg
import duckdb
import psutil
import pytest

from event_assets.core.dead_runs import SCRATCH_PREFIX
from event_assets.core.warehouse import load_settings
from event_assets_tests.conftest import DOMAINS
from event_assets_tests.faults.builds import (
    CLI,
    assert_reconciled_and_quarantined,
    cli_env,
    rejected_rows,
    served_tables,
)
from event_assets_tests.sample import copy_sample_start

pytestmark = pytest.mark.faults

TIMEOUT = 300  # seconds for any one wait: far above a run's time, far below a hang's


def wait_until(condition, what: str, poll: float = 0.005):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(poll)
    raise AssertionError(f"timed out waiting for {what}")


def start(domain: str, env: dict[str, str]) -> subprocess.Popen:
    # its own process group, so that the whole run (dbt too) can be killed at once
    return subprocess.Popen([*CLI, domain], env=env, text=True, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip


def ingesting(process: subprocess.Popen, env: dict[str, str]) -> bool:
    """The run is reading landing files: its ingestion's scratch folder exists."""
    scratch = Path(env["TMPDIR"]) / f"{SCRATCH_PREFIX}{process.pid}"
    return any(scratch.glob("event_assets_*"))


def building(process: subprocess.Popen) -> bool:
    """The run's dbt build is going."""
    try:
        children = psutil.Process(process.pid).children(recursive=True)
        return any("build" in child.cmdline() and "dbt" in child.cmdline()[1] for child in children)
    except (psutil.NoSuchProcess, psutil.AccessDenied, IndexError):
        return False


def killed(process: subprocess.Popen, whole_group: bool) -> str:
    """SIGKILL the run (and its subprocesses); what it had printed."""
    if whole_group:
        os.killpg(process.pid, signal.SIGKILL)
    else:
        process.send_signal(signal.SIGKILL)
    output, _ = process.communicate(timeout=TIMEOUT)
    return output


@pytest.mark.parametrize("domain", DOMAINS)
def test_killed_runs_then_two_at_once_leave_the_clean_run_s_tables(domain, tmp_path, clean_run):
    rng = random.Random(f"kill {domain}")
    env = cli_env(tmp_path)
    copy_sample_start(domain, Path(env["EVENT_ASSETS_DATA_DIR"]) / "landing" / domain)

    run = start(domain, env)
    wait_until(lambda: ingesting(run, env) or run.poll() is not None, "the ingestion")
    assert run.poll() is None, run.communicate()[0]
    time.sleep(rng.uniform(0, 0.05))
    killed(run, whole_group=False)
    first_pid, scratch = run.pid, Path(env["TMPDIR"]) / f"{SCRATCH_PREFIX}{run.pid}"
    assert scratch.is_dir()  # left behind by the kill

    run = start(domain, env)
    wait_until(lambda: building(run) or run.poll() is not None, "the dbt build", poll=0.02)
    assert run.poll() is None, run.communicate()[0]
    time.sleep(rng.uniform(0.2, 2.0))
    output = killed(run, whole_group=True)
    # the first kill's run, its claim on the pool and its scratch, cleaned up and named
    (cleanup,) = [line for line in output.splitlines() if line.startswith("cleaned up")]
    assert f"_ingest), whose process {first_pid} is gone, marked failed, its claims" in cleanup
    assert f"scratch folder {scratch} removed" in cleanup and not scratch.exists()

    run = start(domain, env)
    moment = rng.uniform(2.0, 15.0)
    print(f"third kill {moment:.2f} s after the start")
    try:
        run.wait(timeout=moment)
    except subprocess.TimeoutExpired:
        killed(run, whole_group=True)

    other_env = cli_env(tmp_path, home="other_home")
    runs = [start(domain, env), start(domain, other_env)]
    for each in runs:
        output, _ = each.communicate(timeout=TIMEOUT)
        assert each.returncode == 0, output
    assert not list(Path(env["TMPDIR"]).glob(f"{SCRATCH_PREFIX}*"))  # scratch folders gone
    with dg.DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
        stuck = instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
        assert stuck == []  # every killed run marked failed

    assert_reconciled_and_quarantined(load_settings(env), domain)
    clean = clean_run(domain)
    with duckdb.connect(env["EVENT_ASSETS_DUCKDB_PATH"], read_only=True) as conn:
        assert served_tables(conn, domain) == clean.served
        assert rejected_rows(conn, domain) == clean.rejected
