"""The ingestion ledger: every file content loaded into a raw table, by content hash.

`main.ingestion_ledger` belongs to the platform, not a domain: one row per (raw table, file name,
content hash) with the file's size, modification time and what loading it gave. Ingestion writes
it in the same transaction as the file's rows (`ingest.py`); the landing sensor and the headless
run read it to tell what is new (`unloaded_files`).
"""

from datetime import UTC, datetime

import duckdb

from event_assets.core.landing import LandedFile, file_sha256
from event_assets.core.warehouse import table_exists

LEDGER_TABLE = "ingestion_ledger"


def ensure_ledger(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the ledger if missing."""
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
            PRIMARY KEY (raw_table, source_file, file_hash)
        )"""
    )


def remember(
    conn: duckdb.DuckDBPyConnection,
    raw_table: str,
    content_hash: str,
    landed: LandedFile,
    records: int,
    unparseable: int,
    ingested_at: datetime | None = None,
) -> None:
    """Record a file in the ledger; a re-delivery is recorded with 0 records under its own name."""
    ingested_at = ingested_at or datetime.now(UTC).replace(tzinfo=None)
    conn.execute(
        f"insert into main.{LEDGER_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            raw_table,
            content_hash,
            landed.name,
            landed.size,
            landed.mtime_ns,
            records,
            unparseable,
            ingested_at,
        ],
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
            content_hash = file_sha256(landed.path)
        except OSError:
            content_hash = None
        if (landed.name, content_hash) not in known:
            unloaded.append((landed, content_hash))
    return unloaded
