"""Sample-data generator for the ``telemetry`` domain (smart-home commands and device readings).

Writes the two kinds of landing file of the spec (``docs``: ``../shared/spec/telemetry.md``), JSON
Lines in Python's default style, one file per day:

- ``raw_sync_events/telemetry-sync-events-YYYY-MM-DD.jsonl``: Twilio Sync map-item updates from
  apartment hubs: Commands from apps, voice assistants and the scheduler, the hub's
  CommandActive and CommandResult (success, failure with a failure_string, or no answer), and the
  devices' readings: those commands caused (0.5-14 s later, a few at the edge of 15 s or later,
  some never), manual use, and periodic Temperature / Humidity / BatteryLevel;
- ``raw_users/telemetry-users-YYYY-MM-DD.jsonl``: user records (the first file: everybody known
  then), some again in a later file, renamed, with a newer ``last_modified``.

The quirks: ItemData as an object or a string holding JSON, ``uuid`` vs ``command_id``, user ids
as numbers, strings and null, timestamps with 7 or 9 fractional digits, setpoints as numeric
strings, PinAssignment with ``"None"``, DimmerState with and without a level, results as
``success``/``true`` in any case, commands under 15 s apart on one device, duplicates with a
later DateCreated that disagree, Commands delivered after their hub's lines, and a small share
(about 1.5 %) of every bad kind in ``BAD_KINDS`` (each bad line has exactly one defect).

The generator knows what every command did: ``generate_telemetry_sample(...).truth`` maps each
command's uuid to the reading it caused (or none) and the seconds to it; ``--truth PATH`` writes
it as CSV, outside the landing folder.

Everything is drawn from one seeded ``numpy.random.Generator``: the same arguments give
byte-identical files. The committed sample ``data/landing/telemetry/`` is exactly

    python -m event_assets.generate telemetry --events 2000 --out data/landing/telemetry

(seed 42, 4 days from 2018-03-05: the defaults).

The parts: ``plan`` (how many lines of each sort), ``world`` (buildings, devices, users),
``states`` and ``item_data`` (what commands ask and readings report, as JSON), ``commands`` (with
the hub and the caused readings), ``readings`` (manual and periodic), ``faults`` (the bad lines),
``delivery`` (duplicates and files), ``files`` (the lines), ``truth``, ``generator`` (the run)
and ``cli`` (the subcommand of ``python -m event_assets.generate``).
"""

from event_assets.generate.telemetry.cli import DESCRIPTION, HELP, add_arguments, run
from event_assets.generate.telemetry.faults import BAD_KINDS, REASONS
from event_assets.generate.telemetry.generator import (
    DEFAULT_DAYS,
    DEFAULT_SEED,
    DEFAULT_START,
    MIN_EVENTS,
    SYNC_EVENTS_DIR,
    SYNC_EVENTS_PREFIX,
    USERS_DIR,
    USERS_PREFIX,
    TelemetrySample,
    generate_telemetry,
    generate_telemetry_sample,
)
from event_assets.generate.telemetry.plan import CAUSED_DELAYS_MS, WINDOW_MS
from event_assets.generate.telemetry.truth import CommandTruth

__all__ = [
    "BAD_KINDS",
    "CAUSED_DELAYS_MS",
    "DEFAULT_DAYS",
    "DEFAULT_SEED",
    "DEFAULT_START",
    "DESCRIPTION",
    "HELP",
    "MIN_EVENTS",
    "REASONS",
    "SYNC_EVENTS_DIR",
    "SYNC_EVENTS_PREFIX",
    "USERS_DIR",
    "USERS_PREFIX",
    "WINDOW_MS",
    "CommandTruth",
    "TelemetrySample",
    "add_arguments",
    "generate_telemetry",
    "generate_telemetry_sample",
    "run",
]
