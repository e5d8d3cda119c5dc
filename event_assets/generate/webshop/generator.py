"""A ``webshop`` sample from start to end: world, clickstream, orders, extracts, faults, files."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Unpack

import numpy as np

from event_assets.generate import kit
from event_assets.generate.webshop import delivery, faults
from event_assets.generate.webshop.files import Formatter
from event_assets.generate.webshop.orders import draw_orders, price_changes_in_carts
from event_assets.generate.webshop.plan import Plan
from event_assets.generate.webshop.sessions import customer_sessions, visitor_sessions
from event_assets.generate.webshop.tables import (
    TABLES,
    address_table,
    customer_table,
    event_table,
    order_table,
    orderitem_table,
    product_table,
)
from event_assets.generate.webshop.truth import (
    OrderTruth,
    order_truth,
    session_gaps,
    table_quirks,
)
from event_assets.generate.webshop.world import draw_customers, draw_products

DEFAULTS = kit.Defaults(seed=14, start=date(2022, 4, 20), days=5, min_events=1_000)
DEFAULT_SEED, DEFAULT_START, DEFAULT_DAYS, MIN_EVENTS = DEFAULTS
REDELIVERED_SUFFIX = "-redelivered"


@dataclass
class WebshopSample:
    """What one generator run wrote, and the truth of it, for the CLI, tests and benchmarks."""

    files: list[Path]  # every file written, the re-delivered ones too
    redelivered_files: list[Path]
    lines_per_file: dict[Path, int]
    bytes_per_file: dict[Path, int]
    rows: dict[str, int]  # per table: lines in its daily files (not counting re-deliveries)
    customers: int
    products: int
    orders: dict[int, OrderTruth]  # order id -> its truth
    sessions: int  # of logged-in customers, by the 30-minute rule
    quirks: dict[str, int] = field(default_factory=dict)
    bad: dict[str, int] = field(default_factory=dict)  # bad rows per kind (before re-delivery)
    bad_delivered: dict[str, int] = field(default_factory=dict)  # bad lines, re-deliveries too

    @property
    def events(self) -> int:
        return self.rows["event"]


def generate_webshop_sample(
    out_dir: Path, events: int, **options: Unpack[kit.Options]
) -> WebshopSample:
    """Write the daily extracts of the shop's tables with ``events`` event lines in all;
    say what was written and what is true of it.

    The options are ``seed``, ``start`` (the first day) and ``days``, ``DEFAULT_*`` if not given.
    """
    period = kit.Run.checked(out_dir, events, options, DEFAULTS)
    if not 1972 <= period.start.year <= 9000:
        raise ValueError(f"start must lie between 1972 and 9000 (got {period.start})")
    faults.check_reasons()
    rng = period.rng()
    plan = Plan.for_events(events, period.days)

    customers = draw_customers(rng, plan, period)
    products = draw_products(rng, plan, period)
    logged_in = customer_sessions(
        rng, customers, products.popularity, plan.logged_in_events, period
    )
    budget = events - faults.bad_events(events) - len(logged_in.events)
    if budget < 1:
        raise ValueError(f"events must be more to hold the sample (got {events:,})")
    visitors = visitor_sessions(rng, products.popularity, budget, period)
    in_carts = price_changes_in_carts(rng, logged_in, products)
    orders = draw_orders(rng, logged_in, products, period)
    addresses = 1 + rng.permutation(customers.n)
    tables = {
        "customer": customer_table(customers, period),
        "product": product_table(products, period),
        "order": order_table(orders, addresses, period),
        "orderitem": orderitem_table(orders, period),
        "event": event_table(rng, [logged_in, visitors], period),
    }
    bad = faults.add_bad_rows(rng, tables, events, period)
    tables["customeraddress"] = address_table(rng, customers, addresses, period)
    event_ids = tables["event"].columns["id"]
    event_ids[:] = 1 + rng.permutation(event_ids.size)  # not in time order
    late = {
        "customer_older_version_after_newer": delivery.older_customer_versions_later(
            rng, tables["customer"], period.days
        ),
        "orders_after_their_lines": delivery.orders_after_their_lines(
            rng, tables["order"], period.days
        ),
    }

    formatter = Formatter(rng, customers, products)
    again = delivery.redelivered_days(period.days)
    lines_per_file: dict[Path, int] = {}
    bytes_per_file: dict[Path, int] = {}
    redelivered: list[Path] = []
    again_bad: Counter[int] = Counter()
    for name in TABLES:
        table = tables[name]
        order = delivery.in_file_order(rng, table)
        bounds = np.searchsorted(table.day[order], np.arange(period.days + 1))
        for day in range(period.days):
            rows = order[bounds[day] : bounds[day + 1]]
            if not rows.size:
                continue  # no row changed that day: no file
            lines = formatter.lines(table, rows)
            path = period.file(out_dir / name, "", day)
            lines_per_file[path], bytes_per_file[path] = kit.write_lines(path, lines)
            # Delivered again: the same lines in another order (so other bytes, which a file
            # of one line cannot have: it is not delivered again).
            if day in again and len(lines) > 1:
                path = out_dir / name / f"{path.stem}{REDELIVERED_SUFFIX}.jsonl"
                lines = delivery.reordered(rng, lines)
                again_bad.update(table.bad[rows].tolist())
                lines_per_file[path], bytes_per_file[path] = kit.write_lines(path, lines)
                redelivered.append(path)

    quirks = {
        **table_quirks(tables),
        **session_gaps(logged_in),
        "price_changes_in_cart_sessions": in_carts,
        **late,
        "redelivered_files": len(redelivered),
    }
    files = list(lines_per_file)
    return WebshopSample(
        files=files,
        redelivered_files=redelivered,
        lines_per_file=lines_per_file,
        bytes_per_file=bytes_per_file,
        rows={
            name: sum(
                lines_per_file[f] for f in files if f.parent.name == name and f not in redelivered
            )
            for name in TABLES
        },
        customers=customers.n,
        products=products.n,
        orders=order_truth(tables["order"]),
        sessions=int(logged_in.customer.size),
        quirks=quirks,
        bad=bad,
        bad_delivered={kind: n + again_bad[code] for code, (kind, n) in enumerate(bad.items(), 1)},
    )


generate_webshop = kit.files_only(generate_webshop_sample)
