"""Two Dagster instances on one warehouse (the headless command with another DAGSTER_HOME than the
UI's): they do not share the `warehouse` pool, so their steps take turns on DuckDB's lock alone.
A dbt step that finds the warehouse held by the other instance's run waits for it (dbt-duckdb's
connect retries) instead of failing with "Could not set lock", as the UI's dbt step once did.
"""

import dagster as dg

from event_assets.core.runner import domains_of
from event_assets_tests.conftest import write_events
from event_assets_tests.core.test_warehouse_lock import (
    EVENT,
    RAW_KEY,
    _definitions,
    held_by_another_process,
)

# Longer than dbt takes to parse the project before it opens the warehouse, on a busy machine
# too: with the suite's workers beside it, dbt once took 17 s to get there.
HELD_SECONDS = 40


def _dbt_step_while_held(settings, lock_timeout_seconds: float) -> dg.ExecuteInProcessResult:
    """Ingest a file, then run the dbt models while another process holds the warehouse."""
    defs = _definitions(settings, lock_timeout_seconds=lock_timeout_seconds)
    write_events(settings.landing_dir("schools") / "day-1.jsonl", [EVENT])
    job = defs.resolve_job_def("schools_ingest")
    dbt_keys = list(domains_of(defs)["schools"].dbt_assets.keys)
    with dg.instance_for_test() as ui_instance:
        assert job.execute_in_process(instance=ui_instance, asset_selection=[RAW_KEY]).success
        # The other instance's run (here: a process holding the warehouse) as dbt starts.
        with held_by_another_process(settings, seconds=HELD_SECONDS):
            return job.execute_in_process(
                instance=ui_instance, asset_selection=dbt_keys, raise_on_error=False
            )


def test_a_dbt_step_waits_while_a_run_of_another_instance_holds_the_warehouse(
    settings, dbt_manifest
):
    result = _dbt_step_while_held(settings, lock_timeout_seconds=300)  # the default
    assert result.success, [event.message for event in result.get_step_failure_events()]


def test_without_the_wait_that_dbt_step_fails_as_the_ui_s_did(settings, dbt_manifest):
    # The same with no waiting (one connect attempt): the collision the issue reported, which
    # shows that the holder does hold the warehouse when dbt opens it in the test above.
    result = _dbt_step_while_held(settings, lock_timeout_seconds=0)
    assert not result.success
    (failure,) = result.get_step_failure_events()
    assert failure.step_key == "schools_dbt_models"
    assert "Could not set lock" in failure.step_failure_data.error.message
