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
template (no ``json.dumps`` per event), which keeps 10M events well under two minutes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

DEFAULT_START = date(2021, 1, 1)
DEFAULT_DAYS = 31
DEFAULT_SEED = 42
MIN_EVENTS = 1_000

EVENTS_DIR = "events"
USERS_DIR = "users"
ACTIVITIES_DIR = "activities"
EVENTS_PREFIX = "engagement-events-"
USERS_PREFIX = "engagement-users-"
ACTIVITIES_FILE = "engagement-activities.jsonl"

EVENT_NAME = "activity_exit"
# Each bad line has exactly one of these defects (``child_not_in_user`` is kept but flagged).
BAD_KINDS = (
    "negative_duration",
    "non_numeric_duration",
    "duration_over_6h",
    "negative_loading_time",
    "missing_activity_id",
    "unparseable_time",
    "wrong_event_name",
    "child_not_in_user",
    "malformed_json",
)
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

SECOND_MS = 1_000
MINUTE_MS = 60 * SECOND_MS
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS
MAX_DURATION_MS = 6 * HOUR_MS

# Users: register over the period (some before it), a trial some minutes after registration for
# some, a 30-day subscription at the very end of the trial for most trials.
EVENTS_PER_USER = 20
MIN_USERS = 40
PRE_PERIOD_SHARE = 0.15
PRE_PERIOD_DAYS = 60
TRIAL_SHARE = 0.30
TRIAL_DELAY_MINUTES = (5, 25)  # whole minutes, 5 to 24 as in the real sample
TRIAL_DAYS = 7
CONVERT_SHARE = 0.60
SUBSCRIPTION_DAYS = 30
CHILDREN_P = (0.88, 0.08, 0.03, 0.01)
DEVICES_P = (0.85, 0.13, 0.02)
MAIN_DEVICE_SHARE = 0.75
ACTIVITY_SIGMA = 1.3
# User files: records written with explicit nulls, first records a day or two late, and users
# re-delivered unchanged.
NULL_STYLE_SHARE = 0.10
LATE_USER_SHARE = 0.02
UNCHANGED_AGAIN_SHARE = 0.02

# Events.
LATE_SHARE = 0.01
REDELIVERED_SHARE = 0.005
SHARED_ID_SHARE = 0.001
BAD_SHARE_PER_KIND = 0.003
MALFORMED_SHARE = 0.0003
MIN_PER_KIND = 2
PRE_REGISTRATION_SHARE = 0.004
NO_RECORD_SHARE = 0.004
UNKNOWN_ACTIVITY_SHARE = 0.015
ZERO_DURATION_SHARE = 0.03
COMPLETED_SHARE = 0.64
ZERO_LOADING_SHARE = 0.02
SHUFFLE_WINDOW_MS = 2 * MINUTE_MS
PRE_REGISTRATION_MAX_MS = 3 * HOUR_MS
BOUNDARY_PER_KIND = 2

# Devices and the app.
APPLE_SHARE = 0.63
IPHONE_OS_SHARE = 0.01
UPGRADE_SHARE = 0.35
UPGRADE_FROM = 0.4  # share of the period after which upgrades to the newest version happen

# The catalogue.
CATALOGUE_SIZE = 1_200
UNKNOWN_ACTIVITIES = 12
_EPOCH = datetime(1970, 1, 1)
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_UUID_HEX_COLUMNS = np.array([i for i in range(36) if i not in (8, 13, 18, 23)])

_EVENT_TEMPLATE = (
    b'{"event_id": "%s", "name": "%s", "occurred_at": %s, "user_id": "%s", "child_id": "%s", '
    b'"data": {%s"source": "%s", "duration": %s, "completed": %s, "collection_id": "%s", '
    b'"loading_time": %s}, "context": %s}'
)
_CONTEXT_TEMPLATE = (
    b'{"device": {"device_id": "%s", "brand": "%s", "model": "%s"}, '
    b'"os": {"name": "%s", "version": "%s"}, "app": {"version": "%s", "build": "%s"}}'
)
_MILESTONES = ("trial_start_at", "trial_end_at", "subscription_start_at", "subscription_expire_at")
# Number text after the decimal point, as Python writes a float rounded to milliseconds.
_FRACTIONS = np.array([("." + (f"{f:03d}".rstrip("0") or "0")).encode() for f in range(1000)])

_COUNTRIES = (
    ("us", 14), ("in", 14), ("tr", 12), ("co", 11), ("ph", 11), ("my", 10), ("th", 8), ("sa", 7),
    ("mx", 7), ("br", 6), ("es", 3), ("gb", 3), ("id", 3), ("vn", 2), ("ar", 2), ("cl", 2),
    ("pe", 1), ("eg", 1), ("fr", 1), ("de", 1),
)  # fmt: skip
_SOURCES = (("launcher", 65), ("collection", 7), ("playlist", 3), ("search", 9),
            ("favorites", 8), ("deeplink", 4), ("notification", 3))  # fmt: skip
_IN_COLLECTION = {"collection", "playlist"}
STRAY_COLLECTION_SHARE = 0.03  # of other sources: a collection id all the same
_APPLE_MODELS = ("iPad7,5", "iPad7,6", "iPad7,11", "iPad7,12", "iPad6,11", "iPad6,12",
                 "iPad11,6", "iPad11,7", "iPad5,3", "iPad8,1", "iPhone12,1", "iPhone11,8",
                 "iPhone10,4", "iPhone9,3", "iPhone13,2")  # fmt: skip
_ANDROID_MODELS = (
    ("samsung", "SM-T510"), ("samsung", "SM-T290"), ("samsung", "SM-T295"),
    ("samsung", "SM-A105M"), ("samsung", "SM-J260M"), ("Xiaomi", "Redmi Note 8"),
    ("Xiaomi", "Redmi 9"), ("HUAWEI", "AGS2-W09"), ("HUAWEI", "BG2-W09"),
    ("motorola", "moto g(7) play"), ("motorola", "moto e(6) plus"), ("Lenovo", "TB-X505F"),
    ("Amazon", "KFMAWI"), ("google", "Pixel 3a"), ("LGE", "LM-X420"),
)  # fmt: skip
_IOS_VERSIONS = (("14.3", 27), ("14.2", 26), ("13.7", 11), ("14.0.1", 7), ("13.4.1", 7),
                 ("13.5.1", 5), ("13.3", 4), ("13.6", 3), ("12.4.9", 2.5), ("14.2.1", 2),
                 ("13.6.1", 1), ("13.1.3", 1), ("12.4", 0.6), ("14.4", 0.5), ("12.5.1", 0.3),
                 ("10.3.4", 0.2))  # fmt: skip
_IPHONE_OS_VERSIONS = (("9.3.5", 4), ("10.3.3", 2), ("12.4.8", 2), ("13.7", 1), ("14.3", 1))
_ANDROID_VERSIONS = (("10", 45), ("9", 19), ("8.0.0", 6), ("8.1.0", 4), ("7.0", 3),
                     ("11", 3), ("6.0.1", 1.5), ("7.1.1", 1), ("7.1.2", 0.5), ("5.1.1", 0.4),
                     ("9.0", 0.2))  # fmt: skip
# (version, iOS build, Android build, weight on iOS, weight on Android); the last is the newest.
_APP_VERSIONS = (
    ("7.24.0", "4011", "72400", 0.0, 0.3),
    ("7.31.1", "4250", "73101", 0.4, 0.0),
    ("7.32.1", "4263", "73201", 0.0, 0.6),
    ("7.39.0", "4401", "73900", 35, 31),
    ("7.40.0", "4430", "74000", 47, 58),
    ("7.41.0", "4457", "74100", 17, 4),
    ("7.41.1", "4457", "74101", 0.0, 5),
)
_NEWEST_APP = {"apple": 5, "android": 6}

_WORDS = {
    "theme": (
        "farm", "ocean", "jungle", "space", "kitchen", "bathroom", "garden", "city", "winter",
        "summer", "rainforest", "desert", "school", "beach", "park", "forest", "snow", "pirates",
        "dinosaurs", "vegetables", "fruits", "colors", "shapes", "numbers", "weather", "family",
        "clothes", "toys", "bugs", "pets", "music", "sports", "planets", "vehicles", "habitats",
        "bakery", "camping", "castle", "circus", "island", "market", "mountains", "river",
    ),
    "animal": (
        "bunny", "frog", "lion", "panda", "penguin", "owl", "fox", "whale", "turtle", "monkey",
        "tiger", "bear", "duck", "dino", "robot", "octopus", "giraffe", "koala", "zebra", "cat",
        "dog", "elephant", "shark", "bee", "snail", "parrot", "hippo", "crab", "unicorn",
        "baby_bot",
    ),
    "action": (
        "washing_hands", "dressing_up", "brushing_teeth", "cooking", "painting", "counting",
        "dancing", "shopping", "cleaning", "sorting", "matching", "pastry_maker", "sequencepath",
        "discovery", "building", "hide_and_seek", "carwash", "recycling", "planting", "fishing",
    ),
}  # fmt: skip
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


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


def generate_engagement(
    out_dir: Path,
    events: int,
    seed: int = DEFAULT_SEED,
    start: date = DEFAULT_START,
    days: int = DEFAULT_DAYS,
) -> list[Path]:
    """Write the catalogue, daily user files and ``events`` events over ``days`` daily files."""
    return generate_engagement_sample(out_dir, events, seed, start, days).files


def generate_engagement_sample(
    out_dir: Path,
    events: int,
    seed: int = DEFAULT_SEED,
    start: date = DEFAULT_START,
    days: int = DEFAULT_DAYS,
) -> EngagementSample:
    """Like ``generate_engagement`` but also says what was written."""
    _check_arguments(events, seed, start, days)
    rng = np.random.default_rng(seed)
    period = _Period((start - _EPOCH.date()).days * DAY_MS, days, start)
    plan = _Plan.for_events(events)

    catalogue = _catalogue(rng)
    users = _users(rng, plan, period)
    devices = _devices(rng, users, period)
    table, quirks = _base_events(rng, plan, users, devices, catalogue, period)
    quirks["iphone_os"] = _iphone_os(rng, table, devices)
    shared = _shared_ids(rng, table, plan.shared)
    _deliver(rng, table, period)
    late = int(np.count_nonzero(table.day > (table.time - period.start_ms) // DAY_MS))
    copies = _redelivered(rng, table, shared, plan.redelivered, period)
    bad, overrides = _bad_events(rng, table, plan, users, period)
    table = _Table.concat([table, copies, bad])
    quirks["empty_collection_id"] = int(np.count_nonzero(table.collection[table.kind == 0] == 0))

    out_dir.mkdir(parents=True, exist_ok=True)
    lines: dict[Path, int] = {}
    sizes: dict[Path, int] = {}
    activity_file = out_dir / ACTIVITIES_DIR / ACTIVITIES_FILE
    lines[activity_file], sizes[activity_file] = _write(activity_file, catalogue.lines)

    user_files, records = [], 0
    deliveries = _user_deliveries(rng, users, period)
    for day in range(days):
        path = out_dir / USERS_DIR / f"{USERS_PREFIX}{start + timedelta(days=day)}.jsonl"
        day_lines = _user_lines(rng, users, deliveries, day, period)
        lines[path], sizes[path] = _write(path, day_lines)
        user_files.append(path)
        records += len(day_lines)

    formatter = _Formatter(table, users, devices, catalogue, overrides)
    event_files = []
    for day in range(days):
        path = out_dir / EVENTS_DIR / f"{EVENTS_PREFIX}{start + timedelta(days=day)}.jsonl"
        rows = np.flatnonzero(table.day == day)
        rows = rows[np.argsort(table.key[rows], kind="stable")]
        lines[path], sizes[path] = _write(path, formatter.lines(rows))
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


def _check_arguments(events: int, seed: int, start: date, days: int) -> None:
    if events < MIN_EVENTS:
        raise ValueError(f"events must be at least {MIN_EVENTS:,} (got {events:,})")
    if days < 1:
        raise ValueError(f"days must be at least 1 (got {days})")
    if seed < 0:
        raise ValueError(f"seed must not be negative (got {seed})")
    if not 1971 <= start.year or start + timedelta(days=days + SUBSCRIPTION_DAYS * 2) > date(
        9998, 1, 1
    ):
        raise ValueError(f"start and days must keep all times between 1971 and 9998 (got {start})")


@dataclass(frozen=True)
class _Period:
    start_ms: int
    days: int
    start: date

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.days * DAY_MS


@dataclass(frozen=True)
class _Plan:
    """How many lines of each sort the events files get (they add up to ``events``)."""

    events: int
    per_kind: int
    malformed: int
    redelivered: int
    shared: int
    users: int
    ghosts: int

    @classmethod
    def for_events(cls, events: int) -> _Plan:
        return cls(
            events=events,
            per_kind=max(MIN_PER_KIND, round(events * BAD_SHARE_PER_KIND)),
            malformed=max(MIN_PER_KIND, round(events * MALFORMED_SHARE)),
            redelivered=max(MIN_PER_KIND, round(events * REDELIVERED_SHARE)),
            shared=max(MIN_PER_KIND, round(events * SHARED_ID_SHARE)),
            users=max(MIN_USERS, round(events / EVENTS_PER_USER)),
            ghosts=max(MIN_PER_KIND, round(events * NO_RECORD_SHARE / 8)),
        )

    @property
    def bad(self) -> int:
        return self.per_kind * (len(BAD_KINDS) - 1) + self.malformed

    @property
    def base(self) -> int:
        """Distinct events (valid ones, some sharing an id), before copies and bad lines."""
        return self.events - self.redelivered - self.bad


# --- small helpers --------------------------------------------------------------------------


def _uuids(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` random version-4 uuids as an ``S36`` array of their text."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    digits = np.empty((n, 32), dtype=np.uint8)
    digits[:, 0::2] = _HEX[raw >> 4]
    digits[:, 1::2] = _HEX[raw & 0x0F]
    out = np.full((n, 36), ord("-"), dtype=np.uint8)
    out[:, _UUID_HEX_COLUMNS] = digits
    return out.view("S36").ravel()


def _put_digits(out: np.ndarray, column: int, values: np.ndarray, width: int) -> None:
    for i in range(width):
        out[:, column + width - 1 - i] = 48 + values // 10**i % 10


def _stamps(ms: np.ndarray, micros: bool = False, quoted: bool = False) -> np.ndarray:
    """``YYYY-MM-DD HH:MM:SS.fff`` (or ``.ffffff``, the last three digits 0) of epoch ms."""
    ms = np.asarray(ms, dtype=np.int64)
    width = 26 if micros else 23
    q = 1 if quoted else 0
    out = np.full((ms.size, width + 2 * q), ord('"'), dtype=np.uint8)
    if not ms.size:
        return out.view(f"S{width + 2 * q}").ravel()
    day = ms // DAY_MS
    of_day = ms - day * DAY_MS
    first = int(day.min())
    dates = np.arange(first, int(day.max()) + 1).astype("datetime64[D]").astype("S10")
    out[:, q : q + 10] = dates.view(np.uint8).reshape(-1, 10)[day - first]
    out[:, q + 10] = ord(" ")
    _put_digits(out, q + 11, of_day // HOUR_MS, 2)
    out[:, q + 13] = ord(":")
    _put_digits(out, q + 14, of_day // MINUTE_MS % 60, 2)
    out[:, q + 16] = ord(":")
    _put_digits(out, q + 17, of_day // SECOND_MS % 60, 2)
    out[:, q + 19] = ord(".")
    _put_digits(out, q + 20, of_day % SECOND_MS, 3)
    if micros:
        out[:, q + 23 : q + 26] = ord("0")
    return out.view(f"S{width + 2 * q}").ravel()


def _numbers(ms: np.ndarray) -> np.ndarray:
    """Seconds from milliseconds as JSON numbers, the way Python writes ``round(x, 3)``."""
    ms = np.asarray(ms, dtype=np.int64)
    magnitude = np.abs(ms)
    text = np.strings.add((magnitude // SECOND_MS).astype("S"), _FRACTIONS[magnitude % SECOND_MS])
    negative = ms < 0
    if negative.any():
        text = text.astype(f"S{text.dtype.itemsize + 1}")
        text[negative] = np.strings.add(b"-", text[negative])
    return text


def _between(rng: np.random.Generator, low, high, n: int) -> np.ndarray:
    """Uniform int64 ms in [low, high) per element (bounds may be arrays)."""
    low = np.asarray(low, dtype=np.int64)
    span = np.maximum(np.asarray(high, dtype=np.int64) - low, 1)
    return low + (rng.random(n) * span).astype(np.int64)


def _weighted(rng: np.random.Generator, options, n: int) -> np.ndarray:
    """Indices into ``options`` (pairs of value and weight) drawn by weight."""
    weights = np.array([w for _, w in options], dtype=float)
    return rng.choice(len(options), size=n, p=weights / weights.sum())


def _flags(
    rng: np.random.Generator, eligible: np.ndarray, share: float, minimum: int
) -> np.ndarray:
    """Eligible entries drawn with ``share``, topped up at random to ``minimum`` if possible."""
    flags = eligible & (rng.random(eligible.size) < share)
    short = min(minimum, int(eligible.sum())) - int(flags.sum())
    if short > 0:
        flags[rng.permutation(np.flatnonzero(eligible & ~flags))[:short]] = True
    return flags


def _some(rng: np.random.Generator, eligible: np.ndarray, n: int) -> np.ndarray:
    """Up to ``n`` distinct positions where ``eligible`` holds, in random order."""
    return rng.permutation(np.flatnonzero(eligible))[:n]


def _json_line(obj: dict) -> bytes:
    """A line as the real files have it: Python's default separators, ASCII only."""
    return json.dumps(obj).encode("ascii")


def _write(path: Path, lines: list[bytes]) -> tuple[int, int]:
    """Write one file atomically under a hidden temporary name; returns (lines, bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = b"\n".join(lines) + b"\n" if lines else b""
    # A hidden temporary name the landing sensor's glob cannot pick up half-written.
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)
    return len(lines), len(data)


# --- the activity catalogue -----------------------------------------------------------------


@dataclass
class _Catalogue:
    ids: list[str]  # the catalogue's ids, then the unknown ones events also use
    kinds: np.ndarray  # per id: 0 game, 1 video, 2 traceable, 3 audiobook, 4 other
    known: int
    lines: list[bytes]
    playable: np.ndarray  # catalogue rows events draw from
    popularity: np.ndarray  # probability per playable row
    collections: list[str]  # collection and playlist ids (collection_id values)


_PLAYABLE_KINDS = ("game", "video", "traceable", "audiobook")
_KIND_WEIGHT = {"game": 3.0, "video": 1.0, "traceable": 0.9, "audiobook": 0.8}
_TYPE_SHARES = (("video", 0.48), ("traceable", 0.24), ("game", 0.21), ("audiobook", 0.02),
                ("playlist", 0.017), ("printable", 0.013), ("collection", 0.012),
                ("voice", 0.002))  # fmt: skip


def _title(*words: str) -> str:
    return " ".join(w.replace("_", " ").title() for w in words)


def _activity(rng: np.random.Generator, kind: str) -> tuple[str, str | None, str | None]:
    """One (id, name, subtype) in the style of the real catalogue's families."""

    def word(group: str) -> str:
        words = _WORDS[group]
        return words[int(rng.integers(len(words)))]

    n = int(rng.integers(1, 120))
    letter = _LETTERS[int(rng.integers(26))]
    variant = int(rng.integers(8))
    if kind == "video":
        theme, animal = word("theme"), word("animal")
        return (
            (f"song_{n}", f"The {_title(theme)} Song", None),
            (f"lk_song_{theme}_{animal}", _title(animal, theme, "song"), "song"),
            (f"lk_chant_{theme}", _title(theme, "chant"), "chants"),
            (f"kib_{animal}_{theme}", f"{_title(animal)} and the {_title(theme)}", None),
            (f"map_{theme}_{animal}", _title(theme, animal), None),
            (f"my_teacher_{n}", f"My Teacher - {_title(theme)}", "teacher"),
            (f"{letter}{n % 9 + 1}_story_animation", _title(animal, "story"), "generic"),
            (f"lk_episode_{animal}_{theme}", _title(animal, theme), "episode"),
        )[variant]
    if kind == "game":
        theme, action = word("theme"), word("action")
        return (
            (f"{theme}_game", _title(theme, "game"), ("hide_and_seek", "obstacles", None)[n % 3]),
            (f"game_{action}", _title(action), "generic"),
            (f"game_runner_{theme}", _title(theme, "runner"), "runner"),
            (f"{theme}_memory_game", _title(theme, "memory game"), "memory"),
            (f"{theme}_sticker_game", _title(theme, "sticker game"), "sticker"),
            (f"jumpin_{letter}_{theme}", _title(theme, "game", letter), None),
            (f"oup_memory_l{n % 4 + 1}u{n % 9 + 1}", f"oup_memory_l{n % 4 + 1}u{n % 9 + 1}", None),
            (f"game_{action}_{theme}", _title(action, theme), "puzzle"),
        )[variant]
    if kind == "traceable":
        theme, animal = word("theme"), word("animal")
        return (
            (f"cursive_{letter}", f"Letter {letter.upper()} Cursive", "letter"),
            (f"regular_{letter}", f"Letter {letter.upper()} Regular", "letter"),
            (f"draw_{theme}", f"draw_{theme}", "drawing"),
            (f"en_numbers_{n}", str(n), ""),
            (f"words_{theme}_{letter}", _title(theme), "word"),
            (f"{theme}_draw", theme, None),
            (f"coloring_book_{theme}", _title("coloring book", theme), "coloring_book"),
            (f"draw_{animal}", f"draw_{animal}", "drawing"),
        )[variant]
    if kind == "audiobook":
        theme = word("theme")
        if variant % 2:
            return f"kidschema_{n}", _title("my book of", theme), None
        return f"lk_{theme}_audiobook", _title(theme, "story"), "original_audiobook"
    if kind == "playlist":
        theme = word("theme")
        if variant % 2:
            return f"Playlist_{n}", _title("Emma", theme), ("video_playlist", None)[n % 2]
        return f"mt_emma_{theme}_playlist", _title("Emma's", theme), "video_playlist"
    if kind == "printable":
        return f"printable_{n}", f"Printable {n}", None
    if kind == "collection":
        return f"lk_collection_{word('theme')}_{n % 6 + 1}", None, "event"
    animal = word("animal")
    return f"game_talking_{animal}", f"game_talking_{animal}", "changer"


def _catalogue(rng: np.random.Generator) -> _Catalogue:
    seen: set[str] = set()
    entries: list[dict] = []
    for kind, share in _TYPE_SHARES:
        quota = max(5, round(CATALOGUE_SIZE * share))
        added = 0
        for _ in range(quota * 40):
            activity_id, name, subtype = _activity(rng, kind)
            if activity_id in seen:
                continue
            seen.add(activity_id)
            quirk = rng.random()
            if quirk < 0.09 and kind in ("video", "game", "audiobook"):
                name = None  # as many lk_ activities in the real catalogue
            elif quirk < 0.095:
                name = ""
            elif quirk < 0.105 and name:
                name = f"Can you see the {name} \u2026?"
            if subtype is None and kind == "video" and rng.random() < 0.3:
                subtype = ""
            entries.append(
                {"activity_id": activity_id, "name": name, "type": kind, "subtype": subtype}
            )
            added += 1
            if added == quota:
                break
    entries = [entries[i] for i in rng.permutation(len(entries))]

    unknown: list[str] = []
    while len(unknown) < UNKNOWN_ACTIVITIES:
        activity_id = _activity(rng, ("game", "video")[len(unknown) % 2])[0] + "_new"
        if activity_id not in seen:
            seen.add(activity_id)
            unknown.append(activity_id)

    types = [e["type"] for e in entries]
    kinds = np.array(
        [_PLAYABLE_KINDS.index(t) if t in _PLAYABLE_KINDS else 4 for t in types]
        + [i % 2 for i in range(len(unknown))],
        dtype=np.int8,
    )
    playable = np.flatnonzero(kinds[: len(entries)] < 4)
    rank = rng.permutation(playable.size)
    weight = np.array([_KIND_WEIGHT[types[i]] for i in playable]) / (rank + 4.0) ** 1.05
    return _Catalogue(
        ids=[e["activity_id"] for e in entries] + unknown,
        kinds=kinds,
        known=len(entries),
        lines=[_json_line(e) for e in entries],
        playable=playable,
        popularity=weight / weight.sum(),
        collections=[e["activity_id"] for e in entries if e["type"] in _IN_COLLECTION],
    )


# --- users and devices ----------------------------------------------------------------------


@dataclass
class _Users:
    """Users with a record (rows ``< n``) and users without one (the last ``ghosts`` rows)."""

    n: int
    ghosts: int
    ids: np.ndarray  # S36
    country: np.ndarray
    registered: np.ndarray  # epoch ms
    has_trial: np.ndarray
    trial_start: np.ndarray
    converted: np.ndarray
    children: np.ndarray  # number of children
    first_child: np.ndarray  # row of the first child in ``child_ids``
    child_ids: np.ndarray  # S36: the users' children, then stray children of no user
    weight: np.ndarray  # how much the user plays, per day
    devices: np.ndarray | None = None
    first_device: np.ndarray | None = None

    @property
    def trial_end(self) -> np.ndarray:
        return self.trial_start + TRIAL_DAYS * DAY_MS

    @property
    def subscription_start(self) -> np.ndarray:
        return self.trial_end  # a trial turns into a subscription at its very end

    @property
    def subscription_expire(self) -> np.ndarray:
        return self.subscription_start + SUBSCRIPTION_DAYS * DAY_MS

    def in_period(self, times: np.ndarray, period: _Period) -> np.ndarray:
        recorded = np.arange(self.registered.size) < self.n
        return recorded & (times >= period.start_ms) & (times < period.end_ms)


def _users(rng: np.random.Generator, plan: _Plan, period: _Period) -> _Users:
    n, total = plan.users, plan.users + plan.ghosts
    pre = rng.random(total) < PRE_PERIOD_SHARE
    registered = np.where(
        pre,
        _between(rng, period.start_ms - PRE_PERIOD_DAYS * DAY_MS, period.start_ms, total),
        _between(rng, period.start_ms, period.end_ms, total),
    )
    has_trial = rng.random(total) < TRIAL_SHARE
    delay = rng.integers(*TRIAL_DELAY_MINUTES, total) * MINUTE_MS
    converted = has_trial & (rng.random(total) < CONVERT_SHARE)
    users = _Users(
        n=n,
        ghosts=plan.ghosts,
        ids=_uuids(rng, total),
        country=_weighted(rng, _COUNTRIES, total),
        registered=registered,
        has_trial=has_trial,
        trial_start=registered + delay,
        converted=converted,
        children=1 + _weighted(rng, list(zip(range(4), CHILDREN_P, strict=True)), total),
        first_child=np.zeros(total, dtype=np.int64),
        child_ids=np.empty(0, dtype="S36"),
        weight=rng.lognormal(0.0, ACTIVITY_SIGMA, total),
    )
    _ensure_histories(rng, users, period, delay)
    if np.count_nonzero(users.children[:n] > 1) < MIN_PER_KIND:
        users.children[_some(rng, users.children[:n] == 1, MIN_PER_KIND)] = 2
    users.first_child = np.cumsum(users.children) - users.children
    strays = plan.per_kind
    users.child_ids = _uuids(rng, int(users.children.sum()) + strays)
    # Users without a record are nobody's account: no trial, no subscription.
    users.has_trial[n:] = False
    users.converted[n:] = False
    return users


def _ensure_histories(
    rng: np.random.Generator, users: _Users, period: _Period, delay: np.ndarray
) -> None:
    """At least ``MIN_PER_KIND`` users whose trial becomes a subscription, whose trial ends
    without one, and whose subscription expires, within the period (re-drawing some users)."""
    taken = np.zeros(users.registered.size, dtype=bool)
    taken[users.n :] = True
    to_end = delay + TRIAL_DAYS * DAY_MS
    goals = (
        (True, to_end, lambda u: u.subscription_start),
        (False, to_end, lambda u: u.trial_end),
        (True, to_end + SUBSCRIPTION_DAYS * DAY_MS, lambda u: u.subscription_expire),
    )
    for converted, offset, moment in goals:
        chosen = users.has_trial & (users.converted == converted)
        have = chosen & users.in_period(moment(users), period)
        taken |= have
        short = MIN_PER_KIND - int(have.sum())
        if short <= 0:
            continue
        rows = _some(rng, ~taken, short)
        at = _between(rng, period.start_ms, period.end_ms, rows.size)
        users.registered[rows] = at - offset[rows]
        users.trial_start[rows] = users.registered[rows] + delay[rows]
        users.has_trial[rows] = True
        users.converted[rows] = converted
        taken[rows] = True


def _active_from(users: _Users, period: _Period) -> np.ndarray:
    return np.maximum(users.registered, period.start_ms)


@dataclass
class _Devices:
    """Devices (a few per user) with their hardware, OS and app version; the context JSON per
    device is written once ``iphone_os`` is known."""

    ids: np.ndarray  # S36
    apple: np.ndarray
    model: np.ndarray  # row of _APPLE_MODELS or _ANDROID_MODELS
    os_version: np.ndarray  # row of _IOS_VERSIONS / _IPHONE_OS_VERSIONS / _ANDROID_VERSIONS
    app: np.ndarray  # row of _APP_VERSIONS before the upgrade
    newest: np.ndarray  # row of _APP_VERSIONS after it
    upgrade_at: np.ndarray  # epoch ms from which ``newest`` applies
    iphone_os: np.ndarray
    context: np.ndarray | None = None  # object: row 2d before the upgrade, 2d + 1 after


def _devices(rng: np.random.Generator, users: _Users, period: _Period) -> _Devices:
    total = users.registered.size
    users.devices = 1 + _weighted(rng, list(zip(range(3), DEVICES_P, strict=True)), total)
    users.first_device = np.cumsum(users.devices) - users.devices
    n = int(users.devices.sum())
    apple = rng.random(n) < APPLE_SHARE
    model = np.where(
        apple, rng.integers(0, len(_APPLE_MODELS), n), rng.integers(0, len(_ANDROID_MODELS), n)
    )
    os_version = np.where(
        apple, _weighted(rng, _IOS_VERSIONS, n), _weighted(rng, _ANDROID_VERSIONS, n)
    )
    app = np.where(
        apple,
        _weighted(rng, [(v, w) for v, _, _, w, _ in _APP_VERSIONS], n),
        _weighted(rng, [(v, w) for v, _, _, _, w in _APP_VERSIONS], n),
    )
    newest = np.where(apple, _NEWEST_APP["apple"], _NEWEST_APP["android"])
    upgrades = (app < newest) & (rng.random(n) < UPGRADE_SHARE)
    upgrade_from = period.start_ms + int(UPGRADE_FROM * period.days * DAY_MS)
    upgrade_at = np.where(
        upgrades, _between(rng, upgrade_from, period.end_ms, n), np.iinfo(np.int64).max
    )
    return _Devices(
        ids=_uuids(rng, n),
        apple=apple,
        model=model,
        os_version=os_version,
        app=app,
        newest=newest,
        upgrade_at=upgrade_at,
        iphone_os=np.zeros(n, dtype=bool),
    )


def _context_rows(rng: np.random.Generator, devices: _Devices) -> np.ndarray:
    """Context JSON per device: row ``2 * d`` before the app upgrade, ``2 * d + 1`` after."""
    iphone_os_version = _weighted(rng, _IPHONE_OS_VERSIONS, devices.ids.size)
    out = []
    for d, device_id in enumerate(devices.ids.tolist()):
        if devices.apple[d]:
            brand, model, build = "Apple", _APPLE_MODELS[devices.model[d]], 1
            if devices.iphone_os[d]:
                os_name, os_version = "iPhone OS", _IPHONE_OS_VERSIONS[iphone_os_version[d]][0]
            else:
                os_name, os_version = "iOS", _IOS_VERSIONS[devices.os_version[d]][0]
        else:
            (brand, model), build = _ANDROID_MODELS[devices.model[d]], 2
            os_name, os_version = "Android", _ANDROID_VERSIONS[devices.os_version[d]][0]
        head = (device_id, brand.encode(), model.encode(), os_name.encode(), os_version.encode())
        for version in (devices.app[d], devices.newest[d]):
            entry = _APP_VERSIONS[version]
            out.append(_CONTEXT_TEMPLATE % (*head, entry[0].encode(), entry[build].encode()))
    rows = np.empty(len(out), dtype=object)
    rows[:] = out
    return rows


# --- events ---------------------------------------------------------------------------------


@dataclass
class _Table:
    """Event lines as columns. ``kind`` is 0 for valid events, else 1 + index in BAD_KINDS."""

    eid: np.ndarray  # row of ``ids``
    time: np.ndarray  # epoch ms
    user: np.ndarray
    child: np.ndarray  # row of ``users.child_ids``
    device: np.ndarray
    activity: np.ndarray  # row of ``catalogue.ids``; -1 absent, -2 null
    source: np.ndarray
    duration: np.ndarray  # ms
    completed: np.ndarray
    collection: np.ndarray  # 0 for "", else 1 + row of ``catalogue.collections``
    loading: np.ndarray  # ms
    name: np.ndarray  # 0 activity_exit, else a wrong name
    kind: np.ndarray
    plain: np.ndarray  # regular play with no trait of its own (templates, shared ids)
    ids: np.ndarray  # S36 event ids
    day: np.ndarray | None = None
    key: np.ndarray | None = None

    _COLUMNS = (
        "eid", "time", "user", "child", "device", "activity", "source", "duration",
        "completed", "collection", "loading", "name", "kind", "plain", "day", "key",
    )  # fmt: skip

    def take(self, rows: np.ndarray) -> _Table:
        columns = {k: getattr(self, k) for k in self._COLUMNS}
        taken = {k: None if v is None else v[rows] for k, v in columns.items()}
        return _Table(ids=self.ids, **taken)

    @staticmethod
    def concat(parts: list[_Table]) -> _Table:
        columns = {k: np.concatenate([getattr(p, k) for p in parts]) for k in _Table._COLUMNS}
        return _Table(ids=parts[0].ids, **columns)

    def __len__(self) -> int:
        return int(self.time.size)


def _base_events(
    rng: np.random.Generator,
    plan: _Plan,
    users: _Users,
    devices: _Devices,
    catalogue: _Catalogue,
    period: _Period,
) -> tuple[_Table, dict[str, int]]:
    """The distinct events: regular play, plus the special valid ones a model must handle."""
    quirks: dict[str, int] = {}
    n = users.n
    recorded = np.arange(users.registered.size) < n
    start, end = period.start_ms, period.end_ms

    # Events at the instants where the subscription status changes (and at midnight).
    moments = (
        ("at_registration", users.registered),
        ("at_trial_start", np.where(users.has_trial, users.trial_start, -1)),
        ("at_trial_to_subscription", np.where(users.converted, users.subscription_start, -1)),
        (
            "at_trial_end_without_subscription",
            np.where(users.has_trial & ~users.converted, users.trial_end, -1),
        ),
        ("at_subscription_expire", np.where(users.converted, users.subscription_expire, -1)),
    )
    who, when = [], []
    for quirk, moment in moments:
        rows = _some(rng, recorded & (moment >= start) & (moment < end), BOUNDARY_PER_KIND)
        who.append(rows)
        when.append(moment[rows])
        quirks[quirk] = rows.size
    # 00:00:00.000 of a day inside the period, by users registered before it.
    midnights = start + DAY_MS * rng.integers(1, max(period.days, 2), BOUNDARY_PER_KIND)
    midnights = midnights[midnights < end]
    players = [_some(rng, recorded & (users.registered < m), 1) for m in midnights.tolist()]
    found = np.array([p.size > 0 for p in players], dtype=bool)
    who.append(np.array([p[0] for p in players if p.size], dtype=np.int64))
    when.append(midnights[found])
    quirks["at_midnight"] = int(found.sum())

    # Before registration (status unknown), and of users without a record.
    early = max(MIN_PER_KIND, round(plan.base * PRE_REGISTRATION_SHARE))
    eligible = np.flatnonzero(recorded & (users.registered >= start + PRE_REGISTRATION_MAX_MS))
    rows = eligible[rng.integers(0, eligible.size, early)] if eligible.size else eligible
    who.append(rows)
    when.append(
        users.registered[rows] - _between(rng, SECOND_MS, PRE_REGISTRATION_MAX_MS, rows.size)
    )
    quirks["before_registration"] = rows.size
    ghostly = max(MIN_PER_KIND, round(plan.base * NO_RECORD_SHARE))
    rows = n + np.arange(ghostly) % users.ghosts
    who.append(rows)
    when.append(_between(rng, start, end, ghostly))
    quirks["user_without_record"] = ghostly

    # Regular play: users by how much they play and how long they could play in the period.
    regular = plan.base - sum(w.size for w in who)
    active_from = _active_from(users, period)
    share = np.where(recorded, users.weight * (end - active_from), 0.0)
    rows = rng.choice(share.size, size=regular, p=share / share.sum())
    who.append(rows)
    when.append(_between(rng, active_from[rows], end, regular))

    user = np.concatenate(who).astype(np.int64)
    time = np.concatenate(when).astype(np.int64)
    size = user.size
    pick = rng.random(size)
    device = users.first_device[user] + np.where(
        pick < MAIN_DEVICE_SHARE, 0, rng.integers(0, users.devices[user])
    )
    child = users.first_child[user] + rng.integers(0, users.children[user])

    activity = catalogue.playable[rng.choice(catalogue.playable.size, size, p=catalogue.popularity)]
    plain = np.ones(size, dtype=bool)
    plain[: size - regular] = False  # keep the special events otherwise ordinary
    unknown = _flags(rng, plain, UNKNOWN_ACTIVITY_SHARE, MIN_PER_KIND)
    activity[unknown] = catalogue.known + rng.integers(
        0, len(catalogue.ids) - catalogue.known, int(unknown.sum())
    )
    quirks["unknown_activity"] = int(unknown.sum())

    kind = catalogue.kinds[activity]
    median_s = np.array([70.0, 110.0, 25.0, 180.0, 60.0])[kind]
    seconds = np.clip(rng.lognormal(np.log(median_s), 1.0), 0.05, 3 * 3600)
    duration = (seconds * SECOND_MS).astype(np.int64)
    zero = _flags(rng, plain & ~unknown, ZERO_DURATION_SHARE, MIN_PER_KIND)
    duration[zero] = 0
    quirks["zero_duration"] = int(zero.sum())
    six = _some(rng, plain & ~unknown & ~zero, BOUNDARY_PER_KIND)
    duration[six] = MAX_DURATION_MS
    quirks["duration_exactly_6h"] = six.size
    completed = (rng.random(size) < COMPLETED_SHARE) & (duration > 0)
    loading = (np.clip(rng.lognormal(np.log(0.9), 0.6, size), 0.0, 60.0) * SECOND_MS).astype(
        np.int64
    )
    loading[rng.random(size) < ZERO_LOADING_SHARE] = 0

    source = _weighted(rng, _SOURCES, size)
    in_collection = np.isin(source, [i for i, (s, _) in enumerate(_SOURCES) if s in _IN_COLLECTION])
    has_collection = in_collection | (rng.random(size) < STRAY_COLLECTION_SHARE)
    collection = np.where(
        has_collection, 1 + rng.integers(0, max(len(catalogue.collections), 1), size), 0
    )

    ids = _uuids(rng, plan.events)
    table = _Table(
        eid=np.arange(size, dtype=np.int64),
        time=time,
        user=user,
        child=child,
        device=device,
        activity=activity.astype(np.int64),
        source=source,
        duration=duration,
        completed=completed,
        collection=collection,
        loading=loading,
        name=np.zeros(size, dtype=np.int8),
        kind=np.zeros(size, dtype=np.int8),
        plain=plain & ~unknown & ~zero & ~np.isin(np.arange(size), six),
        ids=ids,
    )
    # Events in time order, so that nothing depends on how the parts were put together.
    return table.take(np.argsort(time, kind="stable")), quirks


def _iphone_os(rng: np.random.Generator, table: _Table, devices: _Devices) -> int:
    """Mark a few Apple devices that play as reporting ``iPhone OS``; returns their events."""
    used = np.zeros(devices.ids.size, dtype=bool)
    used[table.device] = True
    devices.iphone_os = _flags(rng, devices.apple & used, IPHONE_OS_SHARE, MIN_PER_KIND)
    devices.context = _context_rows(rng, devices)
    return int(np.count_nonzero(devices.iphone_os[table.device]))


def _shared_ids(rng: np.random.Generator, table: _Table, count: int) -> np.ndarray:
    """Give ``count`` events the event id of another event (different events, same id).

    Returns the rows of both events of every pair.
    """
    chosen = _some(rng, table.plain, 2 * count)
    table.eid[chosen[:count]] = table.eid[chosen[count:]]
    return np.sort(chosen)


def _late_days(rng: np.random.Generator, day: np.ndarray, days: int) -> np.ndarray:
    """Mostly the next day, sometimes two or three days later, never past the last file."""
    return np.minimum(day + 1 + rng.binomial(2, 0.25, day.size), days - 1)


def _any_time_of(rng: np.random.Generator, day: np.ndarray, period: _Period) -> np.ndarray:
    return period.start_ms + day * DAY_MS + rng.integers(0, DAY_MS, day.size)


def _deliver(rng: np.random.Generator, table: _Table, period: _Period) -> None:
    """File per event (its UTC day, or later for the late ones) and a lightly shuffled position."""
    n = len(table)
    day = np.clip((table.time - period.start_ms) // DAY_MS, 0, period.days - 1)
    key = table.time + rng.integers(0, SHUFFLE_WINDOW_MS, n)
    late = np.flatnonzero((rng.random(n) < LATE_SHARE) & (day < period.days - 1))
    day[late] = _late_days(rng, day[late], period.days)
    key[late] = _any_time_of(rng, day[late], period)
    table.day, table.key = day, key


def _redelivered(
    rng: np.random.Generator, table: _Table, shared: np.ndarray, count: int, period: _Period
) -> _Table:
    """Copies of ``count`` events (none sharing an id) delivered again in a later file."""
    eligible = np.ones(len(table), dtype=bool)
    eligible[shared] = False
    if period.days > 1:
        eligible &= table.day < period.days - 1
    chosen = np.sort(_some(rng, eligible, count))
    if chosen.size < count:  # tiny periods: any event, in the same file
        chosen = np.sort(_some(rng, np.ones(len(table), dtype=bool), count))
    copies = table.take(chosen)
    if period.days > 1:
        copies.day = _late_days(rng, copies.day, period.days)
    copies.key = _any_time_of(rng, copies.day, period)
    return copies


# --- bad records ----------------------------------------------------------------------------

_WRONG_NAMES = (b"activity_start", b"activity_enter", b"app_open", b"video_progress")
_NON_NUMERIC = (b'"abc"', b'"n/a"', b'"12.5s"', b'"fast"')
_BAD_TIMES = (
    b'"not-a-time"',
    b'"2021-02-30 12:00:00.000"',
    b'"yesterday"',
    b'""',
    b'"2021-01-15 25:61:00.000"',
    b'"31/01/2021 10:00"',
)
ACTIVITY_ABSENT, ACTIVITY_NULL = -1, -2


def _bad_events(
    rng: np.random.Generator,
    table: _Table,
    plan: _Plan,
    users: _Users,
    period: _Period,
) -> tuple[_Table, dict[tuple[int, str], bytes]]:
    """Copies of ordinary valid events with a fresh id, a moment later, and one defect each.

    Returns the rows and text overrides keyed by (row in the final table, field); the final
    table is base events, then copies, then these.
    """
    ordinary = table.plain & (table.time < period.end_ms - 11 * MINUTE_MS)
    counts = [plan.per_kind] * (len(BAD_KINDS) - 1) + [plan.malformed]
    templates = rng.choice(np.flatnonzero(ordinary), size=sum(counts), replace=True)
    bad = table.take(templates)
    bad.kind = np.repeat(np.arange(1, len(BAD_KINDS) + 1, dtype=np.int8), counts)
    bad.eid = plan.base + np.arange(len(bad), dtype=np.int64)
    bad.time = bad.time + _between(rng, SECOND_MS, 10 * MINUTE_MS, len(bad))
    bad.day = np.clip((bad.time - period.start_ms) // DAY_MS, 0, period.days - 1)
    bad.key = bad.time + rng.integers(0, SHUFFLE_WINDOW_MS, len(bad))

    offset = len(table) + plan.redelivered
    overrides: dict[tuple[int, str], bytes] = {}
    for i, kind in enumerate(BAD_KINDS):
        rows = np.flatnonzero(bad.kind == i + 1)
        for k, row in enumerate(rows.tolist()):
            at = offset + row
            if kind == "negative_duration":
                bad.duration[row] = -int(rng.integers(1, 600_000))
            elif kind == "non_numeric_duration":
                overrides[at, "duration"] = _NON_NUMERIC[k % len(_NON_NUMERIC)]
            elif kind == "duration_over_6h":
                # The first 1 ms over the limit, then alternately hours over it and days (< 6).
                if k == 0:
                    bad.duration[row] = MAX_DURATION_MS + 1
                elif k % 2:
                    bad.duration[row] = int(rng.integers(MAX_DURATION_MS + 1, DAY_MS))
                else:
                    bad.duration[row] = int(rng.integers(DAY_MS, 6 * DAY_MS))
            elif kind == "negative_loading_time":
                bad.loading[row] = -int(rng.integers(1, 5_000))
            elif kind == "missing_activity_id":
                bad.activity[row] = ACTIVITY_ABSENT if k % 2 == 0 else ACTIVITY_NULL
            elif kind == "unparseable_time":
                overrides[at, "occurred_at"] = _BAD_TIMES[k % len(_BAD_TIMES)]
            elif kind == "wrong_event_name":
                bad.name[row] = 1 + k % len(_WRONG_NAMES)
            elif kind == "child_not_in_user":
                user = int(bad.user[row])
                if k % 2 == 0:  # a child of no user at all
                    bad.child[row] = int(users.first_child[-1] + users.children[-1]) + k // 2
                else:  # a child of another user
                    other = (user + 1 + int(rng.integers(0, users.n - 1))) % users.n
                    bad.child[row] = int(users.first_child[other])
            elif kind == "malformed_json":
                overrides[at, "malformed"] = b"%d" % (k % 3)
    return bad, overrides


# --- formatting -----------------------------------------------------------------------------


class _Formatter:
    """Event lines from the table, one bytes template for all of them."""

    def __init__(
        self,
        table: _Table,
        users: _Users,
        devices: _Devices,
        catalogue: _Catalogue,
        overrides: dict[tuple[int, str], bytes],
    ) -> None:
        self.table, self.users, self.devices = table, users, devices
        pieces = [b'"activity_id": "%s", ' % a.encode() for a in catalogue.ids]
        # Negative rows: -2 (null) and -1 (absent) index from the end.
        self.activity = np.array([*pieces, b'"activity_id": null, ', b""], dtype=object)
        self.collection = np.array(
            [b"", *(c.encode() for c in catalogue.collections)], dtype=object
        )
        self.source = np.array([s.encode() for s, _ in _SOURCES], dtype=object)
        self.name = np.array([EVENT_NAME.encode(), *_WRONG_NAMES], dtype=object)
        self.completed = np.array([b"false", b"true"], dtype=object)
        self.overrides: dict[str, dict[int, bytes]] = {}
        for (row, column), text in overrides.items():
            self.overrides.setdefault(column, {})[row] = text

    def lines(self, rows: np.ndarray) -> list[bytes]:
        t = self.table
        device = t.device[rows]
        variant = (t.time[rows] >= self.devices.upgrade_at[device]).astype(np.int64)
        columns = {
            "event_id": t.ids[t.eid[rows]].tolist(),
            "name": self.name[t.name[rows]].tolist(),
            "occurred_at": _stamps(t.time[rows], quoted=True).tolist(),
            "user_id": self.users.ids[t.user[rows]].tolist(),
            "child_id": self.users.child_ids[t.child[rows]].tolist(),
            "activity": self.activity[t.activity[rows]].tolist(),
            "source": self.source[t.source[rows]].tolist(),
            "duration": _numbers(t.duration[rows]).tolist(),
            "completed": self.completed[t.completed[rows].astype(np.int8)].tolist(),
            "collection": self.collection[t.collection[rows]].tolist(),
            "loading": _numbers(t.loading[rows]).tolist(),
            "context": self.devices.context[2 * device + variant].tolist(),
        }
        position = {int(r): i for i, r in enumerate(rows.tolist())} if self.overrides else {}
        for column, texts in self.overrides.items():
            if column == "malformed":
                continue
            for row, text in texts.items():
                if row in position:
                    columns[column][position[row]] = text
        template = _EVENT_TEMPLATE
        lines = [template % values for values in zip(*columns.values(), strict=True)]
        for row, variant_text in self.overrides.get("malformed", {}).items():
            if row in position:
                i = position[row]
                lines[i] = _malformed(lines[i], int(variant_text), row)
        return lines


def _malformed(line: bytes, variant: int, row: int) -> bytes:
    """Invalid JSON: cut short in transfer, a Python literal, or a lost closing brace."""
    if variant == 0:
        return line[: len(line) // 2 + row % 97]
    if variant == 1:
        return line.replace(b'"completed": false', b'"completed": False').replace(
            b'"completed": true', b'"completed": True'
        )
    return line.replace(b'}, "context": ', b', "context": ', 1)


# --- users files ----------------------------------------------------------------------------


@dataclass
class _Deliveries:
    """User records per delivery day: (day, user) pairs, and how many users got new milestones."""

    day: np.ndarray
    user: np.ndarray
    null_style: np.ndarray
    renewed: int


def _user_deliveries(rng: np.random.Generator, users: _Users, period: _Period) -> _Deliveries:
    """A record when a user registers (the first file: everybody known by then), again when a
    trial or subscription starts, sometimes late, sometimes again unchanged."""
    n, last = users.n, period.days - 1

    def day_of(ms: np.ndarray) -> np.ndarray:
        return np.maximum((ms - period.start_ms) // DAY_MS, 0)

    first = day_of(users.registered[:n])
    # A few first records come a day or two late (never those the first file must hold).
    late = (rng.random(n) < LATE_USER_SHARE) & (first > 0)
    first = np.minimum(np.where(late, first + rng.integers(1, 3, n), first), last)
    days = [first]
    kinds = [np.zeros(n, dtype=np.int8)]
    for happened, at in (
        (users.has_trial[:n], users.trial_start[:n]),
        (users.converted[:n], users.subscription_start[:n]),
    ):
        days.append(np.where(happened & (at < period.end_ms), np.maximum(day_of(at), first), -1))
        kinds.append(np.ones(n, dtype=np.int8))
    again = rng.random(n) < UNCHANGED_AGAIN_SHARE
    days.append(np.where(again, first + rng.integers(1, 8, n), -1))
    kinds.append(np.zeros(n, dtype=np.int8))

    day = np.concatenate(days)
    user = np.tile(np.arange(n), len(days))
    keep = (day >= 0) & (day <= last)
    day, user = day[keep], user[keep]
    pairs = np.unique(day * n + user)  # one record per user and day
    day, user = pairs // n, pairs % n
    # Users delivered with a milestone on a later day than their first record.
    first_day = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first_day, user, day)
    later = day > first_day[user]
    new_trial = users.has_trial[user] & (day_of(users.trial_start[user]) == day)
    new_sub = users.converted[user] & (day_of(users.subscription_start[user]) == day)
    renewed = np.unique(user[later & (new_trial | new_sub)]).size
    return _Deliveries(day, user, rng.random(day.size) < NULL_STYLE_SHARE, renewed)


def _user_lines(
    rng: np.random.Generator, users: _Users, deliveries: _Deliveries, day: int, period: _Period
) -> list[bytes]:
    """The day's user records as they stand at the end of the day, in random order."""
    picked = np.flatnonzero(deliveries.day == day)
    picked = picked[rng.permutation(picked.size)]
    user = deliveries.user[picked]
    as_of = period.start_ms + (day + 1) * DAY_MS
    trial = users.has_trial[user] & (users.trial_start[user] < as_of)
    subscribed = users.converted[user] & (users.subscription_start[user] < as_of)
    stamps = [
        _stamps(users.registered[user], micros=True).tolist(),
        _stamps(users.trial_start[user], micros=True).tolist(),
        _stamps(users.trial_end[user], micros=True).tolist(),
        _stamps(users.subscription_start[user], micros=True).tolist(),
        _stamps(users.subscription_expire[user], micros=True).tolist(),
    ]
    ids = users.ids[user].tolist()
    countries = [_COUNTRIES[c][0].encode() for c in users.country[user].tolist()]
    lines = []
    for i, u in enumerate(user.tolist()):
        first = int(users.first_child[u])
        children = b'", "'.join(users.child_ids[first : first + int(users.children[u])].tolist())
        parts = [
            b'{"user_id": "%s", "children_ids": ["%s"], "country_code": "%s", '
            b'"registration_at": "%s"' % (ids[i], children, countries[i], stamps[0][i])
        ]
        reached = (trial[i], trial[i], subscribed[i], subscribed[i])
        for m, name in enumerate(_MILESTONES):
            if reached[m]:
                parts.append(b', "%s": "%s"' % (name.encode(), stamps[m + 1][i]))
            elif deliveries.null_style[picked[i]]:
                parts.append(b', "%s": null' % name.encode())
        parts.append(b"}")
        lines.append(b"".join(parts))
    return lines


__all__ = [
    "BAD_KINDS",
    "DEFAULT_DAYS",
    "DEFAULT_SEED",
    "DEFAULT_START",
    "MIN_EVENTS",
    "QUIRKS",
    "EngagementSample",
    "generate_engagement",
    "generate_engagement_sample",
]
