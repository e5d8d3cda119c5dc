"""The ``schools`` world: schools, their tablets, and the sessions the tablets are used for.

Tablets are onboarded mostly on the first day, used on school days in short sessions one after
another, rarely at weekends; a few are left on in the evening past midnight or running for days,
some sessions are abandoned (never ended). Everything random comes from the caller's generator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from event_assets.generate import kit
from event_assets.generate.kit import DAY_MS, HOUR_MS, MINUTE_MS

# Shares of entities with a given trait.
RENAME_SHARE = 0.20
MIN_RENAMED = 2
REASSIGN_SHARE = 0.10
MIN_REASSIGNED = 3
LATE_ASSIGN_SHARE = 0.02
ABANDON_SHARE = 0.03

# Fleet and usage.
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


@dataclass
class World:
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
class Sessions:
    """Sessions in device, start order; ``special`` is 1 for midnight, 2 for multi-day."""

    device: np.ndarray
    start: np.ndarray
    end: np.ndarray
    special: np.ndarray
    abandoned: np.ndarray

    def take(self, rows: np.ndarray) -> Sessions:
        return Sessions(*(getattr(self, k)[rows] for k in self.__dataclass_fields__))

    def event_count(self) -> np.ndarray:
        return 2 - self.abandoned.astype(np.int64)


def _expected_sessions_per_device(days: int, weekday: int) -> float:
    day = np.arange(days)
    onboarded = ONBOARD_FIRST_DAY_SHARE + (1 - ONBOARD_FIRST_DAY_SHARE) * day / max(days - 1, 1)
    active = np.where((weekday + day) % 7 >= 5, WEEKEND_ACTIVE, WEEKDAY_ACTIVE)
    return float((onboarded * active).sum() * MEAN_SESSIONS_PER_DAY)


def _device_count(valid_events: int, days: int, weekday: int) -> int:
    setup = 2 + REASSIGN_SHARE + (2 + RENAME_SHARE) / DEVICES_PER_SCHOOL
    per_device = setup + (2 - ABANDON_SHARE) * _expected_sessions_per_device(days, weekday)
    return max(MIN_DEVICES, math.ceil(valid_events / per_device / (1 - SESSION_HEADROOM)))


def world_with_sessions(
    rng: np.random.Generator, valid_events: int, start_ms: int, days: int, weekday: int
) -> tuple[World, Sessions]:
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
) -> World:
    n_schools = max(MIN_SCHOOLS, round(n_devices / DEVICES_PER_SCHOOL))
    later = rng.random(n_devices) >= ONBOARD_FIRST_DAY_SHARE
    onboard = np.where(later, rng.integers(1, max(days, 2), n_devices), 0)
    return World(
        start_ms=start_ms,
        days=days,
        weekday=weekday,
        n_schools=n_schools,
        n_devices=n_devices,
        onboard_day=np.minimum(onboard, days - 1),
        late_assign=rng.random(n_devices) < LATE_ASSIGN_SHARE,
        reassign=kit.flags(rng, np.ones(n_devices, dtype=bool), REASSIGN_SHARE, MIN_REASSIGNED),
        renamed=kit.flags(rng, np.ones(n_schools, dtype=bool), RENAME_SHARE, MIN_RENAMED),
    )


@dataclass
class _DeviceDays:
    """Active device-days and when each one's school-day sessions ended."""

    device: np.ndarray
    day: np.ndarray
    last_end: np.ndarray


def _draw_sessions(rng: np.random.Generator, world: World) -> Sessions:
    """School-day sessions per device and day, plus evening and multi-day ones, none overlapping."""
    regular, active = _school_day_sessions(rng, world)
    day_start = world.start_ms + active.day * DAY_MS

    # Left on in the evening: most run past midnight.
    midnight = kit.pick(rng, active.day <= world.days - 2, MIDNIGHT_SHARE, MIN_SPECIAL)
    mid_start = np.maximum(
        kit.between(
            rng, day_start[midnight] + 23 * HOUR_MS, day_start[midnight] + DAY_MS, midnight.size
        ),
        active.last_end[midnight] + 5 * MINUTE_MS,
    )
    mid_end = mid_start + kit.between(rng, 10 * MINUTE_MS, 150 * MINUTE_MS, midnight.size)

    # Never closed for 1.5 to 3.5 days from the evening: it covers three to five calendar days.
    eligible = active.day <= world.days - 3
    eligible[midnight] = False
    multi = kit.pick(rng, eligible, MULTI_DAY_SHARE, MIN_SPECIAL, active.device)
    multi_start = np.maximum(
        kit.between(
            rng, day_start[multi] + 17 * HOUR_MS, day_start[multi] + 22 * HOUR_MS, multi.size
        ),
        active.last_end[multi] + 5 * MINUTE_MS,
    )
    room = world.end_ms - HOUR_MS - multi_start
    multi_end = multi_start + np.minimum(
        kit.between(rng, 36 * HOUR_MS, 84 * HOUR_MS, multi.size), room
    )

    sizes = [regular.start.size, midnight.size, multi.size]
    sessions = Sessions(
        device=np.concatenate([regular.device, active.device[midnight], active.device[multi]]),
        start=np.concatenate([regular.start, mid_start, multi_start]),
        end=np.concatenate([regular.end, mid_end, multi_end]),
        special=np.repeat(np.array([0, 1, 2], dtype=np.int8), sizes),
        abandoned=np.zeros(sum(sizes), dtype=bool),
    )
    sessions = _without_overlaps(sessions, world)
    sessions.abandoned = (sessions.special == 0) & (rng.random(sessions.start.size) < ABANDON_SHARE)
    return sessions


def _school_day_sessions(rng: np.random.Generator, world: World) -> tuple[Sessions, _DeviceDays]:
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
    start = (
        np.repeat(kit.between(rng, morning, morning + 3 * HOUR_MS, device.size), per_day) + offset
    )
    end = start + duration
    sessions = Sessions(
        device=np.repeat(device, per_day),
        start=start,
        end=end,
        special=np.zeros(total, dtype=np.int8),
        abandoned=np.zeros(total, dtype=bool),
    )
    return sessions, _DeviceDays(device, day, end[first + per_day - 1])


def _without_overlaps(sessions: Sessions, world: World) -> Sessions:
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


def trim_sessions(rng: np.random.Generator, sessions: Sessions, target: int) -> Sessions:
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
