"""Readings no command caused: manual use of the devices, and the periodic sensor reports.

Manual use: someone flips a switch or turns a lock by hand, a thermostat changes mode or starts
heating on its own; a share of it comes right after a command to the same device (someone at the
wall undoing what the app did), inside that command's 15-second window. Periodic: thermostats
and sensors report Temperature and Humidity, locks and sensors their BatteryLevel, at a steady
pace each.
"""

from __future__ import annotations

import numpy as np

from event_assets.generate import kit
from event_assets.generate.kit import SECOND_MS
from event_assets.generate.telemetry import plan as p
from event_assets.generate.telemetry.commands import Commands, hub_stamp
from event_assets.generate.telemetry.item_data import reading_data
from event_assets.generate.telemetry.rows import HUB, KEY, Rows
from event_assets.generate.telemetry.states import any_states
from event_assets.generate.telemetry.world import (
    DEVICE_KINDS,
    DIMMER,
    LOCK,
    SENSOR,
    SWITCH,
    THERMOSTAT,
    World,
)

# The reading manual use of each kind of device shows (thermostats: mode or operating state).
MANUAL_KEYS = {LOCK: "DoorLocked", SWITCH: "Switch", DIMMER: "Dimmer", THERMOSTAT: "ThermostatMode"}
OPERATING_STATE_SHARE = 0.6  # of a thermostat's spontaneous readings
PERIODIC_KEYS = {
    THERMOSTAT: (("Temperature", 4), ("Humidity", 2)),
    SENSOR: (("Temperature", 4), ("Humidity", 4), ("BatteryLevel", 1)),
    LOCK: (("BatteryLevel", 1),),
}
JITTER_SHARE = 0.1  # of a stream's interval


def _readings(
    rng: np.random.Generator, world: World, device: np.ndarray, key: np.ndarray, time: np.ndarray
) -> Rows:
    ids = kit.uuid_strings(rng, time.size)
    states = any_states(rng, key, world.unit(device))
    return Rows.of(
        time=time,
        device=device,
        key=key.astype(np.int8),
        item=ids,
        data=reading_data(ids, states),
        stamp=hub_stamp(rng, world, device, time),
        digits=np.full(time.size, 3, dtype=np.int8),
        writer=np.full(time.size, HUB),
    )


def spontaneous_readings(
    rng: np.random.Generator, n: int, world: World, commands: Commands, period: kit.Run
) -> tuple[Rows, int]:
    """``n`` readings of manual use; returns them and how many fall right after a command."""
    after = max(p.MIN_PER_KIND, round(n * p.MANUAL_AFTER_COMMAND_SHARE))
    of_command = kit.some(rng, np.ones(commands.time.size, dtype=bool), after)
    after = of_command.size
    manual = np.flatnonzero(np.isin(world.kind, list(MANUAL_KEYS)))
    device = np.concatenate(
        [commands.device[of_command], manual[rng.integers(0, manual.size, n - after)]]
    )
    time = np.concatenate(
        [
            commands.time[of_command] + kit.between(rng, SECOND_MS, p.WINDOW_MS, after),
            kit.between(rng, period.start_ms, period.end_ms, n - after),
        ]
    )
    lookup = np.zeros(len(DEVICE_KINDS), dtype=np.int8)
    for kind, name in MANUAL_KEYS.items():
        lookup[kind] = KEY[name]
    key = lookup[world.kind[device]]
    cycling = (world.kind[device] == THERMOSTAT) & (rng.random(n) < OPERATING_STATE_SHARE)
    key[cycling & (np.arange(n) >= after)] = KEY["ThermostatOperatingState"]
    return _readings(rng, world, device, key, time), after


def periodic_readings(rng: np.random.Generator, n: int, world: World, period: kit.Run) -> Rows:
    """``n`` readings spread over the devices' report streams, each at its own steady pace."""
    stream_device, stream_key, weight = [], [], []
    for kind, keys in PERIODIC_KEYS.items():
        for device in np.flatnonzero(world.kind == kind).tolist():
            for name, w in keys:
                stream_device.append(device)
                stream_key.append(KEY[name])
                weight.append(w)
    stream_device, stream_key = np.array(stream_device), np.array(stream_key, dtype=np.int8)
    share = np.array(weight, dtype=float) / sum(weight)
    count = rng.multinomial(n, share)
    stream = np.repeat(np.arange(count.size), count)
    # The k-th report of its stream, at (k + phase) intervals from the start, a little jittered.
    k = np.arange(n) - np.repeat(np.cumsum(count) - count, count)
    span = period.end_ms - period.start_ms
    interval = span / np.maximum(count, 1)
    phase = rng.random(count.size)
    jitter = rng.random(n) * JITTER_SHARE * interval[stream]
    time = period.start_ms + ((k + phase[stream]) * interval[stream] + jitter).astype(np.int64)
    time = np.clip(time, period.start_ms, period.end_ms - 1)
    return _readings(rng, world, stream_device[stream], stream_key[stream], time)
