"""End to end for `webshop`: the real Definitions on the tiny shop of `shop.py`, loaded day by
day (three runs; every check of every run passes) and then, started over, all days in one run
with `--full-refresh`: every contract table is the same both ways. The answers are worked out
by hand:

Customers: Ann (1) ann@a from 12-29 08:00, ann@b from 12-30 10:00; her 01-02 row repeats ann@b
and collapses. Bob (2) bob@a from 12-29 08:30, bob@c from 12-30 11:00, and bob@b from 12-29
12:00 arriving late (01-02 file). Products: Mug (10) 10.00 at 0 % until 12-30 12:00, then 12.00
at 25 %; Tea (20) 4.00 at 25 %, a late version at 30 % from 12-29 10:00, 50 % from 12-30 08:00.
Orders (placed -> lines at the product version valid then):
- 100 Ann 12-29 09:00: 3 mugs (the line's 01-02 version) x 10 at 0 % + 1 tea x 4 at 25 %:
  value 34, discount 1; paid 12-30, delivered 01-02: never seen shipped (shipped_at NULL).
- 200 Bob 12-29 12:00 (bob@b: the late version starts exactly then): 3 teas x 4 at 30 %
  (the late version): value 12, discount 3.6; cancelled.
- 300 Ann 12-30 09:30 (ann@a): 1 mug x 10 at 0 % (the line arrived before its order) + 2
  teas x 4 at 50 %: value 18, discount 4; shipped 01-02 08:00: 70.5 hours.
- 400 Bob 12-30 13:00 (bob@c): 1 mug x 12 at 25 %: value 12, discount 3; shipped 01-02 11:00
  and, arriving late, 12-31 13:00: shipped_at 12-31 13:00, 24.0 hours.
- 500 Ann 01-02 12:00 (ann@b): 4 teas x 4 at 50 %: value 16, discount 8; placed.
Weeks: 2024-12-23 (ISO 2024-W52): orders 100, 200: none shipped, discount 1 (200 is cancelled).
2024-12-30 (ISO 2025-W01, a week starting in December): 300, 400, 500: 2 shipped, average
(70.5 + 24) / 2 = 47.25 hours, discount 4 + 3 + 8 = 15.
Sessions: Ann 12-29 09:00-10:10 (gaps 10, 10, 20 and exactly 30 minutes: one session; 2 mugs
x 10 + 1 tea x 4 - 1 tea x 4 = 20, ordered); Ann 12-30 20:00 alone (31 minutes before the next
event); Ann 12-30 20:31-20:50 (1 tea x 4, and an order delivered a day late): her last
session, cart 4. Bob 12-30 12:30-12:45 (1 mug at its new 12.00, ordered) and 01-02 10:00 (a
removal only: cart 0, no order: Bob is not in mart_last_session_cart).
"""

import pytest

from event_assets.defs.webshop.stats import SOURCES
from event_assets_tests.webshop.shop import DAY_1, DAY_2, DAY_3
from event_assets_tests.webshop.warehouses import (
    ShopWarehouse,
    build_day_by_day,
    build_in_one_run,
)

# The contract tables and their order.
CONTRACT_TABLES = {
    "dim_customer": "customer_id, valid_from",
    "dim_product": "product_id, valid_from",
    "dim_date": "date",
    "fct_order_status_changes": "order_id, changed_at",
    "fct_orders": "order_id",
    "fct_order_items": "order_item_id",
    "fct_sessions": "session_id",
    "mart_weekly_ship_time": "week_start",
    "mart_weekly_discount": "week_start",
    "mart_last_session_cart": "customer_id",
    "webshop_rejected_rows": "source_file, line_number",
}
SESSION_IDS = "select session_id from webshop.fct_sessions order by customer_id, started_at"


def table(shop, name: str) -> list[tuple]:
    columns = shop.query(
        f"select column_name from information_schema.columns where table_schema = 'webshop' "
        f"and table_name = '{name}' and column_name <> 'ingested_at' "
        "order by ordinal_position"
    )
    select = ", ".join(f'"{column}"' for (column,) in columns)
    return shop.query(f"select {select} from webshop.{name} order by {CONTRACT_TABLES[name]}")


def statuses(shop) -> dict[str, dict[str, int]]:
    return {
        source: dict(
            shop.query(
                f"select status, count(*) from webshop.int_webshop__{source}_classified group by 1"
            )
        )
        for source in SOURCES
    }


def after_day(shop, day) -> dict:
    """What the tests read between the day-by-day runs."""
    return {
        "items": shop.query(
            "select status, reason from webshop.int_webshop__orderitem_classified "
            "where order_item_id = 3001"
        ),
        "customers": shop.query(
            "select customer_id, email from webshop.dim_customer order by customer_id, valid_from"
        ),
        "order_200": shop.query(
            """select c.email, i.discount_percent from webshop.fct_orders o
               join webshop.dim_customer c using (customer_key)
               join webshop.fct_order_items i using (order_id) where order_id = 200"""
        ),
        "product_10_built_at": shop.query(
            "select distinct built_at from webshop.int_webshop__product_versions "
            "where product_id = 10"
        ),
        "statuses": statuses(shop),
    }


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """The shop loaded day by day (`shop.after[day]`: what the tests read after each run, and
    `shop.day_by_day`: every contract table after the last), then, in the same folder started
    over, all days in one full-refresh run: the warehouse the tests query."""
    shop = ShopWarehouse(tmp_path_factory.mktemp("webshop"))
    shop.after = {}
    build_day_by_day(shop, lambda shop, day: shop.after.update({day: after_day(shop, day)}))
    shop.day_by_day = {name: table(shop, name) for name in CONTRACT_TABLES}
    shop.day_by_day_statuses = statuses(shop)
    shop.day_by_day_session_ids = shop.query(SESSION_IDS)
    shop.start_over()
    build_in_one_run(shop)
    return shop


def test_day_by_day_and_one_full_refresh_give_the_same_tables(shop):
    for name in CONTRACT_TABLES:
        assert shop.day_by_day[name] == table(shop, name), name
    assert shop.day_by_day_statuses == statuses(shop)
    # the same session ids whether loaded day by day or in one run
    assert shop.day_by_day_session_ids == shop.query(SESSION_IDS)


def test_every_raw_row_has_one_status(shop):
    # day 2's file delivered again: each of its 14 rows a duplicate; every bad kind rejected;
    # the order line 3001 rejected on day 1 (its order missing) and valid from day 2
    assert shop.after[DAY_1]["statuses"]["orderitem"] == {"valid": 3, "rejected": 4}
    assert statuses(shop) == {
        "customer": {"valid": 6, "rejected": 2, "duplicate": 2},
        "product": {"valid": 5, "rejected": 2, "duplicate": 2},
        "order": {"valid": 11, "rejected": 1, "duplicate": 4},
        "orderitem": {"valid": 8, "rejected": 3, "duplicate": 2},
        "event": {"valid": 13, "rejected": 5, "duplicate": 4},
        "customeraddress": {},
    }
    assert shop.after[DAY_1]["items"] == [("rejected", "missing_order")]
    assert shop.after[DAY_2]["items"] == [("valid", None)]
    assert shop.query(
        "select source, reason, record_id, source_file, line_number "
        "from webshop.webshop_rejected_rows order by all"
    ) == [
        ("customer", "missing_id", None, "customer/2024-12-29.jsonl", 3),
        ("customer", "unparseable_time", "3", "customer/2024-12-29.jsonl", 4),
        ("event", "invalid_encoding", None, "event/2024-12-29.jsonl", 12),
        ("event", "malformed_json", None, "event/2024-12-29.jsonl", 10),
        ("event", "missing_id", None, "event/2024-12-29.jsonl", 9),
        ("event", "negative_quantity", "802", "event/2024-12-29.jsonl", 11),
        ("event", "unparseable_time", "801", "event/2024-12-29.jsonl", 8),
        ("order", "unknown_status", "600", "order/2024-12-29.jsonl", 3),
        ("orderitem", "missing_product", "9003", "orderitem/2024-12-29.jsonl", 7),
        ("orderitem", "negative_price", "9002", "orderitem/2024-12-29.jsonl", 6),
        ("orderitem", "negative_quantity", "9001", "orderitem/2024-12-29.jsonl", 5),
        ("product", "discount_out_of_range", "30", "product/2024-12-29.jsonl", 3),
        ("product", "negative_price", "31", "product/2024-12-29.jsonl", 4),
    ]


def test_type2_dimensions(shop):
    ann_a, ann_b = (1, "ann@a.example"), (1, "ann@b.example")
    bob_a, bob_b, bob_c = ((2, f"bob@{x}.example") for x in "abc")
    after = shop.after
    assert after[DAY_1]["customers"] == [ann_a, bob_a]
    # day 2 and its re-delivery: one new version each, nothing from the second copy
    assert after[DAY_2]["customers"] == [ann_a, ann_b, bob_a, bob_c]
    assert shop.query(
        """select customer_id, email, valid_from::varchar, valid_to::varchar, is_current
           from webshop.dim_customer order by customer_id, valid_from"""
    ) == [
        # Ann's 01-02 row repeats ann@b: it collapses into it (valid from 12-30 10:00)
        (*ann_a, "2024-12-29 08:00:00", "2024-12-30 10:00:00", False),
        (*ann_b, "2024-12-30 10:00:00", None, True),
        # Bob's older version, arriving on day 3, placed in his history at its time
        (*bob_a, "2024-12-29 08:30:00", "2024-12-29 12:00:00", False),
        (*bob_b, "2024-12-29 12:00:00", "2024-12-30 11:00:00", False),
        (*bob_c, "2024-12-30 11:00:00", None, True),
    ]
    assert shop.query(
        """select product_id, price, discount_percent, valid_from::varchar, is_current
           from webshop.dim_product order by product_id, valid_from"""
    ) == [
        (10, 10.0, 0.0, "2024-12-29 07:00:00", False),
        (10, 12.0, 25.0, "2024-12-30 12:00:00", True),
        (20, 4.0, 25.0, "2024-12-29 07:00:00", False),
        (20, 4.0, 30.0, "2024-12-29 10:00:00", False),
        (20, 4.0, 50.0, "2024-12-30 08:00:00", True),
    ]
    # day 3 touched the tea only: the mug's rows are still those day 2's run wrote
    assert after[DAY_3]["product_10_built_at"] == after[DAY_2]["product_10_built_at"]
    assert len(after[DAY_3]["product_10_built_at"]) == 1


def test_facts_follow_late_versions(shop):
    # order 200 was placed at 12-29 12:00: bob@a and 25 % until day 3 brought the versions
    # valid then (bob@b from 12:00, the tea at 30 % from 10:00)
    assert shop.after[DAY_2]["order_200"] == [("bob@a.example", 25.0)]
    assert shop.after[DAY_3]["order_200"] == [("bob@b.example", 30.0)]


def test_orders(shop):
    assert shop.query(
        """select order_id, customer_id, placed_at::varchar, shipped_at::varchar, hours_to_ship,
                  current_status, order_value, round(discount_total, 6)
           from webshop.fct_orders order by order_id"""
    ) == [
        (100, 1, "2024-12-29 09:00:00", None, None, "delivered", 34.0, 1.0),
        (200, 2, "2024-12-29 12:00:00", None, None, "cancelled", 12.0, 3.6),
        (300, 1, "2024-12-30 09:30:00", "2025-01-02 08:00:00", 70.5, "shipped", 18.0, 4.0),
        (400, 2, "2024-12-30 13:00:00", "2024-12-31 13:00:00", 24.0, "shipped", 12.0, 3.0),
        (500, 1, "2025-01-02 12:00:00", None, None, "placed", 16.0, 8.0),
    ]
    # order 100 went from paid to delivered between two extracts: its history shows it
    assert shop.query(
        """select status, previous_status from webshop.fct_order_status_changes
           where order_id = 100 order by changed_at"""
    ) == [("placed", None), ("paid", "placed"), ("delivered", "paid")]


def test_weekly_ship_time_and_discount_across_the_year_boundary(shop):
    assert shop.query(
        """select week_start::varchar, iso_year, iso_week, orders_placed, orders_shipped,
                  avg_hours_placed_to_shipped
           from webshop.mart_weekly_ship_time order by week_start"""
    ) == [("2024-12-23", 2024, 52, 2, 0, None), ("2024-12-30", 2025, 1, 3, 2, 47.25)]
    assert shop.query(
        """select week_start::varchar, orders, orders_cancelled, total_discount
           from webshop.mart_weekly_discount order by week_start"""
    ) == [("2024-12-23", 2, 1, 1.0), ("2024-12-30", 3, 0, 15.0)]
    assert shop.query(
        """select date::varchar, iso_year, iso_week, week_start::varchar
           from webshop.dim_date order by date"""
    ) == [
        ("2024-12-29", 2024, 52, "2024-12-23"),
        ("2024-12-30", 2025, 1, "2024-12-30"),
        ("2024-12-31", 2025, 1, "2024-12-30"),
        ("2025-01-01", 2025, 1, "2024-12-30"),
        ("2025-01-02", 2025, 1, "2024-12-30"),
    ]


def test_sessions_and_the_last_session_cart(shop):
    expected = [
        (1, "2024-12-29 09:00:00", "2024-12-29 10:10:00", 5, True, 20.0),
        (1, "2024-12-30 20:00:00", "2024-12-30 20:00:00", 1, False, 0.0),
        (1, "2024-12-30 20:31:00", "2024-12-30 20:50:00", 2, True, 4.0),
        (2, "2024-12-30 12:30:00", "2024-12-30 12:45:00", 2, True, 12.0),
        (2, "2025-01-02 10:00:00", "2025-01-02 10:00:00", 1, False, 0.0),
    ]
    sql = """select customer_id, started_at::varchar, ended_at::varchar, event_count,
                    placed_order, cart_value
             from webshop.fct_sessions order by customer_id, started_at"""
    assert shop.query(sql) == expected
    assert shop.query(
        """select m.customer_id, m.email, m.cart_value, s.started_at::varchar
           from webshop.mart_last_session_cart m join webshop.fct_sessions s using (session_id)"""
    ) == [(1, "ann@b.example", 4.0, "2024-12-30 20:31:00")]


def test_dbt_unit_tests_pass(shop, tmp_path):
    """The YAML unit tests of dbt_project/models/webshop/ (answers worked out by hand), here
    rather than in a module of their own: they need a built warehouse, and this one is built."""
    result = shop.dbt_unit_tests(tmp_path)
    assert result.returncode == 0, result.stdout[-6000:]
    assert "PASS=7" in result.stdout, result.stdout[-3000:]
