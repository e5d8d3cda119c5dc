"""Pandera schemas of the `webshop` output tables; each one runs as an asset check."""

import pandera.polars as pa
import polars as pl
from pandera.polars import Check, Column

from event_assets.core.checks import in_order_check

STATUSES = ["placed", "paid", "shipped", "delivered", "cancelled"]
MONEY = Check.ge(0)


def _type2(entity: str, attributes: dict[str, Column]) -> pa.DataFrameSchema:
    """A type-2 dimension: one row per version, valid_to after valid_from, current = open."""
    return pa.DataFrameSchema(
        {
            f"{entity}_key": Column(pl.Utf8, unique=True),
            f"{entity}_id": Column(pl.Int64),
            "created_at": Column(pl.Datetime),
            **attributes,
            "valid_from": Column(pl.Datetime),
            "valid_to": Column(pl.Datetime, nullable=True),
            "is_current": Column(pl.Boolean),
        },
        checks=[
            in_order_check("valid_from", "valid_to", "valid_to before valid_from"),
            Check(
                lambda data: data.lazyframe.select(
                    pl.col("is_current") == pl.col("valid_to").is_null()
                ),
                error="is_current differs from an open valid_to",
            ),
        ],
        unique=[f"{entity}_id", "valid_from"],
        description=f"One row per version of a {entity}; valid_to after valid_from; the "
        "current version is the open one (overlaps and gaps: the type-2 check).",
    )


def _weekly(measures: dict[str, Column]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "week_start": Column(
                pl.Date,
                Check(lambda data: data.lazyframe.select(pl.col("week_start").dt.weekday() == 1)),
                unique=True,
            ),
            "iso_year": Column(pl.Int32),
            "iso_week": Column(pl.Int32, Check.in_range(1, 53)),
            **measures,
        },
        description="One row per ISO week of placement (week_start a Monday).",
    )


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "dim_customer": _type2(
        "customer",
        {
            "name": Column(pl.Utf8, nullable=True),
            "email": Column(pl.Utf8, nullable=True),
            "phone_number": Column(pl.Utf8, nullable=True),
        },
    ),
    "dim_product": _type2(
        "product",
        {
            "name": Column(pl.Utf8, nullable=True),
            "description": Column(pl.Utf8, nullable=True),
            "ean": Column(pl.Utf8, nullable=True),
            "price": Column(pl.Float64, MONEY, nullable=True),
            "discount_percent": Column(pl.Float64, Check.in_range(0, 100), nullable=True),
            "brand_id": Column(pl.Int64, nullable=True),
            "inventory": Column(pl.Int64, nullable=True),
            "published": Column(pl.Boolean, nullable=True),
        },
    ),
    "dim_date": pa.DataFrameSchema(
        {
            "date": Column(pl.Date, unique=True),
            "iso_year": Column(pl.Int32),
            "iso_week": Column(pl.Int32, Check.in_range(1, 53)),
            "week_start": Column(pl.Date),
            "day_of_week": Column(pl.Int32, Check.in_range(1, 7)),
            "is_weekend": Column(pl.Boolean),
        },
        description="One row per day, its ISO week.",
    ),
    "fct_order_status_changes": pa.DataFrameSchema(
        {
            "order_id": Column(pl.Int64),
            "status": Column(pl.Utf8, Check.isin(STATUSES)),
            "changed_at": Column(pl.Datetime),
            "previous_status": Column(pl.Utf8, Check.isin(STATUSES), nullable=True),
            "placed_at": Column(pl.Datetime),
        },
        unique=["order_id", "changed_at"],
        description="One row per observed order version.",
    ),
    "fct_order_items": pa.DataFrameSchema(
        {
            "order_item_id": Column(pl.Int64, unique=True),
            "order_id": Column(pl.Int64),
            "product_id": Column(pl.Int64),
            "product_key": Column(pl.Utf8, nullable=True),
            "placed_at": Column(pl.Datetime),
            "quantity": Column(pl.Int64, Check.ge(0), nullable=True),
            "price": Column(pl.Float64, MONEY, nullable=True),
            "discount_percent": Column(pl.Float64, Check.in_range(0, 100), nullable=True),
            "line_value": Column(pl.Float64, MONEY, nullable=True),
            "line_discount": Column(pl.Float64, MONEY, nullable=True),
        },
        description="One row per order line, money non-negative.",
    ),
    "fct_orders": pa.DataFrameSchema(
        {
            "order_id": Column(pl.Int64, unique=True),
            "customer_id": Column(pl.Int64, nullable=True),
            "customer_key": Column(pl.Utf8, nullable=True),
            "placed_at": Column(pl.Datetime),
            "shipped_at": Column(pl.Datetime, nullable=True),
            # >= 0 is the WARN check orders_ship_after_placement (quality.py): an order seen
            # shipped before its placement is the shop's data to look at, not a broken build
            "hours_to_ship": Column(pl.Float64, nullable=True),
            "current_status": Column(pl.Utf8, Check.isin(STATUSES)),
            "order_value": Column(pl.Float64, MONEY),
            "discount_total": Column(pl.Float64, MONEY),
        },
        description="One row per order; money non-negative.",
    ),
    "fct_sessions": pa.DataFrameSchema(
        {
            "session_id": Column(pl.Utf8, unique=True),
            "customer_id": Column(pl.Int64),
            "started_at": Column(pl.Datetime),
            "ended_at": Column(pl.Datetime),
            "event_count": Column(pl.Int64, Check.ge(1)),
            "placed_order": Column(pl.Boolean),
            "cart_value": Column(pl.Float64, MONEY),
        },
        checks=[in_order_check("started_at", "ended_at", "session ends before it starts")],
        unique=["customer_id", "started_at"],
        description="One row per session of a logged-in customer; cart value non-negative.",
    ),
    "mart_weekly_ship_time": _weekly(
        {
            "orders_placed": Column(pl.Int64, Check.ge(1)),
            "orders_shipped": Column(pl.Int64, Check.ge(0)),
            "avg_hours_placed_to_shipped": Column(pl.Float64, Check.ge(0), nullable=True),
        }
    ),
    "mart_weekly_discount": _weekly(
        {
            "orders": Column(pl.Int64, Check.ge(1)),
            "orders_cancelled": Column(pl.Int64, Check.ge(0)),
            "total_discount": Column(pl.Float64, MONEY),
        }
    ),
    "mart_last_session_cart": pa.DataFrameSchema(
        {
            "customer_id": Column(pl.Int64, unique=True),
            "email": Column(pl.Utf8, nullable=True),
            "session_id": Column(pl.Utf8, unique=True),
            "cart_value": Column(pl.Float64, MONEY),
        },
        description="One row per customer whose last session placed an order.",
    ),
}
