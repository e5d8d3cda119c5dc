"""Pandera schemas of the `engagement` output tables; each one runs as an asset check."""

import pandera.pandas as pa
from pandera.pandas import Check, Column

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
        "plays": Column(int, Check.ge(1)),
        "completed_plays": Column(int, Check.ge(0)),
        "duration_seconds": Column(float, Check.ge(0)),
        "loading_seconds": Column(float, Check.ge(0)),
    }


def _grain_checks() -> list[Check]:
    return [
        Check(lambda df: df["completed_plays"] <= df["plays"], error="completed_plays > plays"),
    ]


def _fact(period: str, period_type: object, rollup: bool) -> pa.DataFrameSchema:
    columns: dict[str, Column] = {
        period: Column(period_type, coerce=period_type is int),
        "subscription_status": Column(str, Check.isin(STATUSES)),
        "activity_id": Column(str),
        "activity_type": Column(str),
        **_measures(),
    }
    if rollup:
        columns["completion_rate"] = Column(float, Check.in_range(0, 1))
        columns["avg_duration_seconds"] = Column(float, Check.ge(0))
    return pa.DataFrameSchema(
        columns,
        checks=_grain_checks(),
        unique=[period, *DIMENSIONS],
        description=f"One row per {period} and dimensions; status in the five values, "
        "non-negative measures" + (", rates in [0, 1]." if rollup else "."),
    )


activity_rankings = pa.DataFrameSchema(
    {
        "month_start": Column("datetime64[ns]"),
        "activity_id": Column(str),
        "plays": Column(int, Check.ge(1)),
        "duration_seconds": Column(float, Check.ge(0)),
        "plays_rank": Column(int, Check.ge(1)),
        "duration_rank": Column(int, Check.ge(1)),
    },
    unique=["month_start", "activity_id"],
    description="One row per month and activity; ranks start at 1.",
)

dim_activity = pa.DataFrameSchema(
    {"activity_id": Column(str, unique=True), "activity_type": Column(str)},
    description="One row per activity id; unknown activities have type 'unknown'.",
)

dim_user_subscription = pa.DataFrameSchema(
    {
        "user_id": Column(str, unique=True),
        "registration_at": Column("datetime64[ns]", nullable=True),
    },
    checks=[
        Check(
            lambda df: (
                df["trial_end_at"].isna()
                | df["trial_start_at"].isna()
                | (df["trial_end_at"] >= df["trial_start_at"])
            ),
            error="trial ends before it starts",
        ),
        Check(
            lambda df: (
                df["subscription_expire_at"].isna()
                | df["subscription_start_at"].isna()
                | (df["subscription_expire_at"] >= df["subscription_start_at"])
            ),
            error="subscription expires before it starts",
        ),
    ],
    description="One row per user; milestones in order.",
)

dim_date = pa.DataFrameSchema(
    {
        "date": Column("datetime64[ns]", unique=True),
        # calendar parts are 32-bit integers in DuckDB: any integer width is fine
        "iso_week": Column(int, Check.in_range(1, 53), coerce=True),
        "quarter": Column(int, Check.in_range(1, 4), coerce=True),
        "day_of_week": Column(int, Check.in_range(1, 7), coerce=True),
    },
    description="One row per date of the events' range.",
)

rejected_events = pa.DataFrameSchema(
    {
        "source_file": Column(str),
        "file_hash": Column(str),
        "line_number": Column(int, Check.ge(1)),
        "reason": Column(str),
    },
    unique=["file_hash", "line_number"],
    description="engagement_rejected_events: every rejected record once, with a reason.",
)

# table name -> schema; `definitions.py` turns each into an asset check on that table.
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "engagement_daily": _fact("date", "datetime64[ns]", rollup=False),
    "engagement_weekly": _fact("week_start", "datetime64[ns]", rollup=True),
    "engagement_monthly": _fact("month_start", "datetime64[ns]", rollup=True),
    "engagement_yearly": _fact("year", int, rollup=True),
    "activity_rankings": activity_rankings,
    "dim_activity": dim_activity,
    "dim_user_subscription": dim_user_subscription,
    "dim_date": dim_date,
    "engagement_rejected_events": rejected_events,
}
