"""A UI started after a headless run (`make run`, then `make dev`) repeats nothing: every sensor
of every domain, evaluated with empty cursors over the warehouse and instance the headless run
left, requests no run; a file landing afterwards is requested."""

import shutil
from pathlib import Path

import dagster as dg
import pytest

from event_assets.core.names import landing_sensor
from event_assets.core.runner import run_domain
from event_assets_tests.conftest import DOMAINS

SAMPLE = Path(__file__).parents[2] / "data" / "landing"


def copy_sample_start(domain: str, landing: Path, files_per_folder: int = 2) -> None:
    """The first files of each folder of the domain's bundled sample (enough to build every
    table, small enough to be quick)."""
    for folder in sorted({path.parent for path in (SAMPLE / domain).rglob("*") if path.is_file()}):
        target = landing / folder.relative_to(SAMPLE / domain)
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted(p for p in folder.iterdir() if p.is_file())[:files_per_folder]:
            shutil.copy2(path, target / path.name)


def evaluate_every_sensor(defs: dg.Definitions, instance, domain: str) -> dict[str, list]:
    """sensor name -> the run requests of its first tick (empty cursor, as in a new UI)."""
    sensors = [
        sensor
        for sensor in defs.get_repository_def().sensor_defs
        if sensor.name.startswith(f"{domain}_")
    ]
    assert landing_sensor(domain) in {sensor.name for sensor in sensors}
    requests = {}
    for sensor in sensors:
        context = dg.build_sensor_context(
            instance=instance,
            definitions=defs,
            resources={"warehouse": defs.resources["warehouse"]},
        )
        requests[sensor.name] = sensor.evaluate_tick(context).run_requests
    return requests


@pytest.mark.parametrize("domain", DOMAINS)
def test_no_sensor_repeats_what_the_headless_run_did(domain, settings, defs, tmp_path):
    landing = settings.landing_dir(domain)
    copy_sample_start(domain, landing)
    with dg.instance_for_test() as instance:
        outcome = run_domain(defs, domain, instance, tmp_path / "run.log", echo=lambda _: None)
        assert outcome.runs and not outcome.failed_runs, outcome.runs
        follow_up_runs = [name for name, _ in outcome.runs if not name.startswith(f"{domain}_ing")]
        assert follow_up_runs, "the headless run followed up (else this test proves little)"

        requested = evaluate_every_sensor(defs, instance, domain)
        assert all(requests == [] for requests in requested.values()), requested

        # A file landing afterwards is requested by the landing sensor.
        copy_sample_start(domain, landing, files_per_folder=3)
        requested = evaluate_every_sensor(defs, instance, domain)
        assert len(requested[landing_sensor(domain)]) == 1
