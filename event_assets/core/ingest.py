"""Load landing files into a domain's raw table, exactly once per file content.

Each file becomes rows of `raw_<domain>_<source>` (one per non-blank line, or per element of a
file that is one JSON array) with its source file, content hash and line number, in one DuckDB
statement and one transaction per file. The `ingestion_ledger` table records every loaded file by
content hash, so a file delivered again (under any name) adds nothing. Nothing is dropped: a line
that is not JSON is stored with `load_error = 'malformed_json'` and its text, a line damaged by a
wrong encoding with `load_error = 'invalid_encoding'`; the dbt staging models turn both into
rejected events with that reason.
"""

import codecs
import gzip
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from event_assets.core.landing import LandedFile, file_sha256
from event_assets.core.warehouse import ConfigError

LEDGER_TABLE = "ingestion_ledger"
_CHUNK = 8 * 1024 * 1024
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


def raw_table_name(domain: str, source: str = "events") -> str:
    return f"raw_{domain}_{source}"


def ensure_tables(conn: duckdb.DuckDBPyConnection, raw_table: str) -> None:
    conn.execute(f"create table if not exists main.{raw_table} ({RAW_COLUMNS})")
    columns = {row[0] for row in conn.execute(f"describe main.{raw_table}").fetchall()}
    if "raw_id" not in columns:
        raise ConfigError(
            f"main.{raw_table} was created by an older version of event_assets (no raw_id): "
            "remove the warehouse (`make clean`) and run again to rebuild it from landing/"
        )
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


def ingest_files(
    conn: duckdb.DuckDBPyConnection, raw_table: str, files: list[LandedFile]
) -> IngestReport:
    """Load every file whose content is not in the ledger yet; one transaction per file."""
    ensure_tables(conn, raw_table)
    report = IngestReport()
    seen = {
        (name, size, mtime_ns)
        for name, size, mtime_ns in conn.execute(
            f"""select source_file, size_bytes, mtime_ns from main.{LEDGER_TABLE}
                where raw_table = ?""",
            [raw_table],
        ).fetchall()
    }
    for landed in files:
        if (landed.name, landed.size, landed.mtime_ns) in seen:
            report.unchanged += 1
            continue
        try:
            content_hash = file_sha256(landed.path)
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
                _remember(conn, raw_table, content_hash, landed, 0, 0)
                continue
            with tempfile.TemporaryDirectory(prefix="event_assets_") as scratch:
                text_path, damaged = _as_utf8_text(landed.path, Path(scratch))
                counts = _load_one(conn, raw_table, landed, content_hash, text_path, damaged)
        except OSError as error:
            report.unreadable.append(f"{landed.name}: {error.strerror or error}")
            continue
        report.loaded.append({"file": landed.name, **counts})
    return report


def _load_one(
    conn: duckdb.DuckDBPyConnection,
    raw_table: str,
    landed: LandedFile,
    content_hash: str,
    text_path: Path,
    damaged: bool,
) -> dict:
    ingested_at = datetime.now(UTC).replace(tzinfo=None)
    conn.execute("begin transaction")
    try:
        (last_raw_id,) = conn.execute(
            f"select coalesce(max(raw_id), 0) from main.{raw_table}"
        ).fetchone()
        params = [str(text_path), landed.name, content_hash, damaged, ingested_at, last_raw_id]
        if _is_json_array(conn, text_path):
            select = _ARRAY_SELECT
        elif not damaged and _reads_as_plain_lines(conn, text_path):
            select = _PLAIN_LINES_SELECT
        else:
            select = _LINES_SELECT
        conn.execute(f"insert into main.{raw_table} by name {select}", params)
        records, unparseable = conn.execute(
            f"""select count(*), count(*) filter (where load_error is not null)
                from main.{raw_table} where raw_id > ?""",
            [last_raw_id],
        ).fetchone()
        _remember(conn, raw_table, content_hash, landed, records, unparseable, ingested_at)
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    return {"records": records, "unparseable": unparseable, "encoding_damaged": damaged}


def _remember(
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


# Parameters: $1 text file, $2 source file name, $3 content hash, $4 damaged encoding, $5 now,
# $6 the largest raw_id so far. `{numbered}` yields (line, line_number) for every line of $1.
_LINES_TEMPLATE = """
with numbered as (
    {numbered}
),
parsed as (
    select
        line_number,
        line,
        $4 and contains(line, chr(65533)) as damaged,
        try_cast(line as json) as record
    from numbered
    where trim(line) <> ''
)
select
    $6 + line_number as raw_id,
    $2 as source_file,
    $3 as file_hash,
    line_number,
    case when not damaged then record end as record,
    case when damaged or record is null then line end as raw_line,
    case
        when damaged then 'invalid_encoding'
        when record is null then 'malformed_json'
    end as load_error,
    $5 as ingested_at
from parsed
"""

# Any text: the whole file as one string, split on line feeds (one thread, about 10x slower).
_LINES_SELECT = _LINES_TEMPLATE.format(
    numbered="""select unnest(lines) as line, generate_subscripts(lines, 1) as line_number
    from (
        select string_split(replace(ltrim(content, chr(65279)), chr(13), ''), chr(10)) as lines
        from read_text($1)
    )"""
)

# A plain file (see _plain_line_count): DuckDB's parallel CSV reader, one column per line (no
# quoting, a separator byte the file does not contain); row_number() over () streams in file order.
_PLAIN_READER = """read_csv($1, columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '',
    escape = '', header = false, auto_detect = false)"""
_PLAIN_LINES_SELECT = _LINES_TEMPLATE.format(
    numbered=f"select line, row_number() over () as line_number from {_PLAIN_READER}"
)
_PLAIN_SEPARATOR = b"\x01"

_ARRAY_SELECT = """
with document as (
    select json_extract(ltrim(content, chr(65279))::json, '$[*]') as elements from read_text($1)
)
select
    $6 + generate_subscripts(elements, 1) as raw_id,
    $2 as source_file,
    $3 as file_hash,
    generate_subscripts(elements, 1) as line_number,
    unnest(elements) as record,
    null as raw_line,
    case when $4 then null end as load_error,
    $5 as ingested_at
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


def _reads_as_plain_lines(conn: duckdb.DuckDBPyConnection, text_path: Path) -> bool:
    """True when the fast CSV reader sees exactly the lines the file has (one row per line)."""
    expected = _plain_line_count(text_path)
    if expected is None:
        return False
    try:
        (read,) = conn.execute(f"select count(*) from {_PLAIN_READER}", [str(text_path)]).fetchone()
    except duckdb.Error:  # e.g. a line longer than the reader's limit
        return False
    return read == expected


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
