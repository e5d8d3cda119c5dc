"""The clickstream: sessions of logged-in customers and anonymous visitors, and their events.

A session is a run of events with gaps of seconds to minutes; a few gaps are just under 30
minutes or exactly 30 (still one session: a new one starts after *more* than 30 minutes).
Between two sessions of a customer lie more than 30 minutes, a few times only just. A session
browses (page views, searches, product visits), may put products in the cart and take some out
again, and half of the logged-in ones end in ``placed_order`` (the order's lines are the
products added as lines). A customer who signs up during the period starts with
``sign_up_success``. Events are laid out per session by a random sort key (cart removals after
their add, ``placed_order`` last), then timed by running sums of the gaps.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from event_assets.generate import kit
from event_assets.generate.webshop import plan as p
from event_assets.generate.webshop.history import group_starts, grouped_cumsum
from event_assets.generate.webshop.plan import MIN_PER_KIND, SECOND_US, SESSION_TIMEOUT_US
from event_assets.generate.webshop.texts import USER_AGENTS

TYPES = ("page_view", "search", "visit_related_product", "visit_recently_visited_product",
         "visit_personal_recommendation", "add_product_to_cart", "remove_product_from_cart",
         "sign_up_success", "placed_order")  # fmt: skip
PAGE_VIEW, SEARCH, VISIT_RELATED, VISIT_RECENT, VISIT_PERSONAL, ADD, REMOVE, SIGN_UP, PLACED = (
    range(len(TYPES))
)
_BROWSING = ((PAGE_VIEW, 0.55), (SEARCH, 0.12), (VISIT_RELATED, 0.12), (VISIT_RECENT, 0.08),
             (VISIT_PERSONAL, 0.13))  # fmt: skip
_QUANTITIES = ((1, 0.75), (2, 0.18), (3, 0.07))
# Pages: the home page, the cart, 20 categories, a product's page.
HOME, CART, CATEGORIES, PRODUCT_PAGE = 0, 1, 20, 22
_PAGES = ((HOME, 0.15), (CART, 0.1), (2, 0.45), (PRODUCT_PAGE, 0.3))
REFERRERS = 3  # external sites a page view may come from
REFERRER_SHARE = 0.15
QUERIES = 400  # distinct search queries (drawn in ``files``)
POSITIONS = 8  # recommendation slots
LINES_MEAN = 1 + 3 * 0.3
EXTRAS_MEAN = 2 * 0.25  # products put in the cart of an order session and taken out again


def mean_events(ordering_share: float) -> float:
    """The mean number of events of a session."""
    abandoned = p.ABANDONED_CART_SHARE * 1.5 * (1 + p.ABANDONED_REMOVED_SHARE)
    ordered = LINES_MEAN + 2 * EXTRAS_MEAN + 1
    return p.BROWSE_EVENTS_MEAN + ordering_share * ordered + (1 - ordering_share) * abandoned


@dataclass
class Events:
    """Events sorted by session then time."""

    session: np.ndarray
    time: np.ndarray  # epoch us (first: the offset in the session)
    type: np.ndarray  # index into TYPES
    product: np.ndarray  # -1 when none
    quantity: np.ndarray  # 0: the key is absent (1)
    line: np.ndarray  # bool: an add that becomes an order line
    page: np.ndarray  # page view: HOME, CART, 2..21 (a category) or PRODUCT_PAGE
    referrer: np.ndarray  # page view: -1 or an external site
    detail: np.ndarray  # search: the query; product visits: the position

    def __len__(self) -> int:
        return int(self.session.size)

    def take(self, rows: np.ndarray) -> Events:
        return Events(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})


@dataclass
class Sessions:
    customer: np.ndarray  # row of the customer, -1 for an anonymous visitor
    start: np.ndarray
    user_agent: np.ndarray
    ip: np.ndarray  # uint32
    events: Events


def _lay_out(rng, n_browse, lines, extras, sign_up, ordering, popularity) -> Events:
    """The events of sessions in their order with gaps in ``time`` (offsets from the start).

    Per session: ``n_browse`` browsing events, ``lines`` products added that its order will
    hold, ``extras`` products added that it will not (an order session takes them all out
    again, another some), ``sign_up_success`` first, ``placed_order`` last.
    """
    sessions = np.arange(n_browse.size)
    browse = np.repeat(sessions, n_browse)
    added = np.concatenate([np.repeat(sessions, lines), np.repeat(sessions, extras)])
    is_line = np.arange(added.size) < lines.sum()
    add_key = rng.random(added.size)
    add_product = rng.choice(popularity.size, added.size, p=popularity)
    add_quantity = np.array([q for q, _ in _QUANTITIES])[kit.weighted(rng, _QUANTITIES, added.size)]
    out_again = ~is_line & (ordering[added] | (rng.random(added.size) < p.ABANDONED_REMOVED_SHARE))
    taken_out = np.flatnonzero(out_again)  # the adds taken out again, each after its add
    remove_key = add_key[taken_out] + rng.random(taken_out.size) * (1 - add_key[taken_out])
    signing, placing = np.flatnonzero(sign_up), np.flatnonzero(ordering)
    browse_type = np.array([t for t, _ in _BROWSING])[kit.weighted(rng, _BROWSING, browse.size)]
    single = signing.size + placing.size

    session = np.concatenate([browse, added, added[taken_out], signing, placing])
    key = np.concatenate([rng.random(browse.size), add_key, remove_key,
                          np.full(signing.size, -1.0), np.full(placing.size, 2.0)])  # fmt: skip
    event_type = np.concatenate([browse_type, np.full(added.size, ADD),
                                 np.full(taken_out.size, REMOVE), np.full(signing.size, SIGN_UP),
                                 np.full(placing.size, PLACED)]).astype(np.int8)  # fmt: skip
    product = np.concatenate([np.full(browse.size, -1), add_product, add_product[taken_out],
                              np.full(single, -1)])  # fmt: skip
    quantity = np.concatenate([np.zeros(browse.size), add_quantity, add_quantity[taken_out],
                               np.zeros(single)]).astype(np.int8)  # fmt: skip
    absent = (quantity == 1) & (rng.random(quantity.size) < p.QUANTITY_ABSENT_SHARE)
    quantity[absent] = 0
    line = np.zeros(session.size, dtype=bool)
    line[browse.size : browse.size + added.size] = is_line
    order = np.lexsort((key, session))
    events = Events(
        session=session[order],
        time=np.zeros(session.size, dtype=np.int64),
        type=event_type[order],
        product=product[order].astype(np.int64),
        quantity=quantity[order],
        line=line[order],
        page=np.zeros(session.size, dtype=np.int8),
        referrer=np.full(session.size, -1, dtype=np.int8),
        detail=np.zeros(session.size, dtype=np.int16),
    )
    first = (
        np.r_[True, events.session[1:] != events.session[:-1]] if len(events) else np.zeros(0, bool)
    )
    gap = kit.between(rng, *p.EVENT_GAP_US, len(events))
    gap[first] = 0
    events.time = gap
    _browse_details(rng, events, popularity)
    return events


def _browse_details(rng: np.random.Generator, events: Events, popularity: np.ndarray) -> None:
    """Pages, referrers, queries, positions and visited products of the browsing events."""
    n = len(events)
    page = np.array([v for v, _ in _PAGES])[kit.weighted(rng, _PAGES, n)]
    page = np.where(page == 2, 2 + rng.integers(0, CATEGORIES, n), page)
    referrer = np.where(rng.random(n) < REFERRER_SHARE, rng.integers(0, REFERRERS, n), -1)
    visited = rng.choice(popularity.size, n, p=popularity)
    is_view = events.type == PAGE_VIEW
    is_visit = np.isin(events.type, (VISIT_RELATED, VISIT_RECENT, VISIT_PERSONAL))
    events.page[is_view] = page[is_view]
    events.referrer[is_view] = referrer[is_view]
    shows_product = is_visit | (is_view & (events.page == PRODUCT_PAGE))
    events.product[shows_product] = visited[shows_product]
    events.detail[is_visit] = rng.integers(1, POSITIONS + 1, int(is_visit.sum()))
    searching = events.type == SEARCH
    events.detail[searching] = rng.integers(0, QUERIES, int(searching.sum()))


def _session_shapes(rng: np.random.Generator, ordering: np.ndarray):
    n = ordering.size
    n_browse = rng.geometric(1 / p.BROWSE_EVENTS_MEAN, n)
    lines = np.where(ordering, 1 + rng.binomial(3, 0.3, n), 0)
    abandoned = (rng.random(n) < p.ABANDONED_CART_SHARE) * (1 + rng.binomial(1, 0.5, n))
    extras = np.where(ordering, rng.binomial(2, 0.25, n), abandoned)
    return n_browse, lines, extras


def customer_sessions(rng, customers, popularity, target: int, period: kit.Run) -> Sessions:
    """Sessions of the customers, about ``target`` events in all, each customer's one after the
    other with more than 30 minutes between; sessions not over by the end are left out."""
    start, end = period.start_ms * 1000, period.end_ms * 1000
    since = np.maximum(customers.created, start)
    share = (end - since) / (end - start)
    rate = target / (mean_events(p.ORDER_SESSION_SHARE) * share.sum())
    signs_up = customers.created >= start
    count = np.maximum(rng.poisson(rate * share), signs_up)
    customer = np.repeat(np.arange(customers.n), count)
    index = np.arange(customer.size) - group_starts(customer)
    ordering = rng.random(customer.size) < p.ORDER_SESSION_SHARE
    sign_up = signs_up[customer] & (index == 0)
    events = _lay_out(rng, *_session_shapes(rng, ordering), sign_up, ordering, popularity)
    # Gaps inside sessions near the 30 minutes (not before the first event of a session).
    later = events.time > 0
    under = kit.flags(rng, later, p.JUST_UNDER_SHARE, MIN_PER_KIND)
    events.time[under] = SESSION_TIMEOUT_US - kit.between(rng, 1, p.NEAR_TIMEOUT_US, under.sum())
    exactly = kit.flags(rng, later & ~under, p.EXACTLY_SHARE, MIN_PER_KIND)
    events.time[exactly] = SESSION_TIMEOUT_US
    events.time = grouped_cumsum(events.time, events.session)
    duration = np.zeros(customer.size, dtype=np.int64)
    np.maximum.at(duration, events.session, events.time)
    # Between sessions: more than 30 minutes, often hours or days, a few times only just.
    mean_gap = (end - since[customer]) / (count[customer] + 1)
    gap = SESSION_TIMEOUT_US + 1 + rng.exponential(mean_gap).astype(np.int64)
    over = kit.flags(rng, index < count[customer] - 1, p.JUST_OVER_SHARE, MIN_PER_KIND)
    gap[over] = SESSION_TIMEOUT_US + kit.between(rng, 1, p.NEAR_TIMEOUT_US, over.sum())
    first_start = np.where(
        signs_up, customers.created, since + (rng.random(customers.n) * (end - since) / (count + 1))
    )
    session_start = first_start[customer].astype(np.int64) + grouped_cumsum(
        duration + gap, customer, exclusive=True
    )
    kept = session_start + duration < end
    return _sessions(
        rng, customer, session_start, kept, events, rng.integers(0, len(USER_AGENTS), customers.n)
    )


def visitor_sessions(rng, popularity, budget: int, period: kit.Run) -> Sessions:
    """Sessions of anonymous visitors with exactly ``budget`` events, anywhere in the period."""
    start, end = period.start_ms * 1000, period.end_ms * 1000
    n = int(budget / mean_events(0.0) * 1.3) + 20
    ordering = np.zeros(n, dtype=bool)
    n_browse, lines, extras = _session_shapes(rng, ordering)
    sizes = n_browse + extras  # at least (some added products are removed again)
    taken = int(np.searchsorted(np.cumsum(sizes), budget)) + 1
    if taken > n:
        raise ValueError(f"events must be more to hold the sample (got {budget:,} for visitors)")
    events = _lay_out(
        rng,
        n_browse[:taken],
        lines[:taken],
        extras[:taken],
        np.zeros(taken, dtype=bool),
        ordering[:taken],
        popularity,
    )
    if len(events) < budget:
        raise ValueError(f"visitor sessions hold {len(events):,} events, not {budget:,}")
    events = events.take(np.arange(budget))  # the last session cut short
    events.time = grouped_cumsum(events.time, events.session)
    duration = np.zeros(taken, dtype=np.int64)
    np.maximum.at(duration, events.session, events.time)
    room = np.maximum(end - start - duration - SECOND_US, 1)
    session_start = start + (rng.random(taken) * room).astype(np.int64)
    kept = np.zeros(taken, dtype=bool)
    kept[np.unique(events.session)] = True
    ua = rng.integers(0, len(USER_AGENTS), taken)
    return _sessions(rng, np.full(taken, -1), session_start, kept, events, ua, per_session=True)


def _sessions(rng, customer, start, kept, events, ua, per_session: bool = False) -> Sessions:
    """The kept sessions, renumbered, their events timed."""
    renumber = np.cumsum(kept) - 1
    mine = kept[events.session]
    events = events.take(np.flatnonzero(mine))
    events.time = events.time + start[events.session]
    events.session = renumber[events.session]
    owner = customer[kept]
    agent = ua[kept] if per_session else ua[np.maximum(owner, 0)]
    ip = rng.integers(1 << 24, 224 << 24, owner.size, dtype=np.int64).astype(np.uint32)
    return Sessions(owner, start[kept], agent, ip, events)
