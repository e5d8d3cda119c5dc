"""What the stale-days asset hands its domain from the last look (`last_check`), on an instance
with hand-made materializations: the watermark of the same warehouse only, and the earliest day
that look found stale and no run has materialized since."""

from datetime import date

import dagster as dg
import pytest

from event_assets.core.stale_days import (
    CHECKED_THROUGH_KEY,
    EARLIEST_BEFORE_KEY,
    STALE_RANGES_KEY,
    WAREHOUSE_KEY,
    last_check,
)

LOOK = dg.AssetKey(["d", "d_stale_days"])
DAILY = dg.AssetKey(["d", "d_daily"])


@pytest.fixture
def instance():
    with dg.DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


def look(instance, ranges, before="", warehouse="/w.duckdb", watermark="2026-12-01T08:00:00"):
    metadata = {
        STALE_RANGES_KEY: dg.MetadataValue.json(ranges),
        CHECKED_THROUGH_KEY: watermark,
        EARLIEST_BEFORE_KEY: before,
        WAREHOUSE_KEY: warehouse,
    }
    instance.report_runless_asset_event(dg.AssetMaterialization(LOOK, metadata=metadata))


def materialize_days(instance, *days):
    for day in days:
        instance.report_runless_asset_event(dg.AssetMaterialization(DAILY, partition=day))


def earliest(instance, warehouse="/w.duckdb"):
    last = last_check(instance, LOOK, DAILY, warehouse)
    return last.earliest_stale if last else "no last look"


def test_the_earliest_stale_day_is_the_first_not_materialized_since(instance):
    assert earliest(instance) == "no last look"
    materialize_days(instance, "2026-01-11")  # before the look: does not count
    look(instance, [["2026-01-05", "2026-01-07"], ["2026-01-10", "2026-01-11"]])
    assert earliest(instance, warehouse="/another.duckdb") == "no last look"
    assert last_check(instance, LOOK, DAILY, "/w.duckdb").checked_through == "2026-12-01T08:00:00"
    assert earliest(instance) == date(2026, 1, 5)
    materialize_days(instance, "2026-01-05", "2026-01-06")
    assert earliest(instance) == date(2026, 1, 7)
    materialize_days(instance, "2026-01-07", "2026-01-10")
    assert earliest(instance) == date(2026, 1, 11)
    materialize_days(instance, "2026-01-11")
    assert earliest(instance) is None


def test_a_day_before_the_first_day_stays_stale(instance):
    look(instance, [["2026-01-05", "2026-01-05"]], before="2025-12-30")
    materialize_days(instance, "2026-01-05")
    assert earliest(instance) == date(2025, 12, 30)


def test_a_look_without_a_watermark_gives_none(instance):
    look(instance, [["2026-01-05", "2026-01-05"]], watermark="")
    assert earliest(instance) == "no last look"
