"""The lines of the ``engagement`` files: events from the table, and the daily user records.

Events are formatted per file with one bytes template (no ``json.dumps`` per event) in the real
samples' style: Python's default ``", "``/``": "`` separators, times as
``YYYY-MM-DD HH:MM:SS.fff``, seconds as Python writes a float rounded to milliseconds. A user
record comes when the user registers (the first file: everybody known by then) and again when a
trial or subscription starts; milestones not reached are absent, sometimes null.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from event_assets.generate import kit
from event_assets.generate.engagement.catalogue import Catalogue
from event_assets.generate.engagement.devices import Devices
from event_assets.generate.engagement.events import SOURCES, Table
from event_assets.generate.engagement.faults import WRONG_NAMES, malformed
from event_assets.generate.engagement.users import COUNTRIES, Users
from event_assets.generate.kit import DAY_MS, SECOND_MS

EVENT_NAME = "activity_exit"
# User files: records written with explicit nulls, first records a day or two late, and users
# re-delivered unchanged.
NULL_STYLE_SHARE = 0.10
LATE_USER_SHARE = 0.02
UNCHANGED_AGAIN_SHARE = 0.02

_EVENT_TEMPLATE = (
    b'{"event_id": "%s", "name": "%s", "occurred_at": %s, "user_id": "%s", "child_id": "%s", '
    b'"data": {%s"source": "%s", "duration": %s, "completed": %s, "collection_id": "%s", '
    b'"loading_time": %s}, "context": %s}'
)
MILESTONES = ("trial_start_at", "trial_end_at", "subscription_start_at", "subscription_expire_at")
# Number text after the decimal point, as Python writes a float rounded to milliseconds.
_FRACTIONS = np.array([("." + (f"{f:03d}".rstrip("0") or "0")).encode() for f in range(1000)])


def _stamps(ms: np.ndarray, micros: bool = False, quoted: bool = False) -> np.ndarray:
    """``YYYY-MM-DD HH:MM:SS.fff`` (or ``.ffffff``, the last three digits 0) of epoch ms."""
    return kit.as_strings(kit.time_matrix(ms, micros=micros, quote=quoted))


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


class Formatter:
    """Event lines from the table, one bytes template for all of them."""

    def __init__(
        self,
        table: Table,
        users: Users,
        devices: Devices,
        catalogue: Catalogue,
        overrides: dict[tuple[int, str], bytes],
    ) -> None:
        self.table, self.users, self.devices = table, users, devices
        pieces = [b'"activity_id": "%s", ' % a.encode() for a in catalogue.ids]
        # Negative rows: -2 (null) and -1 (absent) index from the end.
        self.activity = np.array([*pieces, b'"activity_id": null, ', b""], dtype=object)
        self.collection = np.array(
            [b"", *(c.encode() for c in catalogue.collections)], dtype=object
        )
        self.source = np.array([s.encode() for s, _ in SOURCES], dtype=object)
        self.name = np.array([EVENT_NAME.encode(), *WRONG_NAMES], dtype=object)
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
                lines[i] = malformed(lines[i], int(variant_text), row)
        return lines


@dataclass
class Deliveries:
    """User records per delivery day: (day, user) pairs, and how many users got new milestones."""

    day: np.ndarray
    user: np.ndarray
    null_style: np.ndarray
    renewed: int


def user_deliveries(rng: np.random.Generator, users: Users, period: kit.Run) -> Deliveries:
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
    return Deliveries(day, user, rng.random(day.size) < NULL_STYLE_SHARE, renewed)


def user_lines(
    rng: np.random.Generator, users: Users, deliveries: Deliveries, day: int, period: kit.Run
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
    countries = [COUNTRIES[c][0].encode() for c in users.country[user].tolist()]
    lines = []
    for i, u in enumerate(user.tolist()):
        first = int(users.first_child[u])
        children = b'", "'.join(users.child_ids[first : first + int(users.children[u])].tolist())
        parts = [
            b'{"user_id": "%s", "children_ids": ["%s"], "country_code": "%s", '
            b'"registration_at": "%s"' % (ids[i], children, countries[i], stamps[0][i])
        ]
        reached = (trial[i], trial[i], subscribed[i], subscribed[i])
        for m, name in enumerate(MILESTONES):
            if reached[m]:
                parts.append(b', "%s": "%s"' % (name.encode(), stamps[m + 1][i]))
            elif deliveries.null_style[picked[i]]:
                parts.append(b', "%s": null' % name.encode())
        parts.append(b"}")
        lines.append(b"".join(parts))
    return lines
