"""The stale-days sensor: after an ingestion run, one daily run per contiguous range of days."""

import dagster as dg

from event_assets.core.partitions import RANGE_END_TAG, RANGE_START_TAG
from event_assets_tests.conftest import write_events
from event_assets_tests.schools.test_end_to_end import D2, FIRST_FILE, SECOND_FILE, ev


def stale_sensor_requests(defs, instance):
    sensor = defs.resolve_sensor_def("schools_stale_days_sensor")
    context = dg.build_sensor_context(instance=instance, definitions=defs)
    return sensor.evaluate_tick(context).run_requests


def test_new_files_request_exactly_the_affected_days(settings, defs):
    landing = settings.landing_dir("schools")
    ingest = defs.resolve_job_def("schools_ingest")
    daily = defs.resolve_job_def("schools_days")
    with dg.DagsterInstance.ephemeral() as instance:
        write_events(landing / "day-1.jsonl", FIRST_FILE)
        assert ingest.execute_in_process(instance=instance).success
        (request,) = stale_sensor_requests(defs, instance)
        assert request.job_name == "schools_days"
        assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == (
            "2026-01-05",
            "2026-01-06",
        )
        assert daily.execute_in_process(instance=instance, tags=request.tags).success

        # The late end of a session that started on Jan 5 re-opens Jan 5 and adds Jan 6-8.
        write_events(landing / "day-2.jsonl", SECOND_FILE)
        assert ingest.execute_in_process(instance=instance).success
        (request,) = stale_sensor_requests(defs, instance)
        assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == (
            "2026-01-05",
            "2026-01-08",
        )
        assert daily.execute_in_process(instance=instance, tags=request.tags).success
        usage_key = dg.AssetKey(["schools", "schools_device_daily_usage"])
        materialized = instance.get_materialized_partitions(usage_key)
        assert sorted(materialized) == [f"2026-01-0{d}" for d in (5, 6, 7, 8)]
        # the partitions are the days through the newest with data, and none of them is missing
        assert instance.get_dynamic_partitions("schools_days") == sorted(materialized)

        # Nothing new: the next ingestion asks only for a refresh of the downstream tables.
        assert ingest.execute_in_process(instance=instance).success
        (request,) = stale_sensor_requests(defs, instance)
        assert request.job_name == "schools_refresh"
        assert RANGE_START_TAG not in request.tags

        # A session on Jan 11: Jan 9 and 10 (no data) become partitions too, materialized empty.
        session = "5e55105e-0000-4000-8000-000000000011"
        write_events(
            landing / "day-3.jsonl",
            [
                ev("StartSession", "11T09:00:00.000", D2, sessionId=session),
                ev("EndSession", "11T09:30:00.000", D2, sessionId=session),
            ],
        )
        assert ingest.execute_in_process(instance=instance).success
        (request,) = stale_sensor_requests(defs, instance)
        assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == (
            "2026-01-09",
            "2026-01-11",
        )
        assert daily.execute_in_process(instance=instance, tags=request.tags).success
        days = [f"2026-01-{d:02}" for d in range(5, 12)]
        assert instance.get_dynamic_partitions("schools_days") == days
        assert sorted(instance.get_materialized_partitions(usage_key)) == days
