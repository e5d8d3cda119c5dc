"""Run a command and measure its wall time and peak memory over its whole process tree.

Memory is the resident set size (RSS) summed over the process and all its descendants, sampled
every `interval` seconds with psutil (dbt, for example, runs as a child of the Dagster process);
the largest single process is reported too. A run that exceeds `memory_limit` bytes (summed) or
`timeout` seconds is killed, process by process, and reported as not finished instead of taking
the machine down.
"""

from __future__ import annotations

import subprocess
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

MIB = 1024 * 1024
OK, FAILED, TIMEOUT, MEMORY = "ok", "failed", "timeout", "memory_limit"


@dataclass
class Measurement:
    """What one measured command did."""

    label: str
    command: list[str]
    status: str  # OK, FAILED (non-zero exit), TIMEOUT or MEMORY (killed)
    exit_code: int | None
    wall_seconds: float
    peak_rss_bytes: int  # summed over the process tree
    max_process_rss_bytes: int  # the largest single process
    samples: int
    log_path: str
    memory_limit_bytes: int | None = None

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def peak_mib(self) -> float:
        return self.peak_rss_bytes / MIB

    @property
    def max_process_mib(self) -> float:
        return self.max_process_rss_bytes / MIB

    def describe(self) -> str:
        """`ok` or why it did not finish, for the tables."""
        if self.status == OK:
            return "ok"
        if self.status == FAILED:
            return f"failed (exit {self.exit_code})"
        if self.status == TIMEOUT:
            return f"did not finish (timeout after {self.wall_seconds:,.0f} s)"
        limit = (self.memory_limit_bytes or 0) / MIB / 1024
        return f"did not finish (over {limit:,.1f} GiB RSS after {self.wall_seconds:,.0f} s)"

    def to_json(self) -> dict:
        data = asdict(self)
        data["peak_mib"] = round(self.peak_mib, 1)
        data["max_process_mib"] = round(self.max_process_mib, 1)
        return data


def process_tree(root: psutil.Process) -> list[psutil.Process]:
    """The process and its descendants that are still alive."""
    try:
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def kill_tree(root: psutil.Process) -> None:
    """Kill the descendants, then the process itself (each by its id)."""
    for process in reversed(process_tree(root)):
        try:
            process.kill()
        except psutil.Error:
            pass


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process tree until stopped; kills it over `memory_limit`."""

    def __init__(self, pid: int, interval: float, memory_limit: int | None) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.interval = interval
        self.memory_limit = memory_limit
        self.peak = 0
        self.max_process = 0
        self.samples = 0
        self.exceeded = False
        self._done = threading.Event()

    def run(self) -> None:
        while True:
            self.sample()
            if self._done.wait(self.interval):
                return

    def sample(self) -> None:
        sizes = []
        for process in process_tree(self.root):
            try:
                sizes.append(process.memory_info().rss)
            except psutil.Error:
                continue
        if not sizes:
            return
        self.samples += 1
        self.peak = max(self.peak, sum(sizes))
        self.max_process = max(self.max_process, max(sizes))
        if self.memory_limit is not None and sum(sizes) > self.memory_limit and not self.exceeded:
            self.exceeded = True
            kill_tree(self.root)

    def stop(self) -> None:
        self._done.set()
        self.join()


def measure(
    label: str,
    command: list[str],
    *,
    env: dict[str, str],
    cwd: Path,
    log_path: Path,
    timeout: float | None = None,
    memory_limit: int | None = None,
    interval: float = 0.05,
) -> Measurement:
    """Run `command` (output to `log_path`) and measure it."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        sampler = TreeSampler(process.pid, interval, memory_limit)
        sampler.start()
        timed_out = False
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_tree(sampler.root)
            process.wait()
        except BaseException:  # interrupted: do not leave the tree running
            kill_tree(sampler.root)
            process.wait()
            raise
        finally:
            wall = time.perf_counter() - started
            sampler.stop()
    if timed_out:
        status = TIMEOUT
    elif sampler.exceeded:
        status = MEMORY
    else:
        status = OK if process.returncode == 0 else FAILED
    return Measurement(
        label=label,
        command=command,
        status=status,
        exit_code=process.returncode,
        wall_seconds=wall,
        peak_rss_bytes=sampler.peak,
        max_process_rss_bytes=sampler.max_process,
        samples=sampler.samples,
        log_path=str(log_path),
        memory_limit_bytes=memory_limit,
    )


def log_tail(path: str | Path, lines: int = 30) -> str:
    """The end of a run's output, to show why it failed."""
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
