"""A ``schools`` sample from start to end: world, sessions, events, faults, delivery, files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Unpack

from event_assets.generate import kit
from event_assets.generate.schools.events import valid_events
from event_assets.generate.schools.faults import BAD_KINDS, bad_counts, bad_records
from event_assets.generate.schools.files import DUPLICATE_SHARE, deliver, write_day
from event_assets.generate.schools.world import trim_sessions, world_with_sessions

DEFAULTS = kit.Defaults(seed=42, start=date(2026, 1, 5), days=14, min_events=1_000)
DEFAULT_SEED, DEFAULT_START, DEFAULT_DAYS, MIN_EVENTS = DEFAULTS
FILE_PREFIX = "schools-"


@dataclass
class SchoolsSample:
    """What one generator run wrote, for the CLI to print and tests to check."""

    files: list[Path]
    lines_per_file: list[int]
    bytes_per_file: list[int]
    schools: int
    devices: int
    sessions: int
    abandoned: int
    late: int
    duplicates: int
    bad: dict[str, int] = field(default_factory=dict)

    @property
    def events(self) -> int:
        return sum(self.lines_per_file)


def generate_schools_sample(
    out_dir: Path, events: int, **options: Unpack[kit.Options]
) -> SchoolsSample:
    """Write ``days`` daily files with ``events`` events in total to ``out_dir``; say what.

    The options are ``seed``, ``start`` (the first day) and ``days``, ``DEFAULT_*`` if not given.
    """
    run = kit.Run.checked(out_dir, events, options, DEFAULTS)
    rng = run.rng()
    per_kind, bad_lines = bad_counts(events)
    valid_target = round((events - bad_lines) / (1 + DUPLICATE_SHARE))

    world, sessions = world_with_sessions(
        rng, valid_target, run.start_ms, run.days, run.start.weekday()
    )
    sessions = trim_sessions(rng, sessions, valid_target - world.setup_event_count())
    log_ids = kit.uuid_matrix(rng, world.n_schools + world.n_devices)
    session_ids = kit.uuid_matrix(rng, len(sessions.start))
    bulk, school = valid_events(rng, world, sessions, log_ids)
    bad = bad_records(rng, world, sessions, log_ids, session_ids, per_kind)
    few, late, duplicates = deliver(rng, world, bulk, school, bad, events)

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [run.file(out_dir, FILE_PREFIX, day) for day in range(run.days)]
    written = [write_day(p, day, bulk, few, log_ids, session_ids) for day, p in enumerate(paths)]
    return SchoolsSample(
        files=paths,
        lines_per_file=[lines for lines, _ in written],
        bytes_per_file=[size for _, size in written],
        schools=world.n_schools,
        devices=world.n_devices,
        sessions=len(sessions.start),
        abandoned=int(sessions.abandoned.sum()),
        late=late,
        duplicates=duplicates,
        bad={kind: bad.counts[kind] for kind in BAD_KINDS},
    )


generate_schools = kit.files_only(generate_schools_sample)
