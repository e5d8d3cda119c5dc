"""The valid heartbeats of a ``webapp`` sample: viewing sessions, their programs and heartbeats.

A viewing session (``session_id``) is one user on one device watching one to four programs one
after the other; each program is a stream (``session_id``, ``program_id``) with a ``start_time``
and a heartbeat every ~4 s (jittered) from just after it. ``concurrency`` sessions run at any
moment, so that the heartbeats of one stream spread over several files. Planted on
purpose inside some streams: pauses of 59-59.999 s, exactly 60 s and 60.001-61 s (at the
60-second rule's edge) and long ones (3-5 minutes) followed by a few heartbeats, which arrive
after the stream was closed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from event_assets.generate import kit
from event_assets.generate.kit import HOUR_MS, SECOND_MS
from event_assets.generate.webapp.groups import (
    group_starts,
    offsets_in_group,
    position_in_group,
    running_sum_in_group,
)

MIN_PER_QUIRK = 3
DEVICES = ((b"apple_tv", 4), (b"roku", 3), (b"android_tv", 3), (b"chromecast", 2),
           (b"web", 3), (b"ios", 3), (b"android", 3))  # fmt: skip
PROGRAMS = 500
PROGRAMS_PER_SESSION = ((1, 4), (2, 3), (3, 2), (4, 1))
ONE_HEARTBEAT_SHARE = 0.03
HEARTBEATS_LOG_MEAN, HEARTBEATS_LOG_SIGMA = 3.3, 0.8  # median 27 heartbeats, ~2 minutes
HEARTBEAT_MS, JITTER_MS = 4 * SECOND_MS, 250  # normal jitter, clipped to +-1 s
FIRST_HEARTBEAT_MS = (0, HEARTBEAT_MS)  # after the stream's start_time
BETWEEN_PROGRAMS_MS = (SECOND_MS, 15 * SECOND_MS)
PLAYBACK_START_MS = 20 * HOUR_MS  # after the period's start: an evening
# Pauses planted inside streams (per kind, a share of the streams that can hold one).
PAUSES_MS = {
    "pause_59s": (59_000, 60_000),
    "pause_60s": (60_000, 60_001),
    "pause_60.001s": (60_001, 61_001),
    "pause_then_closed": (180_000, 300_000),
}
PAUSE_SHARE = 0.02
MIN_FOR_A_PAUSE = 8  # heartbeats in a stream
RESUMED_HEARTBEATS = (2, 6)  # after a long pause


@dataclass
class Heartbeats:
    """Valid heartbeats, stream by stream, and their streams and sessions."""

    stream: np.ndarray  # per heartbeat
    time: np.ndarray  # epoch ms
    stream_session: np.ndarray  # per stream
    stream_program: np.ndarray
    stream_start: np.ndarray  # start_time, epoch ms
    session_user: np.ndarray  # per session
    session_device: np.ndarray  # index into DEVICES
    session_ids: np.ndarray  # S, "s-" and 16 hex digits
    users: int


def _sizes(rng: np.random.Generator, options: tuple, total: int) -> np.ndarray:
    """Group sizes drawn from ``options`` (size, weight) adding up to ``total`` (the last cut)."""
    values = np.array([v for v, _ in options])
    sizes = values[kit.weighted(rng, options, total // int(values.min()) + 1)]
    end = int(np.searchsorted(np.cumsum(sizes), total)) + 1
    sizes = sizes[:end].copy()
    sizes[-1] -= int(sizes.sum()) - total
    return sizes


def _heartbeats_per_stream(rng: np.random.Generator, total: int) -> np.ndarray:
    drawn = total // 20 + 10
    count = 1 + np.round(rng.lognormal(HEARTBEATS_LOG_MEAN, HEARTBEATS_LOG_SIGMA, drawn))
    count[rng.random(drawn) < ONE_HEARTBEAT_SHARE] = 1
    count = count.astype(np.int64)
    while count.sum() < total:  # rarely: draw more
        count = np.concatenate([count, count])
    end = int(np.searchsorted(np.cumsum(count), total)) + 1
    count = count[:end].copy()
    count[-1] -= int(count.sum()) - total
    return count


def _plant_pauses(
    rng: np.random.Generator, interval: np.ndarray, count: np.ndarray
) -> dict[str, int]:
    """Make one interval of some streams a pause of ``PAUSES_MS`` (in place): a long one a few
    heartbeats before the stream's end, the others anywhere after its second heartbeat."""
    per_kind = max(MIN_PER_QUIRK, round(count.size * PAUSE_SHARE))
    chosen = kit.some(rng, count >= MIN_FOR_A_PAUSE, per_kind * len(PAUSES_MS))
    kind = np.repeat(np.arange(len(PAUSES_MS)), per_kind)[: chosen.size]
    low = np.array([lo for lo, _ in PAUSES_MS.values()])[kind]
    high = np.array([hi for _, hi in PAUSES_MS.values()])[kind]
    n = count[chosen]
    anywhere = 2 + (rng.random(chosen.size) * (n - 2)).astype(np.int64)
    before_end = n - rng.integers(*RESUMED_HEARTBEATS, chosen.size)
    long_pause = kind == len(PAUSES_MS) - 1
    at = np.cumsum(count)[chosen] - n + np.where(long_pause, before_end, anywhere)
    interval[at] = kit.between(rng, low, high, chosen.size)
    made = np.bincount(kind, minlength=len(PAUSES_MS))
    return dict(zip(PAUSES_MS, made.tolist(), strict=True))


def draw_heartbeats(
    rng: np.random.Generator, total: int, concurrency: int, start_ms: int
) -> tuple[Heartbeats, dict[str, int]]:
    """``total`` valid heartbeats of ``concurrency`` sessions at a time from ``start_ms`` +
    ``PLAYBACK_START_MS``; and how many pauses of each kind were planted."""
    count = _heartbeats_per_stream(rng, total)
    streams = count.size
    per_session = _sizes(rng, PROGRAMS_PER_SESSION, streams)
    sessions = per_session.size

    # Heartbeats of a stream: ~4 s apart, some pauses; the first a moment after start_time.
    interval = HEARTBEAT_MS + np.clip(
        np.round(rng.normal(0, JITTER_MS, total)), -SECOND_MS, SECOND_MS
    ).astype(np.int64)
    pauses = _plant_pauses(rng, interval, count)
    interval[group_starts(count)] = 0
    in_stream = running_sum_in_group(interval, count)  # from the stream's first heartbeat
    lead = kit.between(rng, *FIRST_HEARTBEAT_MS, streams)
    stream_length = lead + in_stream[np.cumsum(count) - 1]

    # Streams of a session one after another; sessions anywhere in a stretch of time as long as
    # their total length over ``concurrency``, so that about that many play at once.
    step = stream_length + kit.between(rng, *BETWEEN_PROGRAMS_MS, streams)
    in_session = offsets_in_group(step, per_session)
    session_length = np.add.reduceat(step, np.cumsum(per_session) - per_session)
    span = int(session_length.sum()) // concurrency
    session_start = kit.between(rng, 0, np.maximum(span - session_length, 1), sessions)

    stream_session = np.repeat(np.arange(sessions), per_session)
    stream_start = start_ms + PLAYBACK_START_MS + session_start[stream_session] + in_session
    stream = np.repeat(np.arange(streams), count)
    first_program = (PROGRAMS * rng.random(sessions) ** 2).astype(np.int64)  # popular ones
    users = max(5, sessions // 3)
    return Heartbeats(
        stream=stream,
        time=(stream_start + lead)[stream] + in_stream,
        stream_session=stream_session,
        # distinct programs in a session (37 k mod 500 differs for k < 4)
        stream_program=(first_program[stream_session] + 37 * position_in_group(per_session))
        % PROGRAMS,
        stream_start=stream_start,
        session_user=rng.integers(0, users, sessions),
        session_device=kit.weighted(rng, DEVICES, sessions),
        session_ids=np.array([b"s-%016x" % v for v in rng.integers(0, 2**63, sessions).tolist()]),
        users=users,
    ), pauses
