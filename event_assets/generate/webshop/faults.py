"""The bad rows of a ``webshop`` sample: copies of valid rows with exactly one defect each.

``BAD_KINDS`` are the defects, each the rejection reason the pipeline gives it (``REASONS``);
the domain's rejected-rows model declares exactly these (plus ``invalid_encoding``, which core
ingestion gives), which ``check_reasons`` verifies before anything is written. ``KIND_TABLES``
says which tables get each kind; every such pair gets ``BAD_SHARE`` of the table's rows, at least
a few. A copy keeps its template's file (day) and comes a moment after it; an order line or an
event gets a fresh id. Defects of a value are made in the columns; a line that is no JSON object
or has no id is spoiled when written (``spoil``).
"""

from __future__ import annotations

import re

import numpy as np

from event_assets.generate import kit
from event_assets.generate.webshop import plan as p
from event_assets.generate.webshop.orders import STATUSES
from event_assets.generate.webshop.plan import DAY_US, MIN_PER_KIND, SECOND_US, US_PER_MS
from event_assets.generate.webshop.tables import MODELLED_TABLES, Table
from event_assets.generate.webshop.world import DISCOUNTS

BAD_KINDS = (
    "malformed_json",
    "missing_id",
    "unparseable_time",
    "negative_quantity",
    "negative_price",
    "discount_out_of_range",
    "unknown_status",
    "missing_order",
    "missing_product",
)
REASONS: dict[str, str] = {kind: kind for kind in BAD_KINDS}
KIND_TABLES: dict[str, tuple[str, ...]] = {
    "malformed_json": MODELLED_TABLES,
    "missing_id": MODELLED_TABLES,
    # An event's ``event.timestamp``, another row's ``modified_at``.
    "unparseable_time": ("customer", "product", "order", "event"),
    "negative_quantity": ("orderitem",),
    "negative_price": ("product", "orderitem"),
    "discount_out_of_range": ("product",),
    "unknown_status": ("order",),
    # An order line whose order (product) never arrives.
    "missing_order": ("orderitem",),
    "missing_product": ("orderitem",),
}
BAD_TIMES = (b"not a time", b"2022-04-31 10:00:00.000000", b"", b"yesterday",
             b"2022-04-22 25:61:00.000000", b"22/04/2022 10:00")  # fmt: skip
BAD_DISCOUNTS = (-5.0, 120.0, 150.0, -10.0)
UNKNOWN_STATUSES = ("refunded", "on_hold", "returned", "PENDING")
_ID = re.compile(rb'^\{"id": -?\d+, ')
_SHIFT_US = (SECOND_US, 10 * p.MINUTE_US)


def check_reasons() -> None:
    """ValueError unless the domain's rejected-rows model declares every reason made here."""
    kit.check_declared("webshop", REASONS.values())


def bad_count(kind: str, rows: int) -> int:
    """Bad rows of ``kind`` for a table of ``rows`` valid rows."""
    least = MIN_PER_KIND if len(KIND_TABLES[kind]) == 1 else 2
    return max(least, round(rows * p.BAD_SHARE))


def bad_events(events: int) -> int:
    """The bad lines among ``events`` event lines."""
    return sum(bad_count(k, events) for k, tables in KIND_TABLES.items() if "event" in tables)


def add_bad_rows(
    rng: np.random.Generator, tables: dict[str, Table], events: int, period: kit.Run
) -> dict[str, int]:
    """Append every table's bad rows (the event table's sized by ``events``); count per kind."""
    valid = {name: np.flatnonzero(table.valid) for name, table in tables.items()}
    made = dict.fromkeys(BAD_KINDS, 0)
    next_line_id = int(tables["orderitem"].columns["id"].max(initial=0)) + 1
    never_order = int(tables["order"].columns["id"].max(initial=0)) + 1_000
    never_product = int(tables["product"].columns["id"].max(initial=0)) + 1_000
    start = period.start_ms * US_PER_MS
    for code, kind in enumerate(BAD_KINDS, start=1):
        for name in KIND_TABLES[kind]:
            size = events if name == "event" else valid[name].size
            count = bad_count(kind, size) if valid[name].size else 0
            bad = tables[name].take(rng.choice(valid[name], count))
            bad.bad[:] = code
            c = bad.columns
            variant = rng.integers(0, 1_000, count)
            shift = kit.between(rng, *_SHIFT_US, count)
            c["variant"] = variant
            if name == "event":
                c["time"] = c["time"] + shift
                c["created"] = c["created"] + shift
            else:  # a moment later, the same day
                day_end = start + (bad.day + 1) * DAY_US - 1
                modified = c["modified"]
                c["modified"] = np.minimum(modified + shift, np.maximum(day_end, modified))
            if name == "orderitem":
                c["id"] = next_line_id + np.arange(count)
                next_line_id += count
            if kind == "unparseable_time":
                c["garbage"] = variant % len(BAD_TIMES)
            elif kind == "negative_quantity":
                c["quantity"] = -(1 + variant % 3)
            elif kind == "negative_price":
                c["price"] = -c["price"]
            elif kind == "discount_out_of_range":
                c["discount"] = len(DISCOUNTS) + variant % len(BAD_DISCOUNTS)
            elif kind == "unknown_status":
                c["status"] = len(STATUSES) + variant % len(UNKNOWN_STATUSES)
            elif kind == "missing_order":
                c["order_id"] = never_order + np.arange(count)
                never_order += count
            elif kind == "missing_product":
                c["product_id"] = never_product + np.arange(count)
                never_product += count
            tables[name].extend(bad)
            made[kind] += count
    return made


def spoil(line: bytes, kind: str, variant: int) -> bytes:
    """The written line with the defect of ``kind`` (value defects are in it already)."""
    if kind == "missing_id":
        return _ID.sub(b"{", line, count=1)
    if kind == "malformed_json":
        if variant % 3 == 0:  # cut short in transfer
            return line[: len(line) // 2 + variant % 20]
        if variant % 3 == 1:  # the closing brace lost
            return line[:-1]
        return line.replace(b'": ', b'" ', 1)  # a colon lost
    return line
