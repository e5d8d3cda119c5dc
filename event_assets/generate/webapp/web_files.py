"""The web event files of a ``webapp`` sample: delivery, duplicates, bad lines and the text.

A line goes to the file of its event's UTC day, in time order give or take a few seconds; a few
valid lines come a day late (in the next day's file), a few twice (the same line again, in the
same or the next day's file), and a few are bad (a copy of a valid event with one defect of
``EVENT_BAD_KINDS``, next to it in its file).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from event_assets.generate import kit
from event_assets.generate.kit import DAY_MS, MINUTE_MS, SECOND_MS
from event_assets.generate.webapp.faults import EVENT_BAD_KINDS, spoil_event
from event_assets.generate.webapp.groups import file_order, id_texts
from event_assets.generate.webapp.web_events import (
    CLIENTS,
    EVENT_NAMES,
    OFFSETS,
    VERSIONS,
    ZONE_NO_MS,
    ZONE_OFFSET,
    ZONE_Z,
    WebEvents,
)

MIN_PER_KIND = 6  # every bad kind (and its variants) however small the sample
BAD_SHARE_PER_KIND = 0.002
DUPLICATE_SHARE = 0.003
LATE_SHARE = 0.003  # valid lines in the next day's file
SHUFFLE_MS = 3 * SECOND_MS

_LINE = (b'{"event_name": "%s", "user_id": "%s", "app_version": "%s", "event_time": "%s", '
         b'"device_id": "%s", "client": "%s"}')  # fmt: skip


def plan_lines(events: int) -> tuple[int, int, int]:
    """Of ``events`` lines: valid events, duplicates, bad lines of each kind."""
    per_kind = max(MIN_PER_KIND, round(events * BAD_SHARE_PER_KIND))
    duplicates = max(MIN_PER_KIND, round(events * DUPLICATE_SHARE))
    return events - duplicates - per_kind * len(EVENT_BAD_KINDS), duplicates, per_kind


@dataclass
class WebLines:
    """Every line of the event files: which event it shows, its file (day) and sort key."""

    event: np.ndarray  # index into the WebEvents
    day: np.ndarray
    key: np.ndarray
    bad: np.ndarray  # 0, or 1 + index into EVENT_BAD_KINDS
    duplicate: np.ndarray  # the second copy of a line
    late: np.ndarray  # a valid line in the day after its event's


def deliver_events(
    rng: np.random.Generator, events: WebEvents, period: kit.Run, duplicates: int, per_kind: int
) -> WebLines:
    n, days = events.time.size, period.days
    day = (events.time - period.start_ms) // DAY_MS
    key = events.time + rng.integers(0, SHUFFLE_MS, n)
    late = kit.flags(rng, day < days - 1, LATE_SHARE, MIN_PER_KIND)
    day[late] += 1
    key[late] = kit.any_time_of(rng, day[late], period.start_ms)

    copied = np.sort(kit.some(rng, ~late, duplicates))
    copy_day = np.minimum(day[copied] + rng.integers(0, 2, copied.size), days - 1)
    copy_key = np.where(
        copy_day == day[copied],
        key[copied] + kit.between(rng, SECOND_MS, 10 * MINUTE_MS, copied.size),
        kit.any_time_of(rng, copy_day, period.start_ms),
    )
    template = rng.choice(np.flatnonzero(~late), size=per_kind * len(EVENT_BAD_KINDS))
    bad = np.repeat(np.arange(1, len(EVENT_BAD_KINDS) + 1, dtype=np.int8), per_kind)
    size = n + copied.size + template.size
    return WebLines(
        event=np.concatenate([np.arange(n), copied, template]),
        day=np.concatenate([day, copy_day, day[template]]),
        key=np.concatenate([key, copy_key, key[template] + rng.integers(1, SECOND_MS, bad.size)]),
        bad=np.concatenate([np.zeros(n + copied.size, dtype=np.int8), bad]),
        duplicate=(np.arange(size) >= n) & (np.arange(size) < n + copied.size),
        late=np.concatenate([late, np.zeros(copied.size + template.size, dtype=bool)]),
    )


class WebFormatter:
    """The text of web event lines, file by file."""

    def __init__(self, events: WebEvents) -> None:
        self.events = events
        self.users = id_texts(b"u-", events.users)
        self.devices = id_texts(b"d-", events.devices)

    def _times(self, event: np.ndarray) -> list[bytes]:
        e = self.events
        text = np.empty(event.size, dtype=object)
        shapes = [(ZONE_Z, 0, b"Z", True), (ZONE_NO_MS, 0, b"Z", False)]
        shapes += [(ZONE_OFFSET, i, zone, True) for i, (zone, _) in enumerate(OFFSETS)]
        for zone_kind, offset, zone, millis in shapes:
            mine = e.zone[event] == zone_kind
            if zone_kind == ZONE_OFFSET:
                mine &= e.offset[event] == offset
            shift = OFFSETS[offset][1] * MINUTE_MS if zone_kind == ZONE_OFFSET else 0
            local = e.time[event[mine]] + shift  # the wall clock of the zone written
            matrix = kit.time_matrix(local, sep=b"T", millis=millis, zone=zone)
            text[mine] = kit.as_strings(matrix).tolist()
        return text.tolist()

    def lines(self, lines: WebLines, rows: np.ndarray) -> list[bytes]:
        e = self.events
        event = lines.event[rows]
        device = e.device[event]
        columns = (
            np.array([name for name, _ in EVENT_NAMES])[e.name[event]].tolist(),
            self.users[e.user[event]].tolist(),
            np.array(VERSIONS)[e.version[event]].tolist(),
            self._times(event),
            self.devices[device].tolist(),
            np.array([c for c, _ in CLIENTS])[e.device_client[device]].tolist(),
        )
        text = [_LINE % values for values in zip(*columns, strict=True)]
        for i in np.flatnonzero(lines.bad[rows] > 0).tolist():
            kind = EVENT_BAD_KINDS[int(lines.bad[rows[i]]) - 1]
            text[i] = spoil_event(text[i], kind, int(rows[i]))
        return text


def write_event_files(
    folder: Path, prefix: str, lines: WebLines, formatter: WebFormatter, period: kit.Run
) -> tuple[list[Path], dict[Path, int], dict[Path, int]]:
    """One file per day, its lines in key order (the first few plain valid ones)."""
    files, counts, sizes = [], {}, {}
    by_day = np.argsort(lines.day, kind="stable")
    bounds = np.searchsorted(lines.day[by_day], np.arange(period.days + 1))
    plain = (lines.bad == 0) & ~lines.duplicate & ~lines.late
    for day in range(period.days):
        rows = by_day[bounds[day] : bounds[day + 1]]
        rows = rows[file_order(lines.key[rows], plain[rows])]
        path = period.file(folder, prefix, day)
        counts[path], sizes[path] = kit.write_lines(path, formatter.lines(lines, rows))
        files.append(path)
    return files, counts, sizes
