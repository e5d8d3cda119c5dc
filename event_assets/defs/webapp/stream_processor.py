"""The playback stream processor: each landed playback file is one micro-batch, processed in
arrival order (modification time, then name) in one DuckDB transaction that also records it in
the batch ledger, so a batch is done wholly once or not at all (a kill -9 rolls it back).

Per batch, all in SQL over the batch's rows (never a Python loop over heartbeats):
1. the watermark as it stood before the batch: the newest valid event time seen (the ledger's
   last `max_event_at`) minus the allowed lateness;
2. each valid heartbeat of the batch is `late_event` when strictly older than it,
   `stream_closed` when on time but its stream was already written, else accepted;
3. accepted heartbeats are appended and merged into the open streams (user, device and start
   from the stream's earliest heartbeat);
4. the watermark moves to the newest on-time heartbeat (bad and late ones never move it);
5. every open stream with watermark > last heartbeat + timeout is written to playback_streams
   once and leaves the open streams.
The state between batches is the open streams and the ledger, not the past heartbeats: a batch
costs the same at the first file as at the thousandth. The ledger, the accepted heartbeats and
the judged ones are internal (`int_` names: not served); the streams and the open streams are.

The heartbeats judged `late_event` or `stream_closed` go to
`int_webapp__playback_rejected_heartbeats`, with the quarantine contract's columns. dbt reads it
as a source mapped to this processor's asset: `int_webapp__playback_judged` gives those
heartbeats the status `rejected` (the reconciliation counts them so) and `webapp_rejected_events`
(the domain's one quarantine) lists them; the run builds both after the processor (Dagster runs
the dbt models in two steps, before and after it). The primary key on the line keeps each
judged heartbeat there once; a heartbeat dbt rejected for its text never reaches the
processor, so no record is in the quarantine twice.

Input: the valid rows of `int_webapp__playback_classified` (dbt's syntax judgement) and the
ingestion ledger's modification times of the files.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from event_assets.core.ledger import LEDGER_TABLE
from event_assets.core.names import qualified, raw_table
from event_assets.defs.webapp.names import DOMAIN

CLASSIFIED = qualified(DOMAIN, "int_webapp__playback_classified")
# the judged heartbeats (late_event, stream_closed): a source of webapp_rejected_events
REJECTED_TABLE = "int_webapp__playback_rejected_heartbeats"
BATCHES, OPEN_STREAMS, STREAMS, HEARTBEATS, REJECTED = (
    qualified(DOMAIN, table)
    for table in (
        "int_webapp__playback_batches",
        "playback_open_streams",
        "playback_streams",
        "int_webapp__playback_heartbeats",
        REJECTED_TABLE,
    )
)
RAW_TABLE = f"{DOMAIN}.{raw_table(DOMAIN, 'playback')}"
STREAM_TIMEOUT_SECONDS = 60
_MAX_RAW_ID = 2**63 - 1

_STREAM_COLUMNS = """user_id VARCHAR NOT NULL, program_id VARCHAR NOT NULL,
    start_time TIMESTAMP NOT NULL, session_id VARCHAR NOT NULL, device VARCHAR"""
_TABLES = [
    f"""create table if not exists {BATCHES} (
        batch_number BIGINT PRIMARY KEY, source_file VARCHAR NOT NULL,
        file_hashes VARCHAR[] NOT NULL, mtime_ns BIGINT NOT NULL,
        watermark_before TIMESTAMP, max_event_at TIMESTAMP,
        heartbeats BIGINT NOT NULL, accepted BIGINT NOT NULL, late_events BIGINT NOT NULL,
        stream_closed_events BIGINT NOT NULL, streams_closed BIGINT NOT NULL,
        processed_at TIMESTAMP NOT NULL)""",
    f"""create table if not exists {OPEN_STREAMS} ({_STREAM_COLUMNS},
        first_event_at TIMESTAMP NOT NULL, last_event_at TIMESTAMP NOT NULL,
        event_count BIGINT NOT NULL, PRIMARY KEY (session_id, program_id))""",
    # the primary key makes a second write of a stream fail the batch (exactly once)
    f"""create table if not exists {STREAMS} ({_STREAM_COLUMNS},
        stream_duration_seconds DOUBLE NOT NULL, event_count BIGINT NOT NULL,
        PRIMARY KEY (session_id, program_id))""",
    f"""create table if not exists {HEARTBEATS} (raw_id BIGINT PRIMARY KEY,
        session_id VARCHAR NOT NULL, program_id VARCHAR NOT NULL, event_at TIMESTAMP NOT NULL,
        batch_number BIGINT NOT NULL)""",
    f"""create table if not exists {REJECTED} (source_file VARCHAR NOT NULL,
        line_number BIGINT NOT NULL, file_hash VARCHAR NOT NULL, reason VARCHAR NOT NULL,
        raw_record VARCHAR, ingested_at TIMESTAMP NOT NULL, user_id VARCHAR,
        session_id VARCHAR, program_id VARCHAR, event_time VARCHAR,
        PRIMARY KEY (source_file, file_hash, line_number))""",
]


@dataclass(frozen=True)
class Batch:
    """One landed file not processed yet: every content of it the ingestion stored since (a
    file caught half-written and completed later is stored in two parts: one batch)."""

    source_file: str
    file_hashes: list[str]
    mtime_ns: int
    # the range of raw ids its rows got (the ledger's): reading the batch's rows by it skips
    # the row groups of every other file, so a batch's cost does not grow with the history
    first_raw_id: int
    last_raw_id: int


# The judged heartbeats' table before webapp_rejected_events served them (it was a contract
# table then): a warehouse that has it keeps its rows under the new name.
_FORMER_REJECTED = "playback_rejected_heartbeats"


def ensure_tables(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(f"create schema if not exists {DOMAIN}")
    tables = {
        name
        for (name,) in conn.execute(
            "select table_name from information_schema.tables where table_schema = ?", [DOMAIN]
        ).fetchall()
    }
    if _FORMER_REJECTED in tables and REJECTED_TABLE not in tables:
        conn.execute(f"alter table {DOMAIN}.{_FORMER_REJECTED} rename to {REJECTED_TABLE}")
    for sql in _TABLES:
        conn.execute(sql)


def pending_batches(conn: duckdb.DuckDBPyConnection) -> list[Batch]:
    """The ingested playback files not processed yet, in arrival order (mtime, then name)."""
    rows = conn.execute(
        f"""with loads as (
                select source_file, file_hash, max(mtime_ns) as mtime_ns,
                    min(first_raw_id) as first_raw_id, max(last_raw_id) as last_raw_id,
                    -- loaded before the ledger kept the range: no bound
                    bool_or(first_raw_id is null and records > 0) as range_unknown
                from main.{LEDGER_TABLE}
                where raw_table = ? and error is null
                group by source_file, file_hash
            ),
            processed as (
                select source_file, unnest(file_hashes) as file_hash from {BATCHES}
            )
            select source_file, list(file_hash order by mtime_ns, file_hash), min(mtime_ns),
                -- a content without records (an empty file) has no range: an empty one
                if(bool_or(range_unknown), 0, coalesce(min(first_raw_id), 0)),
                if(bool_or(range_unknown), {_MAX_RAW_ID}, coalesce(max(last_raw_id), -1))
            from loads
            where (source_file, file_hash) not in (select source_file, file_hash from processed)
            group by source_file
            order by min(mtime_ns), source_file""",
        [RAW_TABLE],
    ).fetchall()
    return [Batch(*row) for row in rows]


def unfinished(conn: duckdb.DuckDBPyConnection, landing: Path | None, batch: Batch) -> bool:
    """Whether the file is still being written: it ends inside a line (no final line feed) and
    that last line did not parse. Its batch and every later one wait (arrival order), so that
    the file is one micro-batch once complete, as if it had landed whole."""
    path = landing / batch.source_file if landing else None
    if path is None or not path.is_file() or path.stat().st_size == 0:
        return False
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        if handle.read(1) == b"\n":
            return False
    (last_error,) = conn.execute(
        f"""select arg_max(load_error, line_number) from {RAW_TABLE}
            where raw_id between ? and ? and source_file = ? and file_hash = ?""",
        [batch.first_raw_id, batch.last_raw_id, batch.source_file, batch.file_hashes[-1]],
    ).fetchone()
    return last_error == "malformed_json"


def process_pending(
    conn: duckdb.DuckDBPyConnection,
    lateness_seconds: float = 0.0,
    inside_transaction: Callable[[Batch], None] | None = None,
    landing: Path | None = None,
) -> list[Batch]:
    """Process every pending batch in order, one transaction each; returns them. `landing`:
    the playback folder, to see a file still being written (see `unfinished`).
    `inside_transaction`: called before each commit (the kill -9 test stops there)."""
    ensure_tables(conn)
    done = []
    for batch in pending_batches(conn):
        if unfinished(conn, landing, batch):
            break
        conn.execute("begin transaction")
        try:
            _process(conn, batch, lateness_seconds)
            if inside_transaction:
                inside_transaction(batch)
            conn.execute("commit")
        except BaseException:
            conn.execute("rollback")
            raise
        done.append(batch)
    return done


def _process(conn: duckdb.DuckDBPyConnection, batch: Batch, lateness_seconds: float) -> None:
    number, max_before = conn.execute(
        f"""select count(*) + 1,
                   (select max_event_at from {BATCHES} where max_event_at is not null
                    order by batch_number desc limit 1)
            from {BATCHES}"""
    ).fetchone()
    raw_ids = [batch.first_raw_id, batch.last_raw_id]
    lateness = f"to_microseconds(cast({round(lateness_seconds * 1e6)} as bigint))"
    conn.execute(
        f"""create or replace temp table batch_rows as
            with rows as (
                select * from {CLASSIFIED}
                where raw_id between ? and ?
                    and status = 'valid' and source_file = ?
                    and file_hash in (select unnest(?))
            ),
            -- the written streams among the batch's: filtered on the batch's sessions while
            -- scanned, so the lookup stays cheap however many streams were written before
            closed as (
                select session_id, program_id from {STREAMS}
                where session_id in (select session_id from rows)
            )
            select rows.*,
                case
                    when event_at < cast(? as timestamp) - {lateness} then 'late_event'
                    when (session_id, program_id) in (select * from closed) then 'stream_closed'
                end as judgement
            from rows""",
        [*raw_ids, batch.source_file, batch.file_hashes, max_before],
    )
    conn.execute(
        f"""insert into {REJECTED}
            select 'playback/' || b.source_file, b.line_number, b.file_hash, b.judgement,
                   cast(raw.record as varchar), b.ingested_at, b.user_id, b.session_id,
                   b.program_id, b.event_time_text
            from batch_rows as b
            -- the record as it arrived (classification keeps it for its own rejects only)
            left join {RAW_TABLE} as raw
                on raw.raw_id = b.raw_id and raw.raw_id between ? and ?
            where b.judgement is not null""",
        raw_ids,
    )
    conn.execute(
        f"""insert into {HEARTBEATS}
            select raw_id, session_id, program_id, event_at, {number}
            from batch_rows where judgement is null"""
    )
    # the batch's part of each stream; its earliest heartbeat gives user, device and start
    conn.execute(
        f"""insert into {OPEN_STREAMS}
            select arg_min(user_id, (event_at, raw_id)), program_id,
                   arg_min(start_time, (event_at, raw_id)), session_id,
                   arg_min(device, (event_at, raw_id)), min(event_at), max(event_at), count(*)
            from batch_rows where judgement is null
            group by session_id, program_id
            on conflict (session_id, program_id) do update set
                user_id = case when excluded.first_event_at < first_event_at
                               then excluded.user_id else user_id end,
                start_time = case when excluded.first_event_at < first_event_at
                                  then excluded.start_time else start_time end,
                device = case when excluded.first_event_at < first_event_at
                              then excluded.device else device end,
                first_event_at = least(first_event_at, excluded.first_event_at),
                last_event_at = greatest(last_event_at, excluded.last_event_at),
                event_count = event_count + excluded.event_count"""
    )
    # on-time heartbeats move the watermark (a closed stream's too: the generator's rule)
    (max_after,) = conn.execute(
        """select greatest(cast(? as timestamp), max(event_at))  -- greatest skips a NULL
           from batch_rows where judgement is distinct from 'late_event'""",
        [max_before],
    ).fetchone()
    closing = f"""cast(? as timestamp) - {lateness}
                  > last_event_at + interval {STREAM_TIMEOUT_SECONDS} second"""
    conn.execute(
        f"""insert into {STREAMS}
            select user_id, program_id, start_time, session_id, device,
                   round((epoch_us(last_event_at) - epoch_us(start_time)) / 1e6, 6),
                   event_count
            from {OPEN_STREAMS} where {closing}
            order by last_event_at, session_id, program_id""",
        [max_after],
    )
    (closed,) = conn.execute(
        f"select count(*) from {OPEN_STREAMS} where {closing}", [max_after]
    ).fetchone()
    conn.execute(f"delete from {OPEN_STREAMS} where {closing}", [max_after])
    conn.execute(
        f"""insert into {BATCHES}
            select {number}, ?, ?, ?, cast(? as timestamp) - {lateness}, cast(? as timestamp),
                   count(*), count(*) filter (where judgement is null),
                   count(*) filter (where judgement = 'late_event'),
                   count(*) filter (where judgement = 'stream_closed'),
                   ?, current_timestamp
            from batch_rows""",
        [batch.source_file, batch.file_hashes, batch.mtime_ns, max_before, max_after, closed],
    )
