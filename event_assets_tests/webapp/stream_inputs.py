"""Playback files as the stream processor finds them, without dbt and ingestion in between:
the valid rows of `int_webapp__playback_classified` and the ingestion ledger's rows of the
files (modification time = the file's number, so arrival order = the list's order)."""

import random
from datetime import datetime, timedelta

import duckdb
import pandas as pd

from event_assets.core.ingest import RAW_COLUMNS
from event_assets.core.ledger import LEDGER_TABLE, ensure_ledger
from event_assets.defs.webapp.stream_processor import CLASSIFIED, RAW_TABLE, REJECTED_TABLE

T0 = datetime(2024, 5, 1, 20, 0)
# (session_id, program_id, user_id, device, start_time, event_at)
Heartbeat = tuple[str, str, str, str, datetime, datetime]


def load_files(
    conn: duckdb.DuckDBPyConnection, files: list[list[Heartbeat]], raw_id_ranges: bool = True
) -> None:
    """Append the files (each a list of heartbeats) after those already loaded. The ledger
    holds each file's range of raw ids, as ingestion records it (`raw_id_ranges` False: none,
    as in a ledger written before it kept them)."""
    ensure_ledger(conn)
    conn.execute("create schema if not exists webapp")
    conn.execute(f"create table if not exists {RAW_TABLE} ({RAW_COLUMNS})")
    conn.execute(
        f"""create table if not exists {CLASSIFIED} (raw_id BIGINT, source_file VARCHAR,
            file_hash VARCHAR, line_number BIGINT, ingested_at TIMESTAMP, status VARCHAR,
            raw_record VARCHAR, user_id VARCHAR, session_id VARCHAR, program_id VARCHAR,
            device VARCHAR, start_time TIMESTAMP, event_at TIMESTAMP, event_time_text VARCHAR)"""
    )
    (first_id, first_file) = conn.execute(
        f"select coalesce(max(raw_id), 0), count(distinct source_file) from {CLASSIFIED}"
    ).fetchone()
    rows, ledger = [], []
    for offset, beats in enumerate(files):
        number = first_file + offset
        name, file_hash = f"playback-{number + 1:05d}.jsonl", f"hash-{number}"
        first_raw_id = first_id + len(rows) + 1
        last_raw_id = first_raw_id + len(beats) - 1
        ranged = raw_id_ranges and beats
        raw_ids = (first_raw_id, last_raw_id) if ranged else (None, None)
        ledger.append((RAW_TABLE, file_hash, name, 1, number, len(beats), 0, T0, None, None,
                       *raw_ids))  # fmt: skip
        for line, (session, program, user, device, start, at) in enumerate(beats, start=1):
            rows.append((first_id + len(rows) + 1, name, file_hash, line, T0, "valid", None,
                         user, session, program, device, start, at, at.isoformat()))  # fmt: skip
    conn.executemany(f"insert into main.{LEDGER_TABLE} values ({', '.join('?' * 12)})",
                     ledger)  # fmt: skip
    if rows:
        frame = pd.DataFrame(rows)  # noqa: F841 (read by DuckDB by name)
        conn.execute(f"insert into {CLASSIFIED} select * from frame")


def shuffled_files(seed: int, streams: int, files: int) -> list[list[Heartbeat]]:
    """Streams of heartbeats every 1-8 s (some with a pause over 60 s) delivered in `files`
    files, mostly in time order, with some heartbeats moved to later or earlier files (late
    events, heartbeats of streams already closed)."""
    rng = random.Random(seed)
    beats: list[Heartbeat] = []
    for number in range(streams):
        start = T0 + timedelta(seconds=rng.randrange(0, 1800))
        at = start + timedelta(milliseconds=rng.randrange(0, 3000))
        session, program = f"s-{number // 2}", f"p-{number}"
        for _ in range(rng.randrange(1, 40)):
            beats.append((session, program, f"u-{number // 4}", "ios", start, at))
            pause = 300_000 if rng.random() < 0.05 else rng.randrange(1000, 8000)
            at += timedelta(milliseconds=pause)
    beats.sort(key=lambda beat: beat[5])
    slots = sorted(rng.randrange(files) for _ in beats)
    moved = [min(files - 1, max(0, slot + rng.choice((-3, 2, 5)))) if rng.random() < 0.05
             else slot for slot in slots]  # fmt: skip
    out: list[list[Heartbeat]] = [[] for _ in range(files)]
    for beat, slot in zip(beats, moved, strict=True):
        out[slot].append(beat)
    return out


def dump(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every table the processor writes, ordered (the batches without their wall-clock time)."""
    tables = ["playback_streams", "playback_open_streams", "int_webapp__playback_heartbeats",
              REJECTED_TABLE, "int_webapp__playback_batches"]  # fmt: skip
    return {
        table: conn.execute(
            f"select * exclude (processed_at) from webapp.{table} order by all"
            if table == "int_webapp__playback_batches"
            else f"select * from webapp.{table} order by all"
        ).fetchall()
        for table in tables
    }
