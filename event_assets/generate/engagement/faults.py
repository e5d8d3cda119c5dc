"""The bad ``engagement`` events: copies of ordinary valid events with exactly one defect each.

``BAD_KINDS`` are the defects, in the order they draw from the generator; ``REASONS`` maps each
to the rejection reason the pipeline gives it (``None``: the event is kept and flagged). Those
reasons must be ones the domain declares in its dbt YAML, which ``bad_events`` checks first.
"""

from __future__ import annotations

import numpy as np

from event_assets.generate import kit
from event_assets.generate.engagement.events import Table
from event_assets.generate.engagement.plan import DELIVERY, MAX_DURATION_MS, Plan
from event_assets.generate.engagement.users import Users
from event_assets.generate.kit import DAY_MS, MINUTE_MS, SECOND_MS

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
# Kinds named otherwise than the reason the pipeline rejects them for; a child the user's record
# does not list is no rejection: the event is kept and flagged.
_RENAMED: dict[str, str | None] = {
    "duration_over_6h": "duration_too_long",
    "wrong_event_name": "invalid_event_name",
    "child_not_in_user": None,
}
REASONS: dict[str, str | None] = {kind: _RENAMED.get(kind, kind) for kind in BAD_KINDS}

WRONG_NAMES = (b"activity_start", b"activity_enter", b"app_open", b"video_progress")
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


def bad_events(
    rng: np.random.Generator,
    table: Table,
    plan: Plan,
    users: Users,
    period: kit.Run,
) -> tuple[Table, dict[tuple[int, str], bytes]]:
    """Copies of ordinary valid events with a fresh id, a moment later, and one defect each.

    Returns the rows and text overrides keyed by (row in the final table, field); the final
    table is base events, then copies, then these.
    """
    kit.check_declared("engagement", [r for r in REASONS.values() if r is not None])
    ordinary = table.plain & (table.time < period.end_ms - 11 * MINUTE_MS)
    counts = [plan.per_kind] * (len(BAD_KINDS) - 1) + [plan.malformed]
    templates = rng.choice(np.flatnonzero(ordinary), size=sum(counts), replace=True)
    bad = table.take(templates)
    bad.kind = np.repeat(np.arange(1, len(BAD_KINDS) + 1, dtype=np.int8), counts)
    bad.eid = plan.base + np.arange(len(bad), dtype=np.int64)
    bad.time = bad.time + kit.between(rng, SECOND_MS, 10 * MINUTE_MS, len(bad))
    # Bad lines are never late.
    bad.day, bad.key = DELIVERY.place(rng, bad.time, period, late=False)

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
                bad.name[row] = 1 + k % len(WRONG_NAMES)
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


def malformed(line: bytes, variant: int, row: int) -> bytes:
    """Invalid JSON: cut short in transfer, a Python literal, or a lost closing brace."""
    if variant == 0:
        return line[: len(line) // 2 + row % 97]
    if variant == 1:
        return line.replace(b'"completed": false', b'"completed": False').replace(
            b'"completed": true', b'"completed": True'
        )
    return line.replace(b'}, "context": ', b', "context": ', 1)
