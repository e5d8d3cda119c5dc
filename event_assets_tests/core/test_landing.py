"""The landing folder: which files are ready, and the sensor that requests ingestion runs."""

import dataclasses
import os
import time

import dagster as dg

from event_assets.core.landing import is_complete_name, list_landed_files, split_ready
from event_assets.core.warehouse import Warehouse
from event_assets_tests.conftest import write_events

EVENT = {"type": "SetLogType", "time": "2026-01-05T07:00:00Z", "logId": "x", "logType": "School"}


def test_only_complete_names_are_considered():
    assert is_complete_name("day-1.jsonl")
    assert is_complete_name("sub/day-1.jsonl.gz")
    assert is_complete_name("export.json")
    assert not is_complete_name("day-1.jsonl.part")
    assert not is_complete_name("day-1.jsonl.tmp")
    assert not is_complete_name(".day-1.jsonl")
    assert not is_complete_name("_day-1.jsonl")
    assert not is_complete_name("notes.txt")


def test_a_file_still_changing_is_not_ready(tmp_path):
    old = write_events(tmp_path / "old.jsonl", [EVENT])
    fresh = tmp_path / "fresh.jsonl"
    fresh.write_text("{}\n")
    now = time.time()
    os.utime(fresh, (now, now))
    ready, settling = split_ready(list_landed_files(tmp_path), settle_seconds=5, now=now + 1)
    assert [f.path for f in ready] == [old]
    assert [f.path for f in settling] == [fresh]


def _sensor(defs: dg.Definitions) -> dg.SensorDefinition:
    return defs.resolve_sensor_def("schools_landing_sensor")


def _tick(defs, instance, cursor=None, settle_seconds=None):
    """One evaluation; `settle_seconds` replaces the setting the definitions were loaded with."""
    sensor = _sensor(defs)
    warehouse = defs.resources["warehouse"]
    if settle_seconds is not None:
        settings = dataclasses.replace(warehouse.settings, settle_seconds=settle_seconds)
        warehouse = Warehouse.from_settings(settings)
    resources = {"warehouse": warehouse}
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, definitions=defs, resources=resources
    )
    result = sensor.evaluate_tick(context)
    return result.run_requests, result.skip_message, context.cursor


def test_sensor_requests_a_run_for_new_content_only(settings, defs):
    landing = settings.landing_dir("schools")
    with dg.instance_for_test() as instance:
        requests, skip, cursor = _tick(defs, instance)
        assert requests == [] and "no new files" in skip

        write_events(landing / "day-1.jsonl", [EVENT])
        requests, _, cursor = _tick(defs, instance, cursor)
        assert len(requests) == 1
        assert requests[0].job_name in (None, "schools_ingest")
        assert "day-1.jsonl" in requests[0].tags["event_assets/new_files"]

        # Nothing changed: nothing to do.
        requests, _, cursor = _tick(defs, instance, cursor)
        assert requests == []

        # The same content delivered again under another name: nothing to do either.
        write_events(landing / "day-1-copy.jsonl", [EVENT])
        requests, _, cursor = _tick(defs, instance, cursor)
        assert requests == []

        # A half-written file (temporary name, or still being appended to) waits.
        (landing / "day-2.jsonl.part").write_text("{}\n")
        (landing / "day-3.jsonl").write_text('{"type": "SetName"}\n')
        requests, skip, cursor = _tick(defs, instance, cursor, settle_seconds=60)
        assert requests == [] and "1 file(s) still being written" in skip

        # Once it has settled it is requested.
        requests, _, cursor = _tick(defs, instance, cursor, settle_seconds=0)
        assert len(requests) == 1
        assert requests[0].tags["event_assets/new_files"] == "day-3.jsonl"


def test_sensor_skips_with_a_reason_when_the_landing_folder_is_missing(settings, defs):
    settings.landing_dir("schools").rmdir()
    with dg.instance_for_test() as instance:
        requests, skip, _ = _tick(defs, instance)
    assert requests == [] and "does not exist" in skip


def test_a_new_sensor_asks_the_ledger_so_a_headless_run_is_not_repeated(settings, defs):
    """A UI started after a headless run (empty cursor) requests nothing until a file lands."""
    landing = settings.landing_dir("schools")
    write_events(landing / "day-1.jsonl", [EVENT])
    with dg.instance_for_test() as instance:
        ingest = defs.resolve_job_def("schools_ingest")
        assert ingest.execute_in_process(instance=instance).success
        requests, skip, _ = _tick(defs, instance)
        assert requests == [] and "no new files" in skip

        write_events(landing / "day-2.jsonl", [{**EVENT, "logId": "y"}])
        requests, _, _ = _tick(defs, instance)
        assert [r.tags["event_assets/new_files"] for r in requests] == ["day-2.jsonl"]
