"""Sample-data generator for the ``engagement`` domain (play activity in a children's learning app).

Writes the three kinds of landing file in the real samples' format (JSON Lines with Python's
default ``", "``/``": "`` separators, ASCII with ``\\u`` escapes):

- ``events/engagement-events-YYYY-MM-DD.jsonl``: one nested ``activity_exit`` event per line, a
  file per delivery day, lightly shuffled, about 1% delivered late in a later day's file;
- ``users/engagement-users-YYYY-MM-DD.jsonl``: user records (milestones not reached are absent,
  sometimes null); the first file holds every user known by the end of the first day, later files
  the new users and users re-delivered with new milestones (the newest delivered record wins);
- ``activities/engagement-activities.jsonl``: the activity catalogue.

The dirt the pipeline has to cope with: ``iPhone OS`` beside ``iOS``, empty-string collection
ids, zero durations, activity ids missing from the catalogue, events before registration and of
users without a record, events exactly on subscription milestones, re-delivered events and
different events sharing an event id, and a small share of every bad record in ``BAD_KINDS``
(each bad line has exactly one defect).

Everything is drawn from one seeded ``numpy.random.Generator``, so the same arguments give
byte-identical files. Events are built as numpy columns and formatted per file with one bytes
template (no ``json.dumps`` per event).

The parts: ``plan`` (how many lines of each sort), ``catalogue``, ``users``, ``devices``,
``events`` (the valid events and their delivery), ``faults`` (the bad events), ``files`` (the
lines of the files), ``generator`` (the run from one to the other) and ``cli`` (the subcommand
of ``python -m event_assets.generate``).
"""

from event_assets.generate.engagement.cli import DESCRIPTION, HELP, add_arguments, run
from event_assets.generate.engagement.faults import BAD_KINDS, REASONS
from event_assets.generate.engagement.files import EVENT_NAME
from event_assets.generate.engagement.generator import (
    ACTIVITIES_DIR,
    ACTIVITIES_FILE,
    DEFAULT_DAYS,
    DEFAULT_SEED,
    DEFAULT_START,
    EVENTS_DIR,
    EVENTS_PREFIX,
    MIN_EVENTS,
    QUIRKS,
    USERS_DIR,
    USERS_PREFIX,
    EngagementSample,
    generate_engagement,
    generate_engagement_sample,
)

__all__ = [
    "ACTIVITIES_DIR",
    "ACTIVITIES_FILE",
    "BAD_KINDS",
    "DEFAULT_DAYS",
    "DEFAULT_SEED",
    "DEFAULT_START",
    "DESCRIPTION",
    "EVENTS_DIR",
    "EVENTS_PREFIX",
    "EVENT_NAME",
    "HELP",
    "MIN_EVENTS",
    "QUIRKS",
    "REASONS",
    "USERS_DIR",
    "USERS_PREFIX",
    "EngagementSample",
    "add_arguments",
    "generate_engagement",
    "generate_engagement_sample",
    "run",
]
