"""Heartbeats planted at the watermark's edges, where ``<`` and ``<=`` give different streams.

Once it is known which stretch of event time each on-time file holds, two kinds of heartbeat are
moved by a second or two (their stream's heartbeats stay at least ``MIN_INTERVAL_MS`` apart):

- ``heartbeat_at_watermark``: a heartbeat whose time equals the watermark before its file (the
  newest heartbeat of the files before): on time, as only a strictly older one is late;
- ``stream_at_timeout_edge``: a stream's last heartbeat exactly 60 s before the watermark after
  some file: still open then (it closes only when the watermark is strictly past last + 60 s),
  written after the next file.

Neither moves the newest heartbeat of any stretch, so the watermarks stay as they were.
"""

from __future__ import annotations

import numpy as np

from event_assets.generate import kit
from event_assets.generate.kit import SECOND_MS

PLANTED_SHARE = 0.1  # of the files, per kind
MIN_PER_KIND = 3
MIN_INTERVAL_MS = 2 * SECOND_MS
STREAM_TIMEOUT_MS = 60 * SECOND_MS


def plant_watermark_edges(
    rng: np.random.Generator,
    time: np.ndarray,
    stream: np.ndarray,
    stretch: np.ndarray,
    on_time: np.ndarray,
    stretches: int,
) -> dict[str, int]:
    """Move some heartbeats (``time``, in place; heartbeats stream by stream in time order)
    onto the edges; how many of each kind."""
    lowest = np.iinfo(np.int64).min
    newest = np.full(stretches, lowest)
    np.maximum.at(newest, stretch[on_time], time[on_time])
    after = np.maximum.accumulate(newest)  # the watermark after each stretch's file
    before = np.concatenate([[lowest], after[:-1]])
    n = time.size
    same_before = np.zeros(n, dtype=bool)  # the heartbeat before is of the same stream
    same_before[1:] = stream[1:] == stream[:-1]
    previous = np.concatenate([[lowest], time[:-1]])
    last = np.ones(n, dtype=bool)
    last[:-1] = ~same_before[1:]
    inside = on_time & (time < newest[stretch])  # not the newest of its stretch
    size = max(MIN_PER_KIND, round(stretches * PLANTED_SHARE))

    wm = before[stretch]
    at_watermark = (
        inside & ~last & (stretch > 0) & same_before
        & (time - wm <= 2 * SECOND_MS) & (previous <= wm - MIN_INTERVAL_MS)
    )  # fmt: skip
    moved = kit.some(rng, at_watermark, size)
    time[moved] = wm[moved]

    # The first file after which last + 60 s is reached; the last heartbeat moved later onto it.
    reached = np.searchsorted(after, np.minimum(time + STREAM_TIMEOUT_MS, after[-1]))
    edge = after[reached] - STREAM_TIMEOUT_MS
    at_edge = inside & last & (time + STREAM_TIMEOUT_MS <= after[-1]) & (edge <= newest[stretch])
    at_edge[moved] = False
    ended = kit.some(rng, at_edge, size)
    time[ended] = edge[ended]
    return {"heartbeat_at_watermark": int(moved.size), "stream_at_timeout_edge": int(ended.size)}
