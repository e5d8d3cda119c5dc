"""`webshop_stats`: the business questions answered in the UI, as markdown tables and a plot of
the weekly ship time and discount."""

import duckdb
import pandas as pd

from event_assets.core.names import qualified
from event_assets.core.stats import DailyPlot, build_stats_asset

DOMAIN = "webshop"
# The operational tables delivered (each one a landing folder and a raw table), in name order:
# the fault suite pairs a domain's sources with their file names sorted.
SOURCES = ("customer", "customeraddress", "event", "order", "orderitem", "product")
ORDERS, SHIP_TIME, DISCOUNT, LAST_CART, CUSTOMERS, PRODUCTS = (
    qualified(DOMAIN, table)
    for table in (
        "fct_orders",
        "mart_weekly_ship_time",
        "mart_weekly_discount",
        "mart_last_session_cart",
        "dim_customer",
        "dim_product",
    )
)


def compute_stats(conn: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Named tables of statistics, read from the warehouse."""
    overview = conn.execute(
        f"""
        select 'orders' as measure, count(*)::varchar as value from {ORDERS}
        union all select 'orders never seen shipped', count(*) filter (
            where shipped_at is null and current_status = 'delivered')::varchar from {ORDERS}
        union all select 'customer versions', count(*)::varchar from {CUSTOMERS}
        union all select 'product versions', count(*)::varchar from {PRODUCTS}
        union all select 'first order', min(placed_at)::date::varchar from {ORDERS}
        union all select 'last order', max(placed_at)::date::varchar from {ORDERS}
        """
    ).df()
    weekly = conn.execute(
        f"""select week_start::varchar as week_start, iso_year, iso_week, s.orders_placed,
                  s.orders_shipped, round(s.avg_hours_placed_to_shipped, 2) as avg_hours_to_ship,
                  d.orders_cancelled, round(d.total_discount, 2) as total_discount
           from {SHIP_TIME} s join {DISCOUNT} d using (week_start, iso_year, iso_week)
           order by week_start"""
    ).df()
    last_session_carts = conn.execute(
        f"""select count(*) as customers, round(avg(cart_value), 2) as avg_cart_value,
                  count(*) filter (where cart_value = 0) as empty_carts
           from {LAST_CART}"""
    ).df()
    # every source's quarantine statuses (the shared `records` table shows one source's)
    records_by_source = conn.execute(
        " union all ".join(
            f"""select '{source}' as source,
                       count(*) filter (where status = 'valid') as valid,
                       count(*) filter (where status = 'rejected') as rejected,
                       count(*) filter (where status = 'duplicate') as duplicate
                from {qualified(DOMAIN, f"int_webshop__{source}_classified")}"""
            for source in SOURCES
        )
    ).df()
    return {
        "overview": overview,
        "weekly": weekly,
        "last_session_carts": last_session_carts,
        "records_by_source": records_by_source,
    }


def weekly_series(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per week of placement: the average hours to ship and the total discount, one line each."""
    return conn.execute(
        f"""select week_start, 'avg hours to ship' as measure,
                  avg_hours_placed_to_shipped as value
           from {SHIP_TIME} where avg_hours_placed_to_shipped is not null
           union all
           select week_start, 'total discount', total_discount from {DISCOUNT}
           order by measure, week_start"""
    ).df()


webshop_stats = build_stats_asset(
    DOMAIN,
    deps=[
        "mart_weekly_ship_time",
        "mart_weekly_discount",
        "mart_last_session_cart",
        "webshop_rejected_rows",
    ],  # fmt: skip
    classified_table="int_webshop__orderitem_classified",
    compute=compute_stats,
    plot=DailyPlot(
        query=weekly_series,
        x="week_start",
        y="value",
        by="measure",
        title="webshop: average hours from placement to shipping, and total discount, by week",
        file_name="webshop_weekly_ship_time_and_discount.png",
        caption="weekly ship time and discount",
    ),
    description="Orders, versions of the type-2 dimensions, per ISO week of placement the "
    "orders shipped with their average hours to ship and the total discount, the carts of the "
    "last sessions with an order, records by status per source, rejected rows by reason, "
    "and a plot of the weekly ship time and discount.",
)
