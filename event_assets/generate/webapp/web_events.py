"""The valid web events of a ``webapp`` sample: users, their devices, sessions and event times.

Users have one to three devices (a browser, a phone, a tablet); each device runs an app version
and may upgrade once during the period. A device's sessions are laid out without overlap, more
than 30 minutes apart; inside a session, events follow each other seconds to minutes apart (some
sessions have one event). On top, planted on purpose: sessions across midnight (UTC), and gaps of
exactly 29:59.999, 30:00.000 and 30:00.001 inside a session (the last splits it in two). Times
are mostly ``...Z`` with milliseconds; some carry an offset (``+02:00``, the same instant), some
have no milliseconds (their time is then a whole second).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from event_assets.generate import kit
from event_assets.generate.kit import DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS
from event_assets.generate.webapp.groups import (
    group_starts,
    offsets_in_group,
    position_in_group,
    running_max_in_group,
    running_sum_in_group,
)

MIN_PER_QUIRK = 3
EVENT_NAMES = ((b"page_view", 45), (b"click", 25), (b"search", 8), (b"add_to_cart", 6),
               (b"video_play", 6), (b"share", 3), (b"login", 4), (b"logout", 3))  # fmt: skip
CLIENTS = ((b"web", 5), (b"ios", 3), (b"android", 3))
VERSIONS = (b"2.3.0", b"2.3.1", b"2.4.0", b"2.4.1", b"2.5.0")
DEVICES_PER_USER = ((1, 5), (2, 3), (3, 2))
UPGRADE_SHARE = 0.6  # of devices, once at a random moment of the period

SESSIONS_PER_DEVICE_DAY = 1.5
ONE_EVENT_SHARE = 0.15
MEAN_EVENTS_AFTER_THE_SECOND = 8.0
# Gaps inside a session: mostly seconds, some minutes, a few long ones (all under 25 minutes).
INNER_GAPS_MS = (((2 * SECOND_MS, MINUTE_MS), 0.70), ((MINUTE_MS, 5 * MINUTE_MS), 0.25),
                 ((5 * MINUTE_MS, 25 * MINUTE_MS), 0.05))  # fmt: skip
# Between two sessions of a device: always more than the 30-minute session gap.
MIN_SESSION_SEPARATION_MS = 31 * MINUTE_MS
# Gaps planted inside sessions (per kind, a share of sessions, at least MIN_PER_QUIRK).
PLANTED_GAPS_MS = {"gap_29m59.999s": 1_799_999, "gap_30m00.000s": 1_800_000,
                   "gap_30m00.001s": 1_800_001}  # fmt: skip
PLANTED_GAP_SHARE = 0.005
ACROSS_MIDNIGHT_SHARE = 0.01
# Time text: ...Z with ms (most), an offset, no milliseconds (a whole second).
ZONE_Z, ZONE_OFFSET, ZONE_NO_MS = 0, 1, 2
ZONE_SHARES = (0.85, 0.08, 0.07)
OFFSETS = ((b"+02:00", 120), (b"-05:00", -300), (b"+05:30", 330), (b"+01:00", 60))


@dataclass
class WebEvents:
    """Valid web events, session by session, and the world they come from."""

    user: np.ndarray  # per event: user number (of the device)
    device: np.ndarray  # per event: device number
    time: np.ndarray  # epoch ms (the instant; the text may show it in another zone)
    name: np.ndarray  # index into EVENT_NAMES
    version: np.ndarray  # index into VERSIONS
    zone: np.ndarray  # ZONE_*
    offset: np.ndarray  # index into OFFSETS (for ZONE_OFFSET)
    device_client: np.ndarray  # per device: index into CLIENTS
    users: int
    devices: int


def _devices(rng: np.random.Generator, devices: int) -> np.ndarray:
    """The user of each device: users with one, two or three devices."""
    per_user = np.array([n for n, _ in DEVICES_PER_USER])[kit.weighted(rng, DEVICES_PER_USER,
                                                                      devices)]  # fmt: skip
    return np.repeat(np.arange(devices), per_user)[:devices]


def _sessions(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Events per session and the gaps inside (the first event of each gap 0)."""
    count = np.where(
        rng.random(n) < ONE_EVENT_SHARE,
        1,
        2 + rng.geometric(1 / (1 + MEAN_EVENTS_AFTER_THE_SECOND), n) - 1,
    )
    kind = kit.weighted(rng, INNER_GAPS_MS, int(count.sum()))
    low = np.array([r[0] for r, _ in INNER_GAPS_MS])[kind]
    high = np.array([r[1] for r, _ in INNER_GAPS_MS])[kind]
    gap = kit.between(rng, low, high, kind.size)
    gap[group_starts(count)] = 0
    return count, gap


def draw_web_events(
    rng: np.random.Generator, valid: int, period: kit.Run
) -> tuple[WebEvents, dict[str, int]]:
    """``valid`` web events over the period, and how many of each planted gap."""
    days = period.days
    drawn = int(valid / (1 + MEAN_EVENTS_AFTER_THE_SECOND * 0.85) * 1.6) + 20
    devices = max(10, int(np.ceil(drawn / (SESSIONS_PER_DEVICE_DAY * days))))
    device_user = _devices(rng, devices)

    # Sessions: their device, events, gaps and a wished start (ms from the period's start);
    # some wished across midnight.
    count, gap = _sessions(rng, drawn)
    offset = running_sum_in_group(gap, count)  # from the session's first event
    length = offset[np.cumsum(count) - 1]
    wish = kit.between(rng, 0, days * DAY_MS - 3 * HOUR_MS, drawn)
    midnight = kit.pick(
        rng, (length > MINUTE_MS) & (wish < (days - 1) * DAY_MS), ACROSS_MIDNIGHT_SHARE,
        MIN_PER_QUIRK,
    )  # fmt: skip
    wish[midnight] = (wish[midnight] // DAY_MS + 1) * DAY_MS - kit.between(
        rng, 1, length[midnight], midnight.size
    )
    device = rng.integers(0, devices, drawn)

    # A device's sessions in time order, each at its wish or right after the one before.
    order = np.lexsort((wish, device))
    per_device = np.bincount(device, minlength=devices)
    step = offsets_in_group(length[order] + MIN_SESSION_SEPARATION_MS, per_device)
    start = np.empty(drawn, dtype=np.int64)
    start[order] = step + running_max_in_group(wish[order] - step, per_device)
    end = start + length
    room = np.full(drawn, days * DAY_MS)  # to the device's next session (or the period's end)
    same = device[order][1:] == device[order][:-1]
    room[order[:-1][same]] = start[order[1:][same]] - end[order[:-1][same]]
    room = np.minimum(room, days * DAY_MS - end)

    # Whole sessions inside the period until there are enough events (wished midnight ones
    # first), the last one cut short.
    fits = np.flatnonzero(end < days * DAY_MS)
    midnight = np.intersect1d(midnight, fits)
    kept = np.concatenate([midnight, rng.permutation(np.setdiff1d(fits, midnight))])
    enough = int(np.searchsorted(np.cumsum(count[kept]), valid))
    if enough >= kept.size:
        raise ValueError(f"cannot fit {valid:,} web events into {days} day(s)")
    kept = kept[: enough + 1]
    rows = np.repeat((np.cumsum(count) - count)[kept], count[kept])
    kept_count = count[kept].copy()
    rows += position_in_group(kept_count)
    kept_count[-1] -= int(kept_count.sum()) - valid  # the session at the end of the list
    rows = np.delete(rows, np.s_[valid:])
    offset = offset[rows]

    planted = _plant_gaps(rng, offset, kept_count, room[kept], np.isin(kept, midnight))
    session = np.repeat(np.arange(kept.size), kept_count)
    time = period.start_ms + start[kept][session] + offset
    return _events(rng, period, device_user, device[kept][session], time), planted


def _plant_gaps(
    rng: np.random.Generator,
    offset: np.ndarray,
    count: np.ndarray,
    room: np.ndarray,
    midnight: np.ndarray,
) -> dict[str, int]:
    """Make one gap of some sessions exactly one of ``PLANTED_GAPS_MS`` (in place on the event
    offsets: the events after it move later); sessions with room for it after them."""
    eligible = (count >= 2) & (room > 2 * MIN_SESSION_SEPARATION_MS) & ~midnight
    per_kind = max(MIN_PER_QUIRK, round(count.size * PLANTED_GAP_SHARE))
    chosen = kit.some(rng, eligible, per_kind * len(PLANTED_GAPS_MS))
    target = np.repeat(list(PLANTED_GAPS_MS.values()), per_kind)[: chosen.size]
    first = np.cumsum(count) - count
    at = first[chosen] + 1 + (rng.random(chosen.size) * (count[chosen] - 1)).astype(np.int64)
    shift = np.zeros(offset.size + 1, dtype=np.int64)
    np.add.at(shift, at, target - (offset[at] - offset[at - 1]))
    np.add.at(shift, (first + count)[chosen], -(target - (offset[at] - offset[at - 1])))
    offset += np.cumsum(shift[:-1])
    made = np.bincount(np.repeat(np.arange(len(PLANTED_GAPS_MS)), per_kind)[: chosen.size],
                       minlength=len(PLANTED_GAPS_MS))  # fmt: skip
    return dict(zip(PLANTED_GAPS_MS, made.tolist(), strict=True))


def _events(
    rng: np.random.Generator,
    period: kit.Run,
    device_user: np.ndarray,
    device: np.ndarray,
    time: np.ndarray,
) -> WebEvents:
    """Names, versions and the shape of the time text of events at ``time`` on ``device``."""
    n, devices = time.size, device_user.size
    base = rng.integers(0, len(VERSIONS) - 1, devices)
    upgrade_at = np.where(
        rng.random(devices) < UPGRADE_SHARE,
        kit.between(rng, period.start_ms, period.end_ms, devices),
        np.iinfo(np.int64).max,
    )
    zone = rng.choice(len(ZONE_SHARES), size=n, p=ZONE_SHARES)
    # A planted gap is exact to the millisecond only with milliseconds in the text.
    gap = np.diff(time, prepend=time[:1] - 1)
    zone[(zone == ZONE_NO_MS) & np.isin(gap, list(PLANTED_GAPS_MS.values()))] = ZONE_Z
    following = np.isin(np.roll(gap, -1), list(PLANTED_GAPS_MS.values()))
    zone[(zone == ZONE_NO_MS) & following] = ZONE_Z
    time = np.where(zone == ZONE_NO_MS, time - time % SECOND_MS, time)
    return WebEvents(
        user=device_user[device],
        device=device,
        time=time,
        name=kit.weighted(rng, EVENT_NAMES, n),
        version=base[device] + (time >= upgrade_at[device]),
        zone=zone,
        offset=rng.integers(0, len(OFFSETS), n),
        device_client=kit.weighted(rng, CLIENTS, devices),
        users=int(device_user.max()) + 1,
        devices=devices,
    )
