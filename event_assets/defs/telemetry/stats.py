"""`telemetry_stats`: the spec's questions answered in the UI, as markdown tables and a plot."""

import duckdb
import pandas as pd

from event_assets.core.names import qualified
from event_assets.core.stats import DailyPlot, build_stats_asset

DOMAIN = "telemetry"
READINGS, CLASSIFIED = (
    qualified(DOMAIN, table)
    for table in ("fct_command_readings", "int_telemetry__sync_events_classified")
)
# The plot's bins: half a second, so 0.5-14 s delays show their shape on a 15 s window.
BIN_SECONDS = 0.5


def compute_stats(conn: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Named tables of statistics, read from the warehouse."""
    overview = conn.execute(
        f"""
        select 'commands' as measure, count(*)::varchar as value from {READINGS}
        union all select 'hub successes', count(*) filter (where is_hub_success)::varchar
            from {READINGS}
        union all select 'first day', min(command_update_timestamp)::date::varchar from {READINGS}
        union all select 'last day', max(command_update_timestamp)::date::varchar from {READINGS}
        """
    ).df()
    duplicates_by_kind = conn.execute(
        f"""select coalesce(item_key, '(none)') as item_key,
                  count(*) filter (where status = 'duplicate') as duplicates_removed,
                  count(*) filter (where status = 'rejected') as rejected,
                  count(*) filter (where status = 'valid') as kept
           from {CLASSIFIED} group by all order by duplicates_removed desc, item_key"""
    ).df()
    success_by_command = conn.execute(
        f"""select command, count(*) as commands,
                  round(avg(is_hub_success::int), 3) as success_rate,
                  round(avg((not has_hub_response)::int), 3) as share_without_response
           from {READINGS} group by command order by commands desc"""
    ).df()
    # the exercise's question: does a hub success show as a matching reading within 15 s, and
    # how many of those commands had another command within 15 s (their readings are shared)
    matching_after_success = conn.execute(
        f"""select coalesce(command, 'all') as command,
                  count(*) as successful_commands,
                  count(*) filter (where has_matching_reading) as with_matching_reading,
                  round(avg(has_matching_reading::int), 3) as share_matching,
                  count(*) filter (
                      where previous_command_within_15s or next_command_within_15s
                  ) as with_another_command_within_15s,
                  round(median(seconds_to_matching_reading), 3) as median_seconds_to_match
           from {READINGS}
           where is_hub_success and matching_item_key is not null
           group by rollup (command) order by command nulls last"""
    ).df()
    return {
        "overview": overview,
        "duplicates_by_kind": duplicates_by_kind,
        "success_by_command": success_by_command,
        "matching_after_success": matching_after_success,
    }


def seconds_to_match(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Commands per half-second of delay to their matching reading, by command kind."""
    return conn.execute(
        f"""select floor(seconds_to_matching_reading / {BIN_SECONDS}) * {BIN_SECONDS}
                      as seconds_to_matching_reading,
                  command, count(*) as commands
           from {READINGS} where has_matching_reading
           group by all order by all"""
    ).df()


telemetry_stats = build_stats_asset(
    DOMAIN,
    deps=["fct_command_readings", "telemetry_rejected_events"],
    classified_table="int_telemetry__sync_events_classified",
    compute=compute_stats,
    plot=DailyPlot(
        query=seconds_to_match,
        x="seconds_to_matching_reading",
        y="commands",
        by="command",
        title="telemetry: seconds from command to matching reading, by command",
        file_name="telemetry_seconds_to_matching_reading.png",
        caption="seconds to matching reading",
    ),
    description="Commands, duplicates removed and rejected sync events per item key, hub "
    "success rate by command, how many hub successes show a matching reading within 15 s (and "
    "how many had another command within 15 s), rejected records by reason, and a plot of the "
    "seconds from command to matching reading by command.",
)
