"""The landing folder: which files are ready, and the sensor that requests ingestion runs."""

import dataclasses
import gzip
import os
import threading
import time

import dagster as dg

from event_assets.core.ingest import ingest_files
from event_assets.core.ingestion_asset import build_ingestion_asset
from event_assets.core.landing import (
    is_complete_name,
    list_landed_files,
    scan_landing,
    split_ready,
)
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


def _odd_entries(landing, outside):
    """A landing folder with a file, links in and out of it, a pipe and a folder named as files."""
    outside.mkdir()
    (outside / "secret.jsonl").write_text('{"secret": 1}\n')
    write_events(landing / "day.jsonl", [EVENT])
    (landing / "out.jsonl").symlink_to(outside / "secret.jsonl")
    (landing / "alias.jsonl").symlink_to(landing / "day.jsonl")
    (landing / "gone.jsonl").symlink_to(outside / "nothing.jsonl")
    (landing / "elsewhere").symlink_to(outside, target_is_directory=True)
    os.mkfifo(landing / "pipe.jsonl")
    write_events(landing / "folder.jsonl" / "inner.jsonl", [{**EVENT, "logId": "y"}])
    (landing / "notes.txt").write_text("not a landing file: ignored by name")


def test_links_pipes_and_folders_are_not_read_and_each_says_why(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    _odd_entries(landing, tmp_path / "outside")
    names = [landed.name for landed in list_landed_files(landing)]
    assert names == ["day.jsonl", "folder.jsonl/inner.jsonl"]
    reasons = dict(entry.split(": ", 1) for entry in scan_landing(landing).skipped)
    assert sorted(reasons) == [
        "alias.jsonl",
        "elsewhere",
        "folder.jsonl",
        "gone.jsonl",
        "out.jsonl",
        "pipe.jsonl",
    ]
    assert reasons["out.jsonl"].startswith(
        f"a symbolic link (to {tmp_path / 'outside' / 'secret.jsonl'}), not followed"
    )
    assert reasons["pipe.jsonl"] == "a named pipe, not a regular file"
    assert reasons["folder.jsonl"].startswith("a folder, not a file")


def _finishes(work, seconds=60):
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(seconds)
    return not thread.is_alive()


def test_a_file_replaced_by_a_named_pipe_never_blocks_the_read(tmp_path):
    import duckdb

    write_events(tmp_path / "a.jsonl", [EVENT])
    write_events(tmp_path / "b.jsonl", [{**EVENT, "logId": "y"}])
    files = list_landed_files(tmp_path)
    (tmp_path / "a.jsonl").unlink()
    os.mkfifo(tmp_path / "a.jsonl")  # after the listing: nobody will ever write to it
    reports = []
    with duckdb.connect() as conn:
        assert _finishes(lambda: reports.append(ingest_files(conn, "raw_test", files)))
    (report,) = reports
    assert [item["file"] for item in report.loaded] == ["b.jsonl"]
    assert report.unreadable == ["a.jsonl: not a regular file"]


def test_the_ingestion_names_what_it_could_not_read_and_what_it_skipped(settings, tmp_path):
    landing = settings.landing_dir("schools")
    _odd_entries(landing, tmp_path / "outside")
    whole = gzip.compress(b"{}\n" * 100)
    (landing / "cut.jsonl.gz").write_bytes(whole[:-8])
    asset = build_ingestion_asset("schools")
    warehouse = Warehouse.from_settings(settings)
    with dg.instance_for_test() as instance:
        result = dg.materialize([asset], resources={"warehouse": warehouse}, instance=instance)
    (materialization,) = result.asset_materializations_for_node(asset.node_def.name)
    metadata = {name: value.value for name, value in materialization.metadata.items()}
    assert metadata["files_loaded"] == 2  # day.jsonl, folder.jsonl/inner.jsonl
    assert metadata["files_unreadable"] == 1
    assert metadata["unreadable"][0].startswith("cut.jsonl.gz: cannot decompress")
    assert metadata["files_skipped"] == 6
    assert any(entry.startswith("out.jsonl: a symbolic link") for entry in metadata["skipped"])
    secret = (tmp_path / "outside" / "secret.jsonl").name
    assert all(item["file"] != secret for item in metadata["loaded"])


def test_the_sensor_asks_for_odd_files_once_and_names_what_it_skips(settings, defs):
    landing = settings.landing_dir("schools")
    with open(os.fsencode(landing) + b"/bad-\xff.jsonl", "w") as handle:
        handle.write('{"type": "SetName"}\n')
    (landing / "cut.jsonl.gz").write_bytes(gzip.compress(b"{}\n" * 100)[:-8])
    (landing / "link.jsonl").symlink_to(landing / "bad-\udcff.jsonl")
    with dg.instance_for_test() as instance:
        requests, _, cursor = _tick(defs, instance)
        assert len(requests) == 1
        assert requests[0].tags["event_assets/new_files"] == "bad-\\xff.jsonl, cut.jsonl.gz"
        warehouse = defs.resources["warehouse"]
        asset = build_ingestion_asset("schools")
        dg.materialize([asset], resources={"warehouse": warehouse}, instance=instance)
        # Loaded, or recorded as unreadable: nothing more to ask for.
        requests, skip, _ = _tick(defs, instance, cursor)
    assert requests == []
    assert "1 entries not read: link.jsonl: a symbolic link" in skip
