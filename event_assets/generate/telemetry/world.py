"""The ``telemetry`` world: buildings with a hub each, their devices, and the users who live there.

Every device has a sync map (``MapUniqueName`` is its id) and a Z-Wave node id; its kind says
which commands it takes and which readings it reports. A building's hub writes the hub's side of
every command (CommandActive, CommandResult) and the devices' readings, with a clock a little off.
Users are mostly registered before the period; a few register during it, a few are renamed, and
some user ids commands carry have no record at all (the last rows).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from event_assets.generate import kit
from event_assets.generate.kit import DAY_MS, MINUTE_MS, SECOND_MS
from event_assets.generate.telemetry.plan import MIN_PER_KIND, Plan

DEVICE_KINDS = ("lock", "switch", "dimmer", "thermostat", "sensor")
LOCK, SWITCH, DIMMER, THERMOSTAT, SENSOR = range(len(DEVICE_KINDS))
DEVICE_KIND_SHARES = (0.25, 0.25, 0.15, 0.15, 0.20)
CELSIUS_BUILDINGS = 1  # the last building's thermostats speak Celsius, the others Fahrenheit
HUB_CLOCK_SKEW_MS = 3 * SECOND_MS  # a hub's clock is off by up to this much either way

REGISTERED_DURING_SHARE = 0.08
REGISTERED_BEFORE_DAYS = 400
RENAMED_SHARE = 0.10
UID_AS_STRING_SHARE = 0.25  # of user records

_FIRST = ("alex", "maria", "sam", "jordan", "li", "noah", "emma", "omar", "sofia", "kai", "ana",
          "lucas", "mia", "ravi", "zoe", "ivan", "nina", "leo", "aisha", "tom")  # fmt: skip
_LAST = ("smith", "garcia", "chen", "kim", "patel", "nguyen", "brown", "rossi", "silva", "khan",
         "meyer", "lopez", "cohen", "ito", "novak")  # fmt: skip


def _hex_sids(rng: np.random.Generator, prefix: bytes, n: int) -> np.ndarray:
    """Twilio-style sids: a two-letter prefix and 32 hex digits."""
    hex_digits = np.strings.replace(kit.uuid_strings(rng, n), b"-", b"")
    return np.strings.add(prefix, hex_digits)


@dataclass
class World:
    buildings: int
    celsius: np.ndarray  # per building
    hub_skew: np.ndarray  # per building, ms
    hub_ids: np.ndarray  # per building, S36 (the hub's EndpointId)
    device_ids: np.ndarray  # S36, the MapUniqueName
    map_sids: np.ndarray
    kind: np.ndarray  # per device, index into DEVICE_KINDS
    building: np.ndarray  # per device
    node_ids: np.ndarray  # per device, four digits as text ("0042")
    users: int  # with a record (the first rows); the ghosts follow
    uids: np.ndarray  # per user, int
    user_building: np.ndarray
    usernames: np.ndarray  # object: bytes
    new_usernames: np.ndarray  # object: bytes, the name after a rename
    registered: np.ndarray  # ms
    renamed_at: np.ndarray  # ms, -1 if never
    user_endpoints: np.ndarray  # S36
    account_sid: bytes
    service_sid: bytes

    @property
    def devices(self) -> int:
        return int(self.device_ids.size)

    def unit(self, device: np.ndarray) -> np.ndarray:
        return np.where(self.celsius[self.building[device]], b"C", b"F")


def _usernames(rng: np.random.Generator, n: int) -> np.ndarray:
    first = rng.integers(0, len(_FIRST), n)
    last = rng.integers(0, len(_LAST), n)
    number = rng.integers(1, 100, n)
    return np.array(
        [
            b"%s.%s%d" % (_FIRST[f].encode(), _LAST[la].encode(), d)
            for f, la, d in zip(first.tolist(), last.tolist(), number.tolist(), strict=True)
        ],
        dtype=object,
    )


def draw_world(rng: np.random.Generator, plan: Plan, period: kit.Run) -> World:
    buildings = plan.buildings
    # At least MIN_PER_KIND devices of every kind, the rest by share.
    guaranteed = np.repeat(np.arange(len(DEVICE_KINDS)), MIN_PER_KIND)
    drawn = kit.weighted(
        rng,
        list(zip(range(len(DEVICE_KINDS)), DEVICE_KIND_SHARES, strict=True)),
        plan.devices - guaranteed.size,
    )
    kind = rng.permutation(np.concatenate([guaranteed, drawn])).astype(np.int8)
    n_devices = kind.size
    building = np.sort(rng.integers(0, buildings, n_devices))
    building[:buildings] = np.arange(buildings)  # every building has a device
    building = np.sort(building)

    total = plan.users + plan.ghosts
    uids = 1000 + np.cumsum(rng.integers(1, 40, total))
    during = rng.random(total) < REGISTERED_DURING_SHARE
    registered = np.where(
        during,
        kit.between(rng, period.start_ms, period.end_ms - DAY_MS // 2, total),
        kit.between(rng, period.start_ms - REGISTERED_BEFORE_DAYS * DAY_MS, period.start_ms, total),
    )
    # Renamed during the period, in a later file than the user's first record.
    first_day = np.maximum((registered - period.start_ms) // DAY_MS, 0)
    can_rename = (first_day < period.days - 1) & (np.arange(total) < plan.users)
    renamed = kit.flags(rng, can_rename, RENAMED_SHARE, MIN_PER_KIND)
    rename_day = first_day + 1 + (rng.random(total) * np.maximum(period.days - 1 - first_day, 1))
    rename_day = np.minimum(rename_day.astype(np.int64), period.days - 1)
    renamed_at = np.where(
        renamed,
        period.start_ms + rename_day * DAY_MS + rng.integers(MINUTE_MS, DAY_MS - MINUTE_MS, total),
        -1,
    )
    return World(
        buildings=buildings,
        celsius=np.arange(buildings) >= buildings - CELSIUS_BUILDINGS,
        hub_skew=rng.integers(-HUB_CLOCK_SKEW_MS, HUB_CLOCK_SKEW_MS + 1, buildings),
        hub_ids=kit.uuid_strings(rng, buildings),
        device_ids=kit.uuid_strings(rng, n_devices),
        map_sids=_hex_sids(rng, b"MP", n_devices),
        kind=kind,
        building=building,
        node_ids=np.strings.zfill(rng.integers(2, 2_000, n_devices).astype("S4"), 4),
        users=plan.users,
        uids=uids,
        user_building=rng.integers(0, buildings, total),
        usernames=_usernames(rng, total),
        new_usernames=_usernames(rng, total),
        registered=registered,
        renamed_at=renamed_at,
        user_endpoints=kit.uuid_strings(rng, total),
        account_sid=_hex_sids(rng, b"AC", 1)[0],
        service_sid=_hex_sids(rng, b"IS", 1)[0],
    )
