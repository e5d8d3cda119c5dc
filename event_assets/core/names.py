"""Every name the platform derives from a domain, built here and nowhere else.

A domain's tables live in the DuckDB schema named after it (`schools.sessions`), and their
Dagster asset keys are `[domain, table]`, so the UI groups and searches by domain. Its raw
tables are `raw_<domain>_<source>`; its jobs, its dbt op and its statistics asset are named
after it too.
"""

import dagster as dg


def qualified(domain: str, table: str) -> str:
    """The table as SQL names it: `<domain>.<table>`."""
    return f"{domain}.{table}"


def asset_key(domain: str, table: str) -> dg.AssetKey:
    return dg.AssetKey([domain, table])


def raw_table(domain: str, source: str = "events") -> str:
    return f"raw_{domain}_{source}"


def ingest_job(domain: str) -> str:
    return f"{domain}_ingest"


def daily_job(domain: str) -> str:
    return f"{domain}_days"


def refresh_job(domain: str) -> str:
    return f"{domain}_refresh"


def dbt_op(domain: str) -> str:
    return f"{domain}_dbt_models"


def stats_table(domain: str) -> str:
    return f"{domain}_stats"


def stale_days_table(domain: str) -> str:
    return f"{domain}_stale_days"


def landing_sensor(domain: str) -> str:
    return f"{domain}_landing_sensor"


def stale_days_sensor(domain: str) -> str:
    return f"{domain}_stale_days_sensor"
