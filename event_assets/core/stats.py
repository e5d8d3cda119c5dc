"""Statistics every domain reports the same way: its records by quarantine status and its
rejected records by reason (the quarantine contract's tables)."""

import duckdb
import pandas as pd

from event_assets.core.names import qualified
from event_assets.core.quarantine import rejected_table


def quarantine_stats(
    conn: duckdb.DuckDBPyConnection, domain: str, classified_table: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(records per status in `classified_table`, rejected records per reason), both tables
    of `domain`."""
    records = conn.execute(
        f"""select status, count(*) as records from {qualified(domain, classified_table)}
            group by status order by status"""
    ).df()
    rejected_by_reason = conn.execute(
        f"""select reason, count(*) as events from {qualified(domain, rejected_table(domain))}
            group by reason order by events desc, reason"""
    ).df()
    return records, rejected_by_reason
