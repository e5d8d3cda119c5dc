"""The ingestion ledger: every file content loaded into a raw table, by content hash.

`main.ingestion_ledger` belongs to the platform, not a domain: one row per (raw table, file name,
content hash) with the file's size, modification time and what loading it gave. Ingestion writes
it in the same transaction as the file's rows (`ingest.py`); the landing sensor and the headless
run read it to tell what is new (`unloaded_files`). A file whose content cannot be read (a
damaged gzip file) has a row too, with `error` saying why and no records: it is tried again when
its content changes, not at every pass.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from event_assets.core.landing import LandedFile, file_sha256, fingerprint, is_gzip_name
from event_assets.core.warehouse import table_exists

LEDGER_TABLE = "ingestion_ledger"


@dataclass(frozen=True)
class EarlierLoad:
    """The content last loaded under a file's name: its hash and size (decompressed)."""

    content_hash: str
    content_bytes: int


def ensure_ledger(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the ledger if missing, and add the columns a ledger of an earlier version lacks
    (`content_bytes`: the content's size, decompressed; `error`: why the content could not be
    read, NULL when it was loaded; `first_raw_id`, `last_raw_id`: the range of raw ids its
    records got, NULL when it has none or was loaded before the range was kept)."""
    conn.execute(
        f"""create table if not exists main.{LEDGER_TABLE} (
            raw_table VARCHAR NOT NULL,
            file_hash VARCHAR NOT NULL,
            source_file VARCHAR NOT NULL,
            size_bytes BIGINT NOT NULL,
            mtime_ns BIGINT NOT NULL,
            records BIGINT NOT NULL,
            unparseable BIGINT NOT NULL,
            ingested_at TIMESTAMP NOT NULL,
            content_bytes BIGINT,
            error VARCHAR,
            first_raw_id BIGINT,
            last_raw_id BIGINT,
            PRIMARY KEY (raw_table, source_file, file_hash)
        )"""
    )
    for column, kind in [
        ("content_bytes", "BIGINT"),
        ("error", "VARCHAR"),
        ("first_raw_id", "BIGINT"),
        ("last_raw_id", "BIGINT"),
    ]:
        conn.execute(f"alter table main.{LEDGER_TABLE} add column if not exists {column} {kind}")


def remember(
    conn: duckdb.DuckDBPyConnection,
    raw_table: str,
    content_hash: str,
    landed: LandedFile,
    records: int,
    unparseable: int,
    ingested_at: datetime | None = None,
    content_bytes: int | None = None,
    error: str | None = None,
    raw_ids: tuple[int, int] | None = None,
) -> None:
    """Record a file in the ledger; a re-delivery is recorded with 0 records under its own name,
    a file whose content cannot be read with 0 records and its `error`. `raw_ids`: the first
    and last raw id of its records (a reader of one file's rows filters on them: DuckDB skips
    the row groups outside the range, so the read does not grow with the table)."""
    first_raw_id, last_raw_id = raw_ids or (None, None)
    ingested_at = ingested_at or datetime.now(UTC).replace(tzinfo=None)
    conn.execute(
        f"""insert into main.{LEDGER_TABLE} (raw_table, file_hash, source_file, size_bytes,
                mtime_ns, records, unparseable, ingested_at, content_bytes, error,
                first_raw_id, last_raw_id)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            raw_table,
            content_hash,
            landed.name,
            landed.size,
            landed.mtime_ns,
            records,
            unparseable,
            ingested_at,
            content_bytes,
            error,
            first_raw_id,
            last_raw_id,
        ],
    )


def names_of_content(conn: duckdb.DuckDBPyConnection, raw_table: str, content_hash: str):
    """The names the ledger holds `content_hash` under, first recorded first."""
    return [
        name
        for (name,) in conn.execute(
            f"""select source_file from main.{LEDGER_TABLE}
                where raw_table = ? and file_hash = ? order by ingested_at""",
            [raw_table, content_hash],
        ).fetchall()
    ]


def earlier_load(conn: duckdb.DuckDBPyConnection, raw_table: str, name: str) -> EarlierLoad | None:
    """The content last loaded under `name` (or recorded as a re-delivery of loaded content),
    if any. A ledger row written before `content_bytes` existed has the file's size, which is
    the content's unless the file is compressed."""
    row = conn.execute(
        f"""select file_hash, coalesce(content_bytes, size_bytes) from main.{LEDGER_TABLE}
            where raw_table = ? and source_file = ? and error is null
                and (content_bytes is not null or not ?)
            order by ingested_at desc, coalesce(content_bytes, size_bytes) desc limit 1""",
        [raw_table, name, is_gzip_name(name)],
    ).fetchone()
    return EarlierLoad(*row) if row else None


def recorded_errors(conn: duckdb.DuckDBPyConnection, raw_table: str) -> dict[tuple, str]:
    """(name, size, modification time) -> why its content could not be read, for the files the
    ledger records as unreadable."""
    rows = conn.execute(
        f"""select source_file, size_bytes, mtime_ns, error from main.{LEDGER_TABLE}
            where raw_table = ? and error is not null""",
        [raw_table],
    ).fetchall()
    return {(name, size, mtime): error for name, size, mtime, error in rows}


def touch(
    conn: duckdb.DuckDBPyConnection, raw_table: str, content_hash: str, landed: LandedFile
) -> None:
    """A file touched or copied over with the same content: remember its new modification
    time, so it is not read again."""
    conn.execute(
        f"""update main.{LEDGER_TABLE} set size_bytes = ?, mtime_ns = ?
            where raw_table = ? and file_hash = ? and source_file = ?""",
        [landed.size, landed.mtime_ns, raw_table, content_hash, landed.name],
    )


def unseen_files(
    conn: duckdb.DuckDBPyConnection | None, raw_table: str, files: list[LandedFile]
) -> list[LandedFile]:
    """The files whose name, size and modification time the ledger does not hold for
    `raw_table`: those an ingestion would look at (it passes over the others unread). No file is
    read. `conn` None: no warehouse yet, every file is unseen."""
    ledger = []
    if conn is not None and table_exists(conn, LEDGER_TABLE):
        ledger = conn.execute(
            f"select source_file, size_bytes, mtime_ns from main.{LEDGER_TABLE} "
            "where raw_table = ?",
            [raw_table],
        ).fetchall()
    seen = set(ledger)
    return [f for f in files if (f.name, f.size, f.mtime_ns) not in seen]


def unloaded_files(
    conn: duckdb.DuckDBPyConnection | None, raw_table: str, files: list[LandedFile]
) -> list[tuple[LandedFile, str | None]]:
    """The files an ingestion would do something with, with their content hash: content the
    ledger does not hold for `raw_table`, or known content under a name the ledger has not seen
    it under (a re-delivery, recorded without loading). Read-only; a file is hashed only when
    its name, size or modification time is not in the ledger (one that cannot be read has hash
    None: the ingestion reports it). `conn` None: no warehouse yet, nothing is loaded."""
    known = set()
    if conn is not None and table_exists(conn, LEDGER_TABLE):
        known = set(
            conn.execute(
                f"select source_file, file_hash from main.{LEDGER_TABLE} where raw_table = ?",
                [raw_table],
            ).fetchall()
        )
    unloaded = []
    for landed in unseen_files(conn, raw_table, files):
        try:
            content_hash, _ = fingerprint(landed.path)
        except OSError:
            content_hash = None
        if (landed.name, content_hash) in known:
            continue
        if is_gzip_name(landed.name) and (landed.name, legacy_hash(landed)) in known:
            continue
        unloaded.append((landed, content_hash))
    return unloaded


def legacy_hash(landed: LandedFile) -> str | None:
    """The hash an earlier version recorded a gzip file under: of its compressed bytes (now: of
    its content). None when the file cannot be read."""
    try:
        return file_sha256(landed.path)
    except OSError:
        return None
