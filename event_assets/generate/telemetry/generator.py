"""A ``telemetry`` sample from start to end: world, commands, readings, faults, delivery, files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Unpack

import numpy as np

from event_assets.generate import kit
from event_assets.generate.telemetry.commands import Commands, draw_commands
from event_assets.generate.telemetry.delivery import deliver, duplicates
from event_assets.generate.telemetry.faults import BAD_KINDS, bad_rows
from event_assets.generate.telemetry.files import SyncFormatter, user_records
from event_assets.generate.telemetry.plan import Plan
from event_assets.generate.telemetry.readings import periodic_readings, spontaneous_readings
from event_assets.generate.telemetry.rows import Rows
from event_assets.generate.telemetry.truth import CommandTruth, ground_truth
from event_assets.generate.telemetry.world import draw_world

DEFAULTS = kit.Defaults(seed=42, start=date(2018, 3, 5), days=4, min_events=1_000)
DEFAULT_SEED, DEFAULT_START, DEFAULT_DAYS, MIN_EVENTS = DEFAULTS

SYNC_EVENTS_DIR = "raw_sync_events"
USERS_DIR = "raw_users"
SYNC_EVENTS_PREFIX = "telemetry-sync-events-"
USERS_PREFIX = "telemetry-users-"


@dataclass
class TelemetrySample:
    """What one generator run wrote, and the truth of it, for the CLI, tests and benchmarks."""

    sync_event_files: list[Path]
    user_files: list[Path]
    lines_per_file: dict[Path, int]
    bytes_per_file: dict[Path, int]
    truth: dict[str, CommandTruth]  # command_uuid -> what the command did
    buildings: int
    devices: int
    users: int  # with a record
    user_records: int
    renamed_users: int
    commands: int
    duplicates: int
    late_commands: int  # Commands in a later file than their hub's lines
    quirks: dict[str, int] = field(default_factory=dict)
    bad: dict[str, int] = field(default_factory=dict)  # sync-event lines per kind
    bad_users: dict[str, int] = field(default_factory=dict)  # user records per kind

    @property
    def files(self) -> list[Path]:
        return [*self.user_files, *self.sync_event_files]

    @property
    def events(self) -> int:
        return sum(self.lines_per_file[p] for p in self.sync_event_files)


def generate_telemetry_sample(
    out_dir: Path, events: int, **options: Unpack[kit.Options]
) -> TelemetrySample:
    """Write daily sync-event and user files with ``events`` sync events in all; say what was
    written and what every command did (``truth``).

    The options are ``seed``, ``start`` (the first day) and ``days``, ``DEFAULT_*`` if not given.
    """
    period = kit.Run.checked(out_dir, events, options, DEFAULTS)
    if not 1972 <= period.start.year <= 9000:
        raise ValueError(f"start must lie between 1972 and 9000 (got {period.start})")
    rng = period.rng()
    plan = Plan.for_events(events, period.days, len(BAD_KINDS))

    world = draw_world(rng, plan, period)
    commands = draw_commands(rng, plan, world, period)
    manual, manual_after = spontaneous_readings(rng, plan.spontaneous, world, commands, period)
    periodic_count = plan.periodic(len(commands.rows))
    valid = Rows.concat(
        [commands.rows, manual, periodic_readings(rng, periodic_count, world, period)]
    )
    copies = duplicates(rng, valid, plan.duplicates)
    bad = bad_rows(rng, valid, plan, period.end_ms)
    rows = Rows.concat([valid, copies, bad])
    late_commands = deliver(rng, rows, period)
    formatter = SyncFormatter(rng, rows, world)

    lines: dict[Path, int] = {}
    sizes: dict[Path, int] = {}
    sync_files = []
    for day in range(period.days):
        path = period.file(out_dir / SYNC_EVENTS_DIR, SYNC_EVENTS_PREFIX, day)
        in_file = np.flatnonzero(rows.day == day)
        in_file = in_file[np.argsort(rows.order[in_file], kind="stable")]
        day_lines = formatter.lines(in_file, path.name.encode())
        lines[path], sizes[path] = kit.write_lines(path, day_lines)
        sync_files.append(path)
    user_files = []
    per_day, missing_uid = user_records(rng, world, period)
    for day, day_lines in enumerate(per_day):
        path = period.file(out_dir / USERS_DIR, USERS_PREFIX, day)
        lines[path], sizes[path] = kit.write_lines(path, day_lines)
        user_files.append(path)

    bad_counts = np.bincount(rows.bad, minlength=len(BAD_KINDS) + 1)
    return TelemetrySample(
        sync_event_files=sync_files,
        user_files=user_files,
        lines_per_file=lines,
        bytes_per_file=sizes,
        truth=ground_truth(commands, world.device_ids),
        buildings=world.buildings,
        devices=world.devices,
        users=world.users,
        user_records=sum(len(day_lines) for day_lines in per_day),
        renamed_users=int(np.count_nonzero(world.renamed_at >= 0)),
        commands=int(commands.ids.size),
        duplicates=len(copies),
        late_commands=late_commands,
        quirks=_quirks(commands, world, formatter, manual_after),
        bad={kind: int(bad_counts[i + 1]) for i, kind in enumerate(BAD_KINDS)},
        bad_users={"missing_field": missing_uid},
    )


def _quirks(commands: Commands, world, formatter: SyncFormatter, manual_after: int) -> dict:
    truth_delay = commands.delay
    return {
        "follow_up_commands_within_15s": int(commands.follow_up.sum()),
        "failed_commands": int(np.count_nonzero(commands.outcome == 1)),
        "unanswered_commands": int(np.count_nonzero(commands.outcome == 2)),
        "caused_readings": int(np.count_nonzero(truth_delay >= 0)),
        "caused_readings_after_15s": int(np.count_nonzero(truth_delay > 15_000)),
        "successful_without_reading": int(
            np.count_nonzero((commands.outcome == 0) & (truth_delay < 0))
        ),
        "manual_readings_after_a_command": manual_after,
        "item_data_as_string": int(formatter.as_string.sum()),
    }


generate_telemetry = kit.files_only(generate_telemetry_sample)
