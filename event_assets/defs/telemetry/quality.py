"""Quality signals of the telemetry stream as WARN asset checks (issue 13, item 5): they flag a
stream that drifts, they do not stop a run."""

import dagster as dg

from event_assets.core.names import asset_key, qualified
from event_assets.core.warehouse import WAREHOUSE_POOL, Warehouse

DOMAIN = "telemetry"
READINGS, CLASSIFIED = (
    qualified(DOMAIN, table)
    for table in ("fct_command_readings", "int_telemetry__sync_events_classified")
)
# From the generator's ground truth: 88 % of the bundled sample's hub successes show a
# matching reading (the rest caused none, or one after 15 s), and the matching finds every
# caused reading (test_matching_against_truth). A share below 75 % is a drift of more than a
# dozen points: the matching, the clock or the devices went wrong.
MIN_MATCHING_SHARE = 0.75


@dg.asset_check(
    asset=asset_key(DOMAIN, "fct_command_readings"),
    name="successful_commands_show_a_matching_reading",
    description=f"WARN when fewer than {MIN_MATCHING_SHARE:.0%} of the hub successes (with a "
    "matching item key) are followed within 15 s by a reading of the desired state; reports "
    "the share of commands with another command to the device within 15 s.",
    pool=WAREHOUSE_POOL,
)
def successful_commands_show_a_matching_reading(warehouse: Warehouse) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as conn:
        successes, matching, crowded, commands, crowded_all = conn.execute(
            f"""select count(*) filter (where is_hub_success and matching_item_key is not null),
                       count(*) filter (where is_hub_success and matching_item_key is not null
                                        and has_matching_reading),
                       count(*) filter (where is_hub_success and matching_item_key is not null
                                        and (previous_command_within_15s
                                             or next_command_within_15s)),
                       count(*),
                       count(*) filter (where previous_command_within_15s
                                        or next_command_within_15s)
                from {READINGS}"""
        ).fetchone()
    share = matching / successes if successes else None
    return dg.AssetCheckResult(
        passed=share is None or share >= MIN_MATCHING_SHARE,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "successful_commands": successes,
            "with_matching_reading": matching,
            "matching_share": round(share, 4) if share is not None else None,
            "successes_with_another_command_within_15s": crowded,
            "share_of_commands_with_another_within_15s": round(crowded_all / commands, 4)
            if commands
            else None,
        },
    )


@dg.asset_check(
    asset=asset_key(DOMAIN, "int_telemetry__sync_events_classified"),
    name="orphans_and_duplicates_per_item_key",
    description="Orphan CommandActive / CommandResult rows and duplicates removed, per item key "
    "(a signal, always passes: the counts are the point).",
    pool=WAREHOUSE_POOL,
)
def orphans_and_duplicates_per_item_key(warehouse: Warehouse) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as conn:
        table = conn.execute(
            f"""select coalesce(item_key, '(none)') as item_key,
                       count(*) filter (where reason like 'orphan%') as orphans,
                       count(*) filter (where status = 'duplicate') as duplicates
                from {CLASSIFIED} group by all
                having orphans > 0 or duplicates > 0 order by item_key"""
        ).df()
    return dg.AssetCheckResult(
        passed=True,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "orphans": int(table["orphans"].sum()),
            "duplicates": int(table["duplicates"].sum()),
            "per_item_key": dg.MetadataValue.md(table.to_markdown(index=False)),
        },
    )


QUALITY_CHECKS = [successful_commands_show_a_matching_reading, orphans_and_duplicates_per_item_key]
