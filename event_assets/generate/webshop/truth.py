"""What a ``webshop`` sample truly holds, measured on the rows as written (valid rows only).

Per order: when it was placed, the ``modified_at`` of the first version the extracts show it
``shipped`` (none when no extract saw it so: delivered the day it shipped, cancelled, or not yet
shipped by the end), and its last status seen. And counts of the quirks a model must handle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from event_assets.generate.webshop.orders import CANCELLED, DELIVERED, SHIPPED, STATUSES
from event_assets.generate.webshop.plan import NEAR_TIMEOUT_US, SESSION_TIMEOUT_US
from event_assets.generate.webshop.sessions import ADD, REMOVE, SIGN_UP, Sessions
from event_assets.generate.webshop.tables import Table

_EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True)
class OrderTruth:
    placed_at: datetime  # created_at: the moment of its placed_order event
    shipped_at: datetime | None  # modified_at of the first version seen with status shipped
    status: str  # of its latest version


def _moment(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


def _by_id(table: Table) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Valid rows sorted by id then ``modified_at``; whether each is its id's first or last."""
    rows = np.flatnonzero(table.valid)
    ids = table.columns["id"][rows]
    rows = rows[np.lexsort((table.columns["modified"][rows], ids))]
    ids = table.columns["id"][rows]
    first = np.r_[True, ids[1:] != ids[:-1]] if ids.size else np.zeros(0, dtype=bool)
    return rows, first, np.r_[first[1:], True] if ids.size else first


def order_truth(orders: Table) -> dict[int, OrderTruth]:
    c = orders.columns
    rows, _, last = _by_id(orders)
    shipped: dict[int, int] = {}
    is_shipped = c["status"][rows] == SHIPPED
    for order, at in zip(
        c["id"][rows[is_shipped]].tolist(), c["modified"][rows[is_shipped]].tolist(), strict=True
    ):
        shipped.setdefault(order, at)  # the rows are in time order: the first one stays
    latest = rows[last]
    return {
        order: OrderTruth(
            _moment(placed), _moment(shipped[order]) if order in shipped else None, STATUSES[status]
        )
        for order, placed, status in zip(
            c["id"][latest].tolist(),
            c["created"][latest].tolist(),
            c["status"][latest].tolist(),
            strict=True,
        )
    }


def _changed(table: Table, column: str) -> int:
    """Versions whose ``column`` differs from the entity's previous version."""
    rows, first, _ = _by_id(table)
    values = table.columns[column][rows]
    return int(np.count_nonzero(~first[1:] & (values[1:] != values[:-1])))


def _unchanged(table: Table, columns: tuple[str, ...]) -> int:
    """Versions with every one of ``columns`` as in the entity's previous version."""
    rows, first, _ = _by_id(table)
    same = ~first[1:]
    for column in columns:
        values = table.columns[column][rows]
        same &= values[1:] == values[:-1]
    return int(np.count_nonzero(same))


def table_quirks(tables: dict[str, Table]) -> dict[str, int]:
    customer, product, order, item, event = (
        tables[n] for n in ("customer", "product", "order", "orderitem", "event")
    )
    rows, _, last = _by_id(order)
    ids, status = order.columns["id"][rows], order.columns["status"][rows]
    files_per_order = np.unique(
        np.unique(np.c_[ids, order.day[rows]], axis=0)[:, 0], return_counts=True
    )[1]
    delivered = np.unique(ids[status == DELIVERED])
    ever_shipped = np.unique(ids[status == SHIPPED])
    _, item_first, _ = _by_id(item)
    e = event.columns
    valid = event.valid
    cart = valid & np.isin(e["type"], (ADD, REMOVE))
    return {
        "customer_email_changes": _changed(customer, "email"),
        "customer_name_changes": _changed(customer, "name"),
        "customer_versions_unchanged": _unchanged(customer, ("name", "email")),
        "product_price_changes": _changed(product, "price"),
        "product_discount_changes": _changed(product, "discount"),
        "orders_in_several_files": int(np.count_nonzero(files_per_order > 1)),
        "orders_delivered_never_seen_shipped": int(np.setdiff1d(delivered, ever_shipped).size),
        "orders_cancelled": int(np.count_nonzero(status[last] == CANCELLED)),
        "order_lines_changed": int(np.count_nonzero(~item_first)),
        "events_as_string": int(np.count_nonzero(valid & e["as_string"])),
        "events_without_row_times": int(np.count_nonzero(valid & ~e["row_times"])),
        "visitor_events": int(np.count_nonzero(valid & (e["customer"] < 0))),
        "cart_events_without_quantity": int(np.count_nonzero(cart & (e["quantity"] == 0))),
        "sign_ups": int(np.count_nonzero(valid & (e["type"] == SIGN_UP))),
    }


def session_gaps(sessions: Sessions) -> dict[str, int]:
    """Gaps between a customer's consecutive events near the 30 minutes of the session rule."""
    e = sessions.events
    customer = sessions.customer[e.session]
    order = np.lexsort((e.time, customer))
    same = customer[order][1:] == customer[order][:-1]
    gap = np.diff(e.time[order])[same]
    return {
        "session_gaps_just_under_30_min": int(
            np.count_nonzero(
                (gap < SESSION_TIMEOUT_US) & (gap >= SESSION_TIMEOUT_US - NEAR_TIMEOUT_US)
            )
        ),
        "session_gaps_exactly_30_min": int(np.count_nonzero(gap == SESSION_TIMEOUT_US)),
        "session_gaps_just_over_30_min": int(
            np.count_nonzero(
                (gap > SESSION_TIMEOUT_US) & (gap <= SESSION_TIMEOUT_US + NEAR_TIMEOUT_US)
            )
        ),
    }
