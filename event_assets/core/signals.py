"""How SIGINT (Ctrl-C) and SIGTERM stop a headless run, also one that waits for the warehouse
pool: one line on stderr, exit status 128 + the signal's number (130, 143).

Outside a job, `StopSignals` turns either signal into `Interrupted`. While a job executes,
Dagster handles both: one arriving during a step interrupts the step and fails the run, but one
arriving while the run waits for a slot of the warehouse pool is only noted, and the in-process
executor goes on waiting until the slot is free, which, for a slot a killed run kept, is never.

`PoolWatch` is a thread beside each job. It hears every signal (Python writes the signal's
number to the `signal.set_wakeup_fd` socket whoever handles it) and looks at the pool every
second. While the run waits for a slot, it says once who holds it; releases it if the holder's
process died meanwhile (`dead_runs.py`); and on a signal marks the run failed, frees its place in
the queue and ends the process (the run has no step going, so nothing is half-done). A signal
during a step is Dagster's to handle; the runner stops after that run (`PoolWatch.signal`).
"""

import os
import select
import signal
import socket
import threading
from typing import TextIO

import dagster as dg

from event_assets.core.dead_runs import release_dead_runs, run_process
from event_assets.core.warehouse import WAREHOUSE_POOL

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
POLL_SECONDS = 1.0


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived; a KeyboardInterrupt, so that no `except Exception` keeps it."""

    def __init__(self, signum: int, detail: str = ""):
        super().__init__(signum)
        self.signum = signum
        self.detail = detail

    @property
    def line(self) -> str:
        detail = self.detail or "; what finished is kept, the next run does the rest"
        return f"error: interrupted by {signal.Signals(self.signum).name}{detail}"

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class StopSignals:
    """While in use, SIGINT and SIGTERM raise `Interrupted` (SIGTERM would otherwise end the
    process without a word, and no `finally` block would run), and `received` keeps the signal:
    library code it interrupts may turn the exception into an error of its own."""

    def __init__(self):
        self.received = 0

    def __enter__(self) -> "StopSignals":
        self._previous = {number: signal.signal(number, self._stop) for number in STOP_SIGNALS}
        return self

    def __exit__(self, *exc_info) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)

    def _stop(self, signum: int, _frame) -> None:
        self.received = signum
        raise Interrupted(signum)


class PoolWatch:
    """Watches run `run_id` of `instance` while it executes (see the module's description);
    lines for the user go to `out`."""

    def __init__(self, instance: dg.DagsterInstance, run_id: str, out: TextIO):
        self.instance = instance
        self.run_id = run_id
        self.out = out
        self.signal = 0  # the last SIGINT or SIGTERM received, 0 if none

    def __enter__(self) -> "PoolWatch":
        self._receiver, self._sender = socket.socketpair()
        self._sender.setblocking(False)
        self._previous_wakeup_fd = None
        if threading.current_thread() is threading.main_thread():  # where signals are handled
            self._previous_wakeup_fd = signal.set_wakeup_fd(
                self._sender.fileno(), warn_on_full_buffer=False
            )
        # Dagster sends this process's stderr to its compute log while the job executes; the
        # last word before ending the process goes to the stderr of now.
        self._stderr = os.fdopen(os.dup(2), "w")
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="pool-watch", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._done.set()
        self._sender.send(b"\0")  # wakes the thread from its wait (0 is no signal)
        self._thread.join()
        if self._previous_wakeup_fd is not None:
            signal.set_wakeup_fd(self._previous_wakeup_fd)
        self._receiver.close()
        self._sender.close()
        self._stderr.close()

    def _watch(self) -> None:
        announced: list[str] = []
        while not self._done.is_set():
            if select.select([self._receiver], [], [], POLL_SECONDS)[0]:
                numbers = set(self._receiver.recv(64)) & set(STOP_SIGNALS)
                self.signal = max(numbers, default=self.signal)
            if self._done.is_set():
                break
            try:
                announced = self._look_at_the_pool(announced)
            except Exception:  # e.g. the instance's SQLite busy: look again in a second
                continue

    def _look_at_the_pool(self, announced: list[str]) -> list[str]:
        """Act on the pool while this run waits for it; the holders announced so far."""
        holders = self._holders_while_waiting()
        if not holders:
            return announced
        if self.signal:
            self._give_up(holders)
        released = release_dead_runs(self.instance)
        if released:
            print(f"released the warehouse pool: {'; '.join(released)}", file=self.out, flush=True)
        elif holders != announced:
            print(
                f"waiting for the warehouse pool, held by {self._describe(holders)}; "
                "Ctrl-C stops this run",
                file=self.out,
                flush=True,
            )
            return holders
        return announced

    def _holders_while_waiting(self) -> list[str]:
        """The runs holding the pool's slots while this run waits for one, else []."""
        info = self.instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL)
        waiting = any(
            step.run_id == self.run_id and step.assigned_timestamp is None
            for step in info.pending_steps
        )
        holders = sorted({slot.run_id for slot in info.claimed_slots} - {self.run_id})
        return holders if waiting else []

    def _describe(self, run_ids: list[str]) -> str:
        described = []
        for run_id in run_ids:
            run = self.instance.get_run_by_id(run_id)
            job = run.job_name if run else "deleted"
            pid = run_process(self.instance, run_id)
            described.append(f"run {run_id[:8]} ({job}, process {pid})")
        return ", ".join(described)

    def _give_up(self, holders: list[str]) -> None:
        """End the process: this run has no step going (it waits), so nothing is half-done."""
        name = signal.Signals(self.signal).name
        run = self.instance.get_run_by_id(self.run_id)
        if run is not None:
            message = f"interrupted by {name} while waiting for the warehouse pool"
            self.instance.report_run_failed(run, message=message)
        self.instance.event_log_storage.free_concurrency_slots_for_run(self.run_id)
        detail = (
            f" while waiting for the warehouse pool (held by {self._describe(holders)}); "
            f"run {self.run_id[:8]} marked failed"
        )
        self._stderr.write(Interrupted(self.signal, detail).line + "\n")
        self._stderr.flush()
        os._exit(128 + self.signal)
