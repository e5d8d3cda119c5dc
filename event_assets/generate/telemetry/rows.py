"""Sync-event lines as numpy columns, before they are written: the ``Rows`` table.

An ``ItemData`` is kept as the bytes of its JSON object with one ``%s`` left for its
``timestamp`` (written last, from ``stamp`` and ``digits``), so that a duplicate can carry the
same item re-stamped.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

ITEM_KEYS = (
    "Command", "CommandActive", "CommandResult", "DoorLocked", "Switch", "Dimmer",
    "ThermostatMode", "ThermostatOperatingState", "ThermostatCoolSetpoint",
    "ThermostatHeatSetpoint", "Temperature", "Humidity", "BatteryLevel",
)  # fmt: skip
KEY = {name: code for code, name in enumerate(ITEM_KEYS)}
READING_KEYS = ITEM_KEYS[3:]

# Who wrote a line (its Identity and EndpointId): a user (row >= 0), the building's hub, or an
# automation with no user.
HUB, AUTOMATION = -1, -2


@dataclass
class Rows:
    """Sync-event lines. ``bad`` is 0 for a valid line, else 1 + its index in ``BAD_KINDS``."""

    time: np.ndarray  # DateCreated, epoch ms
    device: np.ndarray
    key: np.ndarray  # index into ITEM_KEYS
    item: np.ndarray  # S36: the item's uuid (the command's id for Command/Active/Result)
    data: np.ndarray  # object: ItemData JSON bytes with one ``%s`` for the timestamp
    stamp: np.ndarray  # ItemData.timestamp, epoch ms
    digits: np.ndarray  # fractional digits of that timestamp: 3, 6, 7 or 9
    writer: np.ndarray  # user row, HUB or AUTOMATION
    bad: np.ndarray
    duplicate: np.ndarray  # bool: the same item written again later
    day: np.ndarray | None = None  # the file (day) the line is delivered in
    order: np.ndarray | None = None  # its sort key in that file

    @classmethod
    def of(cls, **columns: np.ndarray) -> Rows:
        """Valid, original lines; ``bad`` and ``duplicate`` are filled in."""
        n = columns["time"].size
        columns.setdefault("bad", np.zeros(n, dtype=np.int8))
        columns.setdefault("duplicate", np.zeros(n, dtype=bool))
        return cls(**columns)

    def __len__(self) -> int:
        return int(self.time.size)

    def take(self, rows: np.ndarray) -> Rows:
        return Rows(**{f.name: _at(getattr(self, f.name), rows) for f in fields(self)})

    @staticmethod
    def concat(parts: list[Rows]) -> Rows:
        columns = {}
        for f in fields(Rows):
            values = [getattr(p, f.name) for p in parts]
            columns[f.name] = None if any(v is None for v in values) else np.concatenate(values)
        return Rows(**columns)


def _at(values: np.ndarray | None, rows: np.ndarray) -> np.ndarray | None:
    return None if values is None else values[rows]
