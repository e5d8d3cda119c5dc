"""Sample-data generator for the ``webshop`` domain (an online shop's operational tables).

Writes the daily extracts of the spec (``docs``: ``../shared/spec/webshop.md``): per table a
folder, per day a file ``<table>/YYYY-MM-DD.jsonl`` holding every row modified that day at its
state at the end of the day (intermediate states are never seen), one JSON object per line,
columns named as in the shop's schema:

- ``customer/``: ``id, created_at, modified_at, name, email, phone_number``;
- ``product/``: ``id, created_at, modified_at, name, description, EAN, price, discount_percent,
  brand_id, inventory, published``;
- ``order/``: ``id, created_at, modified_at, customer_id, status, customer_address_id``;
- ``orderitem/``: ``id, created_at, modified_at, order_id, product_id, quantity, price``;
- ``event/``: ``id, created_at, modified_at, type, event``: the tracker's clickstream;
- ``customeraddress/``: ``id, created_at, modified_at, customer_id, street, number, city,
  postal_code, country`` (one per customer, never changed; ingested raw, not modelled).

The first day's files are the initial load (every customer, address and product as it stands
then); a day no row of a table changed has no file of it. Timestamps are naive UTC text with
microseconds, prices numbers with two decimals.

The world: customers who change email and name (some saved with nothing changed), products whose
price and discount change, orders placed at a logged-in customer's ``placed_order`` event (same
moment, same customer, the session's cart adds as lines at the prices then) and moving through
``placed``, ``paid``, ``shipped``, ``delivered`` or ``cancelled`` over several days, some
delivered the day they were shipped (never seen ``shipped``), and order lines changed later.
The clickstream: logged-in customers and anonymous visitors (``customer-id`` null) browsing,
searching, visiting products, adding to and removing from carts around price changes, signing up
and ordering; ``event`` as an object or a JSON string holding it, some rows without
``created_at``/``modified_at`` (the shop's export shape), ids not in time order; gaps inside a
session just under and exactly 30 minutes, between sessions just over 30.

The delivery: an older customer version in a file after its newer one; some orders' first
version a day after their lines; the second day's files (and every 30th day after) delivered
again as ``YYYY-MM-DD-redelivered.jsonl``, the same lines in another order (a file of one line is
not); and a small share of every bad kind in ``BAD_KINDS`` in the five modelled tables (each bad
row has exactly one defect; ``KIND_TABLES`` says where).

The generator knows the truth: ``generate_webshop_sample(...)`` returns per order its
``placed_at``, the time the extracts first show it ``shipped`` and its last status, the logged-in
sessions, and counts of every quirk and bad kind (``bad``; ``bad_delivered`` counts the
re-delivered copies too, as the rejected-rows table does).

Everything is drawn from one seeded ``numpy.random.Generator``: the same arguments give
byte-identical files. The committed sample ``data/landing/webshop/`` is exactly

    python -m event_assets.generate webshop --events 2000 --out data/landing/webshop \\
        --seed 14 --start 2022-04-20 --days 5

(the seed, start and days are the defaults).

The parts: ``plan`` (sizes and shares), ``world`` (customers, products), ``sessions`` (the
clickstream), ``orders``, ``history`` (histories and the daily extract of them), ``tables``
(the rows of each file), ``faults`` (the bad rows), ``delivery`` (late rows, order in a file,
re-delivered days), ``texts`` and ``files`` (the lines), ``truth``, ``generator`` (the run) and
``cli`` (the subcommand of ``python -m event_assets.generate``).
"""

from event_assets.generate.webshop.cli import DESCRIPTION, HELP, add_arguments, run
from event_assets.generate.webshop.faults import BAD_KINDS, KIND_TABLES, REASONS
from event_assets.generate.webshop.generator import (
    DEFAULT_DAYS,
    DEFAULT_SEED,
    DEFAULT_START,
    MIN_EVENTS,
    REDELIVERED_SUFFIX,
    WebshopSample,
    generate_webshop,
    generate_webshop_sample,
)
from event_assets.generate.webshop.orders import STATUSES
from event_assets.generate.webshop.sessions import TYPES
from event_assets.generate.webshop.tables import TABLES
from event_assets.generate.webshop.truth import OrderTruth

__all__ = [
    "BAD_KINDS",
    "DEFAULT_DAYS",
    "DEFAULT_SEED",
    "DEFAULT_START",
    "DESCRIPTION",
    "HELP",
    "KIND_TABLES",
    "MIN_EVENTS",
    "REASONS",
    "REDELIVERED_SUFFIX",
    "STATUSES",
    "TABLES",
    "TYPES",
    "OrderTruth",
    "WebshopSample",
    "add_arguments",
    "generate_webshop",
    "generate_webshop_sample",
    "run",
]
