"""Load landing files into a domain's raw table, exactly once per file content.

Each file becomes rows of `raw_<domain>_<source>` (one per non-blank line, or per element of a
file that is one JSON array) with its source file, content hash and line number. A file is loaded
with its ledger row in one transaction (together with the plain files next to it, see
`ingest_files`), so it is either wholly in the warehouse or not at all. The `ingestion_ledger`
table records every loaded file by content hash, so a file delivered again (under any name) adds
nothing. Nothing is dropped: a line that is not JSON is stored with `load_error =
'malformed_json'` and its text, a line damaged by a wrong encoding with `load_error =
'invalid_encoding'`; the dbt staging models turn both into rejected events with that reason.
"""

import codecs
import gzip
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from event_assets.core.landing import LandedFile, file_sha256
from event_assets.core.ledger import LEDGER_TABLE, ensure_ledger, remember, unseen_files
from event_assets.core.warehouse import ConfigError

_CHUNK = 8 * 1024 * 1024
_BATCH_BYTES = 1024 * 1024 * 1024
_BOMS_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

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
    unreadable: list[str] = field(default_factory=list)

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
    scratch: Path  # this file's decompressed or transcoded copy, if any, is in here
    text_path: Path
    damaged: bool
    select: str  # one of the _*_SELECT statements
    rows: int | None  # rows the select yields when known beforehand (plain files)


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
    batch: list[_PendingFile] = []

    def flush() -> None:
        if batch:
            report.loaded.extend(_load_batch(conn, raw_table, batch))
            for pending in batch:
                shutil.rmtree(pending.scratch, ignore_errors=True)
            batch.clear()

    with tempfile.TemporaryDirectory(prefix="event_assets_") as scratch_root:
        for index, landed in enumerate(files):
            if landed not in unseen:
                report.unchanged += 1
                continue
            try:
                content_hash = file_sha256(landed.path)
                if any(pending.content_hash == content_hash for pending in batch):
                    flush()  # the same content twice in one pass: the ledger must know the first
                names = [
                    name
                    for (name,) in conn.execute(
                        f"""select source_file from main.{LEDGER_TABLE}
                            where raw_table = ? and file_hash = ? order by ingested_at""",
                        [raw_table, content_hash],
                    ).fetchall()
                ]
                if landed.name in names:  # touched or copied over with the same content
                    conn.execute(
                        f"""update main.{LEDGER_TABLE} set mtime_ns = ?
                            where raw_table = ? and file_hash = ? and source_file = ?""",
                        [landed.mtime_ns, raw_table, content_hash, landed.name],
                    )
                    report.unchanged += 1
                    continue
                if names:
                    report.redelivered.append(f"{landed.name} (same content as {names[0]})")
                    remember(conn, raw_table, content_hash, landed, 0, 0)
                    continue
                scratch = Path(scratch_root) / str(index)
                scratch.mkdir()
                pending = _read_file(conn, landed, content_hash, scratch)
            except OSError as error:
                report.unreadable.append(f"{landed.name}: {error.strerror or error}")
                continue
            batch.append(pending)  # a file of unknown length ends its batch
            if pending.rows is None or sum(p.landed.size for p in batch) >= _BATCH_BYTES:
                flush()
        flush()
    return report


def _read_file(
    conn: duckdb.DuckDBPyConnection, landed: LandedFile, content_hash: str, scratch: Path
) -> _PendingFile:
    """Turn a landed file into UTF-8 text and choose how to read it."""
    text_path, damaged = _as_utf8_text(landed.path, scratch)
    if _is_json_array(conn, text_path):
        return _PendingFile(landed, content_hash, scratch, text_path, damaged, _ARRAY_SELECT, None)
    rows = None if damaged else _plain_rows(conn, text_path)
    select = _LINES_SELECT if rows is None else _PLAIN_LINES_SELECT
    return _PendingFile(landed, content_hash, scratch, text_path, damaged, select, rows)


def _load_batch(
    conn: duckdb.DuckDBPyConnection, raw_table: str, batch: list[_PendingFile]
) -> list[dict]:
    """Load the files of a batch and record them in the ledger, in one transaction.

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
            selects.append(re.sub(r"\$(\w+)", rf"$\1_{number}", pending.select))
            for name, value in {
                "text_path": str(pending.text_path),
                "source_file": pending.landed.name,
                "file_hash": pending.content_hash,
                "damaged": pending.damaged,
                "ingested_at": ingested_at,
                "last_raw_id": first_raw_id,
            }.items():
                params[f"{name}_{number}"] = value
            first_raw_id += pending.rows or 0
        union = "\nunion all\n".join(f"({select})" for select in selects)
        conn.execute(f"insert into {raw_table} by name {union}", params)
        counts = {
            source_file: (records, unparseable)
            for source_file, records, unparseable in conn.execute(
                f"""select source_file, count(*), count(*) filter (where load_error is not null)
                    from {raw_table} where raw_id > ? group by source_file""",
                [last_raw_id],
            ).fetchall()
        }
        loaded = []
        for pending in batch:
            records, unparseable = counts.get(pending.landed.name, (0, 0))
            remember(
                conn,
                raw_table,
                pending.content_hash,
                pending.landed,
                records,
                unparseable,
                ingested_at,
            )
            loaded.append(
                {
                    "file": pending.landed.name,
                    "records": records,
                    "unparseable": unparseable,
                    "encoding_damaged": pending.damaged,
                }
            )
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    return loaded


# Parameters: $text_path, $source_file (its name in the landing folder), $file_hash, $damaged
# (encoding), $ingested_at, $last_raw_id (raw_id = $last_raw_id + line number). `{numbered}`
# yields (line, line_number) for every line of $text_path.
_LINES_TEMPLATE = """
with numbered as (
    {numbered}
),
parsed as (
    select
        line_number,
        line,
        $damaged and contains(line, chr(65533)) as damaged,
        try_cast(line as json) as record
    from numbered
    where trim(line) <> ''
)
select
    $last_raw_id + line_number as raw_id,
    $source_file as source_file,
    $file_hash as file_hash,
    line_number,
    case when not damaged then record end as record,
    case when damaged or record is null then line end as raw_line,
    case
        when damaged then 'invalid_encoding'
        when record is null then 'malformed_json'
    end as load_error,
    $ingested_at as ingested_at
from parsed
"""

# Any text: the whole file as one string, split on line feeds (one thread, about 10x slower).
_LINES_SELECT = _LINES_TEMPLATE.format(
    numbered="""select unnest(lines) as line, generate_subscripts(lines, 1) as line_number
    from (
        select string_split(replace(ltrim(content, chr(65279)), chr(13), ''), chr(10)) as lines
        from read_text($text_path)
    )"""
)

# A plain file (see _plain_line_count): DuckDB's parallel CSV reader, one column per line (no
# quoting, a separator byte the file does not contain); row_number() over () streams in file order.
_PLAIN_READER = """read_csv($text_path, columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '',
    escape = '', header = false, auto_detect = false)"""
_PLAIN_LINES_SELECT = _LINES_TEMPLATE.format(
    numbered=f"select line, row_number() over () as line_number from {_PLAIN_READER}"
)
_PLAIN_SEPARATOR = b"\x01"

_ARRAY_SELECT = """
with document as (
    select json_extract(ltrim(content, chr(65279))::json, '$[*]') as elements
    from read_text($text_path)
)
select
    $last_raw_id + generate_subscripts(elements, 1) as raw_id,
    $source_file as source_file,
    $file_hash as file_hash,
    generate_subscripts(elements, 1) as line_number,
    unnest(elements) as record,
    null as raw_line,
    case when $damaged then null end as load_error,
    $ingested_at as ingested_at
from document
"""


def _is_json_array(conn: duckdb.DuckDBPyConnection, text_path: Path) -> bool:
    """A file that is one JSON array (not JSON Lines); a broken array is read as lines."""
    with text_path.open("rb") as handle:
        head = handle.read(4096).lstrip(codecs.BOM_UTF8).lstrip()
    if not head.startswith(b"["):
        return False
    return bool(
        conn.execute(
            """select case when json_valid(c) then json_type(c::json) = 'ARRAY' else false end
               from (select ltrim(content, chr(65279)) as c from read_text(?))""",
            [str(text_path)],
        ).fetchone()[0]
    )


def _plain_rows(conn: duckdb.DuckDBPyConnection, text_path: Path) -> int | None:
    """The rows of a plain file when the fast CSV reader sees exactly its lines (one row each)."""
    expected = _plain_line_count(text_path)
    if expected is None:
        return None
    try:
        (read,) = conn.execute(
            f"select count(*) from {_PLAIN_READER}", {"text_path": str(text_path)}
        ).fetchone()
    except duckdb.Error:  # e.g. a line longer than the reader's limit
        return None
    return read if read == expected else None


def _plain_line_count(path: Path) -> int | None:
    """Lines of a plain UTF-8 file: no byte-order mark, carriage return or separator byte."""
    lines, last = 0, b""
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            if (not last and chunk.startswith(codecs.BOM_UTF8)) or b"\r" in chunk:
                return None
            if _PLAIN_SEPARATOR in chunk:
                return None
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last not in (b"\n", b""))


def _as_utf8_text(path: Path, scratch: Path) -> tuple[Path, bool]:
    """A UTF-8 text file with the content of `path`, and whether its encoding was damaged.

    Gzip is decompressed and UTF-16 (with a byte-order mark) transcoded into `scratch`. A file
    that is not valid UTF-8 is decoded with replacement characters so the damaged lines can be
    quarantined with their text instead of failing the whole file.
    """
    source = path
    if path.name.lower().endswith(".gz"):
        source = scratch / "decompressed"
        with gzip.open(path, "rb") as compressed, source.open("wb") as plain:
            shutil.copyfileobj(compressed, plain, _CHUNK)
    with source.open("rb") as handle:
        head = handle.read(2)
    if head in _BOMS_UTF16:
        return _transcode(source, scratch / "utf16.txt", "utf-16", "strict"), False
    if _is_valid_utf8(source):
        return source, False
    return _transcode(source, scratch / "damaged.txt", "utf-8", "replace"), True


def _is_valid_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _transcode(source: Path, target: Path, encoding: str, errors: str) -> Path:
    with (
        source.open("r", encoding=encoding, errors=errors, newline="") as reader,
        target.open("w", encoding="utf-8", newline="") as writer,
    ):
        shutil.copyfileobj(reader, writer, _CHUNK)
    return target
