"""Property (issue 15 item 5): any split of the same time-ordered heartbeats into files gives
the same playback_streams and open streams, and they equal a batch computation over all of
them: a stream is written when the newest heartbeat of all is more than 60 s after its last
one, with all its heartbeats, its start, user and device from its earliest one.

Streams keep their heartbeats within 60 s of each other (a longer pause closes a stream, and
a later heartbeat of it is then rightly refused, which one batch cannot see)."""

from datetime import timedelta

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from event_assets.defs.webapp import stream_processor
from event_assets_tests.webapp.stream_inputs import T0, load_files

# Times on a grid of whole seconds (plus a few ms), so that a heartbeat exactly 60 s after another
# stream's last one, the edge of `>` against `>=`, comes often.
ms = st.integers(0, 2).map(lambda n: (0, 1, 999)[n])
stream = st.tuples(
    st.integers(0, 120).map(lambda s: s * 1000),  # first heartbeat, ms after T0
    st.integers(0, 5_000),  # start_time before the first heartbeat, ms
    # gaps between heartbeats, ms: 60 s at most
    st.lists(
        st.tuples(st.integers(0, 59), ms).map(lambda g: g[0] * 1000 + g[1]) | st.just(60_000),
        max_size=8,
    ),  # fmt: skip
    st.sampled_from(["ios", "android", "web"]),
)


def heartbeats(streams) -> list[tuple]:
    """Every heartbeat of the streams, in time order (ties: stream order)."""
    beats = []
    for number, (first, lead, gaps, device) in enumerate(streams):
        at = T0 + timedelta(milliseconds=first)
        start = at - timedelta(milliseconds=lead)
        for gap in [0, *gaps]:
            at += timedelta(milliseconds=gap)
            beats.append((f"s-{number // 2}", f"p-{number}", f"u-{number}", device, start, at))
    return sorted(beats, key=lambda beat: beat[5])


def processed(files: list[list[tuple]]) -> tuple[list[tuple], list[tuple]]:
    with duckdb.connect() as conn:
        load_files(conn, files)
        stream_processor.process_pending(conn)
        return (
            conn.execute("select * from webapp.playback_streams order by all").fetchall(),
            conn.execute(
                """select user_id, program_id, start_time, session_id, device, event_count
                   from webapp.playback_open_streams order by all"""
            ).fetchall(),
        )


def batch_computation(beats: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """The streams of all heartbeats at once, in plain Python."""
    newest = max(beat[5] for beat in beats)
    by_stream: dict[tuple, list[tuple]] = {}
    for beat in beats:
        by_stream.setdefault((beat[0], beat[1]), []).append(beat)
    written, still_open = [], []
    for (session, program), own in by_stream.items():
        first = min(own, key=lambda beat: beat[5])
        last = max(beat[5] for beat in own)
        user, device, start = first[2], first[3], first[4]
        if newest > last + timedelta(seconds=60):
            duration = round((last - start) / timedelta(microseconds=1) / 1e6, 6)
            written.append((user, program, start, session, device, duration, len(own)))
        else:
            still_open.append((user, program, start, session, device, len(own)))
    return sorted(written), sorted(still_open)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(streams=st.lists(stream, min_size=1, max_size=6), cuts=st.lists(st.integers(0, 60)))
def test_any_split_into_files_gives_the_batch_streams(streams, cuts) -> None:
    beats = heartbeats(streams)
    bounds = sorted({min(cut, len(beats)) for cut in cuts})
    files = [beats[lo:hi] for lo, hi in zip([0, *bounds], [*bounds, len(beats)], strict=True)]
    expected = batch_computation(beats)
    assert processed([beats]) == expected
    assert processed(files) == expected
