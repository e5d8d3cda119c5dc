"""A tiny shop delivered in three daily extracts, with every trap of issue 14; the answers the
tests expect are worked out by hand in test_end_to_end.py from what is written here.

Days (file names): 2024-12-29 (a Sunday, ISO 2024-W52, week of Monday 2024-12-23), 2024-12-30
(a Monday: ISO week 1 of 2025, a week that starts in December) and 2025-01-02. The 2024-12-30
file is delivered twice (`-redelivered`, the same rows in reverse order).
"""

import json

DAY_1, DAY_2, DAY_3 = "2024-12-29", "2024-12-30", "2025-01-02"


def at(day: str, time: str) -> str:
    """An operational timestamp: naive UTC text with microseconds."""
    return f"{day} {time}.000000"


def row(id_, created, modified, **columns):
    return {"id": id_, "created_at": created, "modified_at": modified, **columns}


def customer(id_, created, modified, name, email):
    return row(id_, created, modified, name=name, email=email, phone_number=f"+31-{id_}")


def product(id_, created, modified, name, price, discount):
    return row(id_, created, modified, name=name, description=f"a {name.lower()}",
               EAN=f"87{id_:011d}", price=price, discount_percent=discount, brand_id=1,
               inventory=100, published=True)  # fmt: skip


def order(id_, customer_id, created, modified, status):
    return row(id_, created, modified, customer_id=customer_id, status=status,
               customer_address_id=customer_id * 10)  # fmt: skip


def item(id_, order_id, product_id, quantity, price, modified):
    return row(id_, modified, modified, order_id=order_id, product_id=product_id,
               quantity=quantity, price=price)  # fmt: skip


def event(id_, type_, customer_id, timestamp, *, as_text=False, operational=False, **extra):
    """A tracker event; `as_text`: `event` as a string holding its JSON; `operational`: with
    created_at/modified_at as the operational table has them (the JSON export has none)."""
    payload = {"user-agent": "Mozilla/5.0", "ip": "62.222.197.54", "customer-id": customer_id,
               "timestamp": f"{timestamp}.000000", **extra}  # fmt: skip
    row_ = {"id": id_, "type": type_, "event": json.dumps(payload) if as_text else payload}
    if operational:
        stamp = timestamp.replace("T", " ") + ".000000"
        row_ |= {"created_at": stamp, "modified_at": stamp}
    return row_


ANN_A = customer(1, at(DAY_1, "08:00:00"), at(DAY_1, "08:00:00"), "Ann", "ann@a.example")
BOB_A = customer(2, at(DAY_1, "08:30:00"), at(DAY_1, "08:30:00"), "Bob", "bob@a.example")
MUG = product(10, at(DAY_1, "07:00:00"), at(DAY_1, "07:00:00"), "Mug", 10.0, 0)
TEA = product(20, at(DAY_1, "07:00:00"), at(DAY_1, "07:00:00"), "Tea", 4.0, 25)
O100 = order(100, 1, at(DAY_1, "09:00:00"), at(DAY_1, "09:00:00"), "placed")
O200 = order(200, 2, at(DAY_1, "12:00:00"), at(DAY_1, "12:00:00"), "placed")
O300 = order(300, 1, at(DAY_2, "09:30:00"), at(DAY_2, "09:30:00"), "placed")
O400 = order(400, 2, at(DAY_2, "13:00:00"), at(DAY_2, "13:00:00"), "placed")
I1001 = item(1001, 100, 10, 2, 10.0, at(DAY_1, "09:00:00"))

DAY_1_FILES = {
    "customer": [
        ANN_A,
        BOB_A,
        {
            "created_at": at(DAY_1, "08:00:00"),
            "modified_at": at(DAY_1, "08:00:00"),
            "name": "No Id",
            "email": "x@x",
            "phone_number": "0",
        },  # fmt: skip
        customer(3, at(DAY_1, "08:00:00"), "yesterday", "Cy", "cy@a.example"),
    ],
    "product": [
        MUG,
        TEA,
        product(30, at(DAY_1, "07:00:00"), at(DAY_1, "07:00:00"), "Pot", 20.0, 150),
        product(31, at(DAY_1, "07:00:00"), at(DAY_1, "07:00:00"), "Cup", -1.0, 0),
    ],
    "order": [
        O100,
        O200,
        order(600, 1, at(DAY_1, "10:00:00"), at(DAY_1, "10:00:00"), "lost"),
    ],
    "orderitem": [
        I1001,
        item(1002, 100, 20, 1, 4.0, at(DAY_1, "09:00:00")),
        item(2001, 200, 20, 3, 4.0, at(DAY_1, "12:00:00")),
        # its order arrives in the next day's file: rejected today, valid tomorrow
        item(3001, 300, 10, 1, 10.0, at(DAY_1, "23:59:00")),
        item(9001, 100, 10, -1, 10.0, at(DAY_1, "09:00:00")),
        item(9002, 100, 10, 1, -10.0, at(DAY_1, "09:00:00")),
        item(9003, 100, 999, 1, 10.0, at(DAY_1, "09:00:00")),
    ],
    "event": [
        # Ann's first session: 09:00-10:10, gaps of 10, 10, 20 and exactly 30 minutes
        event(905, "page_view", 1, f"{DAY_1}T09:00:00", page="https://shop/"),
        event(
            17, "add_product_to_cart", 1, f"{DAY_1}T09:10:00", as_text=True, product=10, quantity=2
        ),  # fmt: skip
        event(300, "add_product_to_cart", 1, f"{DAY_1}T09:20:00", operational=True, product=20),
        event(42, "remove_product_from_cart", 1, f"{DAY_1}T09:40:00", product=20),
        event(7, "placed_order", 1, f"{DAY_1}T10:10:00"),
        # an anonymous visitor: no session
        event(500, "search", None, f"{DAY_1}T09:05:00", query="mug"),
        event(501, "page_view", None, f"{DAY_1}T09:06:00", page="https://shop/mug"),
        event(801, "page_view", 1, "the 29th"),
        {"type": "page_view", "event": {"customer-id": 1, "timestamp": f"{DAY_1}T11:00:00"}},
        '{"id": 803, "type": "page_view", "event": ',
        event(802, "add_product_to_cart", 2, f"{DAY_1}T11:00:00", product=10, quantity=-2),
    ],
}

DAY_2_FILES = {
    "customer": [
        customer(1, at(DAY_1, "08:00:00"), at(DAY_2, "10:00:00"), "Ann", "ann@b.example"),
        customer(2, at(DAY_1, "08:30:00"), at(DAY_2, "11:00:00"), "Bob", "bob@c.example"),
    ],
    "product": [
        TEA | {"modified_at": at(DAY_2, "08:00:00"), "discount_percent": 50},
        MUG | {"modified_at": at(DAY_2, "12:00:00"), "price": 12.0, "discount_percent": 25},
    ],
    "order": [
        O100 | {"modified_at": at(DAY_2, "08:00:00"), "status": "paid"},
        O200 | {"modified_at": at(DAY_2, "09:00:00"), "status": "cancelled"},
        O300,
        O400,
    ],
    "orderitem": [
        item(3002, 300, 20, 2, 4.0, at(DAY_2, "09:30:00")),
        item(4001, 400, 10, 1, 12.0, at(DAY_2, "13:00:00")),
    ],
    "event": [
        # Bob adds a mug at its new price (12 from 12:00) and orders
        event(60, "add_product_to_cart", 2, f"{DAY_2}T12:30:00", product=10),
        event(61, "placed_order", 2, f"{DAY_2}T12:45:00"),
        # Ann: a lone page view, then 31 minutes later a new session with a tea
        event(70, "page_view", 1, f"{DAY_2}T20:00:00", page="https://shop/"),
        event(71, "add_product_to_cart", 1, f"{DAY_2}T20:31:00", product=20, quantity=1),
    ],
}

DAY_3_FILES = {
    "customer": [
        # the same attributes as Ann's current version: collapses into it
        customer(1, at(DAY_1, "08:00:00"), at(DAY_3, "09:00:00"), "Ann", "ann@b.example"),
        # an older version of Bob, arriving after the newer one
        customer(2, at(DAY_1, "08:30:00"), at(DAY_1, "12:00:00"), "Bob", "bob@b.example"),
    ],
    "product": [
        # an older version of the tea, arriving late: 30 % from 2024-12-29 10:00
        TEA | {"modified_at": at(DAY_1, "10:00:00"), "discount_percent": 30},
    ],
    "order": [
        # paid on day 2, delivered now: never observed shipped
        O100 | {"modified_at": at(DAY_3, "10:00:00"), "status": "delivered"},
        O300 | {"modified_at": at(DAY_3, "08:00:00"), "status": "shipped"},
        O400 | {"modified_at": at(DAY_3, "11:00:00"), "status": "shipped"},
        # an earlier shipped version of O400, arriving late: it sets shipped_at
        O400 | {"modified_at": at("2024-12-31", "13:00:00"), "status": "shipped"},
        order(500, 1, at(DAY_3, "12:00:00"), at(DAY_3, "12:00:00"), "placed"),
    ],
    "orderitem": [
        I1001 | {"modified_at": at(DAY_3, "09:00:00"), "quantity": 3},
        item(5001, 500, 20, 4, 4.0, at(DAY_3, "12:00:00")),
    ],
    "event": [
        # Ann's order of day 2's evening session, delivered a day late
        event(72, "placed_order", 1, f"{DAY_2}T20:50:00"),
        # Bob's last session: a removal without an add (cart 0, not below), no order
        event(80, "remove_product_from_cart", 2, f"{DAY_3}T10:00:00", product=10),
    ],
}

# A line that is no UTF-8: the ingestion quarantines it as invalid_encoding.
INVALID_BYTES = b'{"id": 804, "type": "page_view", "event": "\xff\xfe"}\n'
DAYS = [(DAY_1, DAY_1_FILES), (DAY_2, DAY_2_FILES), (DAY_3, DAY_3_FILES)]
