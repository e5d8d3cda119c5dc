"""The analysts' copy of the warehouse: a whole, consistent file, replaced while a reader has the
old one open, never blocking a run."""

import dataclasses

import duckdb
import pytest

from event_assets.core.snapshot import refresh_snapshot
from event_assets.core.warehouse import ConfigError, Warehouse, connect
from event_assets_tests.core.test_warehouse_lock import held_by_another_process


def _warehouse(settings, **changes) -> Warehouse:
    return Warehouse.from_settings(dataclasses.replace(settings, **changes))


def test_the_copy_holds_every_committed_row_and_is_replaced_under_a_reader(settings):
    warehouse = _warehouse(settings)
    with connect(settings.duckdb_path) as conn:
        conn.execute("create schema toy; create table toy.t as select range as x from range(3)")
    copied = refresh_snapshot(warehouse)
    assert copied == settings.snapshot_path

    reader = duckdb.connect(str(copied), read_only=True)  # an analyst, still reading
    with connect(settings.duckdb_path) as conn:
        conn.execute("insert into toy.t values (3)")
    refresh_snapshot(warehouse)
    assert reader.execute("select count(*) from toy.t").fetchone() == (3,)  # the old copy
    reader.close()
    with duckdb.connect(str(copied), read_only=True) as fresh:
        assert fresh.execute("select count(*) from toy.t").fetchone() == (4,)
    assert [p.name for p in copied.parent.iterdir()] == [copied.name]  # no partial file left


def test_no_copy_when_turned_off_or_before_there_is_a_warehouse(settings):
    assert refresh_snapshot(_warehouse(settings)) is None  # no warehouse yet
    with connect(settings.duckdb_path):
        pass
    assert refresh_snapshot(_warehouse(settings, snapshot_enabled=False)) is None
    assert not settings.snapshot_path.exists()


def test_a_held_warehouse_is_not_copied_by_a_sensor_tick(settings):
    with held_by_another_process(settings, seconds=60):
        with pytest.raises(ConfigError, match="cannot open the warehouse"):
            refresh_snapshot(_warehouse(settings), wait=False)
    assert not settings.snapshot_path.exists()
