"""An ``engagement`` sample from start to end: catalogue, users, devices, events, faults, files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Unpack

import numpy as np

from event_assets.generate import kit
from event_assets.generate.engagement.catalogue import draw_catalogue
from event_assets.generate.engagement.devices import draw_devices
from event_assets.generate.engagement.events import (
    Table,
    base_events,
    deliver,
    iphone_os,
    redelivered,
    shared_ids,
)
from event_assets.generate.engagement.faults import BAD_KINDS, bad_events
from event_assets.generate.engagement.files import Formatter, user_deliveries, user_lines
from event_assets.generate.engagement.plan import Plan
from event_assets.generate.engagement.users import SUBSCRIPTION_DAYS, draw_users
from event_assets.generate.kit import DAY_MS

DEFAULTS = kit.Defaults(seed=42, start=date(2021, 1, 1), days=31, min_events=1_000)
DEFAULT_SEED, DEFAULT_START, DEFAULT_DAYS, MIN_EVENTS = DEFAULTS

EVENTS_DIR = "events"
USERS_DIR = "users"
ACTIVITIES_DIR = "activities"
EVENTS_PREFIX = "engagement-events-"
USERS_PREFIX = "engagement-users-"
ACTIVITIES_FILE = "engagement-activities.jsonl"

# Valid events with a trait a model must handle (counted in ``EngagementSample.quirks``).
QUIRKS = (
    "before_registration",
    "user_without_record",
    "unknown_activity",
    "zero_duration",
    "duration_exactly_6h",
    "empty_collection_id",
    "iphone_os",
    "at_registration",
    "at_trial_start",
    "at_trial_to_subscription",
    "at_trial_end_without_subscription",
    "at_subscription_expire",
    "at_midnight",
)


@dataclass
class EngagementSample:
    """What one generator run wrote, for the CLI to print and tests to check."""

    event_files: list[Path]
    user_files: list[Path]
    activity_file: Path
    lines_per_file: dict[Path, int]
    bytes_per_file: dict[Path, int]
    users: int  # with a record
    users_without_record: int
    user_records: int
    users_with_new_milestones: int  # re-delivered with a milestone they did not have before
    activities: int
    unknown_activities: int
    late: int
    redelivered: int  # exact copies of an event in a later file
    shared_ids: int  # different events with the event id of another one
    quirks: dict[str, int] = field(default_factory=dict)
    bad: dict[str, int] = field(default_factory=dict)

    @property
    def files(self) -> list[Path]:
        return [self.activity_file, *self.user_files, *self.event_files]

    @property
    def events(self) -> int:
        return sum(self.lines_per_file[p] for p in self.event_files)


def generate_engagement_sample(
    out_dir: Path, events: int, **options: Unpack[kit.Options]
) -> EngagementSample:
    """Write the catalogue, daily user files and ``events`` events over ``days`` daily files; say
    what was written.

    The options are ``seed``, ``start`` (the first day) and ``days``, ``DEFAULT_*`` if not given.
    """
    period = kit.Run.checked(out_dir, events, options, DEFAULTS)
    last = period.start + timedelta(days=period.days + SUBSCRIPTION_DAYS * 2)
    if not 1971 <= period.start.year or last > date(9998, 1, 1):
        raise ValueError(
            f"start and days must keep all times between 1971 and 9998 (got {period.start})"
        )
    rng = period.rng()
    plan = Plan.for_events(events, len(BAD_KINDS))

    catalogue = draw_catalogue(rng)
    users = draw_users(rng, plan, period)
    devices = draw_devices(rng, users, period)
    table, quirks = base_events(rng, plan, users, devices, catalogue, period)
    quirks["iphone_os"] = iphone_os(rng, table, devices)
    shared = shared_ids(rng, table, plan.shared)
    deliver(rng, table, period)
    late = int(np.count_nonzero(table.day > (table.time - period.start_ms) // DAY_MS))
    copies = redelivered(rng, table, shared, plan.redelivered, period)
    bad, overrides = bad_events(rng, table, plan, users, period)
    table = Table.concat([table, copies, bad])
    quirks["empty_collection_id"] = int(np.count_nonzero(table.collection[table.kind == 0] == 0))

    out_dir.mkdir(parents=True, exist_ok=True)
    lines: dict[Path, int] = {}
    sizes: dict[Path, int] = {}
    activity_file = out_dir / ACTIVITIES_DIR / ACTIVITIES_FILE
    lines[activity_file], sizes[activity_file] = kit.write_lines(activity_file, catalogue.lines)

    user_files, records = [], 0
    deliveries = user_deliveries(rng, users, period)
    for day in range(period.days):
        path = period.file(out_dir / USERS_DIR, USERS_PREFIX, day)
        day_lines = user_lines(rng, users, deliveries, day, period)
        lines[path], sizes[path] = kit.write_lines(path, day_lines)
        user_files.append(path)
        records += len(day_lines)

    formatter = Formatter(table, users, devices, catalogue, overrides)
    event_files = []
    for day in range(period.days):
        path = period.file(out_dir / EVENTS_DIR, EVENTS_PREFIX, day)
        rows = np.flatnonzero(table.day == day)
        rows = rows[np.argsort(table.key[rows], kind="stable")]
        lines[path], sizes[path] = kit.write_lines(path, formatter.lines(rows))
        event_files.append(path)

    kinds = np.bincount(table.kind, minlength=len(BAD_KINDS) + 1)
    return EngagementSample(
        event_files=event_files,
        user_files=user_files,
        activity_file=activity_file,
        lines_per_file=lines,
        bytes_per_file=sizes,
        users=users.n,
        users_without_record=users.ghosts,
        user_records=records,
        users_with_new_milestones=deliveries.renewed,
        activities=catalogue.known,
        unknown_activities=len(catalogue.ids) - catalogue.known,
        late=late,
        redelivered=len(copies),
        shared_ids=plan.shared,
        quirks={k: quirks.get(k, 0) for k in QUIRKS},
        bad={kind: int(kinds[i + 1]) for i, kind in enumerate(BAD_KINDS)},
    )


generate_engagement = kit.files_only(generate_engagement_sample)
