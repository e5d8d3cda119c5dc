"""A ``webapp`` sample from start to end: web events and their files, heartbeats and theirs,
and what the pipeline should make of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Unpack

import numpy as np
import pandas as pd

from event_assets.generate import kit
from event_assets.generate.webapp.faults import EVENT_BAD_KINDS, HEARTBEAT_BAD_KINDS, REASONS
from event_assets.generate.webapp.playback import draw_heartbeats
from event_assets.generate.webapp.playback_files import (
    PlaybackFormatter,
    deliver_heartbeats,
    plan_heartbeats,
    write_playback_files,
)
from event_assets.generate.webapp.truth import playback_streams, web_sessions
from event_assets.generate.webapp.web_events import (
    ZONE_NO_MS,
    ZONE_OFFSET,
    WebEvents,
    draw_web_events,
)
from event_assets.generate.webapp.web_files import (
    WebFormatter,
    deliver_events,
    plan_lines,
    write_event_files,
)

DEFAULTS = kit.Defaults(seed=42, start=date(2024, 5, 1), days=5, min_events=1_000)
DEFAULT_SEED, DEFAULT_START, DEFAULT_DAYS, MIN_EVENTS = DEFAULTS
HEARTBEATS_PER_EVENT = 1.5  # --heartbeats when not given
HEARTBEATS_PER_FILE = 100  # --files when not given (at most MAX_DEFAULT_FILES)
MAX_DEFAULT_FILES = 1_000
MIN_HEARTBEATS = 300

EVENTS_DIR, EVENTS_PREFIX = "events", "webapp-events-"
PLAYBACK_DIR = "playback"


@dataclass
class WebappSample:
    """What one generator run wrote, and what the pipeline should make of it."""

    event_files: list[Path]  # by day
    playback_files: list[Path]  # in delivery order
    lines_per_file: dict[Path, int]
    bytes_per_file: dict[Path, int]
    users: int  # web users with a device
    devices: int
    duplicates: int  # web event lines delivered twice (the second copies)
    late_events: int  # valid web events in the next day's file
    late_files: int  # playback files of heartbeats older than the watermark
    sessions: pd.DataFrame  # expected webapp_sessions, but session_id
    streams: pd.DataFrame  # expected playback_streams (allowed lateness 0), in written order
    open_streams: pd.DataFrame  # expected playback_open_streams after the last file
    streams_closed_after_file: np.ndarray  # per stream: delivery number (from 0) of its file
    quirks: dict[str, int] = field(default_factory=dict)
    bad_events: dict[str, int] = field(default_factory=dict)  # web event lines per kind
    bad_heartbeats: dict[str, int] = field(default_factory=dict)  # heartbeat lines per reason

    @property
    def files(self) -> list[Path]:
        return [*self.event_files, *self.playback_files]

    @property
    def events(self) -> int:
        return sum(self.lines_per_file[p] for p in self.event_files)

    @property
    def heartbeats(self) -> int:
        return sum(self.lines_per_file[p] for p in self.playback_files)


def default_heartbeats(events: int) -> int:
    return max(MIN_HEARTBEATS, round(events * HEARTBEATS_PER_EVENT))


def default_files(heartbeats: int) -> int:
    return min(MAX_DEFAULT_FILES, max(1, round(heartbeats / HEARTBEATS_PER_FILE)))


def generate_webapp_sample(
    out_dir: Path,
    events: int,
    heartbeats: int | None = None,
    files: int | None = None,
    **options: Unpack[kit.Options],
) -> WebappSample:
    """Write ``events`` web event lines in daily files under ``events/`` and ``heartbeats``
    heartbeat lines in ``files`` micro-batch files under ``playback/``; say what was written
    and what the pipeline should make of it.

    ``heartbeats`` defaults to 1.5 per event, ``files`` to one per 100 heartbeats (at most
    1,000); the options are ``seed``, ``start`` (the first day) and ``days``.
    """
    kit.check_declared("webapp", REASONS.values())
    period = kit.Run.checked(out_dir, events, options, DEFAULTS)
    heartbeats = default_heartbeats(events) if heartbeats is None else heartbeats
    files = default_files(heartbeats) if files is None else files
    if heartbeats < MIN_HEARTBEATS:
        raise ValueError(f"heartbeats must be at least {MIN_HEARTBEATS:,} (got {heartbeats:,})")
    if not 1 <= files <= heartbeats // 30:
        raise ValueError(f"files must be between 1 and heartbeats / 30 (got {files:,})")
    if not 1972 <= period.start.year <= 9000:
        raise ValueError(f"start must lie between 1972 and 9000 (got {period.start})")
    rng = period.rng()

    valid, duplicates, per_kind = plan_lines(events)
    web, planted_gaps = draw_web_events(rng, valid, period)
    lines = deliver_events(rng, web, period, duplicates, per_kind)
    event_files, counts, sizes = write_event_files(
        out_dir / EVENTS_DIR, EVENTS_PREFIX, lines, WebFormatter(web), period
    )

    valid_beats, beat_per_kind, late_files, concurrency = plan_heartbeats(heartbeats, files)
    beats, pauses = draw_heartbeats(rng, valid_beats, concurrency, period.start_ms)
    edges, beat_lines = deliver_heartbeats(rng, beats, files, late_files, beat_per_kind)
    playback_files, beat_counts, beat_sizes = write_playback_files(
        out_dir / PLAYBACK_DIR, beat_lines, PlaybackFormatter(beats), files,
        period.start_ms // 1000,
    )  # fmt: skip

    sessions = web_sessions(web)
    truth = playback_streams(beats, beat_lines, files)
    web_bad = np.bincount(lines.bad, minlength=len(EVENT_BAD_KINDS) + 1)
    beat_bad = np.bincount(beat_lines.bad, minlength=len(HEARTBEAT_BAD_KINDS) + 1)
    return WebappSample(
        event_files=event_files,
        playback_files=playback_files,
        lines_per_file={**counts, **beat_counts},
        bytes_per_file={**sizes, **beat_sizes},
        users=web.users,
        devices=web.devices,
        duplicates=int(lines.duplicate.sum()),
        late_events=int(lines.late.sum()),
        late_files=late_files,
        sessions=sessions,
        streams=truth.streams,
        open_streams=truth.open_streams,
        streams_closed_after_file=truth.closed_after_file,
        quirks={
            **_web_quirks(sessions, web),
            **planted_gaps,
            **pauses,
            **edges,
            "one_heartbeat_streams": int(np.count_nonzero(truth.streams.event_count == 1)),
            "multi_program_sessions": int(np.count_nonzero(np.bincount(beats.stream_session) > 1)),
        },
        bad_events={kind: int(web_bad[i + 1]) for i, kind in enumerate(EVENT_BAD_KINDS)},
        bad_heartbeats={
            **{kind: int(beat_bad[i + 1]) for i, kind in enumerate(HEARTBEAT_BAD_KINDS)},
            "late_event": truth.late_events,
            "stream_closed": truth.stream_closed_events,
        },
    )


def _web_quirks(sessions: pd.DataFrame, web: WebEvents) -> dict[str, int]:
    started = sessions.started_at.dt.floor("D")
    upgraded = pd.DataFrame({"device": web.device, "version": web.version}).groupby("device")
    versions = upgraded.version.nunique()
    return {
        "sessions": len(sessions),
        "one_event_sessions": int((sessions.event_count == 1).sum()),
        "sessions_across_midnight": int((sessions.ended_at.dt.floor("D") > started).sum()),
        "devices_upgraded": int((versions > 1).sum()),
        "users_with_several_devices": int(
            (sessions.groupby("user_id").device_id.nunique() > 1).sum()
        ),
        "times_with_offset": int(np.count_nonzero(web.zone == ZONE_OFFSET)),
        "times_without_ms": int(np.count_nonzero(web.zone == ZONE_NO_MS)),
    }


generate_webapp = kit.files_only(generate_webapp_sample)
