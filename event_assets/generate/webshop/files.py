"""The lines of the ``webshop`` files: one JSON object per row, in the shop's export style.

Rows are written with one bytes template per table (no ``json.dumps`` per row) in Python's
default style (``", "`` and ``": "``), the columns named as in the shop's schema, timestamps as
``YYYY-MM-DD HH:MM:SS.ffffff``, prices with two decimals. An event's ``event`` is the tracker's
object (hyphenated keys, ``timestamp`` with a ``T``), or, for a share of rows, a JSON string
holding it; some event rows lack ``created_at`` / ``modified_at`` as the shop's JSON export does.
"""

from __future__ import annotations

import numpy as np

from event_assets.generate.webshop import texts
from event_assets.generate.webshop.faults import (
    BAD_DISCOUNTS,
    BAD_KINDS,
    BAD_TIMES,
    UNKNOWN_STATUSES,
    spoil,
)
from event_assets.generate.webshop.history import stamps
from event_assets.generate.webshop.orders import STATUSES
from event_assets.generate.webshop.sessions import (
    CART,
    HOME,
    PRODUCT_PAGE,
    QUERIES,
    TYPES,
)
from event_assets.generate.webshop.sessions import (
    PAGE_VIEW as _PAGE_VIEW,
)
from event_assets.generate.webshop.tables import Table
from event_assets.generate.webshop.world import DISCOUNTS, Customers, Products

_CUSTOMER = (b'{"id": %d, "created_at": "%s", "modified_at": "%s", "name": "%s", "email": "%s", '
             b'"phone_number": "%s"}')  # fmt: skip
_PRODUCT = (b'{"id": %d, "created_at": "%s", "modified_at": "%s", "name": "%s", '
            b'"description": "%s", "EAN": "%s", "price": %s%d.%02d, "discount_percent": %s, '
            b'"brand_id": %d, "inventory": %d, "published": %s}')  # fmt: skip
_ORDER = (b'{"id": %d, "created_at": "%s", "modified_at": "%s", "customer_id": %d, '
          b'"status": "%s", "customer_address_id": %d}')  # fmt: skip
_ORDERITEM = (b'{"id": %d, "created_at": "%s", "modified_at": "%s", "order_id": %d, '
              b'"product_id": %d, "quantity": %d, "price": %s%d.%02d}')  # fmt: skip
_ADDRESS = (b'{"id": %d, "created_at": "%s", "modified_at": "%s", "customer_id": %d, '
            b'"street": "%s", "number": "%d", "city": "%s", "postal_code": "%d %c%c", '
            b'"country": "%s"}')  # fmt: skip
_EVENT_WITH_TIMES = (b'{"id": %d, "created_at": "%s", "modified_at": "%s", "type": "%s", '
                     b'"event": %s}')  # fmt: skip
_EVENT = b'{"id": %d, "type": "%s", "event": %s}'
_PAYLOAD = (b'{"user-agent": "%s", "ip": "%d.%d.%d.%d", "customer-id": %s, "timestamp": "%s"'
            b'%s}')  # fmt: skip
_DISCOUNT_TEXT = np.array([repr(d).encode() for d in (*DISCOUNTS, *BAD_DISCOUNTS)], dtype=object)
_STATUS_TEXT = np.array([s.encode() for s in (*STATUSES, *UNKNOWN_STATUSES)], dtype=object)
_TYPE_TEXT = np.array([t.encode() for t in TYPES], dtype=object)
_BOOL = np.array([b"false", b"true"], dtype=object)
_AGENTS = np.array([a.encode() for a in texts.USER_AGENTS], dtype=object)
_REFERRERS = [r.encode() for r in texts.REFERRER_SITES]
_SHOP = texts.SHOP.encode()
_STREETS = np.array([s.encode() for s in texts.STREETS], dtype=object)
_CITIES = np.array([c.encode() for c, _ in texts.CITIES], dtype=object)
_COUNTRIES = np.array([k.encode() for _, k in texts.CITIES], dtype=object)
_PAGES = {HOME: _SHOP, CART: _SHOP + b"/cart"}


def _times(table: Table, rows: np.ndarray, column: str, sep: bytes = b" ") -> list[bytes]:
    """A time column as text, a bad time's text where the row has one."""
    text = stamps(table.columns[column][rows], sep).tolist()
    for i in np.flatnonzero(table.columns["garbage"][rows] >= 0).tolist():
        text[i] = BAD_TIMES[int(table.columns["garbage"][rows[i]])]
    return text


def _money(cents: np.ndarray) -> tuple[list, list, list]:
    """Sign, units and cents of prices, for ``%s%d.%02d``."""
    return (
        np.where(cents < 0, b"-", b"").tolist(),
        (np.abs(cents) // 100).tolist(),
        (np.abs(cents) % 100).tolist(),
    )


class Formatter:
    """Lines of the tables' rows; the texts of the world drawn once."""

    def __init__(self, rng: np.random.Generator, customers: Customers, products: Products):
        self.customers, self.products = customers, products
        self.queries = texts.queries(rng, QUERIES)

    def lines(self, table: Table, rows: np.ndarray) -> list[bytes]:
        lines = getattr(self, f"_{table.name}")(table, rows)
        for i in np.flatnonzero(table.bad[rows] > 0).tolist():
            row = int(rows[i])
            kind = BAD_KINDS[int(table.bad[row]) - 1]
            lines[i] = spoil(lines[i], kind, int(table.columns["variant"][row]))
        return lines

    def _customer(self, table: Table, rows: np.ndarray) -> list[bytes]:
        c, world = table.columns, self.customers
        columns = (
            c["id"][rows].tolist(),
            stamps(c["created"][rows]).tolist(),
            _times(table, rows, "modified"),
            world.names[c["name"][rows]].tolist(),
            world.emails[c["email"][rows]].tolist(),
            world.phones[c["phone"][rows]].tolist(),
        )
        return [_CUSTOMER % values for values in zip(*columns, strict=True)]

    def _product(self, table: Table, rows: np.ndarray) -> list[bytes]:
        c, world = table.columns, self.products
        product = c["id"][rows] - 1
        columns = (
            c["id"][rows].tolist(),
            stamps(c["created"][rows]).tolist(),
            _times(table, rows, "modified"),
            world.names[product].tolist(),
            world.descriptions[product].tolist(),
            world.eans[product].tolist(),
            *_money(c["price"][rows]),
            _DISCOUNT_TEXT[c["discount"][rows]].tolist(),
            world.brand[product].tolist(),
            c["inventory"][rows].tolist(),
            _BOOL[world.published[product].astype(np.int8)].tolist(),
        )
        return [_PRODUCT % values for values in zip(*columns, strict=True)]

    def _order(self, table: Table, rows: np.ndarray) -> list[bytes]:
        c = table.columns
        columns = (
            c["id"][rows].tolist(),
            stamps(c["created"][rows]).tolist(),
            _times(table, rows, "modified"),
            c["customer_id"][rows].tolist(),
            _STATUS_TEXT[c["status"][rows]].tolist(),
            c["address"][rows].tolist(),
        )
        return [_ORDER % values for values in zip(*columns, strict=True)]

    def _orderitem(self, table: Table, rows: np.ndarray) -> list[bytes]:
        c = table.columns
        columns = (
            c["id"][rows].tolist(),
            stamps(c["created"][rows]).tolist(),
            _times(table, rows, "modified"),
            c["order_id"][rows].tolist(),
            c["product_id"][rows].tolist(),
            c["quantity"][rows].tolist(),
            *_money(c["price"][rows]),
        )
        return [_ORDERITEM % values for values in zip(*columns, strict=True)]

    def _customeraddress(self, table: Table, rows: np.ndarray) -> list[bytes]:
        c = table.columns
        city, letters = c["city"][rows], c["letters"][rows]
        columns = (c["id"][rows].tolist(), stamps(c["created"][rows]).tolist(),
                   _times(table, rows, "modified"), c["customer_id"][rows].tolist(),
                   _STREETS[c["street"][rows]].tolist(), c["number"][rows].tolist(),
                   _CITIES[city].tolist(), c["postal_code"][rows].tolist(),
                   (65 + letters // 26).tolist(), (65 + letters % 26).tolist(),
                   _COUNTRIES[city].tolist())  # fmt: skip
        return [_ADDRESS % values for values in zip(*columns, strict=True)]

    def _event(self, table: Table, rows: np.ndarray) -> list[bytes]:
        c = table.columns
        ip = c["ip"][rows].astype(np.int64)
        customer = c["customer"][rows]
        customer_id = np.where(customer >= 0, (customer + 1).astype("S"), b"null").tolist()
        payloads = [
            _PAYLOAD % values
            for values in zip(
                _AGENTS[c["user_agent"][rows]].tolist(),
                (ip >> 24).tolist(),
                (ip >> 16 & 255).tolist(),
                (ip >> 8 & 255).tolist(),
                (ip & 255).tolist(),
                customer_id,
                _times(table, rows, "time", b"T"),
                self._tails(c, rows),
                strict=True,
            )
        ]
        for i in np.flatnonzero(c["as_string"][rows]).tolist():
            text = payloads[i].replace(b"\\", b"\\\\").replace(b'"', b'\\"')
            payloads[i] = b'"%s"' % text
        ids, kinds = c["id"][rows].tolist(), _TYPE_TEXT[c["type"][rows]].tolist()
        created = stamps(c["created"][rows]).tolist()
        with_times = c["row_times"][rows].tolist()
        return [
            _EVENT_WITH_TIMES % (i, t, t, k, e) if w else _EVENT % (i, k, e)
            for i, t, k, e, w in zip(ids, created, kinds, payloads, with_times, strict=True)
        ]

    def _tails(self, c: dict[str, np.ndarray], rows: np.ndarray) -> list[bytes]:
        """The type's own keys of each event's ``event`` object (after ``timestamp``)."""
        kind = c["type"][rows]
        tails = np.full(rows.size, b"", dtype=object)
        product = c["product"][rows] + 1
        for code in np.unique(kind).tolist():
            at = np.flatnonzero(kind == code)
            name = TYPES[code]
            if code == _PAGE_VIEW:
                tails[at] = [
                    self._page(pg, pr, rf)
                    for pg, pr, rf in zip(
                        c["page"][rows[at]].tolist(),
                        product[at].tolist(),
                        c["referrer"][rows[at]].tolist(),
                        strict=True,
                    )
                ]
            elif name == "search":
                query = self.queries[c["detail"][rows[at]]].tolist()
                tails[at] = [b', "query": "%s"' % q for q in query]
            elif name.startswith("visit_"):
                tails[at] = [
                    b', "product": %d, "position": %d' % pair
                    for pair in zip(
                        product[at].tolist(), c["detail"][rows[at]].tolist(), strict=True
                    )
                ]
            elif name.endswith("_cart"):
                tails[at] = [
                    b', "product": %d, "quantity": %d' % (pr, q) if q else b', "product": %d' % pr
                    for pr, q in zip(
                        product[at].tolist(), c["quantity"][rows[at]].tolist(), strict=True
                    )
                ]
        return tails.tolist()

    @staticmethod
    def _page(page: int, product: int, referrer: int) -> bytes:
        if page == PRODUCT_PAGE:
            url = b"%s/products/%d" % (_SHOP, product)
        else:
            url = _PAGES.get(page) or b"%s/category/%d" % (_SHOP, page - 1)
        if referrer >= 0:
            return b', "page": "%s", "referrer": "%s"' % (url, _REFERRERS[referrer])
        return b', "page": "%s"' % url
