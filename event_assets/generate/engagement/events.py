"""The valid ``engagement`` events as numpy columns, and which file each is delivered in.

Regular play by users as much as they play, and the special valid events a model must handle:
events at the instants a user's status changes and at midnight, before registration, of users
without a record, of unknown activities, with zero or exactly six hours' duration, on devices
reporting ``iPhone OS``, sharing another event's id, and delivered late or again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from event_assets.generate import kit
from event_assets.generate.engagement.catalogue import IN_COLLECTION, Catalogue
from event_assets.generate.engagement.devices import IPHONE_OS_SHARE, Devices, context_rows
from event_assets.generate.engagement.plan import (
    DELIVERY,
    MAX_DURATION_MS,
    MIN_PER_KIND,
    NO_RECORD_SHARE,
    Plan,
)
from event_assets.generate.engagement.users import Users, active_from
from event_assets.generate.kit import DAY_MS, HOUR_MS, SECOND_MS

MAIN_DEVICE_SHARE = 0.75
PRE_REGISTRATION_SHARE = 0.004
PRE_REGISTRATION_MAX_MS = 3 * HOUR_MS
UNKNOWN_ACTIVITY_SHARE = 0.015
ZERO_DURATION_SHARE = 0.03
COMPLETED_SHARE = 0.64
ZERO_LOADING_SHARE = 0.02
BOUNDARY_PER_KIND = 2
SOURCES = (("launcher", 65), ("collection", 7), ("playlist", 3), ("search", 9),
            ("favorites", 8), ("deeplink", 4), ("notification", 3))  # fmt: skip
STRAY_COLLECTION_SHARE = 0.03  # of other sources: a collection id all the same


@dataclass
class Table:
    """Event lines as columns. ``kind`` is 0 for valid events, else 1 + index in BAD_KINDS."""

    eid: np.ndarray  # row of ``ids``
    time: np.ndarray  # epoch ms
    user: np.ndarray
    child: np.ndarray  # row of ``users.child_ids``
    device: np.ndarray
    activity: np.ndarray  # row of ``catalogue.ids``; -1 absent, -2 null
    source: np.ndarray
    duration: np.ndarray  # ms
    completed: np.ndarray
    collection: np.ndarray  # 0 for "", else 1 + row of ``catalogue.collections``
    loading: np.ndarray  # ms
    name: np.ndarray  # 0 activity_exit, else a wrong name
    kind: np.ndarray
    plain: np.ndarray  # regular play with no trait of its own (templates, shared ids)
    ids: np.ndarray  # S36 event ids
    day: np.ndarray | None = None
    key: np.ndarray | None = None

    _COLUMNS = (
        "eid", "time", "user", "child", "device", "activity", "source", "duration",
        "completed", "collection", "loading", "name", "kind", "plain", "day", "key",
    )  # fmt: skip

    def take(self, rows: np.ndarray) -> Table:
        columns = {k: getattr(self, k) for k in self._COLUMNS}
        taken = {k: None if v is None else v[rows] for k, v in columns.items()}
        return Table(ids=self.ids, **taken)

    @staticmethod
    def concat(parts: list[Table]) -> Table:
        columns = {k: np.concatenate([getattr(p, k) for p in parts]) for k in Table._COLUMNS}
        return Table(ids=parts[0].ids, **columns)

    def __len__(self) -> int:
        return int(self.time.size)


def base_events(
    rng: np.random.Generator,
    plan: Plan,
    users: Users,
    devices: Devices,
    catalogue: Catalogue,
    period: kit.Run,
) -> tuple[Table, dict[str, int]]:
    """The distinct events: regular play, plus the special valid ones a model must handle."""
    quirks: dict[str, int] = {}
    n = users.n
    recorded = np.arange(users.registered.size) < n
    start, end = period.start_ms, period.end_ms

    # Events at the instants where the subscription status changes (and at midnight).
    moments = (
        ("at_registration", users.registered),
        ("at_trial_start", np.where(users.has_trial, users.trial_start, -1)),
        ("at_trial_to_subscription", np.where(users.converted, users.subscription_start, -1)),
        (
            "at_trial_end_without_subscription",
            np.where(users.has_trial & ~users.converted, users.trial_end, -1),
        ),
        ("at_subscription_expire", np.where(users.converted, users.subscription_expire, -1)),
    )
    who, when = [], []
    for quirk, moment in moments:
        rows = kit.some(rng, recorded & (moment >= start) & (moment < end), BOUNDARY_PER_KIND)
        who.append(rows)
        when.append(moment[rows])
        quirks[quirk] = rows.size
    # 00:00:00.000 of a day inside the period, by users registered before it.
    midnights = start + DAY_MS * rng.integers(1, max(period.days, 2), BOUNDARY_PER_KIND)
    midnights = midnights[midnights < end]
    players = [kit.some(rng, recorded & (users.registered < m), 1) for m in midnights.tolist()]
    found = np.array([p.size > 0 for p in players], dtype=bool)
    who.append(np.array([p[0] for p in players if p.size], dtype=np.int64))
    when.append(midnights[found])
    quirks["at_midnight"] = int(found.sum())

    # Before registration (status unknown), and of users without a record.
    early = max(MIN_PER_KIND, round(plan.base * PRE_REGISTRATION_SHARE))
    eligible = np.flatnonzero(recorded & (users.registered >= start + PRE_REGISTRATION_MAX_MS))
    rows = eligible[rng.integers(0, eligible.size, early)] if eligible.size else eligible
    who.append(rows)
    when.append(
        users.registered[rows] - kit.between(rng, SECOND_MS, PRE_REGISTRATION_MAX_MS, rows.size)
    )
    quirks["before_registration"] = rows.size
    ghostly = max(MIN_PER_KIND, round(plan.base * NO_RECORD_SHARE))
    rows = n + np.arange(ghostly) % users.ghosts
    who.append(rows)
    when.append(kit.between(rng, start, end, ghostly))
    quirks["user_without_record"] = ghostly

    # Regular play: users by how much they play and how long they could play in the period.
    regular = plan.base - sum(w.size for w in who)
    playing_from = active_from(users, period)
    share = np.where(recorded, users.weight * (end - playing_from), 0.0)
    rows = rng.choice(share.size, size=regular, p=share / share.sum())
    who.append(rows)
    when.append(kit.between(rng, playing_from[rows], end, regular))

    user = np.concatenate(who).astype(np.int64)
    time = np.concatenate(when).astype(np.int64)
    size = user.size
    pick = rng.random(size)
    device = users.first_device[user] + np.where(
        pick < MAIN_DEVICE_SHARE, 0, rng.integers(0, users.devices[user])
    )
    child = users.first_child[user] + rng.integers(0, users.children[user])

    activity = catalogue.playable[rng.choice(catalogue.playable.size, size, p=catalogue.popularity)]
    plain = np.ones(size, dtype=bool)
    plain[: size - regular] = False  # keep the special events otherwise ordinary
    unknown = kit.flags(rng, plain, UNKNOWN_ACTIVITY_SHARE, MIN_PER_KIND)
    activity[unknown] = catalogue.known + rng.integers(
        0, len(catalogue.ids) - catalogue.known, int(unknown.sum())
    )
    quirks["unknown_activity"] = int(unknown.sum())

    kind = catalogue.kinds[activity]
    median_s = np.array([70.0, 110.0, 25.0, 180.0, 60.0])[kind]
    seconds = np.clip(rng.lognormal(np.log(median_s), 1.0), 0.05, 3 * 3600)
    duration = (seconds * SECOND_MS).astype(np.int64)
    zero = kit.flags(rng, plain & ~unknown, ZERO_DURATION_SHARE, MIN_PER_KIND)
    duration[zero] = 0
    quirks["zero_duration"] = int(zero.sum())
    six = kit.some(rng, plain & ~unknown & ~zero, BOUNDARY_PER_KIND)
    duration[six] = MAX_DURATION_MS
    quirks["duration_exactly_6h"] = six.size
    completed = (rng.random(size) < COMPLETED_SHARE) & (duration > 0)
    loading = (np.clip(rng.lognormal(np.log(0.9), 0.6, size), 0.0, 60.0) * SECOND_MS).astype(
        np.int64
    )
    loading[rng.random(size) < ZERO_LOADING_SHARE] = 0

    source = kit.weighted(rng, SOURCES, size)
    in_collection = np.isin(source, [i for i, (s, _) in enumerate(SOURCES) if s in IN_COLLECTION])
    has_collection = in_collection | (rng.random(size) < STRAY_COLLECTION_SHARE)
    collection = np.where(
        has_collection, 1 + rng.integers(0, max(len(catalogue.collections), 1), size), 0
    )

    ids = kit.uuid_strings(rng, plan.events)
    table = Table(
        eid=np.arange(size, dtype=np.int64),
        time=time,
        user=user,
        child=child,
        device=device,
        activity=activity.astype(np.int64),
        source=source,
        duration=duration,
        completed=completed,
        collection=collection,
        loading=loading,
        name=np.zeros(size, dtype=np.int8),
        kind=np.zeros(size, dtype=np.int8),
        plain=plain & ~unknown & ~zero & ~np.isin(np.arange(size), six),
        ids=ids,
    )
    # Events in time order, so that nothing depends on how the parts were put together.
    return table.take(np.argsort(time, kind="stable")), quirks


def iphone_os(rng: np.random.Generator, table: Table, devices: Devices) -> int:
    """Mark a few Apple devices that play as reporting ``iPhone OS``; returns their events."""
    used = np.zeros(devices.ids.size, dtype=bool)
    used[table.device] = True
    devices.iphone_os = kit.flags(rng, devices.apple & used, IPHONE_OS_SHARE, MIN_PER_KIND)
    devices.context = context_rows(rng, devices)
    return int(np.count_nonzero(devices.iphone_os[table.device]))


def shared_ids(rng: np.random.Generator, table: Table, count: int) -> np.ndarray:
    """Give ``count`` events the event id of another event (different events, same id).

    Returns the rows of both events of every pair.
    """
    chosen = kit.some(rng, table.plain, 2 * count)
    table.eid[chosen[:count]] = table.eid[chosen[count:]]
    return np.sort(chosen)


def deliver(rng: np.random.Generator, table: Table, period: kit.Run) -> None:
    """File per event (its UTC day, or later for the late ones) and a lightly shuffled position."""
    table.day, table.key = DELIVERY.place(rng, table.time, period)


def redelivered(
    rng: np.random.Generator, table: Table, shared: np.ndarray, count: int, period: kit.Run
) -> Table:
    """Copies of ``count`` events (none sharing an id) delivered again in a later file."""
    eligible = kit.redeliverable(table.day, period.days)
    eligible[shared] = False
    chosen = np.sort(kit.some(rng, eligible, count))
    if chosen.size < count:  # tiny periods: any event, in the same file
        chosen = np.sort(kit.some(rng, np.ones(len(table), dtype=bool), count))
    copies = table.take(chosen)
    copies.day, copies.key = kit.redeliver(rng, copies.day, period)
    return copies
