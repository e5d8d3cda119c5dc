"""The stream processor reads a batch's rows by the raw-id range the ledger holds for its file
(so that a batch does not scan the whole history). The range only prunes: files the ledger
holds no range for (loaded before it kept them) give the same tables, late events and closed
streams included."""

import duckdb

from event_assets.defs.webapp import stream_processor
from event_assets_tests.webapp.stream_inputs import dump, load_files, shuffled_files


def processed(raw_id_ranges: bool, files) -> dict:
    with duckdb.connect() as conn:
        load_files(conn, files, raw_id_ranges=raw_id_ranges)
        done = stream_processor.process_pending(conn)
        assert len(done) == len(files)
        return dump(conn)


def test_the_raw_id_range_gives_the_same_tables_as_no_range():
    files = shuffled_files(seed=11, streams=80, files=12)
    files.insert(5, [])  # an empty file: a batch without rows
    with_ranges, without = processed(True, files), processed(False, files)
    assert with_ranges == without
    judged = {row[3] for row in with_ranges[stream_processor.REJECTED_TABLE]}
    assert judged == {"late_event", "stream_closed"}  # the shuffled input has both kinds
    assert len(with_ranges["playback_streams"]) > 20


def test_each_batch_carries_its_files_range():
    files = shuffled_files(seed=2, streams=10, files=3)
    with duckdb.connect() as conn:
        load_files(conn, files)
        stream_processor.ensure_tables(conn)
        batches = stream_processor.pending_batches(conn)
    sizes = [len(beats) for beats in files]
    assert [(b.first_raw_id, b.last_raw_id) for b in batches] == [
        (1, sizes[0]),
        (sizes[0] + 1, sizes[0] + sizes[1]),
        (sizes[0] + sizes[1] + 1, sum(sizes)),
    ]
