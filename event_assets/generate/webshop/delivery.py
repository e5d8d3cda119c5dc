"""How the extracts reach the landing folder: rows that come late, the order of the lines in a
file, and the days whose files are delivered twice.

Two kinds of row come late: an older version of a customer, in a file after the one holding its
next version; and an order's first version, a day after the file holding its lines (which are
then judged again when it arrives). Inside a file the rows are in no particular order (but the
first few are valid).
"""

from __future__ import annotations

import numpy as np

from event_assets.generate import kit
from event_assets.generate.webshop import plan as p
from event_assets.generate.webshop.history import group_starts
from event_assets.generate.webshop.plan import MIN_PER_KIND
from event_assets.generate.webshop.tables import Table

LEADING_VALID = 3


def _versions_by_id(table: Table) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The valid rows sorted by id then time, their ids and their days."""
    rows = np.flatnonzero(table.valid)
    ids = table.columns["id"][rows]
    rows = rows[np.lexsort((table.columns["modified"][rows], ids))]
    return rows, table.columns["id"][rows], table.day[rows]


def older_customer_versions_later(rng: np.random.Generator, customers: Table, days: int) -> int:
    """Move some customers' older version to the file after their next version's file."""
    rows, ids, day = _versions_by_id(customers)
    has_next = np.r_[ids[1:] == ids[:-1], False]
    next_day = np.r_[day[1:], 0]
    eligible = has_next & (next_day > day) & (next_day <= days - 2)
    chosen = kit.pick(rng, eligible, p.LATE_OLDER_VERSION_SHARE, MIN_PER_KIND, group=ids)
    customers.day[rows[chosen]] = next_day[chosen] + 1
    return int(chosen.size)


def orders_after_their_lines(rng: np.random.Generator, orders: Table, days: int) -> int:
    """Move some orders' first version to the next day's file (their lines stay)."""
    rows, ids, day = _versions_by_id(orders)
    first = np.r_[True, ids[1:] != ids[:-1]] if ids.size else np.zeros(0, dtype=bool)
    chosen = kit.pick(rng, first & (day <= days - 2), p.ORDER_AFTER_LINES_SHARE, MIN_PER_KIND)
    orders.day[rows[chosen]] += 1
    return int(chosen.size)


def in_file_order(rng: np.random.Generator, table: Table) -> np.ndarray:
    """The rows by file (day), in random order inside each file but for the first
    ``LEADING_VALID`` lines, which are valid rows: the shared landing-fault tests copy a file's
    first records under other names and expect the domain to accept them."""
    key = rng.random(len(table))
    valid = np.flatnonzero(table.valid)
    valid = valid[np.lexsort((key[valid], table.day[valid]))]
    rank = np.arange(valid.size) - group_starts(table.day[valid])
    key[valid[rank < LEADING_VALID]] -= 1.0
    return np.lexsort((key, table.day))


def redelivered_days(days: int) -> list[int]:
    """The days whose files come twice: the second day, and one every 30 days after it."""
    return list(range(1, days, p.REDELIVERY_EVERY_DAYS)) if days > 1 else [0]


def reordered(rng: np.random.Generator, lines: list[bytes]) -> list[bytes]:
    """The lines in a random order other than theirs (of two or more lines)."""
    order = rng.permutation(len(lines))
    if (order == np.arange(len(lines))).all():
        order = order[::-1]
    return [lines[i] for i in order.tolist()]
