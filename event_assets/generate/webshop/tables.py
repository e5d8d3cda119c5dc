"""The rows of the five tables as the daily extract delivers them, before they are written.

A ``Table`` holds a table's rows as columns, the file (day) each row goes to and whether it is
bad (0, else 1 + its index in ``faults.BAD_KINDS``). The operational tables are the end-of-day
versions of their histories (``history.end_of_day_versions``); the event table is the
clickstream, a row per event, in the file of the day the tracker wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from event_assets.generate import kit
from event_assets.generate.webshop import plan as p
from event_assets.generate.webshop import texts
from event_assets.generate.webshop.history import end_of_day_versions
from event_assets.generate.webshop.orders import Orders
from event_assets.generate.webshop.plan import DAY_US, US_PER_MS
from event_assets.generate.webshop.sessions import Sessions
from event_assets.generate.webshop.world import Customers, Products

# The modelled tables, then the one ingested raw only (an order's address points at it).
MODELLED_TABLES = ("customer", "product", "order", "orderitem", "event")
TABLES = (*MODELLED_TABLES, "customeraddress")


@dataclass
class Table:
    name: str
    columns: dict[str, np.ndarray]
    day: np.ndarray
    bad: np.ndarray

    def __len__(self) -> int:
        return int(self.day.size)

    def take(self, rows: np.ndarray) -> Table:
        columns = {name: values[rows] for name, values in self.columns.items()}
        return Table(self.name, columns, self.day[rows], self.bad[rows])

    def extend(self, other: Table) -> None:
        for name in self.columns:
            self.columns[name] = np.concatenate([self.columns[name], other.columns[name]])
        self.day = np.concatenate([self.day, other.day])
        self.bad = np.concatenate([self.bad, other.bad])

    @property
    def valid(self) -> np.ndarray:
        return self.bad == 0


def _table(table: str, day: np.ndarray, /, **columns: np.ndarray) -> Table:
    n = day.size
    columns["garbage"] = np.full(n, -1, dtype=np.int64)  # a bad time's text (faults.BAD_TIMES)
    columns["variant"] = np.zeros(n, dtype=np.int64)  # which way a bad row is spoiled
    return Table(table, columns, day.astype(np.int64), np.zeros(n, dtype=np.int8))


def _bounds(period: kit.Run) -> tuple[int, int]:
    return period.start_ms * US_PER_MS, period.end_ms * US_PER_MS


def customer_table(customers: Customers, period: kit.Run) -> Table:
    fields = {"name": customers.name, "email": customers.email}
    v = end_of_day_versions(customers.entity, customers.time, fields, *_bounds(period))
    return _table(
        "customer",
        v.day,
        id=v.entity + 1,
        created=customers.created[v.entity],
        modified=v.modified,
        name=v.fields["name"],
        email=v.fields["email"],
        phone=v.entity,
    )


def product_table(products: Products, period: kit.Run) -> Table:
    fields = {
        "price": products.price,
        "discount": products.discount,
        "inventory": products.inventory,
    }
    v = end_of_day_versions(products.entity, products.time, fields, *_bounds(period))
    return _table(
        "product",
        v.day,
        id=v.entity + 1,
        created=products.created[v.entity],
        modified=v.modified,
        price=v.fields["price"],
        discount=v.fields["discount"],
        inventory=v.fields["inventory"],
    )


def order_table(orders: Orders, addresses: np.ndarray, period: kit.Run) -> Table:
    v = end_of_day_versions(
        orders.status_order, orders.status_time, {"status": orders.status}, *_bounds(period)
    )
    customer = orders.customer[v.entity]
    return _table(
        "order",
        v.day,
        id=v.entity + 1,
        created=orders.placed[v.entity],
        modified=v.modified,
        customer_id=customer + 1,
        status=v.fields["status"],
        address=addresses[customer],
    )


def orderitem_table(orders: Orders, period: kit.Run) -> Table:
    v = end_of_day_versions(
        orders.line_entity, orders.line_time, {"quantity": orders.line_quantity}, *_bounds(period)
    )
    return _table(
        "orderitem",
        v.day,
        id=v.entity + 1,
        created=orders.line_created[v.entity],
        modified=v.modified,
        order_id=orders.line_order[v.entity] + 1,
        product_id=orders.line_product[v.entity] + 1,
        quantity=v.fields["quantity"],
        price=orders.line_price[v.entity],
    )


def address_table(
    rng: np.random.Generator, customers: Customers, addresses: np.ndarray, period: kit.Run
) -> Table:
    """Every customer's address, saved just after the customer (the first file: all of them
    known then); never changed."""
    start, end = _bounds(period)
    created = customers.created + kit.between(rng, US_PER_MS, p.SECOND_US, customers.n)
    seen = np.flatnonzero(created < end)
    created = created[seen]
    n = seen.size
    return _table("customeraddress", np.maximum((created - start) // DAY_US, 0),
                  id=addresses[seen], created=created, modified=created, customer_id=seen + 1,
                  street=rng.integers(0, len(texts.STREETS), n), number=rng.integers(1, 300, n),
                  city=rng.integers(0, len(texts.CITIES), n),
                  postal_code=rng.integers(1000, 10_000, n),
                  letters=rng.integers(0, 26 * 26, n))  # fmt: skip


def event_table(rng: np.random.Generator, parts: list[Sessions], period: kit.Run) -> Table:
    """The events of the sessions in the files of the days the tracker wrote them (ids are
    given later)."""
    start, _ = _bounds(period)
    columns: dict[str, list[np.ndarray]] = {}
    for sessions in parts:
        e, s = sessions.events, sessions.events.session
        for name, values in (
            ("time", e.time),
            ("type", e.type),
            ("customer", sessions.customer[s]),
            ("user_agent", sessions.user_agent[s]),
            ("ip", sessions.ip[s]),
            ("product", e.product),
            ("quantity", e.quantity),
            ("page", e.page),
            ("referrer", e.referrer),
            ("detail", e.detail),
        ):
            columns.setdefault(name, []).append(values)
    merged = {name: np.concatenate(values) for name, values in columns.items()}
    n = merged["time"].size
    written = merged["time"] + kit.between(rng, *p.WRITE_DELAY_US, n)
    day = np.minimum((written - start) // DAY_US, period.days - 1)
    return _table(
        "event",
        day,
        id=np.zeros(n, dtype=np.int64),
        created=written,
        **merged,
        row_times=rng.random(n) >= p.WITHOUT_ROW_TIMES_SHARE,
        as_string=rng.random(n) < p.EVENT_AS_STRING_SHARE,
    )
