"""Ingestion into the raw table: exactly once per content, nothing lost, odd files handled."""

import gzip
import hashlib
import json
import os

import duckdb
import pytest

from event_assets.core import ingest as ingest_module
from event_assets.core.ingest import ingest_files
from event_assets.core.landing import list_landed_files
from event_assets.core.ledger import unloaded_files
from event_assets.core.raw_rows import _plain_line_count, _plain_rows

RAW = "raw_test_events"


@pytest.fixture
def conn():
    with duckdb.connect() as connection:
        yield connection


def rows(conn):
    return conn.execute(
        f"""select source_file, line_number, record::varchar, raw_line, load_error
            from {RAW} order by source_file, line_number"""
    ).fetchall()


def ingest(conn, folder):
    return ingest_files(conn, RAW, list_landed_files(folder))


def test_malformed_and_blank_lines(conn, tmp_path):
    (tmp_path / "a.jsonl").write_text('{"a": 1}\n{"b": \n\n   \n[1, 2]\r\n{"c": "é"}')
    report = ingest(conn, tmp_path)
    assert report.records == 4 and report.unparseable == 1
    assert rows(conn) == [
        ("a.jsonl", 1, '{"a": 1}', None, None),
        ("a.jsonl", 2, None, '{"b": ', "malformed_json"),
        ("a.jsonl", 5, "[1, 2]", None, None),  # valid JSON, not an object: staging rejects it
        ("a.jsonl", 6, '{"c": "é"}', None, None),
    ]


def test_plain_files_take_the_fast_reader_with_the_same_line_numbers(conn, tmp_path):
    lines = [json.dumps({"n": n, "text": 'a "quoted", comma'}) for n in range(5000)]
    lines[1234] = '{"broken": '
    (tmp_path / "plain.jsonl").write_text("\n".join(lines) + "\n")
    (tmp_path / "blank.jsonl").write_text("\n".join(lines[:3]) + "\n\n" + lines[3] + "\n")
    (tmp_path / "crlf.jsonl").write_text("\r\n".join(lines[:3]))
    assert _plain_rows(conn, tmp_path / "plain.jsonl") == 5000
    assert _plain_rows(conn, tmp_path / "blank.jsonl") == 5  # a blank line is a row too
    assert _plain_line_count(tmp_path / "crlf.jsonl") is None
    report = ingest(conn, tmp_path)
    assert report.records == 5000 + 4 + 3 and report.unparseable == 1
    plain = [row for row in rows(conn) if row[0] == "plain.jsonl"]
    assert [row[1] for row in plain] == list(range(1, 5001))
    assert plain[1234][3:] == ('{"broken": ', "malformed_json")
    assert plain[4999][2] == lines[4999]
    blank = [row[1] for row in rows(conn) if row[0] == "blank.jsonl"]
    assert blank == [1, 2, 3, 5]


def test_each_content_is_ingested_once_whatever_its_name(conn, tmp_path):
    (tmp_path / "a.jsonl").write_text('{"a": 1}\n')
    assert ingest(conn, tmp_path).records == 1
    (tmp_path / "b.jsonl").write_text('{"a": 1}\n')  # re-delivered under another name
    report = ingest(conn, tmp_path)
    assert report.records == 0 and report.unchanged == 1
    assert report.redelivered == ["b.jsonl (same content as a.jsonl)"]
    os.utime(tmp_path / "a.jsonl", (1, 1))  # touched, same content
    report = ingest(conn, tmp_path)
    assert report.records == 0 and report.redelivered == []
    assert conn.execute(f"select count(*) from {RAW}").fetchone() == (1,)


def test_changed_content_under_the_same_name_is_new(conn, tmp_path):
    (tmp_path / "a.jsonl").write_text('{"a": 1}\n')
    ingest(conn, tmp_path)
    (tmp_path / "a.jsonl").write_text('{"a": 2}\n{"a": 3}\n')  # rewritten, not appended to
    assert ingest(conn, tmp_path).records == 2


def test_gzip_array_bom_and_utf16_files(conn, tmp_path):
    (tmp_path / "z.jsonl.gz").write_bytes(gzip.compress(b'{"g": 1}\n{"g": 2}\n'))
    (tmp_path / "array.json").write_text(json.dumps([{"x": 1}, {"x": 2}, {"x": 3}]))
    (tmp_path / "bom.jsonl").write_bytes('\ufeff{"bom": 1}\n'.encode())
    (tmp_path / "wide.jsonl").write_bytes('{"u16": "ü"}\n'.encode("utf-16"))
    report = ingest(conn, tmp_path)
    assert {item["file"]: item["records"] for item in report.loaded} == {
        "array.json": 3,
        "bom.jsonl": 1,
        "wide.jsonl": 1,
        "z.jsonl.gz": 2,
    }
    assert report.unparseable == 0
    assert conn.execute(
        f"select record->>'u16' from {RAW} where source_file = 'wide.jsonl'"
    ).fetchone() == ("ü",)


def test_wrong_encoding_quarantines_the_damaged_lines_only(conn, tmp_path):
    (tmp_path / "latin1.jsonl").write_bytes(b'{"ok": 1}\n{"name": "caf\xe9"}\n')
    report = ingest(conn, tmp_path)
    assert report.records == 2 and report.unparseable == 1
    assert rows(conn)[1][4] == "invalid_encoding"
    assert rows(conn)[1][3] == '{"name": "caf\ufffd"}'


def test_empty_file_and_unreadable_file(conn, tmp_path):
    (tmp_path / "empty.jsonl").write_text("")
    unreadable = tmp_path / "locked.jsonl"
    unreadable.write_text('{"a": 1}\n')
    files = list_landed_files(tmp_path)
    unreadable.unlink()  # vanished between listing and reading
    report = ingest_files(conn, RAW, files)
    assert [item["records"] for item in report.loaded] == [0]
    assert len(report.unreadable) == 1 and report.unreadable[0].startswith("locked.jsonl")


def test_a_broken_array_file_is_kept_line_by_line(conn, tmp_path):
    (tmp_path / "broken.json").write_text('[{"x": 1},\n{"x": ')
    report = ingest(conn, tmp_path)
    assert report.records == 2 and report.unparseable == 2


def test_one_pass_over_many_files_keeps_name_order_and_loads_each_content_once(conn, tmp_path):
    # plain files are loaded several per statement; the others one by one in between
    (tmp_path / "a.jsonl").write_text('{"f": "a", "n": 1}\n\n{"f": "a", "n": 3}\n')
    (tmp_path / "b.json").write_text('[{"f": "b", "n": 1}, {"f": "b", "n": 2}]')
    (tmp_path / "c.jsonl").write_text('{"f": "c", "n": 1}\n')
    (tmp_path / "d.jsonl").write_text('{"f": "c", "n": 1}\n')  # same content as c, same pass
    (tmp_path / "e.jsonl.gz").write_bytes(gzip.compress(b'{"f": "e", "n": 1}\n'))
    (tmp_path / "f.jsonl").write_text('{"f": "f", "n": 1}\r\n{"f": "f", "n": 2}\r\n')
    (tmp_path / "g.jsonl").write_text('{"f": "g", "n": 1}\n')
    report = ingest(conn, tmp_path)
    assert report.redelivered == ["d.jsonl (same content as c.jsonl)"]
    assert {item["file"]: item["records"] for item in report.loaded} == {
        "a.jsonl": 2,
        "b.json": 2,
        "c.jsonl": 1,
        "e.jsonl.gz": 1,
        "f.jsonl": 2,
        "g.jsonl": 1,
    }
    loaded = conn.execute(
        f"select source_file, line_number, record->>'f', record->>'n' from {RAW} order by raw_id"
    ).fetchall()
    assert loaded == [
        ("a.jsonl", 1, "a", "1"),
        ("a.jsonl", 3, "a", "3"),
        ("b.json", 1, "b", "1"),
        ("b.json", 2, "b", "2"),
        ("c.jsonl", 1, "c", "1"),
        ("e.jsonl.gz", 1, "e", "1"),
        ("f.jsonl", 1, "f", "1"),
        ("f.jsonl", 2, "f", "2"),
        ("g.jsonl", 1, "g", "1"),
    ]
    (raw_ids,) = conn.execute(f"select count(distinct raw_id) from {RAW}").fetchone()
    assert raw_ids == 9
    ledger = conn.execute(
        "select source_file, records from ingestion_ledger order by source_file"
    ).fetchall()
    assert ledger == [
        ("a.jsonl", 2),
        ("b.json", 2),
        ("c.jsonl", 1),
        ("d.jsonl", 0),
        ("e.jsonl.gz", 1),
        ("f.jsonl", 2),
        ("g.jsonl", 1),
    ]
    # each file's range of raw ids, for a reader of one file's rows (a re-delivery has none;
    # a.jsonl's blank line 2 leaves its id 2 unused)
    ranges = conn.execute(
        "select source_file, first_raw_id, last_raw_id from ingestion_ledger order by all"
    ).fetchall()
    assert ranges == [
        ("a.jsonl", 1, 3),
        ("b.json", 4, 5),
        ("c.jsonl", 6, 6),
        ("d.jsonl", None, None),
        ("e.jsonl.gz", 7, 7),
        ("f.jsonl", 8, 9),
        ("g.jsonl", 10, 10),
    ]
    stored = conn.execute(
        f"select source_file, min(raw_id), max(raw_id) from {RAW} group by all order by all"
    ).fetchall()
    assert stored == [r for r in ranges if r[1] is not None]


def records_by_file(report):
    return {item["file"]: item["records"] for item in report.loaded}


def test_a_file_name_that_is_not_utf8_loads_under_its_escaped_name(conn, tmp_path):
    (tmp_path / "good.jsonl").write_text('{"a": 1}\n')
    with open(os.fsencode(tmp_path) + b"/bad-\xff\xfe.jsonl", "wb") as handle:
        handle.write(b'{"b": 2}\n')
    report = ingest(conn, tmp_path)
    assert records_by_file(report) == {"bad-\\xff\\xfe.jsonl": 1, "good.jsonl": 1}
    assert report.unreadable == []
    assert ingest(conn, tmp_path).loaded == []  # once


def test_hostile_file_names_load_as_themselves(conn, tmp_path):
    """Quotes, SQL, a line feed, 250 characters, a leading dash, and the glob characters DuckDB
    would expand into other files' names."""
    names = [
        "q'uote\".jsonl",
        "semi;colon.jsonl",
        f"x'); drop table {RAW}; --.jsonl",
        "line\nfeed.jsonl",
        "l" * 244 + ".jsonl",
        "-dash.jsonl",
        "star*.jsonl",
        "starry.jsonl",
        "what?.jsonl",
        "whatX.jsonl",
        "a[1].jsonl",
        "a1.jsonl",
        "$source_file.jsonl",
    ]
    for name in names:
        (tmp_path / name).write_text(json.dumps({"name": name}) + "\n")
    report = ingest(conn, tmp_path)
    assert records_by_file(report) == dict.fromkeys(names, 1)
    stored = conn.execute(f"select source_file, record->>'name' from {RAW}").fetchall()
    assert sorted(stored) == sorted((name, name) for name in names)


def test_a_damaged_gzip_file_is_recorded_unreadable_and_retried_only_when_it_changes(
    conn, tmp_path
):
    whole = gzip.compress(b'{"g": 1}\n' * 1000)
    (tmp_path / "cut.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "plain-text.jsonl.gz").write_text('{"not": "gzip"}\n')
    (tmp_path / "good.jsonl").write_text('{"a": 1}\n')
    report = ingest(conn, tmp_path)
    assert records_by_file(report) == {"good.jsonl": 1}
    assert [problem.split(": ")[0] for problem in report.unreadable] == [
        "cut.jsonl.gz",
        "plain-text.jsonl.gz",
    ]
    assert all("gzip" in problem for problem in report.unreadable)
    ledger = conn.execute(
        "select source_file, records, error is not null from ingestion_ledger order by 1"
    ).fetchall()
    assert ledger == [("cut.jsonl.gz", 0, True), ("good.jsonl", 1, False)] + [
        ("plain-text.jsonl.gz", 0, True)
    ]
    # Unchanged: not read again, still named.
    report = ingest(conn, tmp_path)
    assert report.loaded == [] and len(report.unreadable) == 2
    assert all("as recorded before" in problem for problem in report.unreadable)
    # Delivered again whole: loaded.
    (tmp_path / "cut.jsonl.gz").write_bytes(whole)
    report = ingest(conn, tmp_path)
    assert records_by_file(report) == {"cut.jsonl.gz": 1000}


def test_invalid_bytes_in_a_json_array_are_quarantined(conn, tmp_path):
    text = '[{"name": "Escola São José 1"}, {"ok": 1}]'
    (tmp_path / "latin1.json").write_bytes(text.encode("latin-1"))
    report = ingest(conn, tmp_path)
    assert report.records == 2 and report.unparseable == 1
    (damaged, fine) = rows(conn)
    assert damaged[2] is None and damaged[4] == "invalid_encoding"
    assert "Escola S\ufffdo Jos\ufffd 1" in damaged[3]
    assert fine[2:] == ('{"ok":1}', None, None)


def test_odd_contents_are_loaded_or_quarantined_with_a_reason(conn, tmp_path):
    (tmp_path / "empty.jsonl").write_text("")
    (tmp_path / "blank.jsonl").write_text("  \n\t\n \t \n\n")
    (tmp_path / "utf16.jsonl").write_bytes('{"u": "ü"}\n'.encode("utf-16"))
    lone_surrogate = b"\x00\xd8"
    (tmp_path / "utf16-bad.jsonl").write_bytes(
        '\ufeff{"u": 1}\n'.encode("utf-16-le") + lone_surrogate + "\n{}\n".encode("utf-16-le")
    )
    (tmp_path / "utf16-odd.jsonl").write_bytes('{"u": 1}\n'.encode("utf-16") + b"A")
    (tmp_path / "long.jsonl").write_text('{"big": "' + "x" * 20_000_000 + '"}\n{"n": 2}\n')
    (tmp_path / "values.jsonl").write_text('1\n"text"\n[1, 2]\nnull\n{"n": NaN}\nInfinity\n')
    (tmp_path / "nul.jsonl").write_bytes(b'{"a": "x\x00y"}\n')
    report = ingest(conn, tmp_path)
    assert report.unreadable == []
    assert records_by_file(report) == {
        "blank.jsonl": 0,
        "empty.jsonl": 0,
        "long.jsonl": 2,
        "nul.jsonl": 1,
        "utf16-bad.jsonl": 3,
        "utf16-odd.jsonl": 2,
        "utf16.jsonl": 1,
        "values.jsonl": 6,
    }
    errors = conn.execute(
        f"select source_file, line_number, load_error from {RAW} where load_error is not null "
        "order by all"
    ).fetchall()
    assert errors == [
        ("nul.jsonl", 1, "malformed_json"),
        ("utf16-bad.jsonl", 2, "invalid_encoding"),
        ("utf16-odd.jsonl", 2, "invalid_encoding"),
    ]
    # JSON values that are not objects (and DuckDB's NaN and Infinity) are records: staging
    # rejects what is not an event.
    assert conn.execute(
        f"select count(record) from {RAW} where source_file = 'values.jsonl'"
    ).fetchone() == (6,)


def test_a_gzip_file_of_content_loaded_as_plain_text_adds_nothing(conn, tmp_path):
    content = b'{"a": 1}\n{"broken": \n'
    (tmp_path / "day.jsonl").write_bytes(content)
    assert ingest(conn, tmp_path).records == 2
    (tmp_path / "day.jsonl.gz").write_bytes(gzip.compress(content))
    report = ingest(conn, tmp_path)
    assert report.loaded == [] and report.redelivered == [
        "day.jsonl.gz (same content as day.jsonl)"
    ]
    assert conn.execute(f"select count(*) from {RAW}").fetchone() == (2,)


def test_a_file_that_grew_in_place_adds_only_its_new_lines(conn, tmp_path):
    """A writer paused longer than the settle time: the first pass caught a line half-written.
    The second stores that line whole and the lines after it; the lines before, the malformed
    one included, are not stored (nor rejected) twice."""
    lines = [json.dumps({"n": n}) for n in range(1, 7)]
    lines[1] = '{"broken": '
    whole = "\n".join(lines) + "\n"
    day = tmp_path / "day.jsonl"
    day.write_text(whole[: whole.index('"n": 4')])  # line 4 is `{` so far
    report = ingest(conn, tmp_path)
    assert report.records == 4 and report.unparseable == 2
    day.write_text(whole)
    report = ingest(conn, tmp_path)
    assert report.loaded == [
        {
            "file": "day.jsonl",
            "records": 3,
            "unparseable": 0,
            "encoding_damaged": False,
            "from_line": 4,
        }
    ]
    stored = [(line, error) for _, line, _, _, error in rows(conn)]
    assert stored == [
        (1, None),
        (2, "malformed_json"),
        (3, None),
        (4, "malformed_json"),  # what arrived first stays received
        (4, None),
        (5, None),
        (6, None),
    ]
    # Paused after a whole line, before its line break (CRLF, cut between CR and LF): that
    # line is not stored again.
    crlf = tmp_path / "crlf.jsonl"
    crlf.write_bytes(b'{"m": 1}\r\n{"bad"\r\n{"m": 3}\r')
    assert ingest(conn, tmp_path).records == 3
    crlf.write_bytes(b'{"m": 1}\r\n{"bad"\r\n{"m": 3}\r\n{"m": 4}\r\n')
    report = ingest(conn, tmp_path)
    assert report.records == 1 and report.loaded[0]["from_line"] == 4
    (raw_ids,) = conn.execute(f"select count(distinct raw_id) = count(*) from {RAW}").fetchone()
    assert raw_ids


def test_a_gzip_file_that_grew_by_a_member_adds_only_its_new_lines(conn, tmp_path):
    first = gzip.compress(b'{"z": 1}\n{"z": 2}\n')
    (tmp_path / "z.jsonl.gz").write_bytes(first)
    assert ingest(conn, tmp_path).records == 2
    (tmp_path / "z.jsonl.gz").write_bytes(first + gzip.compress(b'{"z": 3}\n'))
    report = ingest(conn, tmp_path)
    assert report.records == 1 and report.loaded[0]["from_line"] == 3


def test_an_array_file_that_grew_is_read_whole_unless_it_grew_by_blank_space(conn, tmp_path):
    (tmp_path / "a.json").write_text('[{"x": 1}, {"x": 2}]')
    assert ingest(conn, tmp_path).records == 2
    (tmp_path / "a.json").write_text('[{"x": 1}, {"x": 2}]\n')
    assert ingest(conn, tmp_path).records == 0
    # Half-written, it was no array: read line by line. Whole, it is read as the array it is.
    (tmp_path / "b.json").write_text('[{"y": 1},\n{"y": 2')
    assert ingest(conn, tmp_path).records == 2
    (tmp_path / "b.json").write_text('[{"y": 1},\n{"y": 2}]')
    assert ingest(conn, tmp_path).records == 2


def test_a_file_written_to_while_it_is_read_is_left_for_the_next_pass(conn, tmp_path, monkeypatch):
    day = tmp_path / "day.jsonl"
    day.write_text('{"n": 1}\n')
    files = list_landed_files(tmp_path)
    hash_it = ingest_module.fingerprint

    def a_writer_appends_meanwhile(path, copy_to=None):
        hashed = hash_it(path, copy_to)
        with path.open("a") as handle:
            handle.write('{"n": 2}\n')
        return hashed

    monkeypatch.setattr(ingest_module, "fingerprint", a_writer_appends_meanwhile)
    report = ingest_files(conn, RAW, files)
    assert report.loaded == [] and report.changed_while_read == ["day.jsonl"]
    monkeypatch.undo()
    assert ingest(conn, tmp_path).records == 2
    assert ingest(conn, tmp_path).records == 0
    assert conn.execute(f"select count(*) from {RAW}").fetchone() == (2,)


def test_a_file_duckdb_cannot_load_does_not_stop_the_others(conn, tmp_path, monkeypatch):
    for name in ["a.jsonl", "b.jsonl", "c.jsonl"]:
        (tmp_path / name).write_text(json.dumps({"file": name}) + "\n")
    read = ingest_module.read_landed

    def b_fails_in_duckdb(conn, landed, scratch, earlier):
        text = read(conn, landed, scratch, earlier)
        if landed.name == "b.jsonl":
            text.select = text.select.replace(
                "$source_file as source_file",
                "error('cannot load ' || $source_file) as source_file",
            )
        return text

    monkeypatch.setattr(ingest_module, "read_landed", b_fails_in_duckdb)
    report = ingest(conn, tmp_path)
    assert records_by_file(report) == {"a.jsonl": 1, "c.jsonl": 1}
    assert report.unreadable == ["b.jsonl: Invalid Input Error: cannot load b.jsonl"]
    monkeypatch.undo()
    assert records_by_file(ingest(conn, tmp_path)) == {"b.jsonl": 1}  # tried again


def test_a_ledger_of_an_earlier_version_gains_its_columns_and_its_files_may_grow(conn, tmp_path):
    """A ledger written before `content_bytes` and `error` existed: its rows stay, and a plain
    file it recorded that grows in place adds its new lines only (its size is its content's)."""
    first = b'{"n": 1}\n{"broken": \n'
    (tmp_path / "day.jsonl").write_bytes(first)
    ingest(conn, tmp_path)
    # as the earlier versions wrote it
    for column in ["content_bytes", "error", "first_raw_id", "last_raw_id"]:
        conn.execute(f"alter table main.ingestion_ledger drop column {column}")
    (tmp_path / "day.jsonl").write_bytes(first + b'{"n": 3}\n')
    report = ingest(conn, tmp_path)
    assert report.records == 1 and report.loaded[0]["from_line"] == 3
    columns = [row[0] for row in conn.execute("describe main.ingestion_ledger").fetchall()]
    assert columns[-4:] == ["content_bytes", "error", "first_raw_id", "last_raw_id"]
    assert conn.execute("select count(*) from ingestion_ledger").fetchone() == (2,)


def test_a_gzip_file_an_earlier_version_loaded_is_not_loaded_again_when_touched_or_copied(
    conn, tmp_path
):
    """The earlier version recorded a gzip file under the hash of its compressed bytes."""
    compressed = gzip.compress(b'{"g": 1}\n{"broken": \n')
    (tmp_path / "day.jsonl.gz").write_bytes(compressed)
    ingest(conn, tmp_path)
    bytes_hash = hashlib.sha256(compressed).hexdigest()
    conn.execute("update ingestion_ledger set file_hash = ?, content_bytes = null", [bytes_hash])
    conn.execute(f"update {RAW} set file_hash = ?", [bytes_hash])
    os.utime(tmp_path / "day.jsonl.gz", (1, 1))  # touched
    (tmp_path / "copy.jsonl.gz").write_bytes(compressed)
    files = list_landed_files(tmp_path)
    assert [landed.name for landed, _ in unloaded_files(conn, RAW, files)] == ["copy.jsonl.gz"]
    report = ingest(conn, tmp_path)
    assert report.loaded == [] and report.unchanged == 1
    assert report.redelivered == ["copy.jsonl.gz (same content as day.jsonl.gz)"]
    assert conn.execute(f"select count(*) from {RAW}").fetchone() == (2,)
