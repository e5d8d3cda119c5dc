"""The `webshop` benchmark (`benchmarks/webshop.py`) and its DuckDB floor.

- A smoke run at a tiny size, in temporary folders, without the new day (`--no-increment`: each
  run of ours costs about 25 s of start-up, and the new-day path is the shared one the `schools`
  smoke run goes through): it exits 0, prints the table, writes the JSON, and ours and the floor
  give the same ten contract tables on the generated data (the benchmark compares them).
- The floor on a hand-made shop, checked against values worked out by hand: a customer's older
  version delivered after a newer one, identical consecutive versions collapsing, an order going
  from paid to delivered (never seen shipped), a re-delivered day, a product's price change
  between two orders, session gaps of exactly 30 and of 31 minutes, an event as a JSON string,
  a cart event without quantity, a visitor's event, rejected rows.
"""

import json
from datetime import date, datetime
from hashlib import md5
from pathlib import Path

import pytest

from event_assets_tests.benchmark_runs import BENCH_DIR, run_benchmark
from event_assets_tests.conftest import write_events


def test_webshop_benchmark_smoke_run(tmp_path: Path) -> None:
    done, results = run_benchmark(
        tmp_path, "webshop.py",
        "--events", "5000", "--days", "2", "--history-days", "2", "--no-increment",
    )  # fmt: skip
    for row in ("| ours, full", "| DuckDB floor |", "| full <= 2x the floor (wall) |"):
        assert row in done.stdout
    assert results["runs"]["ours_full"]["status"] == results["runs"]["floor"]["status"] == "ok"
    assert 4_000 < results["dataset"]["events"] < 6_000  # 2 of 3 generated days
    assert results["increment"]["days"] == 1 and results["increment"]["files"] >= 6
    assert {(d["left"], d["right"]) for d in results["equivalence"]} == {("ours", "floor")}
    assert len(results["equivalence"]) == 10
    assert all(d["equal"] for d in results["equivalence"]), results["equivalence"]
    rows = {d["table"]: d["summary"] for d in results["equivalence"]}
    for table in ("fct_sessions", "fct_order_items", "mart_last_session_cart", "dim_customer"):
        assert rows[table] != "equal (0 rows)"
    assert not list((tmp_path / "work").iterdir())  # temporary folders removed


# --- the floor on a hand-made shop ----------------------------------------------------------


def row(id_: int, created: str, modified: str, **fields: object) -> dict:
    return {"id": id_, "created_at": f"2022-{created}", "modified_at": f"2022-{modified}", **fields}


def customer(modified: str, name: str, email: str, id_: int = 1) -> dict:
    return row(id_, "01-01 00:00:00", modified, name=name, email=email, phone_number="555")


def product(id_: int, modified: str, price: float, discount: float) -> dict:
    fields = {"name": f"P{id_}", "description": "d", "EAN": "123", "price": price}
    fields |= {"discount_percent": discount, "brand_id": 1, "inventory": 9, "published": True}
    return row(id_, "01-01 00:00:00", modified, **fields)


def order(id_: int, customer_id: int, created: str, modified: str, status: str) -> dict:
    fields = {"customer_id": customer_id, "status": status, "customer_address_id": customer_id}
    return row(id_, created, modified, **fields)


def line(id_: int, order_id: int, product_id: int, quantity: int, price: float, at: str) -> dict:
    fields = {"order_id": order_id, "product_id": product_id, "quantity": quantity}
    return row(id_, at, at, **fields, price=price)


def event(id_: int, kind: str, at: str, customer_id: int | None, **more: object) -> dict:
    payload = {"customer-id": customer_id, "timestamp": f"2022-04-20T{at}", **more}
    return {"id": id_, "type": kind, "event": payload}


CUSTOMER_DAY_1 = [
    customer("04-20 10:00:00", "Ann", "a@x"),
    customer("04-20 09:00:00", "Bob", "b@x", id_=2),
    '{"id": 3, "created_at": "2022-01-01 00:00:00", "modified_at"',  # cut short
]
CUSTOMER_DAY_2 = [
    customer("04-21 08:00:00", "Ann", "a2@x"),
    customer("04-21 09:00:00", "Bob", "b@x", id_=2),  # the same as before: collapses
]
CUSTOMER_DAY_3 = [customer("04-20 18:00:00", "Ann", "a-mid@x")]  # older, delivered late
PRODUCTS = [product(1, "04-20 00:00:00", 10.0, 10.0), product(2, "04-20 00:00:00", 5.5, 20.0)]
PRODUCTS_DAY_2 = [product(1, "04-21 12:00:00", 12.0, 0.0), product(3, "04-21 12:00:00", 1.0, 150)]
ORDERS_DAY_1 = [
    order(1, 1, "04-20 11:00:00", "04-20 11:00:00", "placed"),
    order(2, 2, "04-20 14:00:00", "04-20 14:00:00", "placed"),
]
ORDERS_DAY_2 = [
    order(2, 2, "04-20 14:00:00", "04-21 10:00:00", "paid"),
    order(3, 1, "04-21 13:00:00", "04-21 13:00:00", "cancelled"),
    order(4, 1, "04-21 13:00:00", "04-21 13:00:00", "refunded"),  # unknown status: rejected
]
ORDERS_DAY_3 = [
    order(1, 1, "04-20 11:00:00", "04-22 09:00:00", "Shipped"),
    order(2, 2, "04-20 14:00:00", "04-22 15:00:00", "delivered"),  # never seen shipped
]
LINES = [
    line(1, 1, 1, 2, 10.0, "04-20 11:00:00"),
    line(2, 1, 2, 1, 5.5, "04-20 11:00:00"),
    line(3, 2, 2, 3, 5.5, "04-20 14:00:00"),
    line(4, 3, 1, 1, 12.0, "04-21 13:00:00"),
    line(5, 99, 1, 1, 12.0, "04-21 13:00:00"),  # its order never arrives
    line(6, 3, 3, 1, 1.0, "04-21 13:00:00"),  # its product's only row is rejected
]
EVENTS = [
    event(11, "page_view", "10:00:00", 1),
    event(12, "add_product_to_cart", "10:30:00", 1, product=1, quantity=2),  # gap 30 min: same
    event(13, "placed_order", "11:01:00", 1),  # gap 31 min: a new session
    event(21, "add_product_to_cart", "14:00:00", 2, product=2),  # no quantity: 1
    event(22, "remove_product_from_cart", "14:10:00", 2, product=2, quantity=1),
    event(24, "placed_order", "14:25:00", 2),
    event(31, "page_view", "14:26:00", None),  # a visitor
    event(32, "page_view", "not a time", 2),  # rejected
]
# the event as a string holding its JSON
AS_STRING = event(23, "add_product_to_cart", "14:20:00", 2, product=2, quantity=2)
AS_STRING["event"] = json.dumps(AS_STRING["event"])
EVENTS.append(AS_STRING)


@pytest.fixture
def floor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[dict]]:
    """The floor's ten tables on the hand-made shop, as lists of row dicts sorted by key."""
    monkeypatch.syspath_prepend(str(BENCH_DIR))
    import compare
    from webshop import DOMAIN

    landing = tmp_path / "landing" / "webshop"
    files = {
        "customer/2022-04-20": CUSTOMER_DAY_1,
        "customer/2022-04-21": CUSTOMER_DAY_2,
        # the second day again, its lines in another order
        "customer/2022-04-21-redelivered": CUSTOMER_DAY_2[::-1],
        "customer/2022-04-22": CUSTOMER_DAY_3,
        "product/2022-04-20": PRODUCTS,
        "product/2022-04-21": PRODUCTS_DAY_2,
        "order/2022-04-20": ORDERS_DAY_1,
        "order/2022-04-21": ORDERS_DAY_2,
        "order/2022-04-21-redelivered": ORDERS_DAY_2,
        "order/2022-04-22": ORDERS_DAY_3,
        "orderitem/2022-04-20": LINES,
        "event/2022-04-20": EVENTS,
        "event/2022-04-20-redelivered": EVENTS[:3],
    }
    for name, lines in files.items():
        write_events(landing / f"{name}.jsonl", lines)
    db = tmp_path / "floor.duckdb"
    compare.run_floor(DOMAIN.floor_sql, DOMAIN.floor_variables(landing), db)
    con, _ = compare.open_sources(None, db)
    with con:
        tables = {}
        for table, spec in DOMAIN.tables.items():
            relation = compare.canonical_sql(f"floor.main.{table}", spec)
            cursor = con.execute(f"{relation} ORDER BY {', '.join(spec.keys)}")
            names = [column[0] for column in cursor.description]
            tables[table] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return tables


def at(clock: str, day: int = 20) -> datetime:
    return datetime.fromisoformat(f"2022-04-{day:02d}T{clock}")


def key(id_: int, valid_from: datetime) -> str:
    return md5(f"{id_}|{valid_from}".encode()).hexdigest()


def test_floor_dimensions(floor: dict[str, list[dict]]) -> None:
    customers = [(r["customer_id"], r["email"], r["valid_from"], r["valid_to"], r["is_current"])
                 for r in floor["dim_customer"]]  # fmt: skip
    assert customers == [
        (1, "a@x", at("10:00"), at("18:00"), False),
        (1, "a-mid@x", at("18:00"), at("08:00", 21), False),  # placed at its time
        (1, "a2@x", at("08:00", 21), None, True),
        (2, "b@x", at("09:00"), None, True),  # the unchanged version collapsed
    ]
    assert floor["dim_customer"][0]["customer_key"] == key(1, at("10:00"))
    products = [(r["product_id"], r["price"], r["valid_to"]) for r in floor["dim_product"]]
    assert products == [(1, 10.0, at("12:00", 21)), (1, 12.0, None), (2, 5.5, None)]
    assert [r["date"] for r in floor["dim_date"]] == [date(2022, 4, d) for d in (20, 21, 22)]
    assert floor["dim_date"][0]["iso_week"] == 16 and not floor["dim_date"][0]["is_weekend"]


def test_floor_orders(floor: dict[str, list[dict]]) -> None:
    changes = [(r["order_id"], r["status"], r["previous_status"])
               for r in floor["fct_order_status_changes"]]  # fmt: skip
    assert changes == [
        (1, "placed", None), (1, "shipped", "placed"),
        (2, "placed", None), (2, "paid", "placed"), (2, "delivered", "paid"),
        (3, "cancelled", None),
    ]  # fmt: skip
    items = {r["order_item_id"]: r for r in floor["fct_order_items"]}
    assert set(items) == {1, 2, 3, 4}  # 5 and 6 rejected
    assert (items[1]["line_value"], items[1]["line_discount"]) == (20.0, 2.0)
    assert items[1]["product_key"] == key(1, at("00:00"))
    assert (items[3]["line_value"], items[3]["line_discount"]) == (16.5, pytest.approx(3.3))
    # placed after the price change: the version of 04-21 12:00, without discount
    assert (items[4]["product_key"], items[4]["line_discount"]) == (key(1, at("12:00", 21)), 0)

    orders = {r["order_id"]: r for r in floor["fct_orders"]}
    assert set(orders) == {1, 2, 3}
    one = orders[1]
    assert (one["shipped_at"], one["hours_to_ship"], one["current_status"]) == (
        at("09:00", 22), 46.0, "shipped")  # fmt: skip
    assert (one["line_count"], one["order_value"]) == (2, 25.5)
    assert one["discount_total"] == pytest.approx(3.1)
    assert one["customer_key"] == key(1, at("10:00"))  # the version valid at 11:00
    assert (orders[2]["shipped_at"], orders[2]["current_status"]) == (None, "delivered")
    assert orders[3]["customer_key"] == key(1, at("08:00", 21))

    (ship,) = floor["mart_weekly_ship_time"]
    assert (ship["week_start"], ship["iso_year"], ship["iso_week"]) == (date(2022, 4, 18), 2022, 16)
    assert (ship["orders_placed"], ship["orders_shipped"]) == (3, 1)
    assert ship["avg_hours_placed_to_shipped"] == 46.0
    (discount,) = floor["mart_weekly_discount"]
    assert (discount["orders"], discount["orders_cancelled"]) == (3, 1)
    assert discount["total_discount"] == pytest.approx(6.4)  # 3.1 + 3.3, not the cancelled one


def test_floor_sessions(floor: dict[str, list[dict]]) -> None:
    sessions = [(r["customer_id"], r["started_at"], r["ended_at"], r["event_count"],
                 r["placed_order"], r["cart_value"]) for r in floor["fct_sessions"]]  # fmt: skip
    assert sessions == [
        (1, at("10:00"), at("10:30"), 2, False, 20.0),  # 30 min apart: one session
        (1, at("11:01"), at("11:01"), 1, True, 0.0),  # 31 min after: a new one
        (2, at("14:00"), at("14:25"), 4, True, 11.0),  # +5.5 -5.5 +11.0
    ]
    assert floor["fct_sessions"][0]["session_id"] == key(1, at("10:00"))
    last = floor["mart_last_session_cart"]
    last = [(r["customer_id"], r["email"], r["cart_value"]) for r in last]
    assert last == [(1, "a2@x", 0.0), (2, "b@x", 11.0)]
