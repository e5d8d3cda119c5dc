"""Another process holding the warehouse (an analyst's open connection): runs wait for it with
backoff, and a file whose ingestion run failed is requested again by the next sensor tick."""

import dataclasses
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import pytest

from event_assets.core.warehouse import ConfigError, Settings, connect, dbt_connect_attempts
from event_assets_tests.conftest import write_events

EVENT = {"type": "SetLogType", "time": "2026-01-05T07:00:00Z", "logId": "x", "logType": "School"}
RAW_KEY = dg.AssetKey(["schools", "raw_schools_events"])


@contextmanager
def held_by_another_process(settings: Settings, seconds: float) -> Iterator[subprocess.Popen]:
    """A separate process (DuckDB's lock is per process) holds the warehouse for `seconds`."""
    with connect(settings.duckdb_path):
        pass  # the warehouse exists
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; conn = duckdb.connect(sys.argv[1]); print('held', "
            "flush=True); time.sleep(float(sys.argv[2]))",
            str(settings.duckdb_path),
            str(seconds),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def _definitions(settings: Settings, lock_timeout_seconds: float) -> dg.Definitions:
    from event_assets.definitions import build_definitions

    return build_definitions(
        dataclasses.replace(settings, lock_timeout_seconds=lock_timeout_seconds)
    )


def _ingest(defs: dg.Definitions, instance: dg.DagsterInstance, tags=None):
    job = defs.resolve_job_def("schools_ingest")
    return job.execute_in_process(
        instance=instance, asset_selection=[RAW_KEY], tags=tags or {}, raise_on_error=False
    )


def _raw_rows(settings: Settings) -> int:
    with connect(settings.duckdb_path, read_only=True) as conn:
        return conn.execute("select count(*) from schools.raw_schools_events").fetchone()[0]


def _tick(defs: dg.Definitions, instance: dg.DagsterInstance, cursor: str | None):
    sensor = defs.resolve_sensor_def("schools_landing_sensor")
    context = dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        definitions=defs,
        resources={"warehouse": defs.resources["warehouse"]},
    )
    result = sensor.evaluate_tick(context)
    return result.run_requests, result.skip_message, context.cursor


def test_connect_waits_for_the_lock_then_opens(settings, dbt_manifest):
    with held_by_another_process(settings, seconds=2):
        started = time.monotonic()
        with connect(settings.duckdb_path, wait_seconds=60) as conn:
            assert conn.execute("select 42").fetchone() == (42,)
        assert time.monotonic() - started > 1  # it did wait for the other process


def test_connect_gives_up_after_the_lock_timeout_with_one_line(settings, dbt_manifest):
    with held_by_another_process(settings, seconds=60):
        started = time.monotonic()
        with pytest.raises(ConfigError, match=r"cannot open the warehouse .* \(waited 1 s\)"):
            with connect(settings.duckdb_path, wait_seconds=1):
                pass
        assert time.monotonic() - started < 10


def test_a_file_dropped_while_an_analyst_holds_the_warehouse_is_ingested_once_it_is_free(
    settings, dbt_manifest
):
    defs = _definitions(settings, lock_timeout_seconds=60)
    write_events(settings.landing_dir("schools") / "day-1.jsonl", [EVENT])
    with dg.instance_for_test() as instance:
        with held_by_another_process(settings, seconds=3):
            result = _ingest(defs, instance)  # waits for the holder to exit
        assert result.success
    assert _raw_rows(settings) == 1


def test_a_file_whose_ingestion_failed_is_requested_again_by_the_next_tick(settings, dbt_manifest):
    defs = _definitions(settings, lock_timeout_seconds=0)
    write_events(settings.landing_dir("schools") / "day-1.jsonl", [EVENT])
    with dg.instance_for_test() as instance:
        (request,), _, cursor = _tick(defs, instance, None)

        # Its run starts while an analyst holds the warehouse, and fails.
        with held_by_another_process(settings, seconds=60):
            failed = _ingest(defs, instance, tags={"dagster/run_key": request.run_key})
        assert not failed.success

        # The next tick asks for it again, under a new run key (Dagster skips a repeated key).
        (retry,), _, cursor = _tick(defs, instance, cursor)
        assert retry.run_key != request.run_key
        assert retry.tags["event_assets/new_files"] == "day-1.jsonl"
        assert _ingest(defs, instance, tags={"dagster/run_key": retry.run_key}).success
        assert _raw_rows(settings) == 1

        requests, skip, _ = _tick(defs, instance, cursor)
        assert requests == [] and "no new files" in skip


def test_a_request_whose_run_has_not_started_is_not_repeated(settings, dbt_manifest):
    defs = _definitions(settings, lock_timeout_seconds=0)
    write_events(settings.landing_dir("schools") / "day-1.jsonl", [EVENT])
    with dg.instance_for_test() as instance:
        (_,), _, cursor = _tick(defs, instance, None)
        requests, _, _ = _tick(defs, instance, cursor)
    assert requests == []


def test_dbt_tries_to_open_the_warehouse_for_about_the_lock_timeout():
    # dbt-duckdb sleeps 1, 2, 4, ... s between attempts: n attempts wait 2**n - 1 s.
    assert dbt_connect_attempts(0) == 1
    assert dbt_connect_attempts(300) == 8  # 255 s
    assert dbt_connect_attempts(1023) == 10
