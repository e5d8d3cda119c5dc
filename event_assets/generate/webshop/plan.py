"""How much of what a ``webshop`` sample holds: the sizes that scale with ``events``, the shares
of every quirk, and the time constants (the shop's clock ticks in microseconds).

At ``--events 10000000 --days 90``: about 200 k customers, 5 k products, 340 k orders with about
1 M order versions in the extracts. However small the sample, every bad kind appears at least
``MIN_PER_KIND`` times and every quirk at least once (when the period has room for it: quirks are
drawn at least ``MIN_PER_KIND`` times, but the daily extract hides some, such as a change undone
the same day).
"""

from __future__ import annotations

from dataclasses import dataclass

from event_assets.generate.kit import DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS

# The shop's timestamps have microseconds: every time here is epoch microseconds.
US_PER_MS = 1_000
SECOND_US = SECOND_MS * US_PER_MS
MINUTE_US = MINUTE_MS * US_PER_MS
HOUR_US = HOUR_MS * US_PER_MS
DAY_US = DAY_MS * US_PER_MS

MIN_PER_KIND = 3

# Sizes per event.
CUSTOMERS_PER_EVENT = 0.02
MIN_CUSTOMERS = 60
PRODUCTS_PER_EVENT = 0.0005
MIN_PRODUCTS = 40
LOGGED_IN_SHARE = 0.45  # of the valid events, those of logged-in customers

# Customers: most registered before the period (all of them in the first file), some sign up in
# it; some change email or name during it, some are saved without a change.
NEW_CUSTOMER_SHARE = 0.12
REGISTERED_BEFORE_DAYS = 700
CHANGES_PER_CUSTOMER = 0.35  # email or name changes in the period, per customer
TOUCHED_SHARE = 0.03  # customers saved once in the period with nothing changed
LATE_OLDER_VERSION_SHARE = 0.01  # of customers with two versions: the older arrives later

# Products: price and discount changes (and restocks) in the period.
CHANGES_PER_PRODUCT = 1.2
UNPUBLISHED_SHARE = 0.05

# Sessions: browsing events per session (1 + geometric), order sessions of logged-in customers,
# abandoned carts.
BROWSE_EVENTS_MEAN = 5.0
ORDER_SESSION_SHARE = 0.6
ABANDONED_CART_SHARE = 0.3
ABANDONED_REMOVED_SHARE = 0.3
QUANTITY_ABSENT_SHARE = 0.5  # of cart events with quantity 1: the key left out (default 1)
EVENT_GAP_US = (2 * SECOND_US, 4 * MINUTE_US)
# Gaps around the 30-minute session rule: inside a session just under 30 minutes and exactly
# 30 minutes (still the same session: a new one starts after *more* than 30 minutes), between
# two sessions of a customer just over 30 minutes.
SESSION_TIMEOUT_US = 30 * MINUTE_US
NEAR_TIMEOUT_US = 10 * SECOND_US
JUST_UNDER_SHARE = 0.01
EXACTLY_SHARE = 0.002
JUST_OVER_SHARE = 0.03
PRICE_CHANGE_IN_CART_SHARE = 0.01  # order sessions with a price change between add and order

# Orders: paid or cancelled, shipped, delivered over several days; some delivered the day they
# were shipped (the extract never sees ``shipped``).
CANCELLED_UNPAID_SHARE = 0.05
CANCELLED_PAID_SHARE = 0.04
SAME_DAY_DELIVERY_SHARE = 0.06
PAY_DELAY_US = (MINUTE_US, 3 * HOUR_US)
CANCEL_DELAY_US = (10 * MINUTE_US, DAY_US)
SHIP_DELAY_US = (3 * HOUR_US, 3 * DAY_US)
DELIVERY_DELAY_US = (DAY_US, 4 * DAY_US)
LINE_UPDATE_SHARE = 0.02  # order lines whose quantity is changed later (a second version)
ORDER_AFTER_LINES_SHARE = 0.005  # orders whose first version comes a day after their lines

# Event rows: the tracker writes a row this long after the event's timestamp; some rows come
# in the shop's export shape (no created_at / modified_at); ``event`` sometimes a JSON string.
WRITE_DELAY_US = (0, 2 * SECOND_US)
WITHOUT_ROW_TIMES_SHARE = 0.2
EVENT_AS_STRING_SHARE = 0.3

# Bad rows: this share of each table's rows per bad kind the table can have.
BAD_SHARE = 0.002
# A re-delivered day every this many days (the second day first).
REDELIVERY_EVERY_DAYS = 30


@dataclass(frozen=True)
class Plan:
    """The sizes of a sample of ``events`` event lines over ``days`` days."""

    events: int
    days: int
    customers: int
    new_customers: int
    products: int
    logged_in_events: int  # aimed at; the anonymous visitors' events fill up to ``events``

    @classmethod
    def for_events(cls, events: int, days: int) -> Plan:
        customers = max(MIN_CUSTOMERS, round(events * CUSTOMERS_PER_EVENT))
        return cls(
            events=events,
            days=days,
            customers=customers,
            new_customers=max(MIN_PER_KIND, round(customers * NEW_CUSTOMER_SHARE)),
            products=max(MIN_PRODUCTS, round(events * PRODUCTS_PER_EVENT)),
            logged_in_events=round(events * LOGGED_IN_SHARE),
        )
