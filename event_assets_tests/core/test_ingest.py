"""Ingestion into the raw table: exactly once per content, nothing lost, odd files handled."""

import gzip
import json
import os

import duckdb
import pytest

from event_assets.core.ingest import _plain_line_count, _plain_rows, ingest_files
from event_assets.core.landing import list_landed_files

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
    (tmp_path / "a.jsonl").write_text('{"a": 1}\n{"a": 2}\n')
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
