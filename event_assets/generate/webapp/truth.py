"""What the pipeline should make of a ``webapp`` sample, computed from the generator's own
arrays by the spec's rules (issue 15 item 4), apart from how the data was drawn.

- Web sessions: the valid events (each exact duplicate once), per user and device in time
  order; a gap over 30 minutes starts a new session (exactly 30:00 stays in).
- Playback streams, with allowed lateness 0: files in delivery order; each file is judged
  against the watermark as it stood before it (the newest valid event time seen): a heartbeat
  strictly older is ``late_event``; an on-time one of a stream already written is
  ``stream_closed``; the others join their stream. Then the watermark moves to the newest valid
  heartbeat seen, and every open stream with watermark > last heartbeat + 60 s is written once.
  Bad lines take no part. Streams still open after the last file are ``open_streams``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from event_assets.generate.kit import MINUTE_MS, SECOND_MS
from event_assets.generate.webapp.playback import DEVICES, Heartbeats
from event_assets.generate.webapp.playback_files import PlaybackLines
from event_assets.generate.webapp.web_events import VERSIONS, WebEvents

SESSION_GAP_MS = 30 * MINUTE_MS
STREAM_TIMEOUT_MS = 60 * SECOND_MS
STREAM_COLUMNS = ["user_id", "program_id", "start_time", "session_id", "device",
                  "stream_duration_seconds", "event_count"]  # fmt: skip


def web_sessions(events: WebEvents) -> pd.DataFrame:
    """The expected sessions (all but the ``session_id``, which is the pipeline's hash), ordered
    by user, device and start."""
    order = np.lexsort((events.time, events.device))
    device, time = events.device[order], events.time[order]
    new = np.ones(time.size, dtype=bool)
    new[1:] = (device[1:] != device[:-1]) | (np.diff(time) > SESSION_GAP_MS)
    first = np.flatnonzero(new)
    last = np.append(first[1:], time.size) - 1
    sessions = pd.DataFrame(
        {
            "user_id": [f"u-{u}" for u in events.user[order][first].tolist()],
            "device_id": [f"d-{d}" for d in device[first].tolist()],
            "started_at": time[first].astype("datetime64[ms]"),
            "ended_at": time[last].astype("datetime64[ms]"),
            "duration_seconds": (time[last] - time[first]) / 1000,
            "event_count": last - first + 1,
            "app_version": np.array(VERSIONS)[events.version[order][first]].astype(str),
        }
    )
    return sessions.sort_values(["user_id", "device_id", "started_at"], ignore_index=True)


@dataclass
class StreamTruth:
    streams: pd.DataFrame  # playback_streams, in the order they were written
    open_streams: pd.DataFrame  # the same columns, still open after the last file
    closed_after_file: np.ndarray  # per written stream: the delivery number (from 0) of its file
    late_events: int
    stream_closed_events: int


def playback_streams(
    beats: Heartbeats, lines: PlaybackLines, files: int, closed_moves_watermark: bool = True
) -> StreamTruth:
    """The streams the processor writes. ``closed_moves_watermark``: whether an on-time
    heartbeat of a closed stream counts for the watermark (the rules leave it open; the sample
    is made so that it does not matter, which a test checks)."""
    valid = lines.bad == 0
    beat = lines.heartbeat[valid]
    file = lines.file[valid]
    by_file = np.argsort(file, kind="stable")
    bounds = np.searchsorted(file[by_file], np.arange(files + 1))
    streams = beats.stream_start.size
    last = np.full(streams, np.iinfo(np.int64).min)
    count = np.zeros(streams, dtype=np.int64)
    is_open = np.zeros(streams, dtype=bool)
    closed_at = np.full(streams, -1)  # delivery number of the file after which it was written
    watermark = np.iinfo(np.int64).min
    late = stream_closed = 0
    for number in range(files):
        rows = beat[by_file[bounds[number] : bounds[number + 1]]]
        time, stream = beats.time[rows], beats.stream[rows]
        on_time = time >= watermark
        closed = on_time & (closed_at[stream] >= 0)
        joins = on_time & ~closed
        late += int(np.count_nonzero(~on_time))
        stream_closed += int(np.count_nonzero(closed))
        np.maximum.at(last, stream[joins], time[joins])
        np.add.at(count, stream[joins], 1)
        is_open[stream[joins]] = True
        moving = on_time if closed_moves_watermark else joins
        if moving.any():
            watermark = max(watermark, int(time[moving].max()))
        over = np.flatnonzero(is_open & (watermark > last + STREAM_TIMEOUT_MS))
        closed_at[over] = number
        is_open[over] = False
    written = np.flatnonzero(closed_at >= 0)
    written = written[np.lexsort((written, closed_at[written]))]
    return StreamTruth(
        streams=_stream_table(beats, written, last, count),
        open_streams=_stream_table(beats, np.flatnonzero(is_open), last, count),
        closed_after_file=closed_at[written],
        late_events=late,
        stream_closed_events=stream_closed,
    )


def _stream_table(
    beats: Heartbeats, streams: np.ndarray, last: np.ndarray, count: np.ndarray
) -> pd.DataFrame:
    session = beats.stream_session[streams]
    start = beats.stream_start[streams]
    return pd.DataFrame(
        {
            "user_id": [f"u-{u}" for u in beats.session_user[session].tolist()],
            "program_id": [f"p-{p}" for p in beats.stream_program[streams].tolist()],
            "start_time": start.astype("datetime64[ms]"),
            "session_id": beats.session_ids[session].astype(str),
            "device": np.array([d for d, _ in DEVICES])[beats.session_device[session]].astype(str),
            "stream_duration_seconds": (last[streams] - start) / 1000,
            "event_count": count[streams],
        },
        columns=STREAM_COLUMNS,
    )
