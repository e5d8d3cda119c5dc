"""A run killed at any point leaves nothing that blocks the next one, and a run waiting for the
warehouse pool says for whom, stops on SIGTERM, and goes on when the holder's process dies.

The end-to-end tests start `python -m event_assets run` as a real process and kill it; each
waits with a timeout, so that a run that hangs fails the test instead of hanging it. A run
killed during the ingestion or the dbt build, for every domain, is the fault suite's
(`event_assets_tests/faults/test_killed_and_concurrent_runs.py`).
"""

import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import dagster as dg
import pytest

from event_assets.core import ingestion_asset
from event_assets.core.dead_runs import SCRATCH_PREFIX, release_dead_runs
from event_assets.core.ingest import ingest_files
from event_assets.core.instance import INSTANCE_YAML
from event_assets.core.warehouse import WAREHOUSE_POOL
from event_assets_tests.conftest import write_events

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 240  # seconds for any one run: far above a run's time, far below a hang's


# --- which runs are dead: in the instance, no process killed -------------------------------


@pytest.fixture
def instance():
    with dg.instance_for_test(overrides={"concurrency": {"pools": {"default_limit": 1}}}) as inst:
        inst.event_log_storage.initialize_concurrency_limit_to_default(WAREHOUSE_POOL)
        yield inst


def started_run(instance: dg.DagsterInstance, pid: int, started_at: float) -> str:
    """A run as another process records it: RUN_START with its pid, then a claimed slot."""
    run_id = str(uuid.uuid4())
    instance.add_run(
        dg.DagsterRun(job_name="other_job", run_id=run_id, status=dg.DagsterRunStatus.NOT_STARTED)
    )
    start = dg.DagsterEvent(event_type_value="PIPELINE_START", job_name="other_job", pid=pid)
    instance.report_dagster_event(start, run_id, timestamp=started_at)
    instance.event_log_storage.claim_concurrency_slot(WAREHOUSE_POOL, run_id, "step")
    return run_id


def slot_holders(instance: dg.DagsterInstance) -> set[str]:
    info = instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL)
    return {slot.run_id for slot in info.claimed_slots}


def test_a_run_whose_process_lives_is_left_alone(instance):
    alive = started_run(instance, os.getpid(), started_at=time.time())
    assert release_dead_runs(instance) == []
    assert instance.get_run_by_id(alive).status == dg.DagsterRunStatus.STARTED
    assert slot_holders(instance) == {alive}


def test_a_run_whose_process_is_gone_is_marked_failed_and_its_slot_freed(instance):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
    gone = int(finished.stdout)
    dead = started_run(instance, gone, started_at=time.time())
    (released,) = release_dead_runs(instance)
    assert released.startswith(f"run {dead[:8]} (other_job), whose process {gone} is gone")
    assert instance.get_run_by_id(dead).status == dg.DagsterRunStatus.FAILURE
    assert slot_holders(instance) == set()


def test_a_pid_given_to_a_newer_process_is_not_the_run_s(instance):
    # This process started after the run did: the run's own process, which had this pid, is gone.
    dead = started_run(instance, os.getpid(), started_at=time.time() - 86_400)
    assert len(release_dead_runs(instance)) == 1
    assert instance.get_run_by_id(dead).status == dg.DagsterRunStatus.FAILURE


# --- end to end: the headless command, killed ---------------------------------------------


def cli_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "EVENT_ASSETS_DATA_DIR": str(tmp_path / "data"),
        "EVENT_ASSETS_DUCKDB_PATH": str(tmp_path / "data" / "warehouse.duckdb"),
        "EVENT_ASSETS_SETTLE_SECONDS": "0",
        "EVENT_ASSETS_SNAPSHOT": "0",
        "DAGSTER_HOME": str(tmp_path / "home"),
        "TMPDIR": str(tmp_path / "tmp"),  # where the run's scratch folder goes
    }


def prepare(tmp_path: Path, events: int) -> dict[str, str]:
    """A data folder with generated schools files and an instance folder, as `make run` has."""
    for folder in ("home", "tmp"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "home" / "dagster.yaml").write_text(INSTANCE_YAML)
    landing = tmp_path / "data" / "landing" / "schools"
    generate = ["-m", "event_assets.generate", "schools", "--events", str(events), "--days", "4"]
    subprocess.run([sys.executable, *generate, "--out", str(landing)], check=True,
                   capture_output=True, cwd=REPO)  # fmt: skip
    return cli_env(tmp_path)


@pytest.fixture
def start():
    """Start a process; any still running at the end of the test (a hung run) is killed."""
    started: list[subprocess.Popen] = []

    def start_process(*args: str, env: dict[str, str]) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, *args], cwd=REPO, env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        started.append(process)
        return process

    yield start_process
    for process in started:
        process.kill()
        process.communicate()


CLI = ("-m", "event_assets", "run", "--domain", "schools")


def wait_until(condition, what: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def holding_run(home: Path, job_name: str) -> dg.DagsterRun | None:
    """The run of `job_name` that holds the warehouse pool's slot, if one does."""
    with dg.DagsterInstance.from_config(str(home)) as instance:
        for run_id in slot_holders(instance):
            run = instance.get_run_by_id(run_id)
            if run and run.job_name == job_name:
                return run
    return None


# A run of another process in the same instance (as the UI's run worker) holding the pool's slot.
HOLDER = """
import sys, time
import dagster as dg

@dg.op(pool="warehouse")
def hold():
    time.sleep(600)

@dg.job
def other_ui_run():
    hold()

other_ui_run.execute_in_process(instance=dg.DagsterInstance.from_config(sys.argv[1]))
"""


class Lines:
    """A process's stdout, read in a thread, so that waiting for a line can time out."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)  # end of output

    def until(self, start: str, timeout: float = TIMEOUT) -> str:
        """The next line that starts with `start`; fails after `timeout` seconds or at the end."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line starting {start!r} in {timeout} s") from None
            if line is None:
                raise AssertionError(f"no line starting {start!r}: {self.process.stderr.read()}")
            if line.startswith(start):
                return line

    def rest(self) -> str:
        """The remaining lines, once the process has ended."""
        lines = []
        while (line := self.lines.get(timeout=TIMEOUT)) is not None:
            lines.append(line)
        return "\n".join(lines)


def test_a_waiting_run_says_for_whom_stops_on_sigterm_and_goes_on_when_the_holder_dies(
    tmp_path, start
):
    env = prepare(tmp_path, events=2_000)
    home = tmp_path / "home"
    holder = start("-c", HOLDER, str(home), env=env)
    held = wait_until(lambda: holding_run(home, "other_ui_run"), "the holder's slot")

    # SIGTERM while waiting: one line, exit 143, this run failed, the holder untouched.
    waiting = start(*CLI, env=env)
    line = Lines(waiting).until("waiting for the warehouse pool")
    assert f"held by run {held.run_id[:8]} (other_ui_run, process {holder.pid})" in line
    waiting.send_signal(signal.SIGTERM)
    waiting.wait(timeout=30)
    err = waiting.stderr.read()
    assert waiting.returncode == 143
    assert len(err.splitlines()) == 1, err
    assert err.startswith(
        "error: interrupted by SIGTERM while waiting for the warehouse pool (held by run "
    )
    with dg.DagsterInstance.from_config(str(home)) as instance:
        (stopped,) = instance.get_runs(filters=dg.RunsFilter(job_name="schools_ingest"))
        assert stopped.status == dg.DagsterRunStatus.FAILURE
        info = instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL)
    assert [step.run_id for step in info.pending_steps] == [held.run_id]
    assert holder.poll() is None

    # The holder dies while the next run waits: the run releases it and finishes.
    again = start(*CLI, env=env)
    lines = Lines(again)
    lines.until("waiting for the warehouse pool")
    holder.send_signal(signal.SIGKILL)
    released = lines.until("released the warehouse pool")
    assert f"run {held.run_id[:8]} (other_ui_run), whose process {holder.pid} is gone" in released
    again.wait(timeout=TIMEOUT)
    out = lines.rest()
    assert again.returncode == 0, out + again.stderr.read()
    assert "ok     schools_ingest (ingest)" in out


def test_ctrl_c_before_any_run_started_is_one_line(tmp_path, start):
    env = prepare(tmp_path, events=1_000)
    process = start(*CLI, env=env)
    time.sleep(3)  # importing Dagster and dbt, loading the definitions
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert err.splitlines() == [
        "error: interrupted by SIGINT; what finished is kept, the next run does the rest"
    ]


def test_a_ui_run_s_ingestion_keeps_its_scratch_where_the_next_run_cleans_up(
    settings, defs, monkeypatch
):
    # A UI run worker ingests in its own process: its scratch goes to the folder named after
    # that process, which the next headless run removes if the worker was killed.
    seen = []

    def spy(*args, **kwargs):
        seen.append(Path(tempfile.gettempdir()))
        return ingest_files(*args, **kwargs)

    monkeypatch.setattr(ingestion_asset, "ingest_files", spy)
    write_events(settings.landing_dir("schools") / "a.jsonl", [{"type": "x"}])
    raw = defs.resolve_assets_def(dg.AssetKey(["schools", "raw_schools_events"]))
    result = dg.materialize([raw])  # the resolved asset carries the warehouse resource
    assert result.success
    (folder,) = seen
    assert folder.name == f"{SCRATCH_PREFIX}{os.getpid()}" and not folder.exists()
