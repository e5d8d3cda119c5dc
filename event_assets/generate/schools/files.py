"""Delivery and files of the ``schools`` domain: which daily file each line lands in, and writing.

A line goes to the file of its day, a little shuffled; about 1% come a day or more late, and a
few valid events are delivered again, unchanged, in a later file. The bulk events are formatted
column-wise: within a group of the same type, spelling and time precision every line has the
same width, so a group's lines are the rows of one uint8 matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from event_assets.generate import kit
from event_assets.generate.kit import DAY_MS, MINUTE_MS
from event_assets.generate.schools.events import ASSIGN, SET_LOG_TYPE, Events, Few
from event_assets.generate.schools.world import World

DELIVERY = kit.Delivery(late_share=0.01, shuffle_ms=2 * MINUTE_MS)
DUPLICATE_SHARE = 0.005

_TYPE_NAMES = (b"SetLogType", b"AssignToSchool", b"StartSession", b"EndSession")
_PAYLOAD_KEYS = (b"logType", b"schoolId", b"sessionId", b"sessionId")
_LOG_TYPES = np.frombuffer(b"SchoolDevice", dtype=np.uint8).reshape(2, 6)


@dataclass
class Lines:
    """Formatted lines with their delivery day, position key and the moment they stand for."""

    day: np.ndarray
    key: np.ndarray
    line: np.ndarray  # object array of bytes
    place: np.ndarray

    def take(self, rows: np.ndarray) -> Lines:
        return Lines(self.day[rows], self.key[rows], self.line[rows], self.place[rows])

    @staticmethod
    def concat(parts: list[Lines]) -> Lines:
        columns = ("day", "key", "line", "place")
        return Lines(*(np.concatenate([getattr(p, c) for p in parts]) for c in columns))


def deliver(
    rng: np.random.Generator, world: World, bulk: Events, school: Few, bad: Few, events: int
) -> tuple[Lines, int, int]:
    """Day and position of every line; returns the one-by-one lines, and how many are late and
    how many re-delivered.

    Re-deliveries of valid events make up the difference to the exact event count asked for;
    their bulk copies are appended to ``bulk``. Bad records are never late.
    """
    bulk.day, bulk.key = DELIVERY.place(rng, bulk.time, world)
    school_lines = _as_lines(rng, school, world, late=True)
    late = int(np.count_nonzero(bulk.day != (bulk.time - world.start_ms) // DAY_MS))
    late += int(
        np.count_nonzero(school_lines.day != (school_lines.place - world.start_ms) // DAY_MS)
    )
    duplicates = max(events - len(bad.lines) - len(bulk) - len(school.lines), 0)
    school_lines = _duplicate(rng, bulk, school_lines, duplicates, world)
    few = Lines.concat([school_lines, _as_lines(rng, bad, world, late=False)])
    return few, late, duplicates


def _as_lines(rng: np.random.Generator, few: Few, world: World, late: bool) -> Lines:
    """Deliver one-by-one events like the bulk."""
    place = np.array(few.place, dtype=np.int64)
    day, key = DELIVERY.place(rng, place, world, late=late)
    lines = np.empty(place.size, dtype=object)
    lines[:] = few.lines
    return Lines(day, key, lines, place)


def _duplicate(
    rng: np.random.Generator, bulk: Events, few: Lines, count: int, world: World
) -> Lines:
    """Re-deliver ``count`` valid events unchanged in a later file (the same one if only one).

    Bulk copies are appended to ``bulk``; the one-by-one events with their copies are returned.
    """
    bulk_size = len(bulk)
    day = np.concatenate([bulk.day, few.day])
    candidates = np.flatnonzero(kit.redeliverable(day, world.days))
    chosen = np.sort(rng.choice(candidates, min(count, candidates.size), replace=False))
    again_day, again_key = kit.redeliver(rng, day[chosen], world)
    in_bulk = chosen < bulk_size
    copies = bulk.take(chosen[in_bulk])
    copies.day, copies.key = again_day[in_bulk], again_key[in_bulk]
    bulk.extend(copies)
    few_copies = few.take(chosen[~in_bulk] - bulk_size)
    few_copies.day, few_copies.key = again_day[~in_bulk], again_key[~in_bulk]
    return Lines.concat([few, few_copies])


def _byte_rows(parts: list[bytes | np.ndarray], n: int) -> np.ndarray:
    """Concatenate constant byte strings and per-row uint8 matrices into an ``S`` array."""
    widths = [len(p) if isinstance(p, bytes) else p.shape[1] for p in parts]
    out = np.empty((n, sum(widths)), dtype=np.uint8)
    column = 0
    for part, width in zip(parts, widths, strict=True):
        out[:, column : column + width] = (
            np.frombuffer(part, dtype=np.uint8) if isinstance(part, bytes) else part
        )
        column += width
    return kit.as_strings(out)


def _format_bulk(
    events: Events, rows: np.ndarray, log_ids: np.ndarray, session_ids: np.ndarray
) -> np.ndarray:
    """Lines of the given bulk events (object array of bytes), formatted group by group.

    Within a group (type, spelling, time precision) every line has the same width, so a
    line is a row of one uint8 matrix.
    """
    out = np.empty(rows.size, dtype=object)
    group = events.etype[rows] * 4 + events.suffix[rows] * 2 + events.no_millis[rows]
    for g in np.unique(group):
        sel = np.flatnonzero(group == g)
        r = rows[sel]
        etype, suffix, no_millis = int(g) // 4, int(g) // 2 % 2, int(g) % 2
        name = _TYPE_NAMES[etype] + (b"Event" if suffix else b"")
        payload = events.payload[r]
        if etype == SET_LOG_TYPE:
            values = _LOG_TYPES[payload]
        elif etype == ASSIGN:
            values = log_ids[payload]
        else:
            values = session_ids[payload]
        parts = [
            b'{"type":"' + name + b'","time":"',
            kit.time_matrix(events.time[r], sep=b"T", millis=not no_millis, zone=b"Z"),
            b'","logId":"',
            log_ids[events.log[r]],
            b'","' + _PAYLOAD_KEYS[etype] + b'":"',
            values,
            b'"}',
        ]
        out[sel] = _byte_rows(parts, r.size)
    return out


def write_day(
    path: Path,
    day: int,
    bulk: Events,
    few: Lines,
    log_ids: np.ndarray,
    session_ids: np.ndarray,
) -> tuple[int, int]:
    """Write one delivery day's file atomically; returns (lines, bytes)."""
    rows = np.flatnonzero(bulk.day == day)
    few_rows = np.flatnonzero(few.day == day)
    lines = np.concatenate([_format_bulk(bulk, rows, log_ids, session_ids), few.line[few_rows]])
    keys = np.concatenate([bulk.key[rows], few.key[few_rows]])
    return kit.write_lines(path, lines[np.argsort(keys, kind="stable")].tolist())
