"""Sample-data generator for the ``webapp`` domain (web-app sessions in batch, playback streams
from micro-batches); the contract is ``../shared/spec/webapp.md`` and issue 15.

Writes JSON Lines in Python's default style:

- ``events/webapp-events-YYYY-MM-DD.jsonl``, one file per UTC day of ``event_time``:
  ``{"event_name", "user_id", "app_version", "event_time", "device_id", "client"}`` of many
  users with one to three devices each, app upgrades, sessions across midnight, one-event
  sessions, gaps inside sessions of exactly 29:59.999, 30:00.000 and 30:00.001; times mostly
  ``...Z`` with milliseconds, some with an offset (``+02:00``: the same instant), some without
  milliseconds. A few valid lines come in the next day's file, a few twice (the exact line).
- ``playback/playback-NNNNN.jsonl``, micro-batches numbered from 00001 in delivery order, each
  file's modification time the run's start + its number - 1 seconds (the processor orders by
  modification time, then name): ``{"user_id", "program_id", "start_time", "session_id",
  "device", "event_time"}`` every ~4 s with jitter, several programs per session, streams over
  many files, lines out of order inside a file, pauses of 59-60 s, exactly 60 s and 60-61 s,
  long pauses after which a stream's last heartbeats come when it is closed (``stream_closed``),
  late files of heartbeats older than the watermark (``late_event``), heartbeats exactly at the
  watermark before their file (on time) and streams whose last heartbeat is exactly 60 s behind
  the watermark after a file (still open).

Bad lines, each a copy of a valid one with one defect: web events ``EVENT_BAD_KINDS``,
heartbeats ``HEARTBEAT_BAD_KINDS``; their names are the rejection reasons (``REASONS``, which
the domain must declare in dbt). The first three lines of every file are plain valid ones.

The generator computes what the pipeline should make of its output (``truth``): the expected
``webapp_sessions`` (``sample.sessions``) and ``playback_streams`` with allowed lateness 0
(``sample.streams``, ``sample.open_streams``), with the late and closed-stream heartbeats
counted in ``sample.bad_heartbeats``.

Everything is drawn from one seeded ``numpy.random.Generator``: the same arguments give
byte-identical files (and modification times). The committed sample ``data/landing/webapp/`` is
exactly

    python -m event_assets.generate webapp --events 2000 --out data/landing/webapp

(seed 42, 5 days from 2024-05-01, 3,000 heartbeats in 30 files: the defaults).

The parts: ``web_events`` (users, devices, sessions, times), ``web_files`` (delivery, duplicates,
bad lines, text), ``playback`` (sessions, streams, heartbeats, pauses), ``playback_files``
(micro-batches, late files, bad lines, text, modification times), ``watermark_edges``
(heartbeats moved onto the rules' edges), ``faults`` (the defects),
``groups`` (array helpers), ``truth``, ``generator`` (the run) and ``cli``.
"""

from event_assets.generate.webapp.cli import DESCRIPTION, HELP, add_arguments, run
from event_assets.generate.webapp.faults import (
    BAD_KINDS,
    EVENT_BAD_KINDS,
    HEARTBEAT_BAD_KINDS,
    JUDGED_KINDS,
    REASONS,
)
from event_assets.generate.webapp.generator import (
    DEFAULT_DAYS,
    DEFAULT_SEED,
    DEFAULT_START,
    EVENTS_DIR,
    EVENTS_PREFIX,
    MIN_EVENTS,
    PLAYBACK_DIR,
    WebappSample,
    generate_webapp,
    generate_webapp_sample,
)

__all__ = [
    "BAD_KINDS",
    "DEFAULT_DAYS",
    "DEFAULT_SEED",
    "DEFAULT_START",
    "DESCRIPTION",
    "EVENTS_DIR",
    "EVENTS_PREFIX",
    "EVENT_BAD_KINDS",
    "HEARTBEAT_BAD_KINDS",
    "HELP",
    "JUDGED_KINDS",
    "MIN_EVENTS",
    "PLAYBACK_DIR",
    "REASONS",
    "WebappSample",
    "add_arguments",
    "generate_webapp",
    "generate_webapp_sample",
    "run",
]
