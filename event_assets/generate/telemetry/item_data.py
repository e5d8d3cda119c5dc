"""The ``ItemData`` of every item key, as the hub and the apps write it.

Commands carry a ``desired_state`` list (``["SwitchState", "on"]``, ``["PinAssignment", 3,
"0420"]``, ...); readings a ``state`` (``"true"``, ``{"value": "On", "percent": 40}``,
``{"value": "68", "unit": "F"}``, ...). The quirks of the real data are drawn here: the id as
``uuid`` or ``command_id``, user ids as numbers, strings or null, results as ``success`` or
``true`` in any case, setpoints as numeric strings, ``"None"`` pin slots, dimmer levels absent.
"""

from __future__ import annotations

import numpy as np

from event_assets.generate import kit

COMMANDS = (
    "SwitchState", "LockedState", "DimmerState", "ThermostatMode", "ThermostatHeatSetPoint",
    "ThermostatCoolSetPoint", "PinAssignment",
)  # fmt: skip
SWITCH_STATE, LOCKED_STATE, DIMMER_STATE, MODE, HEAT_SET_POINT, COOL_SET_POINT, PIN = range(7)
# The reading a command's effect shows up as (PinAssignment: none).
MATCHING_KEY = {
    SWITCH_STATE: "Switch",
    LOCKED_STATE: "DoorLocked",
    DIMMER_STATE: "Dimmer",
    MODE: "ThermostatMode",
    HEAT_SET_POINT: "ThermostatHeatSetpoint",
    COOL_SET_POINT: "ThermostatCoolSetpoint",
}
MODES = ("cool", "heat", "off", "auto", "settocool", "settoheat", "operatingstate")
MODE_SHARES = (0.25, 0.25, 0.15, 0.1, 0.1, 0.1, 0.05)
# The ThermostatMode reading a mode command leads to (operatingstate: none).
MODE_READINGS = (b"Cool", b"Heat", b"Off", b"Auto", b"Cool", b"Heat", b"")
OPERATING_STATES = (b"Heat", b"Heat2", b"Idle")

CLIENTS = (("ios", 40), ("android", 34), ("web", 5), ("googlehome", 8), ("alexa", 6),
           ("scheduler", 7))  # fmt: skip
ORIGINS = (b"app", b"app", b"app", b"voice", b"voice", b"schedule")
SCHEDULER = 5
NULL_USER_SHARE = 0.03  # of commands by a person: the app sent no user
USER_AS_STRING_SHARE = 0.3
COMMAND_ID_FIELD_SHARE = 0.03  # a Command or CommandActive naming its id ``command_id``
RESULT_ID_FIELDS = ((b'"command_id": "%s"', 80), (b'"uuid": "%s"', 15),
                    (b'"uuid": "%s", "command_id": "%s"', 5))  # fmt: skip
SUCCESS_RESULTS = ((b"success", 50), (b"true", 20), (b"SUCCESS", 10), (b"True", 10),
                   (b"Success", 5), (b"TRUE", 5))  # fmt: skip
FAILURE_RESULTS = ((b"failure", 40), (b"failed", 20), (b"error", 15), (b"timeout", 15),
                   (b"false", 10))  # fmt: skip
FAILURE_STRINGS = (b'"Z-Wave timeout"', b'"Node not responding"', b'"Device busy"',
                   b'"Jammed"', b'"Invalid user code slot"')  # fmt: skip
NUMERIC_STRING_SHARE = 0.15  # setpoints sent or reported as "68" rather than 68
PIN_NONE_SHARE = 0.15
DIMMER_LEVEL_ABSENT_SHARE = 0.3

_COMMAND = b'{%s, "timestamp": "%%s", "client": "%s", "user": %s, "origin": "%s", ' \
    b'"origin_id": %s, "desired_state": %s}'  # fmt: skip
_ACTIVE = b'{%s, "timestamp": "%%s", "node_id": "%s"}'
_RESULT = b'{%s, "timestamp": "%%s", "node_id": "%s", "result": "%s", "failure_string": %s}'
_READING = b'{"uuid": "%s", "timestamp": "%%s", "state": %s}'


def _id_fields(rng: np.random.Generator, ids: np.ndarray) -> list[bytes]:
    """``"uuid": "<id>"``, a few ``"command_id": "<id>"``."""
    named = rng.random(ids.size) < COMMAND_ID_FIELD_SHARE
    return [
        (b'"command_id": "%s"' if n else b'"uuid": "%s"') % i
        for n, i in zip(named.tolist(), ids.tolist(), strict=True)
    ]


def number_text(values: np.ndarray) -> list[bytes]:
    """Numbers as JSON writes them: ``68``, ``68.5``."""
    return [b"%g" % v for v in values.tolist()]


def user_texts(rng: np.random.Generator, uids: np.ndarray, has_user: np.ndarray) -> list[bytes]:
    """A user id as a number, sometimes as a string, ``null`` where there is no user."""
    as_string = rng.random(uids.size) < USER_AS_STRING_SHARE
    return [
        (b'"%d"' if s else b"%d") % u if h else b"null"
        for u, s, h in zip(uids.tolist(), as_string.tolist(), has_user.tolist(), strict=True)
    ]


def command_data(
    rng: np.random.Generator,
    ids: np.ndarray,
    client: np.ndarray,
    users: list[bytes],
    desired: list[bytes],
) -> np.ndarray:
    origin_ids = kit.uuid_strings(rng, ids.size)
    no_origin_id = (np.asarray(ORIGINS, dtype=object)[client] == b"app") & (
        rng.random(ids.size) < 0.5
    )
    names = [CLIENTS[c][0].encode() for c in client.tolist()]
    rows = zip(_id_fields(rng, ids), names, users, client.tolist(), origin_ids.tolist(),
               no_origin_id.tolist(), desired, strict=True)  # fmt: skip
    return np.array(
        [
            _COMMAND % (i, n, u, ORIGINS[c], b"null" if no else b'"%s"' % o, d)
            for i, n, u, c, o, no, d in rows
        ],
        dtype=object,
    )


def active_data(rng: np.random.Generator, ids: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    pairs = zip(_id_fields(rng, ids), nodes.tolist(), strict=True)
    return np.array([_ACTIVE % (i, n) for i, n in pairs], dtype=object)


def result_data(
    rng: np.random.Generator, ids: np.ndarray, nodes: np.ndarray, success: np.ndarray
) -> np.ndarray:
    n = ids.size
    style = kit.weighted(rng, RESULT_ID_FIELDS, n)
    own_ids = kit.uuid_strings(rng, n)
    good = kit.weighted(rng, SUCCESS_RESULTS, n)
    bad = kit.weighted(rng, FAILURE_RESULTS, n)
    failure = rng.integers(0, len(FAILURE_STRINGS), n)
    empty_as_null = rng.random(n) < 0.3
    out = []
    for k in range(n):
        s = int(style[k])
        id_field = RESULT_ID_FIELDS[s][0] % ((own_ids[k], ids[k]) if s == 2 else ids[k])
        if success[k]:
            result, why = SUCCESS_RESULTS[good[k]][0], b"null" if empty_as_null[k] else b'""'
        else:
            result, why = FAILURE_RESULTS[bad[k]][0], FAILURE_STRINGS[failure[k]]
        out.append(_RESULT % (id_field, nodes[k], result, why))
    return np.array(out, dtype=object)


def reading_data(ids: np.ndarray, states: list[bytes]) -> np.ndarray:
    pairs = zip(ids.tolist(), states, strict=True)
    return np.array([_READING % (i, s) for i, s in pairs], dtype=object)
