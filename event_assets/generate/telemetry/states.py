"""What commands ask for and what readings report, drawn per device kind.

A command is its kind (``item_data.COMMANDS``), a ``value`` (on/locked as 1/0, a mode's index, a
setpoint, a PIN slot) and a ``level`` (a dimmer's percent or a PIN, -1 for none). The reading a
command causes shows exactly what it asked for; readings no command caused show any state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from event_assets.generate import kit
from event_assets.generate.telemetry import item_data as d
from event_assets.generate.telemetry.plan import MIN_PER_KIND
from event_assets.generate.telemetry.rows import KEY
from event_assets.generate.telemetry.world import DIMMER, LOCK, SWITCH, THERMOSTAT

# The commands each kind of device takes, by share (sensors take none).
COMMANDS_BY_DEVICE = {
    LOCK: ((d.LOCKED_STATE, 0.85), (d.PIN, 0.15)),
    SWITCH: ((d.SWITCH_STATE, 1.0),),
    DIMMER: ((d.DIMMER_STATE, 1.0),),
    THERMOSTAT: ((d.MODE, 0.35), (d.HEAT_SET_POINT, 0.3), (d.COOL_SET_POINT, 0.35)),
}
# Setpoints in whole or half degrees: heat and cool ranges in Fahrenheit and Celsius.
SET_POINT_RANGES = {
    (d.HEAT_SET_POINT, False): (60, 72),
    (d.COOL_SET_POINT, False): (68, 80),
    (d.HEAT_SET_POINT, True): (16, 22),
    (d.COOL_SET_POINT, True): (20, 27),
}


@dataclass
class Asked:
    command: np.ndarray  # index into item_data.COMMANDS
    value: np.ndarray  # float
    level: np.ndarray  # int, -1 for none


def draw_asked(rng: np.random.Generator, kind: np.ndarray, celsius: np.ndarray) -> Asked:
    n = kind.size
    command = np.zeros(n, dtype=np.int8)
    for device_kind, options in COMMANDS_BY_DEVICE.items():
        rows = np.flatnonzero(kind == device_kind)
        command[rows] = np.array([c for c, _ in options])[kit.weighted(rng, options, rows.size)]
    # Every sample has PIN assignments, some with a "None" slot or pin.
    short = 2 * MIN_PER_KIND - int(np.count_nonzero(command == d.PIN))
    if short > 0:
        command[kit.some(rng, command == d.LOCKED_STATE, short)] = d.PIN
    value = (rng.random(n) < 0.5).astype(float)
    level = np.full(n, -1, dtype=np.int64)

    mode = command == d.MODE
    value[mode] = kit.weighted(rng, list(zip(d.MODES, d.MODE_SHARES, strict=True)), mode.sum())
    for (which, in_celsius), (low, high) in SET_POINT_RANGES.items():
        rows = (command == which) & (celsius == in_celsius)
        halves = rng.integers(2 * low, 2 * high + 1, rows.sum())
        value[rows] = np.where(rng.random(halves.size) < 0.8, halves // 2 * 2, halves) / 2
    dimmer = np.flatnonzero(command == d.DIMMER_STATE)
    absent = rng.random(dimmer.size) < d.DIMMER_LEVEL_ABSENT_SHARE
    on_level = rng.integers(5, 101, dimmer.size)
    level[dimmer] = np.where(absent, -1, np.where(value[dimmer] == 1, on_level, 0))
    pin = np.flatnonzero(command == d.PIN)
    none = kit.flags(rng, np.ones(pin.size, dtype=bool), d.PIN_NONE_SHARE, MIN_PER_KIND)
    slot_none = none & (rng.random(pin.size) < 0.5)
    value[pin] = np.where(slot_none, -1, rng.integers(1, 31, pin.size))
    level[pin] = np.where(none & ~slot_none, -1, rng.integers(0, 10_000, pin.size))
    return Asked(command, value, level)


def desired_texts(rng: np.random.Generator, asked: Asked) -> list[bytes]:
    """The ``desired_state`` lists, as JSON text."""
    as_string = rng.random(asked.command.size) < d.NUMERIC_STRING_SHARE
    out = []
    for c, v, level, s in zip(asked.command.tolist(), asked.value.tolist(),
                              asked.level.tolist(), as_string.tolist(), strict=True):  # fmt: skip
        name = d.COMMANDS[c].encode()
        if c == d.SWITCH_STATE:
            out.append(b'["%s", "%s"]' % (name, b"on" if v else b"off"))
        elif c == d.LOCKED_STATE:
            out.append(b'["%s", "%s"]' % (name, b"locked" if v else b"unlocked"))
        elif c == d.DIMMER_STATE:
            state = b"Multilevel On" if v else b"Multilevel Off"
            tail = b"" if level < 0 else b", %d" % level
            out.append(b'["%s", "%s"%s]' % (name, state, tail))
        elif c == d.MODE:
            out.append(b'["%s", "%s"]' % (name, d.MODES[int(v)].encode()))
        elif c in (d.HEAT_SET_POINT, d.COOL_SET_POINT):
            out.append(b'["%s", %s]' % (name, (b'"%g"' if s else b"%g") % v))
        else:
            slot = b'"None"' if v < 0 else b"%d" % v
            pin = b'"None"' if level < 0 else b'"%04d"' % level
            out.append(b'["%s", %s, %s]' % (name, slot, pin))
    return out


def caused_readings(
    rng: np.random.Generator, asked: Asked, unit: np.ndarray
) -> tuple[np.ndarray, list[bytes]]:
    """The key (``rows.KEY``) and state text of the reading each command causes when it works;
    key -1 where it causes none (PinAssignment, ``operatingstate``)."""
    n = asked.command.size
    key = np.full(n, -1, dtype=np.int8)
    for command, item_key in d.MATCHING_KEY.items():
        key[asked.command == command] = KEY[item_key]
    key[(asked.command == d.MODE) & (asked.value == d.MODES.index("operatingstate"))] = -1
    as_string = rng.random(n) < d.NUMERIC_STRING_SHARE
    dimmed = rng.integers(20, 100, n)
    states = []
    for c, v, level, u, s, dim in zip(asked.command.tolist(), asked.value.tolist(),
                                      asked.level.tolist(), unit.tolist(), as_string.tolist(),
                                      dimmed.tolist(), strict=True):  # fmt: skip
        if c == d.SWITCH_STATE:
            states.append(b'{"value": "%s"}' % (b"On" if v else b"Off"))
        elif c == d.LOCKED_STATE:
            states.append(b'"true"' if v else b'"false"')
        elif c == d.DIMMER_STATE:
            percent = (min(level, 99) if level >= 0 else dim) if v else 0
            states.append(b'{"value": "%s", "percent": %d}' % (b"On" if v else b"Off", percent))
        elif c == d.MODE:
            states.append(b'"%s"' % d.MODE_READINGS[int(v)])
        elif c in (d.HEAT_SET_POINT, d.COOL_SET_POINT):
            states.append(b'{"value": %s, "unit": "%s"}' % ((b'"%g"' if s else b"%g") % v, u))
        else:
            states.append(b"")
    return key, states


def any_states(rng: np.random.Generator, key: np.ndarray, unit: np.ndarray) -> list[bytes]:
    """States of readings no command caused: manual use, the thermostat's own cycle, sensors."""
    n = key.size
    pick = rng.integers(0, 1_000_000, n)
    warm = np.where(unit == b"C", 21.0, 70.0) + rng.normal(0, 2.0, n)
    out = []
    for k, p, u, w in zip(key.tolist(), pick.tolist(), unit.tolist(), warm.tolist(), strict=True):
        name = READING_NAMES[k]
        if name == "DoorLocked":
            out.append((b'"true"', b'"false"')[p % 2])
        elif name == "Switch":
            out.append(b'{"value": "%s"}' % (b"On", b"Off")[p % 2])
        elif name == "Dimmer":
            on = p % 2 == 0
            out.append(b'{"value": "%s", "percent": %d}' % (b"On" if on else b"Off",
                                                           p % 95 + 5 if on else 0))  # fmt: skip
        elif name == "ThermostatMode":
            out.append(b'"%s"' % d.MODE_READINGS[p % 4])
        elif name == "ThermostatOperatingState":
            out.append(b'"%s"' % d.OPERATING_STATES[p % 3])
        elif name == "Temperature":
            out.append(b'{"value": %.1f, "unit": "%s"}' % (w, u))
        elif name == "Humidity":
            out.append(b'{"value": %d}' % (25 + p % 40))
        elif name == "BatteryLevel":
            out.append(b'{"value": %d}' % (5 + p % 96))
        else:
            raise ValueError(f"no state for readings of {name}")
    return out


READING_NAMES = {code: name for name, code in KEY.items()}
