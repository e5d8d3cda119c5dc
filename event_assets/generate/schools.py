"""Sample-data generator for the ``schools`` domain (device usage in pre-primary schools).

Writes the event stream in the real archive's format (JSON Lines, compact, keys ``type``,
``time``, ``logId`` then the payload), one file per delivery day named
``schools-YYYY-MM-DD.jsonl``, with the dirt the pipeline has to cope with: lightly shuffled
files, late and re-delivered (exactly duplicated) events, ``...Event``-suffixed type names, times
without milliseconds, sessions spanning midnight and several days, abandoned sessions, devices
re-assigned to another school (some in a pause between two sessions), schools renamed (at
least ``MIN_RENAMED`` of at least ``MIN_SCHOOLS``), and a small share of every kind of bad record
listed in ``BAD_KINDS``.

Everything is drawn from one seeded ``numpy.random.Generator``, so the same arguments give
byte-identical files. The bulk (device set-up and sessions) is built as numpy arrays and
formatted column-wise into bytes, which keeps 10M events (1.5 GB) well under a minute; only the
few school events and the bad records are formatted one by one.
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

DEFAULT_START = date(2026, 1, 5)
DEFAULT_DAYS = 14
DEFAULT_SEED = 42
MIN_EVENTS = 1_000
FILE_PREFIX = "schools-"

BAD_KINDS = (
    "malformed_json",
    "missing_field",
    "unknown_type",
    "invalid_uuid",
    "unparseable_time",
    "time_out_of_range",
    "log_without_type",
    "conflicting_log_type",
    "wrong_log_type",
    "unknown_school",
    "end_without_start",
    "end_before_start",
    "end_on_other_device",
    "second_end",
    "duplicate_start",
)

SECOND_MS = 1_000
MINUTE_MS = 60 * SECOND_MS
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS

# Shares of events (or entities) with a given trait.
SUFFIX_SHARE = 0.10
NO_MILLIS_SHARE = 0.01
LATE_SHARE = 0.01
DUPLICATE_SHARE = 0.005
BAD_SHARE_PER_KIND = 0.002
MIN_BAD_PER_KIND = 2
RENAME_SHARE = 0.20
MIN_RENAMED = 2
REASSIGN_SHARE = 0.10
MIN_REASSIGNED = 3
# Of the re-assigned devices: moved in the pause between two sessions of one school day, so that
# the sessions before and after the move belong to different schools.
PAUSE_MOVE_SHARE = 0.5
MIN_PAUSE_MOVES = 2
PAUSE_MARGIN_MS = 5 * SECOND_MS
LATE_ASSIGN_SHARE = 0.02
ABANDON_SHARE = 0.03

# Fleet and usage: tablets are onboarded mostly on the first day, used on school days in short
# sessions one after another, rarely at weekends.
DEVICES_PER_SCHOOL = 40
# Small samples still get a school table worth looking at (renames, moves between schools).
MIN_SCHOOLS = 12
MIN_DEVICES = 2
ONBOARD_FIRST_DAY_SHARE = 0.85
WEEKDAY_ACTIVE = 0.92
WEEKEND_ACTIVE = 0.08
MEAN_SESSIONS_PER_DAY = 12
MEDIAN_SESSION_MINUTES = 25.0
SESSION_SIGMA = 0.65
MEAN_GAP_MINUTES = 12.0
MIDNIGHT_SHARE = 0.03  # of active device-days: an extra session late in the evening
MULTI_DAY_SHARE = 0.002  # of active device-days: a session left running for days
MIN_SPECIAL = 2
# Devices are over-provisioned so that sessions can be trimmed to hit the event count exactly.
SESSION_HEADROOM = 0.12
SHUFFLE_WINDOW_MS = 2 * MINUTE_MS

SET_LOG_TYPE, ASSIGN, START, END = range(4)
_TYPE_NAMES = (b"SetLogType", b"AssignToSchool", b"StartSession", b"EndSession")
_PAYLOAD_KEYS = (b"logType", b"schoolId", b"sessionId", b"sessionId")
_LOG_TYPES = np.frombuffer(b"SchoolDevice", dtype=np.uint8).reshape(2, 6)
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_UUID_HEX_COLUMNS = np.array([i for i in range(36) if i not in (8, 13, 18, 23)])
_EPOCH = datetime(1970, 1, 1)

_NAME_WORDS = (
    ("Little", "Happy", "Sunny", "Bright", "Rainbow", "Tiny", "Busy", "Golden", "Green", "Merry"),
    ("Acorns", "Bees", "Owls", "Sprouts", "Stars", "Ladybirds", "Explorers", "Otters", "Cubs"),
    ("Preschool", "Kindergarten", "Nursery", "Playschool", "Early Learning Centre", "Daycare"),
    ("Springfield", "Riverside", "Oakdale", "Zürich", "Malmö", "São Paulo", "Kraków", "Tromsø"),
)


@dataclass
class SchoolsSample:
    """What one generator run wrote, for the CLI to print and tests to check."""

    files: list[Path]
    lines_per_file: list[int]
    bytes_per_file: list[int]
    schools: int
    devices: int
    sessions: int
    abandoned: int
    late: int
    duplicates: int
    bad: dict[str, int] = field(default_factory=dict)

    @property
    def events(self) -> int:
        return sum(self.lines_per_file)


@dataclass
class _Events:
    """Bulk events as columns; ``log`` and ``payload`` index the uuid tables."""

    time: np.ndarray  # int64 epoch ms
    etype: np.ndarray  # int8: SET_LOG_TYPE, ASSIGN, START, END
    log: np.ndarray  # int32 row of the log id table
    payload: np.ndarray  # int32: log type (0 School, 1 Device), school log row or session row
    suffix: np.ndarray | None = None  # bool: type name with "Event" suffix
    no_millis: np.ndarray | None = None  # bool: time written without milliseconds
    day: np.ndarray | None = None  # int: delivery day (file)
    key: np.ndarray | None = None  # int64: position inside the file

    @classmethod
    def concat(cls, parts: list[_Events]) -> _Events:
        return cls(
            time=np.concatenate([p.time for p in parts]).astype(np.int64),
            etype=np.concatenate([p.etype for p in parts]).astype(np.int8),
            log=np.concatenate([p.log for p in parts]).astype(np.int32),
            payload=np.concatenate([p.payload for p in parts]).astype(np.int32),
        )

    def take(self, rows: np.ndarray) -> _Events:
        columns = {k: getattr(self, k) for k in _EVENT_FIELDS}
        return _Events(**{k: None if v is None else v[rows] for k, v in columns.items()})

    def extend(self, other: _Events) -> None:
        for k in _EVENT_FIELDS:
            setattr(self, k, np.concatenate([getattr(self, k), getattr(other, k)]))

    def __len__(self) -> int:
        return int(self.time.size)


_EVENT_FIELDS = ("time", "etype", "log", "payload", "suffix", "no_millis", "day", "key")


@dataclass
class _Few:
    """Events formatted one by one: school set-up and bad records."""

    place: list[int] = field(default_factory=list)  # epoch ms deciding file and position
    lines: list[bytes] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def add(self, place_ms: int, line: bytes, kind: str | None = None) -> None:
        self.place.append(int(place_ms))
        self.lines.append(line)
        if kind is not None:
            self.counts[kind] += 1


@dataclass
class _Lines:
    """Formatted lines with their delivery day, position key and the moment they stand for."""

    day: np.ndarray
    key: np.ndarray
    line: np.ndarray  # object array of bytes
    place: np.ndarray

    def take(self, rows: np.ndarray) -> _Lines:
        return _Lines(self.day[rows], self.key[rows], self.line[rows], self.place[rows])

    @staticmethod
    def concat(parts: list[_Lines]) -> _Lines:
        columns = ("day", "key", "line", "place")
        return _Lines(*(np.concatenate([getattr(p, c) for p in parts]) for c in columns))


@dataclass
class _World:
    """Schools and devices, and when things happen to them."""

    start_ms: int
    days: int
    weekday: int
    n_schools: int
    n_devices: int
    onboard_day: np.ndarray
    late_assign: np.ndarray
    reassign: np.ndarray
    renamed: np.ndarray

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.days * DAY_MS

    def setup_event_count(self) -> int:
        schools = 2 * self.n_schools + int(self.renamed.sum())
        return schools + 2 * self.n_devices + int(self.reassign.sum())


@dataclass
class _Sessions:
    """Sessions in device, start order; ``special`` is 1 for midnight, 2 for multi-day."""

    device: np.ndarray
    start: np.ndarray
    end: np.ndarray
    special: np.ndarray
    abandoned: np.ndarray

    def take(self, rows: np.ndarray) -> _Sessions:
        return _Sessions(*(getattr(self, k)[rows] for k in self.__dataclass_fields__))

    def event_count(self) -> np.ndarray:
        return 2 - self.abandoned.astype(np.int64)


def generate_schools(
    out_dir: Path,
    events: int,
    seed: int = DEFAULT_SEED,
    start: date = DEFAULT_START,
    days: int = DEFAULT_DAYS,
) -> list[Path]:
    """Write ``days`` daily files with ``events`` events in total to ``out_dir``."""
    return generate_schools_sample(out_dir, events, seed, start, days).files


def generate_schools_sample(
    out_dir: Path,
    events: int,
    seed: int = DEFAULT_SEED,
    start: date = DEFAULT_START,
    days: int = DEFAULT_DAYS,
) -> SchoolsSample:
    """Like ``generate_schools`` but also says what was written."""
    _check_arguments(events, seed, days)
    rng = np.random.default_rng(seed)
    start_ms = (start - _EPOCH.date()).days * DAY_MS
    per_kind = max(MIN_BAD_PER_KIND, round(events * BAD_SHARE_PER_KIND))
    valid_target = round((events - _bad_line_count(per_kind)) / (1 + DUPLICATE_SHARE))

    world, sessions = _world_with_sessions(rng, valid_target, start_ms, days, start.weekday())
    sessions = _trim_sessions(rng, sessions, valid_target - world.setup_event_count())
    log_ids = _uuids(rng, world.n_schools + world.n_devices)
    session_ids = _uuids(rng, len(sessions.start))

    bulk = _Events.concat([_device_events(rng, world, sessions), _session_events(world, sessions)])
    _style(rng, bulk)
    school_lines = _school_events(rng, world, log_ids)
    bad = _bad_records(rng, world, sessions, log_ids, session_ids, per_kind)

    _deliver(rng, bulk, world)
    school_few = _deliver_few(rng, school_lines, world, late=True)
    late = int(np.count_nonzero(bulk.day != (bulk.time - start_ms) // DAY_MS))
    late += int(np.count_nonzero(school_few.day != (school_few.place - start_ms) // DAY_MS))
    # Re-deliveries make up the difference to the exact event count asked for.
    duplicates = max(events - len(bad.lines) - len(bulk) - len(school_lines.lines), 0)
    school_few = _duplicate(rng, bulk, school_few, duplicates, world)
    few = _Lines.concat([school_few, _deliver_few(rng, bad, world, late=False)])

    out_dir.mkdir(parents=True, exist_ok=True)
    files, lines, sizes = [], [], []
    for day in range(days):
        path = out_dir / f"{FILE_PREFIX}{start + timedelta(days=day)}.jsonl"
        count, size = _write_day(path, day, bulk, few, log_ids, session_ids)
        files.append(path)
        lines.append(count)
        sizes.append(size)
    return SchoolsSample(
        files=files,
        lines_per_file=lines,
        bytes_per_file=sizes,
        schools=world.n_schools,
        devices=world.n_devices,
        sessions=len(sessions.start),
        abandoned=int(sessions.abandoned.sum()),
        late=late,
        duplicates=duplicates,
        bad={kind: bad.counts[kind] for kind in BAD_KINDS},
    )


def _check_arguments(events: int, seed: int, days: int) -> None:
    if events < MIN_EVENTS:
        raise ValueError(f"events must be at least {MIN_EVENTS:,} (got {events:,})")
    if days < 1:
        raise ValueError(f"days must be at least 1 (got {days})")
    if seed < 0:
        raise ValueError(f"seed must not be negative (got {seed})")


def _bad_line_count(per_kind: int) -> int:
    """Lines ``_bad_records`` writes: pairs for some kinds (see there)."""
    conflicting = 2 * max(MIN_BAD_PER_KIND, math.ceil(per_kind / 2))
    # end_before_start and end_on_other_device come with a valid start each.
    return per_kind * (len(BAD_KINDS) - 1) + conflicting + 2 * per_kind


# --- uuids and times as byte matrices -------------------------------------------------------


def _uuids(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` random version-4 uuids as an (n, 36) uint8 matrix of their text."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    digits = np.empty((n, 32), dtype=np.uint8)
    digits[:, 0::2] = _HEX[raw >> 4]
    digits[:, 1::2] = _HEX[raw & 0x0F]
    out = np.full((n, 36), ord("-"), dtype=np.uint8)
    out[:, _UUID_HEX_COLUMNS] = digits
    return out


def _uuid_text(matrix: np.ndarray, row: int) -> str:
    return matrix[row].tobytes().decode("ascii")


def _put_digits(out: np.ndarray, column: int, values: np.ndarray, width: int) -> None:
    for i in range(width):
        out[:, column + width - 1 - i] = 48 + values // 10**i % 10


def _time_bytes(ms: np.ndarray, millis: bool) -> np.ndarray:
    """ISO-8601 UTC text (``2026-01-05T07:40:39.374Z``) of epoch ms as a uint8 matrix."""
    out = np.empty((ms.size, 24 if millis else 20), dtype=np.uint8)
    if not ms.size:
        return out
    day = ms // DAY_MS
    of_day = ms - day * DAY_MS
    first = int(day.min())
    dates = np.arange(first, int(day.max()) + 1).astype("datetime64[D]").astype("S10")
    out[:, :10] = dates.view(np.uint8).reshape(-1, 10)[day - first]
    out[:, 10] = ord("T")
    _put_digits(out, 11, of_day // HOUR_MS, 2)
    out[:, 13] = ord(":")
    _put_digits(out, 14, of_day // MINUTE_MS % 60, 2)
    out[:, 16] = ord(":")
    _put_digits(out, 17, of_day // SECOND_MS % 60, 2)
    if millis:
        out[:, 19] = ord(".")
        _put_digits(out, 20, of_day % SECOND_MS, 3)
    out[:, -1] = ord("Z")
    return out


def _iso(ms: int, millis: bool = True) -> str:
    text = (_EPOCH + timedelta(milliseconds=int(ms))).isoformat(
        timespec="milliseconds" if millis else "seconds"
    )
    return text + "Z"


def _between(
    rng: np.random.Generator, low: np.ndarray | int, high: np.ndarray | int, n: int
) -> np.ndarray:
    """Uniform int64 ms in [low, high) per element (bounds may be arrays)."""
    low = np.asarray(low, dtype=np.int64)
    span = np.maximum(np.asarray(high, dtype=np.int64) - low, 1)
    return low + (rng.random(n) * span).astype(np.int64)


# --- schools, devices and sessions ----------------------------------------------------------


def _expected_sessions_per_device(days: int, weekday: int) -> float:
    day = np.arange(days)
    onboarded = ONBOARD_FIRST_DAY_SHARE + (1 - ONBOARD_FIRST_DAY_SHARE) * day / max(days - 1, 1)
    active = np.where((weekday + day) % 7 >= 5, WEEKEND_ACTIVE, WEEKDAY_ACTIVE)
    return float((onboarded * active).sum() * MEAN_SESSIONS_PER_DAY)


def _device_count(valid_events: int, days: int, weekday: int) -> int:
    setup = 2 + REASSIGN_SHARE + (2 + RENAME_SHARE) / DEVICES_PER_SCHOOL
    per_device = setup + (2 - ABANDON_SHARE) * _expected_sessions_per_device(days, weekday)
    return max(MIN_DEVICES, math.ceil(valid_events / per_device / (1 - SESSION_HEADROOM)))


def _world_with_sessions(
    rng: np.random.Generator, valid_events: int, start_ms: int, days: int, weekday: int
) -> tuple[_World, _Sessions]:
    """A world with at least enough sessions for ``valid_events``; grows it when short."""
    n_devices = _device_count(valid_events, days, weekday)
    while True:
        world = _draw_world(rng, n_devices, start_ms, days, weekday)
        sessions = _draw_sessions(rng, world)
        if sessions.event_count().sum() >= valid_events - world.setup_event_count():
            return world, sessions
        n_devices = math.ceil(n_devices * 1.25) + 1


def _draw_world(
    rng: np.random.Generator, n_devices: int, start_ms: int, days: int, weekday: int
) -> _World:
    n_schools = max(MIN_SCHOOLS, round(n_devices / DEVICES_PER_SCHOOL))
    later = rng.random(n_devices) >= ONBOARD_FIRST_DAY_SHARE
    onboard = np.where(later, rng.integers(1, max(days, 2), n_devices), 0)
    return _World(
        start_ms=start_ms,
        days=days,
        weekday=weekday,
        n_schools=n_schools,
        n_devices=n_devices,
        onboard_day=np.minimum(onboard, days - 1),
        late_assign=rng.random(n_devices) < LATE_ASSIGN_SHARE,
        reassign=_flags(rng, np.ones(n_devices, dtype=bool), REASSIGN_SHARE, MIN_REASSIGNED),
        renamed=_flags(rng, np.ones(n_schools, dtype=bool), RENAME_SHARE, MIN_RENAMED),
    )


def _flags(
    rng: np.random.Generator, eligible: np.ndarray, share: float, minimum: int
) -> np.ndarray:
    """Eligible entries drawn with ``share``, topped up at random to ``minimum`` if possible."""
    flags = eligible & (rng.random(eligible.size) < share)
    short = min(minimum, int(eligible.sum())) - int(flags.sum())
    if short > 0:
        flags[rng.permutation(np.flatnonzero(eligible & ~flags))[:short]] = True
    return flags


def _pick(
    rng: np.random.Generator, eligible: np.ndarray, share: float, device: np.ndarray | None = None
) -> np.ndarray:
    """Indices drawn with ``share``; at least ``MIN_SPECIAL`` when enough are eligible.

    With ``device``, at most one per device: a session running for days would swallow another
    one picked on the same device a day later.
    """
    drawn = np.flatnonzero(eligible & (rng.random(eligible.size) < share))
    shuffled = rng.permutation(np.flatnonzero(eligible))
    chosen = _one_per_device(drawn, device)
    if chosen.size < MIN_SPECIAL:
        chosen = _one_per_device(shuffled, device)[:MIN_SPECIAL]
    return np.sort(chosen)


def _one_per_device(rows: np.ndarray, device: np.ndarray | None) -> np.ndarray:
    if device is None:
        return rows
    return rows[np.sort(np.unique(device[rows], return_index=True)[1])]


@dataclass
class _DeviceDays:
    """Active device-days and when each one's school-day sessions ended."""

    device: np.ndarray
    day: np.ndarray
    last_end: np.ndarray


def _draw_sessions(rng: np.random.Generator, world: _World) -> _Sessions:
    """School-day sessions per device and day, plus evening and multi-day ones, none overlapping."""
    regular, active = _school_day_sessions(rng, world)
    day_start = world.start_ms + active.day * DAY_MS

    # Left on in the evening: most run past midnight.
    midnight = _pick(rng, active.day <= world.days - 2, MIDNIGHT_SHARE)
    mid_start = np.maximum(
        _between(
            rng, day_start[midnight] + 23 * HOUR_MS, day_start[midnight] + DAY_MS, midnight.size
        ),
        active.last_end[midnight] + 5 * MINUTE_MS,
    )
    mid_end = mid_start + _between(rng, 10 * MINUTE_MS, 150 * MINUTE_MS, midnight.size)

    # Never closed for 1.5 to 3.5 days from the evening: it covers three to five calendar days.
    eligible = active.day <= world.days - 3
    eligible[midnight] = False
    multi = _pick(rng, eligible, MULTI_DAY_SHARE, active.device)
    multi_start = np.maximum(
        _between(rng, day_start[multi] + 17 * HOUR_MS, day_start[multi] + 22 * HOUR_MS, multi.size),
        active.last_end[multi] + 5 * MINUTE_MS,
    )
    room = world.end_ms - HOUR_MS - multi_start
    multi_end = multi_start + np.minimum(
        _between(rng, 36 * HOUR_MS, 84 * HOUR_MS, multi.size), room
    )

    sizes = [regular.start.size, midnight.size, multi.size]
    sessions = _Sessions(
        device=np.concatenate([regular.device, active.device[midnight], active.device[multi]]),
        start=np.concatenate([regular.start, mid_start, multi_start]),
        end=np.concatenate([regular.end, mid_end, multi_end]),
        special=np.repeat(np.array([0, 1, 2], dtype=np.int8), sizes),
        abandoned=np.zeros(sum(sizes), dtype=bool),
    )
    sessions = _without_overlaps(sessions, world)
    sessions.abandoned = (sessions.special == 0) & (rng.random(sessions.start.size) < ABANDON_SHARE)
    return sessions


def _school_day_sessions(rng: np.random.Generator, world: _World) -> tuple[_Sessions, _DeviceDays]:
    """Back-to-back sessions from the morning on, for every device on the days it is used."""
    device = np.repeat(np.arange(world.n_devices, dtype=np.int64), world.days)
    day = np.tile(np.arange(world.days, dtype=np.int64), world.n_devices)
    weekend = (world.weekday + day) % 7 >= 5
    p_active = np.where(weekend, WEEKEND_ACTIVE, WEEKDAY_ACTIVE)
    active = (day >= world.onboard_day[device]) & (rng.random(device.size) < p_active)
    device, day = device[active], day[active]

    per_day = 1 + rng.poisson(MEAN_SESSIONS_PER_DAY - 1, device.size)
    total = int(per_day.sum())
    minutes = rng.lognormal(math.log(MEDIAN_SESSION_MINUTES), SESSION_SIGMA, total)
    duration = (np.clip(minutes, 1.0, 180.0) * MINUTE_MS).astype(np.int64)
    gap = MINUTE_MS + (rng.exponential(MEAN_GAP_MINUTES, total) * MINUTE_MS).astype(np.int64)
    # Each session starts after the previous ones of its device-day and their gaps: a running
    # sum restarted at every device-day.
    step = duration + gap
    before = np.cumsum(step) - step
    first = np.cumsum(per_day) - per_day
    offset = before - np.repeat(before[first], per_day)
    morning = world.start_ms + day * DAY_MS + 6 * HOUR_MS + 30 * MINUTE_MS
    start = np.repeat(_between(rng, morning, morning + 3 * HOUR_MS, device.size), per_day) + offset
    end = start + duration
    sessions = _Sessions(
        device=np.repeat(device, per_day),
        start=start,
        end=end,
        special=np.zeros(total, dtype=np.int8),
        abandoned=np.zeros(total, dtype=bool),
    )
    return sessions, _DeviceDays(device, day, end[first + per_day - 1])


def _without_overlaps(sessions: _Sessions, world: _World) -> _Sessions:
    """Drop sessions past the period and any that start before an earlier one on its device ended.

    Shifting each device into its own band of the time axis turns the per-device running
    maximum of end times into one global ``maximum.accumulate``.
    """
    inside = np.flatnonzero(sessions.end < world.end_ms)
    sessions = sessions.take(inside[np.lexsort((sessions.start[inside], sessions.device[inside]))])
    band = sessions.device * ((world.days + 1) * DAY_MS)
    ends = np.maximum.accumulate(band + sessions.end - world.start_ms)
    previous_end = np.concatenate([[-1], ends[:-1]])
    free = band + sessions.start - world.start_ms >= previous_end + MINUTE_MS
    return sessions.take(np.flatnonzero(free))


def _trim_sessions(rng: np.random.Generator, sessions: _Sessions, target: int) -> _Sessions:
    """Keep a random subset of sessions worth exactly ``target`` events (evening ones first)."""
    special = np.flatnonzero(sessions.special > 0)
    regular = np.flatnonzero(sessions.special == 0)
    order = np.concatenate([rng.permutation(special), rng.permutation(regular)])
    counts = np.cumsum(sessions.event_count()[order])
    cut = int(np.searchsorted(counts, max(target, 0), side="right"))
    keep = order[:cut]
    if cut and counts[cut - 1] == target - 1:
        # One short: add the next abandoned session (one event) if there is one.
        rest = order[cut:]
        single = rest[sessions.abandoned[rest]]
        keep = np.concatenate([keep, single[:1]])
    return sessions.take(np.sort(keep))


def _device_events(rng: np.random.Generator, world: _World, sessions: _Sessions) -> _Events:
    """SetLogType, AssignToSchool and some re-assignments per device.

    Half of the re-assignments fall into a pause between two sessions of a school day; the
    others at any moment after the first assignment (at night, at the weekend, mid-session).
    """
    n, schools = world.n_devices, world.n_schools
    day_start = world.start_ms + world.onboard_day.astype(np.int64) * DAY_MS
    typed = _between(rng, day_start + 5 * HOUR_MS, day_start + 6 * HOUR_MS + 25 * MINUTE_MS, n)
    # A few devices are assigned only after their first sessions of the day (no school yet).
    assigned = np.where(
        world.late_assign,
        _between(rng, day_start + 10 * HOUR_MS, day_start + 14 * HOUR_MS, n),
        _between(rng, typed + 2 * SECOND_MS, typed + 2 * MINUTE_MS, n),
    )
    school = rng.integers(0, schools, n)
    moved = np.flatnonzero(world.reassign)
    moved_at = _between(rng, assigned[moved] + HOUR_MS, world.end_ms - HOUR_MS, moved.size)
    in_pause, pause_at = _pause_moves(rng, sessions, assigned, moved)
    moved_at[in_pause] = pause_at
    moved_to = (school[moved] + rng.integers(1, schools, moved.size)) % schools
    log = world.n_schools + np.arange(n)
    return _Events(
        time=np.concatenate([typed, assigned, moved_at]),
        etype=np.repeat(np.array([SET_LOG_TYPE, ASSIGN, ASSIGN]), [n, n, moved.size]),
        log=np.concatenate([log, log, log[moved]]),
        payload=np.concatenate([np.ones(n, dtype=np.int64), school, moved_to]),
    )


def _pause_moves(
    rng: np.random.Generator, sessions: _Sessions, assigned: np.ndarray, moved: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Which of the ``moved`` devices move in a pause between two sessions, and when.

    A pause is the time between a completed session that started after the device's first
    assignment and the next session of the device on the same day. Returns the positions in
    ``moved`` and a moment inside a random pause of each of those devices.
    """
    device, start, end = sessions.device, sessions.start, sessions.end
    low = end[:-1] + PAUSE_MARGIN_MS
    high = start[1:] - PAUSE_MARGIN_MS
    pause = np.flatnonzero(
        (device[1:] == device[:-1])
        & ~sessions.abandoned[:-1]
        & (start[:-1] > assigned[device[:-1]])
        & (high > low)
        & (end[:-1] // DAY_MS == start[1:] // DAY_MS)
    )
    pause = pause[np.isin(device[pause], moved)]
    # One random pause per device: shuffle, then take each device's first.
    pause = pause[rng.permutation(pause.size)]
    owners, first = np.unique(device[pause], return_index=True)
    pause = pause[first]
    has_pause = np.isin(moved, owners)
    chosen = np.flatnonzero(_flags(rng, has_pause, PAUSE_MOVE_SHARE, MIN_PAUSE_MOVES))
    rows = pause[np.searchsorted(owners, moved[chosen])]
    return chosen, _between(rng, low[rows], high[rows], rows.size)


def _session_events(world: _World, sessions: _Sessions) -> _Events:
    ended = np.flatnonzero(~sessions.abandoned)
    log = world.n_schools + sessions.device
    return _Events(
        time=np.concatenate([sessions.start, sessions.end[ended]]),
        etype=np.repeat(np.array([START, END]), [sessions.start.size, ended.size]),
        log=np.concatenate([log, log[ended]]),
        payload=np.concatenate([np.arange(sessions.start.size), ended]),
    )


def _style(rng: np.random.Generator, events: _Events) -> None:
    """Mix in the suffixed spelling and times without milliseconds, as the clients do."""
    n = len(events)
    events.suffix = rng.random(n) < SUFFIX_SHARE
    events.no_millis = rng.random(n) < NO_MILLIS_SHARE
    # The stored time is what the line says, so sorting and checks agree with the file.
    events.time[events.no_millis] -= events.time[events.no_millis] % SECOND_MS


def _school_name(rng: np.random.Generator) -> str:
    adjective, animal, kind, town = (words[rng.integers(len(words))] for words in _NAME_WORDS)
    return f"{adjective} {animal} {kind}, {town}"


def _misspelled(rng: np.random.Generator, name: str) -> str:
    """The name with one typo (two letters swapped or one dropped), for a later correction."""
    at = int(rng.integers(1, len(name) - 2))
    swapped = name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    return swapped if swapped != name else name[:at] + name[at + 1 :]


def _json_line(obj: dict) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _school_events(rng: np.random.Generator, world: _World, log_ids: np.ndarray) -> _Few:
    """SetLogType and SetName per school; renamed schools start with a misspelled name."""
    few = _Few()
    n = world.n_schools
    typed = _between(
        rng, world.start_ms + 4 * HOUR_MS, world.start_ms + 4 * HOUR_MS + 50 * MINUTE_MS, n
    )
    named = typed + _between(rng, SECOND_MS, MINUTE_MS, n)
    renamed_at = _between(rng, world.start_ms + 6 * HOUR_MS, world.end_ms - HOUR_MS, n)
    for school in range(n):
        log_id = _uuid_text(log_ids, school)
        name = _school_name(rng)
        first = _misspelled(rng, name) if world.renamed[school] else name
        few.add(typed[school], _line(rng, "SetLogType", typed[school], log_id, logType="School"))
        few.add(named[school], _line(rng, "SetName", named[school], log_id, name=first))
        if world.renamed[school]:
            few.add(
                renamed_at[school], _line(rng, "SetName", renamed_at[school], log_id, name=name)
            )
    return few


def _line(
    rng: np.random.Generator, kind: str, time: int | str, log_id: str | None, **payload
) -> bytes:
    """One event line; ``time`` as epoch ms (styled like the bulk) or as literal text."""
    name = kind + "Event" if rng.random() < SUFFIX_SHARE else kind
    text = time if isinstance(time, str) else _iso(time, rng.random() >= NO_MILLIS_SHARE)
    obj: dict = {"type": name, "time": text}
    if log_id is not None:
        obj["logId"] = log_id
    obj.update(payload)
    return _json_line(obj)


# --- bad records ----------------------------------------------------------------------------


@dataclass
class _BadContext:
    """What bad records refer to: real logs, completed sessions to hang them on."""

    rng: np.random.Generator
    world: _World
    schools: list[str]
    devices: list[str]
    device_typed: np.ndarray  # a moment after each device got its SetLogType
    anchor_device: np.ndarray
    anchor_start: np.ndarray
    anchor_end: np.ndarray
    anchor_row: np.ndarray  # the anchors' rows in the session id table
    session_ids: np.ndarray
    paired: np.ndarray  # distinct anchors: first half for second_end, second for duplicate_start
    few: _Few = field(default_factory=_Few)

    def fresh_id(self) -> str:
        return _uuid_text(_uuids(self.rng, 1), 0)

    def anchor(self) -> int:
        return int(self.rng.integers(len(self.anchor_start)))

    def session_of(self, i: int) -> str:
        return _uuid_text(self.session_ids, int(self.anchor_row[i]))

    def after(self, i: int, low: int, high: int) -> int:
        """A moment shortly after anchor session ``i`` ended, so after its device got a type."""
        return int(self.anchor_end[i]) + int(self.rng.integers(low, high))

    def school_time(self) -> int:
        day = int(self.rng.integers(self.world.days))
        return (
            self.world.start_ms + day * DAY_MS + int(self.rng.integers(7 * HOUR_MS, 17 * HOUR_MS))
        )

    def emit(self, kind: str | None, place: int, line: bytes) -> None:
        self.few.add(place, line, kind)

    def line(self, kind: str, time: int | str, log_id: str | None, **payload) -> bytes:
        return _line(self.rng, kind, time, log_id, **payload)


def _bad_records(
    rng: np.random.Generator,
    world: _World,
    sessions: _Sessions,
    log_ids: np.ndarray,
    session_ids: np.ndarray,
    per_kind: int,
) -> _Few:
    """``per_kind`` records of every kind in ``BAD_KINDS``, each clearly of its kind."""
    room = (
        (sessions.special == 0) & ~sessions.abandoned & (sessions.end < world.end_ms - 4 * HOUR_MS)
    )
    anchors = np.flatnonzero(room)
    devices = [_uuid_text(log_ids, world.n_schools + d) for d in range(world.n_devices)]
    ctx = _BadContext(
        rng=rng,
        world=world,
        schools=[_uuid_text(log_ids, s) for s in range(world.n_schools)],
        devices=devices,
        device_typed=world.start_ms + world.onboard_day.astype(np.int64) * DAY_MS + 7 * HOUR_MS,
        anchor_device=sessions.device[anchors],
        anchor_start=sessions.start[anchors],
        anchor_end=sessions.end[anchors],
        anchor_row=anchors,
        session_ids=session_ids,
        # Sessions that get a second end or start are never shared (unless there are too few).
        paired=rng.choice(anchors.size, 2 * per_kind, replace=anchors.size < 2 * per_kind),
    )
    for kind in BAD_KINDS:
        _BAD_WRITERS[kind](ctx, per_kind)
    return ctx.few


def _device_of(ctx: _BadContext, i: int) -> str:
    return ctx.devices[int(ctx.anchor_device[i])]


def _malformed_json(ctx: _BadContext, n: int) -> None:
    for k in range(n):
        i = ctx.anchor()
        t = ctx.after(i, SECOND_MS, 10 * MINUTE_MS)
        line = ctx.line("StartSession", t, _device_of(ctx, i), sessionId=ctx.fresh_id())
        if k % 3 == 2:  # garbled: a string value lost its opening quote
            bad = line.replace(b'"type":"', b'"type":', 1)
        else:  # truncated in transfer, after its time and log id so that lines stay distinct
            bad = line[: int(ctx.rng.integers(len(line) - 45, len(line) - 1))]
        ctx.emit("malformed_json", t, bad)


def _missing_field(ctx: _BadContext, n: int) -> None:
    """Events lacking their log id or a payload field the type requires."""
    for k in range(n):
        i = ctx.anchor()
        t = ctx.after(i, SECOND_MS, 10 * MINUTE_MS)
        device = _device_of(ctx, i)
        variant = k % 6
        if variant == 0:
            line = ctx.line("StartSession", t, None, sessionId=ctx.fresh_id())
        elif variant < 5:
            kind = ("StartSession", "EndSession", "AssignToSchool", "SetLogType")[variant - 1]
            line = ctx.line(kind, t, device)
        else:
            t = ctx.school_time()
            line = ctx.line("SetName", t, ctx.schools[int(ctx.rng.integers(len(ctx.schools)))])
        ctx.emit("missing_field", t, line)


def _unknown_type(ctx: _BadContext, n: int) -> None:
    for k in range(n):
        i = ctx.anchor()
        t = ctx.after(i, SECOND_MS, 10 * MINUTE_MS)
        kind = "LowBattery" if k % 4 == 3 else "Reboot"
        ctx.emit(
            "unknown_type",
            t,
            _json_line({"type": kind, "time": _iso(t), "logId": _device_of(ctx, i)}),
        )


def _invalid_uuid(ctx: _BadContext, n: int) -> None:
    for k in range(n):
        t = ctx.after(ctx.anchor(), SECOND_MS, 10 * MINUTE_MS)
        log_id = ("not-a-uuid", "12345", "tablet-07")[k % 3]
        ctx.emit("invalid_uuid", t, ctx.line("StartSession", t, log_id, sessionId=ctx.fresh_id()))


def _unparseable_time(ctx: _BadContext, n: int) -> None:
    for k in range(n):
        i = ctx.anchor()
        t = ctx.after(i, SECOND_MS, 10 * MINUTE_MS)
        text = ("yesterday", "not-a-time", "tomorrow", "2026-13-45T25:61:00Z")[k % 4]
        line = ctx.line("StartSession", text, _device_of(ctx, i), sessionId=ctx.fresh_id())
        ctx.emit("unparseable_time", t, line)


def _time_out_of_range(ctx: _BadContext, n: int) -> None:
    for k in range(n):
        i = ctx.anchor()
        t = ctx.after(i, SECOND_MS, 10 * MINUTE_MS)
        year_start = (date(1970, 1, 1) if k % 2 == 0 else date(2999, 1, 1)) - _EPOCH.date()
        shown = year_start.days * DAY_MS + int(ctx.rng.integers(0, 300 * DAY_MS))
        line = ctx.line("StartSession", shown, _device_of(ctx, i), sessionId=ctx.fresh_id())
        ctx.emit("time_out_of_range", t, line)


def _log_without_type(ctx: _BadContext, n: int) -> None:
    """Logs that never get a SetLogType: device-like ones with sessions, school-like ones."""
    left, ghost = n, 0
    while left:
        size = min(left, int(ctx.rng.integers(1, 5)), max(1, n // 2))
        log_id, t = ctx.fresh_id(), ctx.school_time()
        if ghost % 2:
            for _ in range(size):
                ctx.emit(
                    "log_without_type",
                    t,
                    ctx.line("SetName", t, log_id, name=_school_name(ctx.rng)),
                )
                t += int(ctx.rng.integers(MINUTE_MS, HOUR_MS))
        else:
            school = ctx.schools[int(ctx.rng.integers(len(ctx.schools)))]
            timed = [(t, ctx.line("AssignToSchool", t, log_id, schoolId=school))]
            while len(timed) < size:
                session = ctx.fresh_id()
                t += int(ctx.rng.integers(MINUTE_MS, 30 * MINUTE_MS))
                timed.append((t, ctx.line("StartSession", t, log_id, sessionId=session)))
                t += int(ctx.rng.integers(5 * MINUTE_MS, HOUR_MS))
                timed.append((t, ctx.line("EndSession", t, log_id, sessionId=session)))
            for at, line in timed[:size]:
                ctx.emit("log_without_type", at, line)
        left -= size
        ghost += 1


def _conflicting_log_type(ctx: _BadContext, n: int) -> None:
    """Fresh logs typed School and later Device (or the other way round)."""
    for k in range(max(MIN_BAD_PER_KIND, math.ceil(n / 2))):
        log_id, t = ctx.fresh_id(), ctx.school_time()
        later = t + int(ctx.rng.integers(MINUTE_MS, max(ctx.world.end_ms - t - 1, MINUTE_MS + 1)))
        later = min(later, ctx.world.end_ms - 1)
        first, second = ("School", "Device") if k % 4 != 3 else ("Device", "School")
        ctx.emit("conflicting_log_type", t, ctx.line("SetLogType", t, log_id, logType=first))
        ctx.emit(
            "conflicting_log_type", later, ctx.line("SetLogType", later, log_id, logType=second)
        )


def _wrong_log_type(ctx: _BadContext, n: int) -> None:
    for k in range(n):
        i = ctx.anchor()
        t = ctx.after(i, SECOND_MS, 10 * MINUTE_MS)
        school = ctx.schools[int(ctx.rng.integers(len(ctx.schools)))]
        if k % 3 == 0:
            line = ctx.line("SetName", t, _device_of(ctx, i), name=_school_name(ctx.rng))
        elif k % 3 == 1:
            t = ctx.school_time()
            line = ctx.line("StartSession", t, school, sessionId=ctx.fresh_id())
        else:
            t = ctx.school_time()
            other = ctx.schools[int(ctx.rng.integers(len(ctx.schools)))]
            line = ctx.line("AssignToSchool", t, school, schoolId=other)
        ctx.emit("wrong_log_type", t, line)


def _unknown_school(ctx: _BadContext, n: int) -> None:
    """Assignments to a uuid that is no log at all, or to another device."""
    for k in range(n):
        i = ctx.anchor()
        t = ctx.after(i, SECOND_MS, 10 * MINUTE_MS)
        target = (
            ctx.fresh_id() if k % 4 != 3 else ctx.devices[int(ctx.rng.integers(len(ctx.devices)))]
        )
        ctx.emit(
            "unknown_school", t, ctx.line("AssignToSchool", t, _device_of(ctx, i), schoolId=target)
        )


def _end_without_start(ctx: _BadContext, n: int) -> None:
    for _ in range(n):
        i = ctx.anchor()
        t = ctx.after(i, SECOND_MS, 10 * MINUTE_MS)
        ctx.emit(
            "end_without_start",
            t,
            ctx.line("EndSession", t, _device_of(ctx, i), sessionId=ctx.fresh_id()),
        )


def _end_before_start(ctx: _BadContext, n: int) -> None:
    """A valid start, and an end on the same device stamped before it (the start stays open)."""
    for _ in range(n):
        i = ctx.anchor()
        t = ctx.after(i, 20 * SECOND_MS, MINUTE_MS)
        device, session = _device_of(ctx, i), ctx.fresh_id()
        # Still after the anchor session's start, so after the device got its type.
        earlier = t - int(
            ctx.rng.integers(30 * SECOND_MS, int(ctx.anchor_end[i] - ctx.anchor_start[i]))
        )
        ctx.emit(None, t, ctx.line("StartSession", t, device, sessionId=session))
        ctx.emit(
            "end_before_start", earlier, ctx.line("EndSession", earlier, device, sessionId=session)
        )


def _end_on_other_device(ctx: _BadContext, n: int) -> None:
    """A valid start on one device and its only end on another one."""
    for _ in range(n):
        i = ctx.anchor()
        t = ctx.after(i, 20 * SECOND_MS, MINUTE_MS)
        own = int(ctx.anchor_device[i])
        other = (own + int(ctx.rng.integers(1, len(ctx.devices)))) % len(ctx.devices)
        ended = max(t + int(ctx.rng.integers(5 * MINUTE_MS, HOUR_MS)), int(ctx.device_typed[other]))
        ended = min(ended, ctx.world.end_ms - 1)
        session = ctx.fresh_id()
        ctx.emit(None, t, ctx.line("StartSession", t, ctx.devices[own], sessionId=session))
        line = ctx.line("EndSession", ended, ctx.devices[other], sessionId=session)
        ctx.emit("end_on_other_device", ended, line)


def _second_end(ctx: _BadContext, n: int) -> None:
    for i in ctx.paired[:n]:
        t = ctx.after(int(i), MINUTE_MS, 3 * HOUR_MS)
        line = ctx.line("EndSession", t, _device_of(ctx, i), sessionId=ctx.session_of(i))
        ctx.emit("second_end", t, line)


def _duplicate_start(ctx: _BadContext, n: int) -> None:
    for i in ctx.paired[n : 2 * n]:
        start, end = int(ctx.anchor_start[i]), int(ctx.anchor_end[i])
        t = start + int(ctx.rng.integers(SECOND_MS, end - start - SECOND_MS))
        line = ctx.line("StartSession", t, _device_of(ctx, i), sessionId=ctx.session_of(i))
        ctx.emit("duplicate_start", t, line)


_BAD_WRITERS = {
    "malformed_json": _malformed_json,
    "missing_field": _missing_field,
    "unknown_type": _unknown_type,
    "invalid_uuid": _invalid_uuid,
    "unparseable_time": _unparseable_time,
    "time_out_of_range": _time_out_of_range,
    "log_without_type": _log_without_type,
    "conflicting_log_type": _conflicting_log_type,
    "wrong_log_type": _wrong_log_type,
    "unknown_school": _unknown_school,
    "end_without_start": _end_without_start,
    "end_before_start": _end_before_start,
    "end_on_other_device": _end_on_other_device,
    "second_end": _second_end,
    "duplicate_start": _duplicate_start,
}


# --- delivery: files, order, lateness, re-delivery ------------------------------------------


def _late_days(rng: np.random.Generator, day: np.ndarray, days: int) -> np.ndarray:
    """Mostly the next day, sometimes two or three days later, never past the last file."""
    return np.minimum(day + 1 + rng.binomial(2, 0.25, day.size), days - 1)


def _any_time_of(rng: np.random.Generator, day: np.ndarray, world: _World) -> np.ndarray:
    return world.start_ms + day * DAY_MS + rng.integers(0, DAY_MS, day.size)


def _deliver(rng: np.random.Generator, events: _Events, world: _World) -> None:
    """File per event (its day, or later for the late ones) and a lightly shuffled position."""
    n = len(events)
    day = (events.time - world.start_ms) // DAY_MS
    key = events.time + rng.integers(0, SHUFFLE_WINDOW_MS, n)
    late = np.flatnonzero((rng.random(n) < LATE_SHARE) & (day < world.days - 1))
    day[late] = _late_days(rng, day[late], world.days)
    key[late] = _any_time_of(rng, day[late], world)
    events.day, events.key = day, key


def _deliver_few(rng: np.random.Generator, few: _Few, world: _World, late: bool) -> _Lines:
    """Deliver one-by-one events like the bulk (bad records are never late)."""
    place = np.array(few.place, dtype=np.int64)
    day = np.clip((place - world.start_ms) // DAY_MS, 0, world.days - 1)
    key = place + rng.integers(0, SHUFFLE_WINDOW_MS, place.size)
    if late:
        moved = np.flatnonzero((rng.random(place.size) < LATE_SHARE) & (day < world.days - 1))
        day[moved] = _late_days(rng, day[moved], world.days)
        key[moved] = _any_time_of(rng, day[moved], world)
    lines = np.empty(place.size, dtype=object)
    lines[:] = few.lines
    return _Lines(day, key, lines, place)


def _duplicate(
    rng: np.random.Generator, bulk: _Events, few: _Lines, count: int, world: _World
) -> _Lines:
    """Re-deliver ``count`` valid events unchanged in a later file (the same one if only one).

    Bulk copies are appended to ``bulk``; the one-by-one events with their copies are returned.
    """
    bulk_size = len(bulk)
    day = np.concatenate([bulk.day, few.day])
    candidates = np.flatnonzero(day < world.days - 1) if world.days > 1 else np.arange(day.size)
    chosen = np.sort(rng.choice(candidates, min(count, candidates.size), replace=False))
    again_day = _late_days(rng, day[chosen], world.days) if world.days > 1 else day[chosen]
    again_key = _any_time_of(rng, again_day, world)
    in_bulk = chosen < bulk_size
    copies = bulk.take(chosen[in_bulk])
    copies.day, copies.key = again_day[in_bulk], again_key[in_bulk]
    bulk.extend(copies)
    few_copies = few.take(chosen[~in_bulk] - bulk_size)
    few_copies.day, few_copies.key = again_day[~in_bulk], again_key[~in_bulk]
    return _Lines.concat([few, few_copies])


# --- writing --------------------------------------------------------------------------------


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
    return out.view(f"S{out.shape[1]}").ravel()


def _format_bulk(
    events: _Events, rows: np.ndarray, log_ids: np.ndarray, session_ids: np.ndarray
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
            _time_bytes(events.time[r], millis=not no_millis),
            b'","logId":"',
            log_ids[events.log[r]],
            b'","' + _PAYLOAD_KEYS[etype] + b'":"',
            values,
            b'"}',
        ]
        out[sel] = _byte_rows(parts, r.size)
    return out


def _write_day(
    path: Path,
    day: int,
    bulk: _Events,
    few: _Lines,
    log_ids: np.ndarray,
    session_ids: np.ndarray,
) -> tuple[int, int]:
    """Write one delivery day's file atomically; returns (lines, bytes)."""
    rows = np.flatnonzero(bulk.day == day)
    few_rows = np.flatnonzero(few.day == day)
    lines = np.concatenate([_format_bulk(bulk, rows, log_ids, session_ids), few.line[few_rows]])
    keys = np.concatenate([bulk.key[rows], few.key[few_rows]])
    ordered = lines[np.argsort(keys, kind="stable")].tolist()
    data = b"\n".join(ordered) + b"\n" if ordered else b""
    # A hidden temporary name the landing sensor's *.jsonl glob cannot pick up half-written.
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)
    return len(ordered), len(data)
