"""A warehouse the processor wrote before its judged heartbeats moved behind
`webapp_rejected_events` keeps them: `playback_rejected_heartbeats` becomes
`int_webapp__playback_rejected_heartbeats` with its rows (the quarantine never loses a record),
and the next batch adds to it."""

from datetime import timedelta

import duckdb

from event_assets.defs.webapp import stream_processor
from event_assets_tests.webapp.stream_inputs import T0, load_files

BEAT = ("s-1", "p-1", "u-1", "ios", T0, T0)


def test_the_former_quarantine_table_is_renamed_with_its_rows():
    with duckdb.connect() as conn:
        load_files(conn, [[BEAT]])
        stream_processor.process_pending(conn)
        # as an earlier version left it: the same table under its former name, one judged row
        conn.execute(
            f"""alter table {stream_processor.REJECTED} rename to playback_rejected_heartbeats;
                insert into webapp.playback_rejected_heartbeats values ('playback/old.jsonl', 3,
                'hash-old', 'late_event', '{{}}', ?, 'u-9', 's-9', 'p-9', 'then')""",
            [T0],
        )
        # file 2: a heartbeat 61 s later closes s-1; file 3: one of s-1, on time: stream_closed
        later = ("s-2", "p-2", "u-2", "ios", T0, T0 + timedelta(seconds=61))
        load_files(conn, [[later], [(*BEAT[:5], T0 + timedelta(seconds=62))]])
        stream_processor.process_pending(conn)
        tables = conn.execute(
            "select table_name from information_schema.tables where table_schema = 'webapp'"
        ).fetchall()
        assert ("playback_rejected_heartbeats",) not in tables
        assert conn.execute(
            f"select source_file, line_number, reason from {stream_processor.REJECTED} order by 1"
        ).fetchall() == [
            ("playback/old.jsonl", 3, "late_event"),
            ("playback/playback-00003.jsonl", 1, "stream_closed"),
        ]
