"""Exactly once under kill -9: a subprocess processing playback files is killed in the middle
of a batch (after its writes, before its commit), twice at different batches; a re-run then
finishes. The tables equal those of one uninterrupted run: nothing lost, nothing twice."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from event_assets.defs.webapp import stream_processor
from event_assets_tests.webapp.stream_inputs import dump, load_files, shuffled_files

REPO = Path(__file__).resolve().parents[2]
FILES = 16
# Runs the processor on the warehouse and, inside the transaction of batch number `stop_at`,
# says so and waits to be killed.
KILLABLE = """
import sys, time
from pathlib import Path
import duckdb
from event_assets.defs.webapp import stream_processor

path, stop_at, marker = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
seen = []

def stop(batch):
    seen.append(batch)
    if len(seen) == stop_at:
        marker.write_text(batch.source_file)
        time.sleep(120)

with duckdb.connect(path) as conn:
    stream_processor.process_pending(conn, inside_transaction=stop)
"""


def run_and_kill(warehouse: Path, stop_at: int, tmp_path: Path) -> str:
    marker = tmp_path / f"stopped-{stop_at}"
    process = subprocess.Popen(
        [sys.executable, "-c", KILLABLE, str(warehouse), str(stop_at), str(marker)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    deadline = time.monotonic() + 60
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the processor never reached the batch"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return marker.read_text()


def batches_done(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute("select count(*) from webapp.int_webapp__playback_batches").fetchone()[
            0
        ]


def test_a_kill_in_the_middle_of_a_batch_loses_nothing_and_repeats_nothing(tmp_path):
    files = shuffled_files(seed=3, streams=60, files=FILES)
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        load_files(conn, files)
    with duckdb.connect() as conn:  # the same files, one uninterrupted run
        load_files(conn, files)
        stream_processor.process_pending(conn)
        expected = dump(conn)
    assert expected["playback_streams"]
    assert {row[3] for row in expected[stream_processor.REJECTED_TABLE]} == {
        "late_event",
        "stream_closed",
    }

    assert run_and_kill(warehouse, 5, tmp_path) == "playback-00005.jsonl"
    assert batches_done(warehouse) == 4  # the fifth batch rolled back wholly
    run_and_kill(warehouse, 7, tmp_path)  # the re-run's seventh: file 11
    assert batches_done(warehouse) == 10

    with duckdb.connect(str(warehouse)) as conn:
        stream_processor.process_pending(conn)
        assert dump(conn) == expected
        assert stream_processor.pending_batches(conn) == []
