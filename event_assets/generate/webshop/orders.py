"""Orders and their lines, from the ``placed_order`` events of the clickstream.

An order is placed at its session's ``placed_order`` event (same moment, same customer); its
lines are the products that session added as lines, at the product's list price in force then.
Its status then moves over the following days: paid (or cancelled unpaid), shipped (or
cancelled after paying), delivered; some are delivered the day they are shipped, so no daily
extract ever sees them ``shipped``. A few lines get a new quantity later (a second version).
Order and line ids are serial in order of placing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from event_assets.generate import kit
from event_assets.generate.webshop import plan as p
from event_assets.generate.webshop.history import UNSET, state_at
from event_assets.generate.webshop.plan import DAY_US, MIN_PER_KIND, US_PER_MS
from event_assets.generate.webshop.sessions import ADD, PLACED, Sessions
from event_assets.generate.webshop.world import Products

STATUSES = ("placed", "paid", "shipped", "delivered", "cancelled")
PLACED_STATUS, PAID, SHIPPED, DELIVERED, CANCELLED = range(len(STATUSES))


@dataclass
class Orders:
    customer: np.ndarray  # per order (row = id - 1): the customer's row
    placed: np.ndarray  # epoch us: created_at, the placed_order event's timestamp
    # Status history: the order's row, when, the new status.
    status_order: np.ndarray
    status_time: np.ndarray
    status: np.ndarray
    # Lines (row = id - 1) and their history (creation, then quantity changes).
    line_order: np.ndarray
    line_product: np.ndarray
    line_price: np.ndarray  # cents
    line_created: np.ndarray
    line_entity: np.ndarray
    line_time: np.ndarray
    line_quantity: np.ndarray

    @property
    def n(self) -> int:
        return int(self.placed.size)


def draw_orders(
    rng: np.random.Generator, sessions: Sessions, products: Products, period: kit.Run
) -> Orders:
    events = sessions.events
    placing = np.flatnonzero(events.type == PLACED)
    placing = placing[np.argsort(events.time[placing], kind="stable")]
    placed = events.time[placing]
    order_of_session = np.full(sessions.customer.size, -1)
    order_of_session[events.session[placing]] = np.arange(placing.size)
    lines = np.flatnonzero(events.line)
    line_order = order_of_session[events.session[lines]]
    lines = lines[np.lexsort((lines, line_order))]
    line_order = order_of_session[events.session[lines]]
    line_product = events.product[lines]
    line_created = placed[line_order] + kit.between(rng, US_PER_MS, 50 * US_PER_MS, lines.size)
    price = state_at(
        products.entity, products.time, products.price, line_product, placed[line_order]
    )
    quantity = np.maximum(events.quantity[lines], 1).astype(np.int64)
    # Quantities changed one to two days later, before the end (so a later extract sees it).
    end = period.end_ms * US_PER_MS
    room = line_created < end - DAY_US - p.HOUR_US
    updated = np.flatnonzero(kit.flags(rng, room, p.LINE_UPDATE_SHARE, MIN_PER_KIND))
    created = line_created[updated]
    update_at = kit.between(
        rng, created + DAY_US, np.minimum(created + 2 * DAY_US, end), updated.size
    )
    status_order, status_time, status = _statuses(rng, placed, period)
    return Orders(
        customer=sessions.customer[events.session[placing]],
        placed=placed,
        status_order=status_order,
        status_time=status_time,
        status=status,
        line_order=line_order,
        line_product=line_product,
        line_price=price,
        line_created=line_created,
        line_entity=np.concatenate([np.arange(lines.size), updated]),
        line_time=np.concatenate([line_created, update_at]),
        line_quantity=np.concatenate([quantity, quantity[updated] + 1]),
    )


def _statuses(rng: np.random.Generator, placed: np.ndarray, period: kit.Run):
    """The status history of every order: (order, time, status) rows, placing first."""
    n, start = placed.size, period.start_ms * US_PER_MS
    unpaid = rng.random(n) < p.CANCELLED_UNPAID_SHARE
    paid = np.where(unpaid, UNSET, placed + kit.between(rng, *p.PAY_DELAY_US, n))
    cancelled_paid = ~unpaid & (rng.random(n) < p.CANCELLED_PAID_SHARE)
    cancel_delay = kit.between(rng, *p.CANCEL_DELAY_US, n)
    cancelled = np.where(
        unpaid, placed + cancel_delay, np.where(cancelled_paid, paid + cancel_delay, UNSET)
    )
    ships = ~unpaid & ~cancelled_paid
    shipped = np.where(ships, paid + kit.between(rng, *p.SHIP_DELAY_US, n), UNSET)
    # Some are delivered before the end of the day they were shipped on.
    same_day = kit.flags(
        rng, ships & (shipped < period.end_ms * US_PER_MS), p.SAME_DAY_DELIVERY_SHARE, MIN_PER_KIND
    )
    day_end = start + ((shipped - start) // DAY_US + 1) * DAY_US
    later_that_day = shipped + 1 + (rng.random(n) * 0.9 * (day_end - shipped - 1)).astype(np.int64)
    delivered = np.where(
        same_day, later_that_day, shipped + kit.between(rng, *p.DELIVERY_DELAY_US, n)
    )
    delivered = np.where(ships, delivered, UNSET)
    times = (placed, paid, shipped, delivered, cancelled)
    order = np.concatenate([np.arange(n)] * len(times))
    time = np.concatenate(times)
    status = np.repeat(np.arange(len(times)), n)
    happened = time != UNSET
    return order[happened], time[happened], status[happened]


def price_changes_in_carts(rng: np.random.Generator, sessions: Sessions, products: Products) -> int:
    """Change the price of a product in the cart of some order sessions, between its add (and
    maybe its removal) and the ``placed_order``; returns how many."""
    events = sessions.events
    placed_at = np.full(sessions.customer.size, -1, dtype=np.int64)
    placing = events.type == PLACED
    placed_at[events.session[placing]] = events.time[placing]
    adds = (events.type == ADD) & (placed_at[events.session] >= 0)
    chosen = kit.pick(rng, adds, p.PRICE_CHANGE_IN_CART_SHARE, MIN_PER_KIND, group=events.session)
    added_at = events.time[chosen]
    at = added_at + (placed_at[events.session[chosen]] - added_at) // 2
    product = events.product[chosen]
    now = state_at(products.entity, products.time, products.price, product, at)
    factor = np.array([0.8, 0.9, 1.1, 1.25])[rng.integers(0, 4, chosen.size)]
    products.change_prices(product, at, np.maximum(1, np.round(now * factor)).astype(np.int64))
    return int(chosen.size)
