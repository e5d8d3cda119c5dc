"""How a landed file becomes rows of a raw table: its content as UTF-8 text, and the select that
reads that text, one row per non-blank line, or per element of a file that is one JSON array.

Nothing is dropped: a line that is not JSON is kept with `load_error = 'malformed_json'` and its
text, a line or array element damaged by a wrong encoding with `load_error = 'invalid_encoding'`
and its text (the undecodable bytes shown as U+FFFD); the dbt staging models turn both into
rejected records with that reason.

A file that grew in place since its name was last loaded (a writer that paused longer than the
settle time, then went on) is read from the first line that load did not store whole
(`_lines_stored_before`): the lines already stored are not counted twice, and a line the
earlier load caught half-written is stored again, whole.
"""

import codecs
import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from event_assets.core.landing import LandedFile, content_chunks, is_gzip_name
from event_assets.core.ledger import EarlierLoad

_CHUNK = 8 * 1024 * 1024
_BOMS_UTF16 = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}
DECOMPRESSED = "content"  # a gzip file's content, in the file's scratch folder


@dataclass
class FileText:
    """A landed file ready to load: its text, and the select that yields its rows."""

    text_path: Path
    content_bytes: int  # size of the content (decompressed), for the ledger
    damaged: bool  # not valid in its encoding: decoded with replacement characters
    select: str  # one of the _*_SELECT statements
    rows: int | None  # rows the select yields when known beforehand (plain files)
    skip_lines: int  # lines (or array elements) an earlier load of the file already stored


def read_landed(
    conn: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    scratch: Path,
    earlier: EarlierLoad | None,
) -> FileText:
    """Turn a landed file into UTF-8 text in `scratch` (or a link to it) and choose how to read
    it; `earlier`: the content last loaded under its name. Raises `OSError` or
    `landing.DamagedContent` when the file cannot be read (it changed since it was hashed)."""
    content = _content_file(landed, scratch)
    content_bytes = content.stat().st_size
    text_path, damaged = _as_utf8_text(content, scratch)
    skip = None if earlier is None else _lines_stored_before(content, earlier)
    if _is_json_array(conn, text_path):
        # An array that grew by blank space is the array loaded before; one that grew by more
        # was not an array then (it was read line by line): read it whole.
        grew_by_blank = skip is not None and _only_blank_after(content, earlier.content_bytes)
        select = _NOTHING_SELECT if grew_by_blank else _ARRAY_SELECT
        return FileText(text_path, content_bytes, damaged, select, None, 0)
    skip = skip or 0
    rows = None if damaged else _plain_rows(conn, text_path)
    select = _LINES_SELECT if rows is None else _PLAIN_LINES_SELECT
    rows = None if rows is None else max(rows - skip, 0)
    return FileText(text_path, content_bytes, damaged, select, rows, skip)


def _content_file(landed: LandedFile, scratch: Path) -> Path:
    """A path DuckDB can read the content at. DuckDB takes a path as a glob pattern (`?`, `*`,
    `[` match other files) and as UTF-8 text: it reads a link with a plain name instead. A
    gzip file is decompressed into `scratch / DECOMPRESSED` (unless its hashing did it)."""
    if is_gzip_name(landed.name):
        target = scratch / DECOMPRESSED
        if not target.exists():
            with target.open("wb") as plain:
                for chunk in content_chunks(landed.path):
                    plain.write(chunk)
        return target
    link = scratch / "landed"
    link.symlink_to(landed.path.absolute())
    return link


def _as_utf8_text(content: Path, scratch: Path) -> tuple[Path, bool]:
    """A UTF-8 text file with `content`'s text, and whether its encoding was damaged.

    UTF-16 (with a byte-order mark) is transcoded into `scratch`. Content that is not valid in
    its encoding is decoded with replacement characters so the damaged lines can be quarantined
    with their text instead of failing the whole file."""
    with content.open("rb") as handle:
        head = handle.read(2)
    encoding = "utf-16" if head in _BOMS_UTF16 else "utf-8"
    if _is_valid(content, encoding):
        if encoding == "utf-8":
            return content, False
        return _transcode(content, scratch / "utf16.txt", encoding), False
    return _transcode(content, scratch / "damaged.txt", encoding), True


def _is_valid(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _transcode(source: Path, target: Path, encoding: str) -> Path:
    with (
        source.open("r", encoding=encoding, errors="replace", newline="") as reader,
        target.open("w", encoding="utf-8", newline="") as writer,
    ):
        shutil.copyfileobj(reader, writer, _CHUNK)
    return target


def _lines_stored_before(content: Path, earlier: EarlierLoad) -> int | None:
    """When `content` is the earlier load's content with more appended: how many of its lines
    that load stored whole (its lines up to the last line feed, and the line after it when
    what follows it now starts with a line break). None when `content` does not extend it."""
    size = earlier.content_bytes
    if content.stat().st_size <= size:
        return None
    with content.open("rb") as handle:
        encoding = _BOMS_UTF16.get(handle.read(2), "utf-8")
        handle.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)("replace")
        digest, line_feeds, last, remaining = hashlib.sha256(), 0, "\n", size
        while remaining and (chunk := handle.read(min(_CHUNK, remaining))):
            remaining -= len(chunk)
            digest.update(chunk)
            text = decoder.decode(chunk)
            line_feeds += text.count("\n")
            last = text[-1:] or last
        following = handle.read(4)
    if digest.hexdigest() != earlier.content_hash:
        return None
    line_breaks = tuple(mark.encode(encoding) for mark in ("\n", "\r\n"))
    half_line_was_whole = last != "\n" and following.startswith(line_breaks)
    return line_feeds + half_line_was_whole


def _only_blank_after(content: Path, offset: int) -> bool:
    """Whether `content` holds nothing but blank space after its first `offset` bytes."""
    blank = set(b" \t\r\n\x00")  # NUL: the other half of a UTF-16 blank
    with content.open("rb") as handle:
        handle.seek(offset)
        while chunk := handle.read(_CHUNK):
            if not set(chunk) <= blank:
                return False
    return True


# Parameters: $text_path, $source_file (its name in the landing folder), $file_hash, $damaged
# (encoding), $ingested_at, $skip_lines (stored by an earlier load of the file), $last_raw_id
# (raw_id = $last_raw_id + line number - $skip_lines).
# The raw rows of `parsed` (line_number, line: the text, damaged, record: the JSON or NULL when
# the text is no JSON): a damaged or unparseable text is kept as `raw_line` with its `load_error`.
_RAW_ROWS = """
select
    $last_raw_id + line_number - $skip_lines as raw_id,
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

# `{numbered}` yields (line, line_number) for every line of $text_path. Blank: nothing but
# spaces and tabs, JSON's blank space (the regular expression is faster than trim(line, chars)
# and as fast as trim(line)).
_LINES_TEMPLATE = (
    """
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
    where line_number > $skip_lines and not regexp_full_match(line, '[ \\t]*')
)"""
    + _RAW_ROWS
)

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

# One JSON array: a row per element (always JSON). In a file whose encoding is damaged, an
# element holding a replacement character is quarantined with its text, as a damaged line is.
_ARRAY_SELECT = (
    """
with document as (
    select json_extract(ltrim(content, chr(65279))::json, '$[*]') as elements
    from read_text($text_path)
),
numbered as (
    select unnest(elements) as record, generate_subscripts(elements, 1) as line_number
    from document
),
parsed as (
    select
        line_number,
        record::varchar as line,
        $damaged and contains(record::varchar, chr(65533)) as damaged,
        record
    from numbered
)"""
    + _RAW_ROWS
)

# Nothing: a file whose content is all stored already (the same parameters, no row).
_NOTHING_SELECT = _ARRAY_SELECT + "where false"


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
