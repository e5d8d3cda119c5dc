"""The valid ``schools`` events: what the world's schools, devices and sessions send.

Devices get a type and a school (some move to another one later, half of those in a pause
between two sessions), sessions start and end, schools get a type and a name (some renamed to
correct a typo). The bulk is kept as numpy columns (``Events``) and formatted later, the few
school events as finished lines (``Few``); both are styled as the clients write them: some type
names with an ``Event`` suffix, some times without milliseconds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from event_assets.generate import kit
from event_assets.generate.kit import DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS
from event_assets.generate.schools.world import Sessions, World

SUFFIX_SHARE = 0.10
NO_MILLIS_SHARE = 0.01
# Of the re-assigned devices: moved in the pause between two sessions of one school day, so that
# the sessions before and after the move belong to different schools.
PAUSE_MOVE_SHARE = 0.5
MIN_PAUSE_MOVES = 2
PAUSE_MARGIN_MS = 5 * SECOND_MS

SET_LOG_TYPE, ASSIGN, START, END = range(4)

_NAME_WORDS = (
    ("Little", "Happy", "Sunny", "Bright", "Rainbow", "Tiny", "Busy", "Golden", "Green", "Merry"),
    ("Acorns", "Bees", "Owls", "Sprouts", "Stars", "Ladybirds", "Explorers", "Otters", "Cubs"),
    ("Preschool", "Kindergarten", "Nursery", "Playschool", "Early Learning Centre", "Daycare"),
    ("Springfield", "Riverside", "Oakdale", "Zürich", "Malmö", "São Paulo", "Kraków", "Tromsø"),
)


@dataclass
class Events:
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
    def concat(cls, parts: list[Events]) -> Events:
        return cls(
            time=np.concatenate([p.time for p in parts]).astype(np.int64),
            etype=np.concatenate([p.etype for p in parts]).astype(np.int8),
            log=np.concatenate([p.log for p in parts]).astype(np.int32),
            payload=np.concatenate([p.payload for p in parts]).astype(np.int32),
        )

    def take(self, rows: np.ndarray) -> Events:
        columns = {k: getattr(self, k) for k in _FIELDS}
        return Events(**{k: None if v is None else v[rows] for k, v in columns.items()})

    def extend(self, other: Events) -> None:
        for k in _FIELDS:
            setattr(self, k, np.concatenate([getattr(self, k), getattr(other, k)]))

    def __len__(self) -> int:
        return int(self.time.size)


_FIELDS = ("time", "etype", "log", "payload", "suffix", "no_millis", "day", "key")


@dataclass
class Few:
    """Events formatted one by one: school set-up and bad records."""

    place: list[int] = field(default_factory=list)  # epoch ms deciding file and position
    lines: list[bytes] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def add(self, place_ms: int, line: bytes, kind: str | None = None) -> None:
        self.place.append(int(place_ms))
        self.lines.append(line)
        if kind is not None:
            self.counts[kind] += 1


def valid_events(
    rng: np.random.Generator, world: World, sessions: Sessions, log_ids: np.ndarray
) -> tuple[Events, Few]:
    """The bulk (device set-up and sessions, styled) and the school events."""
    bulk = Events.concat([_device_events(rng, world, sessions), _session_events(world, sessions)])
    _style(rng, bulk)
    return bulk, _school_events(rng, world, log_ids)


def _device_events(rng: np.random.Generator, world: World, sessions: Sessions) -> Events:
    """SetLogType, AssignToSchool and some re-assignments per device.

    Half of the re-assignments fall into a pause between two sessions of a school day; the
    others at any moment after the first assignment (at night, at the weekend, mid-session).
    """
    n, schools = world.n_devices, world.n_schools
    day_start = world.start_ms + world.onboard_day.astype(np.int64) * DAY_MS
    typed = kit.between(rng, day_start + 5 * HOUR_MS, day_start + 6 * HOUR_MS + 25 * MINUTE_MS, n)
    # A few devices are assigned only after their first sessions of the day (no school yet).
    assigned = np.where(
        world.late_assign,
        kit.between(rng, day_start + 10 * HOUR_MS, day_start + 14 * HOUR_MS, n),
        kit.between(rng, typed + 2 * SECOND_MS, typed + 2 * MINUTE_MS, n),
    )
    school = rng.integers(0, schools, n)
    moved = np.flatnonzero(world.reassign)
    moved_at = kit.between(rng, assigned[moved] + HOUR_MS, world.end_ms - HOUR_MS, moved.size)
    in_pause, pause_at = _pause_moves(rng, sessions, assigned, moved)
    moved_at[in_pause] = pause_at
    moved_to = (school[moved] + rng.integers(1, schools, moved.size)) % schools
    log = world.n_schools + np.arange(n)
    return Events(
        time=np.concatenate([typed, assigned, moved_at]),
        etype=np.repeat(np.array([SET_LOG_TYPE, ASSIGN, ASSIGN]), [n, n, moved.size]),
        log=np.concatenate([log, log, log[moved]]),
        payload=np.concatenate([np.ones(n, dtype=np.int64), school, moved_to]),
    )


def _pause_moves(
    rng: np.random.Generator, sessions: Sessions, assigned: np.ndarray, moved: np.ndarray
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
    chosen = np.flatnonzero(kit.flags(rng, has_pause, PAUSE_MOVE_SHARE, MIN_PAUSE_MOVES))
    rows = pause[np.searchsorted(owners, moved[chosen])]
    return chosen, kit.between(rng, low[rows], high[rows], rows.size)


def _session_events(world: World, sessions: Sessions) -> Events:
    ended = np.flatnonzero(~sessions.abandoned)
    log = world.n_schools + sessions.device
    return Events(
        time=np.concatenate([sessions.start, sessions.end[ended]]),
        etype=np.repeat(np.array([START, END]), [sessions.start.size, ended.size]),
        log=np.concatenate([log, log[ended]]),
        payload=np.concatenate([np.arange(sessions.start.size), ended]),
    )


def _style(rng: np.random.Generator, events: Events) -> None:
    """Mix in the suffixed spelling and times without milliseconds, as the clients do."""
    n = len(events)
    events.suffix = rng.random(n) < SUFFIX_SHARE
    events.no_millis = rng.random(n) < NO_MILLIS_SHARE
    # The stored time is what the line says, so sorting and checks agree with the file.
    events.time[events.no_millis] -= events.time[events.no_millis] % SECOND_MS


def school_name(rng: np.random.Generator) -> str:
    adjective, animal, kind, town = (words[rng.integers(len(words))] for words in _NAME_WORDS)
    return f"{adjective} {animal} {kind}, {town}"


def _misspelled(rng: np.random.Generator, name: str) -> str:
    """The name with one typo (two letters swapped or one dropped), for a later correction."""
    at = int(rng.integers(1, len(name) - 2))
    swapped = name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    return swapped if swapped != name else name[:at] + name[at + 1 :]


def _school_events(rng: np.random.Generator, world: World, log_ids: np.ndarray) -> Few:
    """SetLogType and SetName per school; renamed schools start with a misspelled name."""
    few = Few()
    n = world.n_schools
    typed = kit.between(
        rng, world.start_ms + 4 * HOUR_MS, world.start_ms + 4 * HOUR_MS + 50 * MINUTE_MS, n
    )
    named = typed + kit.between(rng, SECOND_MS, MINUTE_MS, n)
    renamed_at = kit.between(rng, world.start_ms + 6 * HOUR_MS, world.end_ms - HOUR_MS, n)
    for school in range(n):
        log_id = kit.uuid_text(log_ids, school)
        name = school_name(rng)
        first = _misspelled(rng, name) if world.renamed[school] else name
        few.add(
            typed[school], event_line(rng, "SetLogType", typed[school], log_id, logType="School")
        )
        few.add(named[school], event_line(rng, "SetName", named[school], log_id, name=first))
        if world.renamed[school]:
            few.add(
                renamed_at[school],
                event_line(rng, "SetName", renamed_at[school], log_id, name=name),
            )
    return few


def event_line(
    rng: np.random.Generator, kind: str, time: int | str, log_id: str | None, **payload
) -> bytes:
    """One event line; ``time`` as epoch ms (styled like the bulk) or as literal text."""
    name = kind + "Event" if rng.random() < SUFFIX_SHARE else kind
    text = time if isinstance(time, str) else kit.iso_text(time, rng.random() >= NO_MILLIS_SHARE)
    obj: dict = {"type": name, "time": text}
    if log_id is not None:
        obj["logId"] = log_id
    obj.update(payload)
    return kit.json_line(obj, compact=True)
