"""Load landing files into a domain's raw table, exactly once per content.

Each file becomes rows of `raw_<domain>_<source>` (one per non-blank line, or per element of a
file that is one JSON array: `raw_rows.py`) with its source file, content hash and line number.
A file is loaded with its ledger row in one transaction (together with the plain files next to
it, see `ingest_files`), so it is either wholly in the warehouse or not at all. The
`ingestion_ledger` table records every loaded content by hash, so a content delivered again
(under any name, compressed or not) adds nothing, and a file that grew in place adds its new
lines only.

One bad file never stops the others: a file whose content cannot be read (a damaged gzip file)
is recorded in the ledger as unreadable with the reason, and tried again when its content
changes; a file that cannot be opened, or that DuckDB cannot load, is reported and tried again at
the next pass; a file that changed while it was read is left for the next pass.
"""

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from event_assets.core.landing import DamagedContent, LandedFile, fingerprint, is_gzip_name
from event_assets.core.ledger import (
    earlier_load,
    ensure_ledger,
    legacy_hash,
    names_of_content,
    recorded_errors,
    remember,
    touch,
    unseen_files,
)
from event_assets.core.raw_rows import DECOMPRESSED, FileText, read_landed
from event_assets.core.warehouse import ConfigError

_BATCH_BYTES = 1024 * 1024 * 1024

# raw_id: arrival order, unique and increasing across files (the cheap key downstream models join
# and order on; "first delivered" = smallest raw_id).
RAW_COLUMNS = """
    raw_id BIGINT NOT NULL,
    source_file VARCHAR NOT NULL,
    file_hash VARCHAR NOT NULL,
    line_number BIGINT NOT NULL,
    record JSON,
    raw_line VARCHAR,
    load_error VARCHAR,
    ingested_at TIMESTAMP NOT NULL
"""


@dataclass
class IngestReport:
    """What one ingestion pass did, for the asset's metadata and the CLI summary."""

    loaded: list[dict] = field(default_factory=list)
    unchanged: int = 0  # files seen before under the same name, size and modification time
    redelivered: list[str] = field(default_factory=list)  # known content under a new name
    unreadable: list[str] = field(default_factory=list)  # "<name>: <why>"
    changed_while_read: list[str] = field(default_factory=list)  # left for the next pass

    @property
    def records(self) -> int:
        return sum(item["records"] for item in self.loaded)

    @property
    def unparseable(self) -> int:
        return sum(item["unparseable"] for item in self.loaded)


@dataclass
class _PendingFile:
    """A file read and classified, waiting to be loaded with the rest of its batch."""

    landed: LandedFile
    content_hash: str
    scratch: Path  # this file's link, decompressed or transcoded copy are in here
    text: FileText


def ensure_tables(conn: duckdb.DuckDBPyConnection, raw_table: str) -> None:
    """Create the raw table (`<schema>.<table>`, the schema too) and the ledger if missing."""
    schema, _, _ = raw_table.rpartition(".")
    if schema:
        conn.execute(f"create schema if not exists {schema}")
    conn.execute(f"create table if not exists {raw_table} ({RAW_COLUMNS})")
    columns = {row[0] for row in conn.execute(f"describe {raw_table}").fetchall()}
    if "raw_id" not in columns:
        raise ConfigError(
            f"{raw_table} was created by an older version of event_assets (no raw_id): "
            "remove the warehouse (`make clean`) and run again to rebuild it from landing/"
        )
    ensure_ledger(conn)


def ingest_files(
    conn: duckdb.DuckDBPyConnection, raw_table: str, files: list[LandedFile]
) -> IngestReport:
    """Load every file whose content is not in the ledger yet into `raw_table`
    (`<schema>.<table>`; the ledger records it under that name).

    Consecutive plain files are loaded in batches of up to `_BATCH_BYTES`, each batch by one
    statement in one transaction (DuckDB compresses a statement's row groups in parallel; a
    typical daily file is a single row group). Any other file is a batch of its own.
    """
    ensure_tables(conn, raw_table)
    report = IngestReport()
    unseen = set(unseen_files(conn, raw_table, files))
    errors = recorded_errors(conn, raw_table)
    batch: list[_PendingFile] = []

    def flush() -> None:
        _load_in_batch_or_alone(conn, raw_table, list(batch), report)
        for pending in batch:
            shutil.rmtree(pending.scratch, ignore_errors=True)
        batch.clear()

    def to_load(landed: LandedFile, scratch: Path) -> _PendingFile | None:
        """The file read and ready for its batch, or None: known content, unreadable."""
        try:
            # A gzip file is decompressed once, into scratch, as it is hashed.
            content_hash, error = fingerprint(landed.path, copy_to=scratch / DECOMPRESSED)
        except OSError as failure:  # gone, not allowed: reported, tried at the next pass
            report.unreadable.append(f"{landed.name}: {failure.strerror or failure}")
            return None
        if any(pending.content_hash == content_hash for pending in batch):
            flush()  # the same content twice in one pass: the ledger must know the first
        names = names_of_content(conn, raw_table, content_hash)
        if not names and not error and is_gzip_name(landed.name):
            # Loaded by an earlier version, which hashed a gzip file's compressed bytes?
            legacy = legacy_hash(landed)
            if legacy and (names := names_of_content(conn, raw_table, legacy)):
                content_hash = legacy
        if landed.name in names:  # touched or copied over with the same content
            touch(conn, raw_table, content_hash, landed)
            if error:
                report.unreadable.append(f"{landed.name}: {error} (as recorded before)")
            else:
                report.unchanged += 1
            return None
        if error:
            remember(conn, raw_table, content_hash, landed, 0, 0, error=error)
            report.unreadable.append(f"{landed.name}: {error}")
            return None
        if names:
            report.redelivered.append(f"{landed.name} (same content as {names[0]})")
            remember(conn, raw_table, content_hash, landed, 0, 0)
            return None
        try:
            earlier = earlier_load(conn, raw_table, landed.name)
            text = read_landed(conn, landed, scratch, earlier)
        except (OSError, DamagedContent, duckdb.Error) as failure:
            report.unreadable.append(f"{landed.name}: {_one_line(failure)}")
            return None
        return _PendingFile(landed, content_hash, scratch, text)

    with tempfile.TemporaryDirectory(prefix="event_assets_") as scratch_root:
        for index, landed in enumerate(files):
            if landed not in unseen:
                error = errors.get((landed.name, landed.size, landed.mtime_ns))
                if error:
                    report.unreadable.append(f"{landed.name}: {error} (as recorded before)")
                else:
                    report.unchanged += 1
                continue
            scratch = Path(scratch_root) / str(index)
            scratch.mkdir()
            pending = to_load(landed, scratch)
            if pending is None:
                shutil.rmtree(scratch, ignore_errors=True)
                continue
            batch.append(pending)  # a file of unknown length ends its batch
            if pending.text.rows is None or sum(p.landed.size for p in batch) >= _BATCH_BYTES:
                flush()
        flush()
    return report


def _load_in_batch_or_alone(
    conn: duckdb.DuckDBPyConnection,
    raw_table: str,
    batch: list[_PendingFile],
    report: IngestReport,
) -> None:
    """Load a batch; when DuckDB fails on it, each file alone, so that a file DuckDB cannot
    load is reported (and tried at the next pass) without stopping the others. A file that
    changed while it was read is left out and left for the next pass."""
    while batch:
        try:
            changed = _load_batch(conn, raw_table, batch, report)
        except duckdb.Error as failure:
            if len(batch) == 1:
                report.unreadable.append(f"{batch[0].landed.name}: {_one_line(failure)}")
                return
            for pending in batch:
                _load_in_batch_or_alone(conn, raw_table, [pending], report)
            return
        report.changed_while_read.extend(pending.landed.name for pending in changed)
        batch = [pending for pending in batch if pending not in changed]
        if not changed:
            return


def _load_batch(
    conn: duckdb.DuckDBPyConnection,
    raw_table: str,
    batch: list[_PendingFile],
    report: IngestReport,
) -> list[_PendingFile]:
    """Load the files of a batch and record them in the ledger, in one transaction; returns
    the files that changed since they were listed (nothing is committed then).

    Each file gets its own copy of its select with its own named parameters; a file's raw_ids
    continue after the rows of the files before it (known for every file but the last).
    """
    ingested_at = datetime.now(UTC).replace(tzinfo=None)
    conn.execute("begin transaction")
    try:
        (last_raw_id,) = conn.execute(
            f"select coalesce(max(raw_id), 0) from {raw_table}"
        ).fetchone()
        selects, params, first_raw_id = [], {}, last_raw_id
        for number, pending in enumerate(batch):
            selects.append(re.sub(r"\$(\w+)", rf"$\1_{number}", pending.text.select))
            for name, value in {
                "text_path": str(pending.text.text_path),
                "source_file": pending.landed.name,
                "file_hash": pending.content_hash,
                "damaged": pending.text.damaged,
                "skip_lines": pending.text.skip_lines,
                "ingested_at": ingested_at,
                "last_raw_id": first_raw_id,
            }.items():
                params[f"{name}_{number}"] = value
            first_raw_id += pending.text.rows or 0
        union = "\nunion all\n".join(f"({select})" for select in selects)
        conn.execute(f"insert into {raw_table} by name {union}", params)
        # The rows must be those of the content hashed: a file written meanwhile waits.
        changed = [pending for pending in batch if _changed_since_listed(pending.landed)]
        if changed:
            conn.execute("rollback")
            return changed
        counts = {
            source_file: (records, unparseable, (first, last))
            for source_file, records, unparseable, first, last in conn.execute(
                f"""select source_file, count(*), count(*) filter (where load_error is not null),
                        min(raw_id), max(raw_id)
                    from {raw_table} where raw_id > ? group by source_file""",
                [last_raw_id],
            ).fetchall()
        }
        loaded = []
        for pending in batch:
            records, unparseable, raw_ids = counts.get(pending.landed.name, (0, 0, None))
            remember(
                conn,
                raw_table,
                pending.content_hash,
                pending.landed,
                records,
                unparseable,
                ingested_at,
                content_bytes=pending.text.content_bytes,
                raw_ids=raw_ids,
            )
            item = {
                "file": pending.landed.name,
                "records": records,
                "unparseable": unparseable,
                "encoding_damaged": pending.text.damaged,
            }
            if pending.text.skip_lines:  # grew in place: the lines before were loaded before
                item["from_line"] = pending.text.skip_lines + 1
            loaded.append(item)
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    report.loaded.extend(loaded)
    return []


def _changed_since_listed(landed: LandedFile) -> bool:
    try:
        status = os.stat(landed.path, follow_symlinks=False)
    except OSError:
        return True
    return (status.st_size, status.st_mtime_ns) != (landed.size, landed.mtime_ns)


def _one_line(error: Exception) -> str:
    """An error as one line for the report, e.g. DuckDB's first line."""
    text = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return text.strip().splitlines()[0]
