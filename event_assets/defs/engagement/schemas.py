"""Pandera schemas of the `engagement` output tables; each one runs as an asset check."""

import pandera.polars as pa
import polars as pl
from pandera.polars import Check, Column

from event_assets.core.checks import in_order_check

STATUSES = ["free", "trial", "subscribed", "lapsed", "unknown"]
DIMENSIONS = [
    "country_code",
    "os_name",
    "os_version",
    "app_version",
    "subscription_status",
    "activity_id",
    "activity_type",
    "collection_id",
]


def _measures() -> dict[str, Column]:
    return {
        "plays": Column(pl.Int64, Check.ge(1)),
        "completed_plays": Column(pl.Int64, Check.ge(0)),
        "duration_seconds": Column(pl.Float64, Check.ge(0)),
        "loading_seconds": Column(pl.Float64, Check.ge(0)),
    }


def _grain_checks() -> list[Check]:
    return [
        Check(
            lambda data: data.lazyframe.select(pl.col("completed_plays") <= pl.col("plays")),
            error="completed_plays > plays",
        ),
    ]


def _fact(period: str, period_type: object, rollup: bool) -> pa.DataFrameSchema:
    columns: dict[str, Column] = {
        period: Column(period_type),
        "subscription_status": Column(pl.Utf8, Check.isin(STATUSES)),
        "activity_id": Column(pl.Utf8),
        "activity_type": Column(pl.Utf8),
        **_measures(),
    }
    if rollup:
        columns["completion_rate"] = Column(pl.Float64, Check.in_range(0, 1))
        columns["avg_duration_seconds"] = Column(pl.Float64, Check.ge(0))
    return pa.DataFrameSchema(
        columns,
        checks=_grain_checks(),
        unique=[period, *DIMENSIONS],
        description=f"One row per {period} and dimensions; status in the five values, "
        "non-negative measures" + (", rates in [0, 1]." if rollup else "."),
    )


activity_rankings = pa.DataFrameSchema(
    {
        "month_start": Column(pl.Date),
        "activity_id": Column(pl.Utf8),
        "plays": Column(pl.Int64, Check.ge(1)),
        "duration_seconds": Column(pl.Float64, Check.ge(0)),
        "plays_rank": Column(pl.Int64, Check.ge(1)),
        "duration_rank": Column(pl.Int64, Check.ge(1)),
    },
    unique=["month_start", "activity_id"],
    description="One row per month and activity; ranks start at 1.",
)

dim_activity = pa.DataFrameSchema(
    {"activity_id": Column(pl.Utf8, unique=True), "activity_type": Column(pl.Utf8)},
    description="One row per activity id; unknown activities have type 'unknown'.",
)

dim_user_subscription = pa.DataFrameSchema(
    {
        "user_id": Column(pl.Utf8, unique=True),
        "registration_at": Column(pl.Datetime, nullable=True),
    },
    checks=[
        in_order_check("trial_start_at", "trial_end_at", "trial ends before it starts"),
        in_order_check(
            "subscription_start_at",
            "subscription_expire_at",
            "subscription expires before it starts",
        ),
    ],
    description="One row per user; milestones in order.",
)

dim_date = pa.DataFrameSchema(
    {
        "date": Column(pl.Date, unique=True),
        # calendar parts are 32-bit integers in DuckDB
        "iso_week": Column(pl.Int32, Check.in_range(1, 53)),
        "quarter": Column(pl.Int32, Check.in_range(1, 4)),
        "day_of_week": Column(pl.Int32, Check.in_range(1, 7)),
    },
    description="One row per date of the events' range.",
)

# table name -> schema; `definitions.py` turns each into an asset check on that table (the
# rejected-events table's schema is the quarantine contract's, `core.checks`).
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "engagement_daily": _fact("date", pl.Date, rollup=False),
    "engagement_weekly": _fact("week_start", pl.Date, rollup=True),
    "engagement_monthly": _fact("month_start", pl.Date, rollup=True),
    "engagement_yearly": _fact("year", pl.Int32, rollup=True),  # a 32-bit integer in DuckDB
    "activity_rankings": activity_rankings,
    "dim_activity": dim_activity,
    "dim_user_subscription": dim_user_subscription,
    "dim_date": dim_date,
}
