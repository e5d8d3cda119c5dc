"""A playback file caught half-written (it ends inside a line that did not parse) waits, with
every file after it, and is one micro-batch with both of its loads once complete: the streams
are those of the file landed whole (the fault suite checks the same through the pipeline)."""

from datetime import timedelta

import duckdb

from event_assets.core.ledger import LEDGER_TABLE
from event_assets.defs.webapp import stream_processor
from event_assets.defs.webapp.stream_processor import CLASSIFIED, RAW_TABLE
from event_assets_tests.webapp.stream_inputs import T0, dump, load_files

START = T0 - timedelta(seconds=1)
# out of order inside the file: split in two batches, the second half would be late
FIRST_HALF = [("s-1", "p-1", "u-1", "ios", START, T0 + timedelta(seconds=s)) for s in (8, 12)]
SECOND_HALF = [("s-1", "p-1", "u-1", "ios", START, T0 + timedelta(seconds=s)) for s in (0, 4)]
LATER = [("s-2", "p-2", "u-2", "ios", START, T0 + timedelta(seconds=200))]


def test_a_half_written_file_waits_and_is_one_batch_when_complete(tmp_path):
    landing = tmp_path / "playback"
    landing.mkdir()
    with duckdb.connect() as whole:  # the file landed whole
        load_files(whole, [FIRST_HALF + SECOND_HALF, LATER])
        stream_processor.process_pending(whole)
        expected = dump(whole)
    assert expected["playback_streams"][0][-1] == 4  # all four heartbeats, none late

    with duckdb.connect() as conn:
        load_files(conn, [FIRST_HALF, LATER])
        # the first load of playback-00001 ended inside a line: its last row did not parse
        conn.execute(
            f"""insert into {RAW_TABLE} (raw_id, source_file, file_hash, line_number, raw_line,
                load_error, ingested_at) values (99, 'playback-00001.jsonl', 'hash-0', 3,
                '{{"user_id": "u-', 'malformed_json', ?)""",
            [T0],
        )
        conn.execute(  # as the ingestion records it: that row is one of the load's records
            f"""update main.{LEDGER_TABLE} set last_raw_id = 99
                where source_file = 'playback-00001.jsonl'"""
        )
        path = landing / "playback-00001.jsonl"
        path.write_bytes(b'{"user_id": "u-1"}\n{"user_id": "u-')  # no final line feed
        assert stream_processor.process_pending(conn, landing=landing) == []

        # completed: the ingestion stores the rest under the file's new content hash
        path.write_bytes(b'{"user_id": "u-1"}\n' * 4)
        load_files(conn, [SECOND_HALF])
        conn.execute(
            f"""update {CLASSIFIED} set source_file = 'playback-00001.jsonl', file_hash = 'hash-9'
                where source_file = 'playback-00003.jsonl';
                update main.{LEDGER_TABLE} set source_file = 'playback-00001.jsonl',
                    file_hash = 'hash-9', mtime_ns = 5
                where source_file = 'playback-00003.jsonl'"""
        )
        done = stream_processor.process_pending(conn, landing=landing)
        assert [(batch.source_file, batch.file_hashes) for batch in done] == [
            ("playback-00001.jsonl", ["hash-0", "hash-9"]),
            ("playback-00002.jsonl", ["hash-1"]),
        ]
        stored = dump(conn)
    for table in ("playback_streams", "playback_open_streams", stream_processor.REJECTED_TABLE):
        assert stored[table] == expected[table], table
