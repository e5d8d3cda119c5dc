"""The ground truth of a ``telemetry`` sample: what every valid command did.

For each command: its device, kind, hub outcome, whether it came under 15 s after another
command to the device, and the reading it caused (its uuid and item key, and the seconds from
the Command's ``DateCreated`` to the reading's), or none. A test measures the 15-second
matching against it. It is never written into the landing folder (it would be ingested): the
command line writes it, on request, as a CSV elsewhere.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from event_assets.generate.telemetry.commands import DELAY_KINDS, OUTCOMES, Commands
from event_assets.generate.telemetry.item_data import COMMANDS
from event_assets.generate.telemetry.rows import ITEM_KEYS

COLUMNS = ("command_uuid", "device_id", "command", "outcome", "follow_up", "reading_uuid",
           "reading_item_key", "seconds", "delay_kind")  # fmt: skip


@dataclass(frozen=True)
class CommandTruth:
    command_uuid: str
    device_id: str
    command: str  # first element of desired_state
    outcome: str  # success, failed or unanswered
    follow_up: bool  # sent under 15 s after another command to the same device
    reading_uuid: str | None  # the reading the command caused
    reading_item_key: str | None
    seconds: float | None  # from the Command to that reading, by DateCreated
    delay_kind: str | None  # inside, edge_inside, edge_outside or late (plan.CAUSED_DELAYS_MS)


def ground_truth(commands: Commands, device_ids) -> dict[str, CommandTruth]:
    """``command_uuid -> CommandTruth`` in the order the commands were drawn."""
    truth = {}
    for i in range(commands.ids.size):
        caused = bool(commands.delay[i] >= 0)
        uuid = commands.ids[i].decode()
        truth[uuid] = CommandTruth(
            command_uuid=uuid,
            device_id=device_ids[commands.device[i]].decode(),
            command=COMMANDS[commands.command[i]],
            outcome=OUTCOMES[commands.outcome[i]],
            follow_up=bool(commands.follow_up[i]),
            reading_uuid=commands.reading_ids[i].decode() if caused else None,
            reading_item_key=ITEM_KEYS[commands.reading_key[i]] if caused else None,
            seconds=int(commands.delay[i]) / 1000 if caused else None,
            delay_kind=DELAY_KINDS[commands.delay_kind[i]] if caused else None,
        )
    return truth


def write_truth_csv(path: Path, truth: dict[str, CommandTruth], landing: Path) -> None:
    """The truth as CSV at ``path``, which must not be inside the landing folder."""
    if path.resolve().is_relative_to(landing.resolve()):
        raise ValueError(f"--truth must be outside the landing folder {landing} (got {path})")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for t in truth.values():
            writer.writerow(["" if v is None else v for v in (getattr(t, c) for c in COLUMNS)])
