"""Sample-data generator for the ``schools`` domain (device usage in pre-primary schools).

Writes the event stream in the real archive's format (JSON Lines, compact, keys ``type``,
``time``, ``logId`` then the payload), one file per delivery day named
``schools-YYYY-MM-DD.jsonl``, with the dirt the pipeline has to cope with: lightly shuffled
files, late and re-delivered (exactly duplicated) events, ``...Event``-suffixed type names, times
without milliseconds, sessions spanning midnight and several days, abandoned sessions, devices
re-assigned to another school (some in a pause between two sessions), schools renamed, and a
small share of every kind of bad record listed in ``BAD_KINDS``.

Everything is drawn from one seeded ``numpy.random.Generator``, so the same arguments give
byte-identical files. The bulk (device set-up and sessions) is built as numpy arrays and
formatted column-wise into bytes; only the few school events and the bad records are formatted
one by one.

The parts: ``world`` (schools, devices, sessions), ``events`` (the valid events), ``faults``
(the bad records), ``files`` (delivery and writing), ``generator`` (the run from one to the
other) and ``cli`` (the subcommand of ``python -m event_assets.generate``).
"""

from event_assets.generate.schools.cli import DESCRIPTION, HELP, add_arguments, run
from event_assets.generate.schools.faults import BAD_KINDS
from event_assets.generate.schools.generator import (
    DEFAULT_DAYS,
    DEFAULT_SEED,
    DEFAULT_START,
    FILE_PREFIX,
    MIN_EVENTS,
    SchoolsSample,
    generate_schools,
    generate_schools_sample,
)

__all__ = [
    "BAD_KINDS",
    "DEFAULT_DAYS",
    "DEFAULT_SEED",
    "DEFAULT_START",
    "DESCRIPTION",
    "FILE_PREFIX",
    "HELP",
    "MIN_EVENTS",
    "SchoolsSample",
    "add_arguments",
    "generate_schools",
    "generate_schools_sample",
    "run",
]
