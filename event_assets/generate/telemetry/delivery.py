"""How the sync events reach the files: duplicates written later, and the day file of each line.

A duplicate is an item written again (Twilio re-sends the update): a later ``DateCreated``, a
new ``EventId`` and revision, a re-stamped ``timestamp``, and for some readings a different
state, so that only "the earliest wins" gives the right answer. A few lines come in a later
day's file; some of them Commands, whose hub lines then arrive first.
"""

from __future__ import annotations

import numpy as np

from event_assets.generate import kit
from event_assets.generate.kit import DAY_MS
from event_assets.generate.telemetry import plan as p
from event_assets.generate.telemetry.rows import KEY, Rows

# A re-sent reading of these keys sometimes reports the other state.
_FLIPS = {
    KEY["Switch"]: (b'"value": "On"', b'"value": "Off"'),
    KEY["DoorLocked"]: (b'"state": "true"', b'"state": "false"'),
}
FLIP_SHARE = 0.5


def duplicates(rng: np.random.Generator, valid: Rows, n: int) -> Rows:
    """``n`` later copies of valid lines that disagree with their originals."""
    copies = valid.take(np.sort(kit.some(rng, np.ones(len(valid), dtype=bool), n)))
    later = kit.between(rng, *p.DUPLICATE_DELAY_MS, len(copies))
    copies.time = copies.time + later
    copies.stamp = copies.stamp + later
    copies.duplicate = np.ones(len(copies), dtype=bool)
    flip = rng.random(len(copies)) < FLIP_SHARE
    data = copies.data.copy()
    for row in np.flatnonzero(flip & np.isin(copies.key, list(_FLIPS))).tolist():
        one, other = _FLIPS[int(copies.key[row])]
        text = data[row]
        data[row] = text.replace(one, other) if one in text else text.replace(other, one)
    copies.data = data
    return copies


def deliver(rng: np.random.Generator, rows: Rows, period: kit.Run) -> int:
    """Set every line's file (day) and place in it; returns how many Commands come late."""
    day, order = p.DELIVERY.place(rng, rows.time, period)
    on_time = np.clip((rows.time - period.start_ms) // DAY_MS, 0, period.days - 1)
    command = (rows.key == KEY["Command"]) & (rows.bad == 0) & ~rows.duplicate
    # At least a few Commands after their hub's lines (a later file), when there is a later file.
    short = p.MIN_PER_KIND - int(np.count_nonzero(command & (day > on_time)))
    if short > 0:
        extra = kit.some(rng, command & (day == on_time) & (day < period.days - 1), short)
        day[extra] = kit.late_days(rng, day[extra], period.days)
        order[extra] = kit.any_time_of(rng, day[extra], period.start_ms)
    rows.day, rows.order = day, order
    return int(np.count_nonzero(command & (day > on_time)))
