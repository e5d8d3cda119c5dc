"""How much of what a ``telemetry`` sample holds: line counts, shares and the delays of readings.

The sync-event lines add up to ``events``: bad lines (a small share per kind, at least
``MIN_PER_KIND`` of each), duplicates, the lines of commands (Command, CommandActive,
CommandResult and the readings they cause), spontaneous readings, and periodic readings filling
the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from event_assets.generate import kit
from event_assets.generate.kit import HOUR_MS, MINUTE_MS, SECOND_MS

# Every quirk and every kind of bad record appears at least this often, however small the sample.
MIN_PER_KIND = 2

BAD_SHARE_PER_KIND = 0.0015  # ten kinds: about 1.5 % of the lines are bad
DUPLICATE_SHARE = 0.015
COMMAND_SHARE = 0.10  # commands per line; each brings about 3.6 lines with its hub and readings
SPONTANEOUS_SHARE = 0.06
COMMANDS_PER_DEVICE_DAY = 2.0
DEVICES_PER_BUILDING = 30
USERS_PER_DEVICE = 0.5
MIN_DEVICES = 20

# Delivery: lines land in the file of their DateCreated's day, a little out of order, a few in a
# later day's file (a Command may so arrive after its CommandActive and CommandResult).
DELIVERY = kit.Delivery(late_share=0.004, shuffle_ms=20 * SECOND_MS)
# A duplicate is the same item written again, this much later.
DUPLICATE_DELAY_MS = (SECOND_MS, 6 * HOUR_MS)

# The hub: CommandActive this long after the Command, CommandResult this long after the Active.
ACTIVE_DELAY_MS = (80, 1_500)
RESULT_DELAY_MS = (150, 4_000)
FAILURE_DELAY_MS = (2_000, 12_000)  # failures are mostly Z-Wave timeouts

# Readings caused by a command, ms after the Command's DateCreated, by how they fall against the
# 15-second window of the matching (``0 < delta <= 15 s``): most well inside, a few at its edge
# (the first exactly 15.000 s, in), a few just outside (the first 15.001 s), some much later.
CAUSED_DELAYS_MS = {
    "inside": ((500, 14_000), 0.90),
    "edge_inside": ((14_000, 15_001), 0.03),
    "edge_outside": ((15_001, 15_500), 0.02),
    "late": ((15_500, MINUTE_MS), 0.05),
}
WINDOW_MS = 15 * SECOND_MS

# Commands closer than 15 s to another on the same device (double taps, scenes): the second
# one this long after the first.
FOLLOW_UP_SHARE = 0.06
FOLLOW_UP_DELAY_MS = (300, 14_000)
# Manual use right after a command (a reading no command caused, inside a command's window).
MANUAL_AFTER_COMMAND_SHARE = 0.1  # of spontaneous readings


@dataclass(frozen=True)
class Plan:
    """How many lines of each sort (the sync-event lines add up to ``events``)."""

    events: int
    days: int
    per_kind: int  # bad lines of each kind
    kinds: int
    duplicates: int
    commands: int
    follow_ups: int  # of ``commands``, the second of two close commands on a device
    spontaneous: int
    devices: int
    buildings: int
    users: int
    ghosts: int  # users commands name who have no record

    @classmethod
    def for_events(cls, events: int, days: int, kinds: int) -> Plan:
        per_kind = max(MIN_PER_KIND, round(events * BAD_SHARE_PER_KIND))
        duplicates = max(MIN_PER_KIND, round(events * DUPLICATE_SHARE))
        rest = events - per_kind * kinds - duplicates
        commands = round(rest * COMMAND_SHARE)
        devices = max(MIN_DEVICES, round(commands / (days * COMMANDS_PER_DEVICE_DAY)))
        users = max(10, round(devices * USERS_PER_DEVICE))
        return cls(
            events=events,
            days=days,
            per_kind=per_kind,
            kinds=kinds,
            duplicates=duplicates,
            commands=commands,
            follow_ups=max(MIN_PER_KIND, round(commands * FOLLOW_UP_SHARE)),
            spontaneous=max(MIN_PER_KIND * 2, round(rest * SPONTANEOUS_SHARE)),
            devices=devices,
            buildings=max(2, round(devices / DEVICES_PER_BUILDING)),
            users=users,
            ghosts=max(MIN_PER_KIND, round(users * 0.03)),
        )

    @property
    def bad(self) -> int:
        return self.per_kind * self.kinds

    def periodic(self, command_lines: int) -> int:
        """Periodic readings: the lines left over; ValueError when none are."""
        left = self.events - self.bad - self.duplicates - command_lines - self.spontaneous
        if left < MIN_PER_KIND:
            raise ValueError(f"events must be more to hold the sample (got {self.events:,})")
        return left
