"""What a run killed mid-way (kill -9, a crash, a power cut) leaves behind, and clearing it.

A killed process cannot record its end: its run stays STARTED in the Dagster instance and keeps
its slot of the `warehouse` pool, and every later warehouse step waits for that slot forever.
`release_dead_runs` marks such runs failed (canceled, when they were being canceled) and frees
their slots. The warehouse itself needs nothing: a step writes in transactions, which DuckDB
rolls back when the process dies.

A run is dead when the process that executes it no longer exists: the pid Dagster records with
the run's RUN_START event (the headless command's process, or the run worker the UI launched).
A process that started after the run did is another process that was given the same pid. The
instance lives in the data folder on this machine, so its runs' processes are this machine's.
A run not started yet (no RUN_START) is the launcher's business and is left alone.

The headless command also keeps its temporary files (e.g. the ingestion's decompressed copies) in
a folder named after its pid (`private_scratch`), removed when it ends and, after a kill, by the
next run (`remove_dead_scratch`).
"""

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import dagster as dg

SCRATCH_PREFIX = "event_assets_run_"
# A process's start time read from /proc is exact to about a second.
START_TIME_SLACK_SECONDS = 2.0


def release_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark the runs whose process is gone failed and free their pool slots; free the slots of
    runs already finished (or deleted). One description per run released."""
    in_progress = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]
    run_ids = {
        record.dagster_run.run_id
        for record in instance.get_run_records(filters=dg.RunsFilter(statuses=in_progress))
    }
    holding = instance.event_log_storage.get_concurrency_run_ids()
    released = []
    for run_id in sorted(run_ids | holding):
        record = instance.get_run_record_by_id(run_id)
        if record is None:  # a deleted run's slot
            instance.event_log_storage.free_concurrency_slots_for_run(run_id)
            released.append(f"run {run_id[:8]} (deleted): its claims on the warehouse pool freed")
            continue
        run = record.dagster_run
        what = f"run {run_id[:8]} ({run.job_name})"
        if not run.is_finished:
            pid = run_process(instance, run_id)
            started = record.start_time or record.create_timestamp.timestamp()
            if pid is None or process_is_alive(pid, started_by=started):
                continue
            message = f"its process {pid} no longer exists (killed or crashed)"
            if run.status == dg.DagsterRunStatus.CANCELING:
                instance.report_run_canceled(run, message=message)
                what += f", whose process {pid} is gone, marked canceled"
            else:
                instance.report_run_failed(run, message=message)
                what += f", whose process {pid} is gone, marked failed"
        if run_id in holding:
            # A finished run holds no step any more (the warehouse jobs execute their steps in
            # the run's own process), so its slot is free to release too.
            instance.event_log_storage.free_concurrency_slots_for_run(run_id)
            what += ", its claims on the warehouse pool freed"
        released.append(what)
    return released


def run_process(instance: dg.DagsterInstance, run_id: str) -> int | None:
    """The pid of the process executing the run, from its RUN_START event."""
    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.RUN_START, limit=1
    ).records
    event = records[0].event_log_entry.dagster_event if records else None
    return event.pid if event else None


def process_is_alive(pid: int, started_by: float) -> bool:
    """Whether process `pid` runs and had started by `started_by` (a Unix time)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, as another user's process
    state = _linux_process_state(pid)
    if state is None:  # no /proc (e.g. macOS): that it exists is all we know
        return True
    status, started_at = state
    if status in ("Z", "X"):  # exited, not reaped yet by its parent
        return False
    return started_at <= started_by + START_TIME_SLACK_SECONDS


def _linux_process_state(pid: int) -> tuple[str, float] | None:
    """(state letter, start as a Unix time) from /proc, or None where there is no /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
    except (OSError, StopIteration):
        return None
    # The command name (2nd field) is in parentheses and may hold spaces: split after it.
    fields = stat.rsplit(")", 1)[1].split()
    status, start_ticks = fields[0], int(fields[19])  # fields 3 and 22 of proc(5)
    return status, boot + start_ticks / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def private_scratch() -> Iterator[Path]:
    """This process's temporary files go to `<temp dir>/event_assets_run_<pid>` (Python's
    `tempfile`: the ingestion's scratch copies), removed at the end; after a kill, the next run
    finds the folder of a process that is gone and removes it (`remove_dead_scratch`). The
    headless command holds it for its whole run, a UI run worker for each ingestion."""
    if Path(tempfile.gettempdir()).name == f"{SCRATCH_PREFIX}{os.getpid()}":
        yield Path(tempfile.gettempdir())  # inside this process's own already (the CLI's run)
        return
    folder = Path(tempfile.gettempdir()) / f"{SCRATCH_PREFIX}{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)  # a dead process's with the same pid
    folder.mkdir()
    previous, tempfile.tempdir = tempfile.tempdir, str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(folder, ignore_errors=True)


def remove_dead_scratch() -> list[str]:
    """Remove the scratch folders of headless runs whose process is gone."""
    removed = []
    root = Path(tempfile.gettempdir())
    for folder in sorted(root.glob(f"{SCRATCH_PREFIX}*")):
        pid = folder.name.removeprefix(SCRATCH_PREFIX)
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        with contextlib.suppress(FileNotFoundError):
            # Its owner created it, so started before its last change.
            if process_is_alive(int(pid), started_by=folder.stat().st_mtime):
                continue
            shutil.rmtree(folder)
            removed.append(f"scratch folder {folder} removed")
    return removed
