"""The `webapp` stream benchmark's timed micro-batches (`webapp_stream.py` runs this measured).

    python benchmarks/webapp_stream_batches.py WAREHOUSE PLAYBACK_LANDING OUT_JSON

On a warehouse where ours' whole run has ingested, classified and processed the playback files:
empties the processor's own tables (its ledger, the open and written streams, the accepted and
quarantined heartbeats; the ingested and classified rows stay), then processes every file again
with the processor's `process_pending`, in this one process (warm: Python, DuckDB and the
connection started, the tables created, before the first batch). Each batch is timed from its
`begin transaction` to the end of its `commit`: the batch's SQL and its commit, not the
one-off query for the pending files (timed apart) nor the file check between batches.
Writes the seconds per batch, and per batch its heartbeats and the open streams after it.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

from event_assets.defs.webapp import stream_processor as processor

PROCESSOR_TABLES = (
    processor.BATCHES,
    processor.OPEN_STREAMS,
    processor.STREAMS,
    processor.HEARTBEATS,
    processor.REJECTED,
)


class TimedTransactions:
    """The connection, with each transaction's time from `begin transaction` to the end of its
    `commit` recorded (`process_pending` runs one per batch)."""

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self._conn = conn
        self._began = 0.0
        self.seconds: list[float] = []
        self.open_streams: list[int] = []

    def execute(self, sql: str, *args):
        if sql == "begin transaction":
            self._began = time.perf_counter()
        result = self._conn.execute(sql, *args)
        if sql == "commit":
            self.seconds.append(time.perf_counter() - self._began)
            # the state a batch works against (outside the timed window)
            (count,) = self._conn.execute(
                f"select count(*) from {processor.OPEN_STREAMS}"
            ).fetchone()
            self.open_streams.append(count)
            # progress in the run's log (a long run killed still tells how far it got)
            n, seconds = len(self.seconds), self.seconds[-1]
            print(f"batch {n}: {seconds:.4f} s, {count:,} open streams after", flush=True)
        return result

    def __getattr__(self, name: str):
        return getattr(self._conn, name)


def main(warehouse: str, landing: str, out: str) -> None:
    with duckdb.connect(warehouse) as conn:
        for table in PROCESSOR_TABLES:
            conn.execute(f"drop table if exists {table}")
        processor.ensure_tables(conn)
        started = time.perf_counter()
        pending = processor.pending_batches(conn)
        pending_seconds = time.perf_counter() - started
        timed = TimedTransactions(conn)
        done = processor.process_pending(timed, 0.0, landing=Path(landing))
        assert len(done) == len(pending) == len(timed.seconds), "a batch was left pending"
        heartbeats = [
            row[0]
            for row in conn.execute(
                f"select heartbeats from {processor.BATCHES} order by batch_number"
            ).fetchall()
        ]
    result = {
        "what": "seconds per batch, begin transaction to the end of commit, one warm process",
        "pending_query_seconds": pending_seconds,
        "seconds": timed.seconds,
        "heartbeats": heartbeats,
        "open_streams_after": timed.open_streams,
        "files": [batch.source_file for batch in done],
    }
    Path(out).write_text(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:])
