"""A domain of its own shape: no dbt models, no daily part, an asset of its own kind in `extra`
run by a follow-up. Core builds its jobs and sensors, and the headless run follows the same
decision its sensor takes."""

import gzip
import os

import dagster as dg
import duckdb
import pytest

from event_assets.core.names import asset_key, qualified
from event_assets.core.pipeline import Domain, FollowUp
from event_assets.core.runner import run_domain
from event_assets.core.summary import print_summary
from event_assets.core.warehouse import WAREHOUSE_POOL, Warehouse
from event_assets_tests.conftest import write_events

DOMAIN = "toy"


@dg.asset(key=asset_key(DOMAIN, "counted"), deps=[asset_key(DOMAIN, "raw_toy_events")])
def counted(warehouse: Warehouse) -> dg.MaterializeResult:
    with warehouse.connect() as conn:
        conn.execute(
            f"create or replace table {qualified(DOMAIN, 'counted')} as "
            f"select count(*) as n from {qualified(DOMAIN, 'raw_toy_events')}"
        )
        (n,) = conn.execute(f"select n from {qualified(DOMAIN, 'counted')}").fetchone()
    return dg.MaterializeResult(metadata={"n": n})


@dg.asset(key=asset_key(DOMAIN, "processed"), deps=[counted], pool=WAREHOUSE_POOL)
def processed(warehouse: Warehouse) -> None:
    """Stands for an asset of the domain's own kind (a micro-batch processor, say)."""
    with warehouse.connect() as conn:
        conn.execute(f"create or replace table {qualified(DOMAIN, 'processed')} as select 1 as x")


def process_when_counted(metadata, run_id: str) -> list[dg.RunRequest]:
    if metadata["n"].value == 0:
        return []
    return [dg.RunRequest(run_key=f"{run_id}-process", job_name="toy_process")]


TOY = Domain(
    name=DOMAIN,
    assets=[counted],
    follow_ups=[
        FollowUp(
            name="toy_counted_sensor",
            trigger=asset_key(DOMAIN, "counted"),
            job_names=["toy_process"],
            decide=process_when_counted,
            description="Processes what was counted.",
        )
    ],
    extra=dg.Definitions(
        assets=[processed],
        jobs=[dg.define_asset_job("toy_process", selection=dg.AssetSelection.assets(processed))],
    ),
)


@pytest.fixture
def toy_defs(settings) -> dg.Definitions:
    settings.landing_dir(DOMAIN).mkdir(parents=True)
    resources = dg.Definitions(resources={"warehouse": Warehouse.from_settings(settings)})
    return dg.Definitions.merge(TOY.definitions(), resources)


def test_core_builds_only_what_the_domain_has(toy_defs):
    jobs = {job.name for job in toy_defs.resolve_all_job_defs() if not job.name.startswith("__")}
    assert jobs == {"toy_ingest", "toy_process"}
    sensors = {sensor.name for sensor in toy_defs.sensors}
    assert sensors == {"toy_landing_sensor", "toy_counted_sensor"}


def test_the_headless_run_follows_the_sensors_decision_then_rests(settings, toy_defs, tmp_path):
    write_events(settings.landing_dir(DOMAIN) / "a.jsonl", [{"k": 1}, {"k": 2}])
    with dg.instance_for_test() as instance:
        outcome = run_domain(toy_defs, DOMAIN, instance, tmp_path / "log", echo=lambda _: None)
        assert outcome.runs == [("toy_ingest (ingest)", True), ("toy_process (follow-up)", True)]

        # The follow-up's decision on that materialization is what the headless run did; its
        # sensor, evaluated afterwards (a UI started after the run), leaves it out as done.
        event = instance.get_latest_materialization_event(asset_key(DOMAIN, "counted"))
        metadata = dict(event.asset_materialization.metadata)
        (request,) = TOY.follow_ups[0].decide(metadata, event.run_id)
        assert request.job_name == "toy_process"
        sensor = toy_defs.resolve_sensor_def("toy_counted_sensor")
        context = dg.build_sensor_context(instance=instance, definitions=toy_defs)
        result = sensor.evaluate_tick(context)
        assert result.run_requests == [] and "already did" in result.skip_message

        again = run_domain(toy_defs, DOMAIN, instance, tmp_path / "log", echo=lambda _: None)
        assert again.idle and again.runs == []
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as conn:
        assert conn.execute("select n from toy.counted").fetchall() == [(2,)]
        assert conn.execute("select x from toy.processed").fetchall() == [(1,)]


def test_a_run_with_nothing_new_still_names_what_it_does_not_read(
    settings, toy_defs, tmp_path, capsys
):
    landing = settings.landing_dir(DOMAIN)
    write_events(landing / "a.jsonl", [{"k": 1}])
    (landing / "cut.jsonl.gz").write_bytes(gzip.compress(b'{"k": 2}\n')[:-8])
    os.utime(landing / "cut.jsonl.gz", (0, 1_000_000))
    with dg.instance_for_test() as instance:
        first = run_domain(toy_defs, DOMAIN, instance, tmp_path / "log", echo=lambda _: None)
        assert [entry.split(":")[0] for entry in first.ingestion["unreadable"]] == ["cut.jsonl.gz"]
        (landing / "link.jsonl").symlink_to(landing / "a.jsonl")  # not a file: nothing new
        again = run_domain(toy_defs, DOMAIN, instance, tmp_path / "log", echo=lambda _: None)
    assert again.idle and again.runs == []
    (unreadable,) = again.ingestion["unreadable"]
    assert unreadable.startswith("cut.jsonl.gz: ") and unreadable.endswith("(as recorded before)")
    assert [entry.split(":")[0] for entry in again.ingestion["skipped"]] == ["link.jsonl"]
    print_summary(again)
    printed = capsys.readouterr().out
    assert "warning: could not read cut.jsonl.gz" in printed
    assert "note: not read: link.jsonl: " in printed
    assert "ingested" not in printed  # nothing ran
