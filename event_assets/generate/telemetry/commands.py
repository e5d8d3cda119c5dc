"""Commands and what follows them: the hub's CommandActive and CommandResult, and the reading the
device reports when the command worked, with the ground truth of which reading that is.

A command is sent by a user of the device's building from an app or a voice assistant (or by the
scheduler, with no user). Most succeed; some fail (a Z-Wave timeout, a jammed lock), some get no
answer (the hub never writes a result, sometimes not even an activation). A successful command is
followed by the reading showing its state 0.5-14 s later, sometimes at the edge of 15 s or later,
sometimes never; a failed or unanswered one now and then too (the hub lost the answer, the
device acted anyway). A few commands come a moment after another on the same device (a double
tap, a scene).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from event_assets.generate import kit
from event_assets.generate.kit import DAY_MS, HOUR_MS
from event_assets.generate.telemetry import item_data as d
from event_assets.generate.telemetry import plan as p
from event_assets.generate.telemetry.rows import AUTOMATION, HUB, KEY, Rows
from event_assets.generate.telemetry.states import caused_readings, desired_texts, draw_asked
from event_assets.generate.telemetry.world import SENSOR, World

OUTCOMES = ("success", "failed", "unanswered")
SUCCESS, FAILED, UNANSWERED = range(3)
OUTCOME_SHARES = (0.88, 0.06, 0.06)
ACTIVE_WITHOUT_RESULT_SHARE = 0.6  # of unanswered commands
CAUSED_SHARE = (0.93, 0.05, 0.2)  # by outcome: the device shows the asked state
# Commands by hour of the day (UTC), most in the evening and morning.
HOUR_WEIGHTS = np.array([2, 1, 1, 1, 1, 2, 4, 6, 6, 4, 3, 3, 3, 3, 3, 4, 5, 7, 9, 9, 8, 6, 4, 3])
COMMAND_STAMP_DIGITS = ((6, 80), (7, 12), (9, 8))  # the cloud API's fractional seconds
DELAY_KINDS = tuple(p.CAUSED_DELAYS_MS)


@dataclass
class Commands:
    """The commands (``rows`` holds their lines and the hub's and readings') and their truth."""

    rows: Rows
    ids: np.ndarray  # S36 command ids
    time: np.ndarray  # DateCreated of the Command
    device: np.ndarray
    command: np.ndarray  # index into item_data.COMMANDS
    outcome: np.ndarray  # index into OUTCOMES
    follow_up: np.ndarray  # bool: sent under 15 s after another command to the device
    reading_ids: np.ndarray  # S36 of the caused reading, b"" for none
    reading_key: np.ndarray  # rows.KEY of the caused reading, -1 for none
    delay: np.ndarray  # ms from the Command to the caused reading (DateCreated), -1 for none
    delay_kind: np.ndarray  # index into DELAY_KINDS, -1 for none


def _command_times(rng: np.random.Generator, n: int, period: kit.Run) -> np.ndarray:
    day = rng.integers(0, period.days, n)
    hour = rng.choice(24, size=n, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    return period.start_ms + day * DAY_MS + hour * HOUR_MS + rng.integers(0, HOUR_MS, n)


def _users_of(rng: np.random.Generator, world: World, device: np.ndarray) -> np.ndarray:
    """A user of each device's building (any user where a building has none)."""
    by_building = np.argsort(world.user_building, kind="stable")
    count = np.bincount(world.user_building, minlength=world.buildings)
    first = np.cumsum(count) - count
    building = world.building[device]
    offset = (rng.random(device.size) * np.maximum(count[building], 1)).astype(np.int64)
    anyone = rng.integers(0, world.uids.size, device.size)
    return np.where(count[building] > 0, by_building[first[building] + offset], anyone)


def _at_least(rng: np.random.Generator, values: np.ndarray, eligible: np.ndarray, n: int) -> None:
    """Give at least ``MIN_PER_KIND`` eligible entries each value in ``range(n)`` (from value 0)."""
    for value in range(1, n):
        short = p.MIN_PER_KIND - int(np.count_nonzero(eligible & (values == value)))
        if short > 0:
            values[kit.some(rng, eligible & (values == 0), short)] = value


def hub_stamp(rng: np.random.Generator, world: World, device: np.ndarray, time: np.ndarray):
    """The hub's own clock when it wrote at ``time``: a little earlier, and off by its skew."""
    return time + world.hub_skew[world.building[device]] - rng.integers(5, 60, time.size)


def draw_commands(rng: np.random.Generator, plan: p.Plan, world: World, period: kit.Run):
    n, follow = plan.commands, plan.follow_ups
    commandable = np.flatnonzero(world.kind != SENSOR)
    weight = rng.lognormal(0, 0.8, commandable.size)
    first = n - follow
    device = commandable[rng.choice(commandable.size, size=first, p=weight / weight.sum())]
    time = _command_times(rng, first, period)
    # The second of two close commands: the same device and sender, a moment later.
    before = kit.some(rng, time < period.end_ms - p.WINDOW_MS, follow)
    device = np.concatenate([device, device[before]])
    time = np.concatenate([time, time[before] + kit.between(rng, *p.FOLLOW_UP_DELAY_MS, follow)])
    is_follow_up = np.arange(n) >= first

    user = _users_of(rng, world, device)
    client = kit.weighted(rng, d.CLIENTS, n)
    client[first:] = client[before]
    user[first:] = user[before]
    by_person = client != d.SCHEDULER
    has_user = by_person & ~kit.flags(rng, by_person, d.NULL_USER_SHARE, p.MIN_PER_KIND)
    celsius = world.celsius[world.building[device]]
    asked = draw_asked(rng, world.kind[device], celsius)
    ids = kit.uuid_strings(rng, n)

    outcome = kit.weighted(rng, list(zip(OUTCOMES, OUTCOME_SHARES, strict=True)), n)
    _at_least(rng, outcome, np.ones(n, dtype=bool), len(OUTCOMES))
    has_active = (outcome != UNANSWERED) | (rng.random(n) < ACTIVE_WITHOUT_RESULT_SHARE)
    has_result = outcome != UNANSWERED
    active_time = time + kit.between(rng, *p.ACTIVE_DELAY_MS, n)
    result_delay = np.where(
        outcome == FAILED,
        kit.between(rng, *p.FAILURE_DELAY_MS, n),
        kit.between(rng, *p.RESULT_DELAY_MS, n),
    )
    result_time = active_time + result_delay

    key, states = caused_readings(rng, asked, world.unit(device))
    caused = (key >= 0) & (rng.random(n) < np.asarray(CAUSED_SHARE)[outcome])
    # A failed command whose device acted anyway: a quirk every sample shows.
    short = p.MIN_PER_KIND - int(np.count_nonzero(caused & (outcome == FAILED)))
    if short > 0:
        caused[kit.some(rng, (key >= 0) & (outcome == FAILED) & ~caused, short)] = True
    delay_options = [(kind, share) for kind, (_, share) in p.CAUSED_DELAYS_MS.items()]
    delay_kind = np.where(caused, kit.weighted(rng, delay_options, n), -1)
    _at_least(rng, delay_kind, caused & (outcome == SUCCESS), len(DELAY_KINDS))
    low = np.array([bounds[0] for bounds, _ in p.CAUSED_DELAYS_MS.values()])
    high = np.array([bounds[1] for bounds, _ in p.CAUSED_DELAYS_MS.values()])
    delay = np.where(caused, kit.between(rng, low[delay_kind], high[delay_kind], n), -1)
    # The window's very edges: exactly 15.000 s (inside) and 15.001 s (outside).
    for kind, exact in (("edge_inside", p.WINDOW_MS), ("edge_outside", p.WINDOW_MS + 1)):
        at_edge = np.flatnonzero(
            caused & (outcome == SUCCESS) & (delay_kind == DELAY_KINDS.index(kind))
        )
        delay[at_edge[:1]] = exact
    reading_ids = np.where(caused, kit.uuid_strings(rng, n), b"")

    digits_kind = kit.weighted(rng, COMMAND_STAMP_DIGITS, n)
    _at_least(rng, digits_kind, np.ones(n, dtype=bool), len(COMMAND_STAMP_DIGITS))
    stamp_digits = np.array([v for v, _ in COMMAND_STAMP_DIGITS])[digits_kind]
    writer = np.where(has_user, user, AUTOMATION)
    nodes = world.node_ids[device]
    uid_texts = d.user_texts(rng, world.uids[user], has_user)
    command_rows = Rows.of(
        time=time,
        device=device,
        key=np.full(n, KEY["Command"], dtype=np.int8),
        item=ids,
        data=d.command_data(rng, ids, client, uid_texts, desired_texts(rng, asked)),
        stamp=time - rng.integers(20, 400, n),
        digits=stamp_digits.astype(np.int8),
        writer=writer,
    )
    a, r, c = np.flatnonzero(has_active), np.flatnonzero(has_result), np.flatnonzero(caused)
    hub_rows = [
        Rows.of(
            time=active_time[a],
            device=device[a],
            key=np.full(a.size, KEY["CommandActive"], dtype=np.int8),
            item=ids[a],
            data=d.active_data(rng, ids[a], nodes[a]),
            stamp=hub_stamp(rng, world, device[a], active_time[a]),
            digits=np.full(a.size, 3, dtype=np.int8),
            writer=np.full(a.size, HUB),
        ),
        Rows.of(
            time=result_time[r],
            device=device[r],
            key=np.full(r.size, KEY["CommandResult"], dtype=np.int8),
            item=ids[r],
            data=d.result_data(rng, ids[r], nodes[r], outcome[r] == SUCCESS),
            stamp=hub_stamp(rng, world, device[r], result_time[r]),
            digits=np.full(r.size, 3, dtype=np.int8),
            writer=np.full(r.size, HUB),
        ),
        Rows.of(
            time=time[c] + delay[c],
            device=device[c],
            key=key[c],
            item=reading_ids[c],
            data=d.reading_data(reading_ids[c], [states[i] for i in c.tolist()]),
            stamp=hub_stamp(rng, world, device[c], time[c] + delay[c]),
            digits=np.full(c.size, 3, dtype=np.int8),
            writer=np.full(c.size, HUB),
        ),
    ]
    return Commands(
        rows=Rows.concat([command_rows, *hub_rows]),
        ids=ids,
        time=time,
        device=device,
        command=asked.command,
        outcome=outcome,
        follow_up=is_follow_up,
        reading_ids=reading_ids,
        reading_key=np.where(caused, key, -1),
        delay=delay,
        delay_kind=delay_kind,
    )
