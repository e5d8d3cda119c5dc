"""What a headless run leaves, for every domain (one build per domain, shared by the tests):

- a UI started after it (`make run`, then `make dev`) repeats nothing: every sensor of the
  domain, evaluated with empty cursors over the warehouse and instance the run left, requests no
  run; a file landing afterwards is requested;
- measures are stored rounded (6 decimals), so two runs on the same files store the same doubles
  (a sum of doubles otherwise differs in the last bits with the order DuckDB adds them)."""

from dataclasses import dataclass

import dagster as dg
import duckdb
import pytest

from event_assets.core.names import landing_sensor
from event_assets.core.runner import DomainOutcome, domains_of, run_domain
from event_assets.core.warehouse import (
    DATA_DIR_VAR,
    DUCKDB_PATH_VAR,
    SETTLE_SECONDS_VAR,
    Settings,
    load_settings,
)
from event_assets_tests.conftest import DOMAINS
from event_assets_tests.sample import copy_sample_start


@dataclass
class HeadlessBuild:
    domain: str
    settings: Settings
    defs: dg.Definitions
    instance: dg.DagsterInstance
    outcome: DomainOutcome


@pytest.fixture(scope="module", params=DOMAINS)
def built(request, tmp_path_factory, dbt_manifest) -> HeadlessBuild:
    """The domain's warehouse built headless from the start of its bundled sample."""
    from event_assets.definitions import build_definitions

    domain = request.param
    root = tmp_path_factory.mktemp(f"headless-{domain}")
    data_dir = root / "data"
    for each in DOMAINS:
        (data_dir / "landing" / each).mkdir(parents=True)
    with pytest.MonkeyPatch.context() as env, dg.instance_for_test() as instance:
        env.setenv(DATA_DIR_VAR, str(data_dir))
        env.setenv(DUCKDB_PATH_VAR, str(data_dir / "warehouse.duckdb"))
        env.setenv(SETTLE_SECONDS_VAR, "0")
        settings = load_settings()
        defs = build_definitions(settings)
        copy_sample_start(domain, settings.landing_dir(domain))
        outcome = run_domain(defs, domain, instance, root / "run.log", echo=lambda _: None)
        assert outcome.runs and not outcome.failed_runs, outcome.runs
        yield HeadlessBuild(domain, settings, defs, instance, outcome)


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


def test_every_stored_double_of_a_served_table_is_rounded(built):
    with duckdb.connect(str(built.settings.duckdb_path), read_only=True) as conn:
        columns = conn.execute(
            """select table_name, column_name from information_schema.columns
               where table_schema = ? and data_type = 'DOUBLE'
                 and not regexp_matches(table_name, '^(stg_|int_|raw_)')""",
            [built.domain],
        ).fetchall()
        assert columns, "the domain serves measures"
        unrounded = {
            f"{table}.{column}": conn.execute(
                f'select count(*) from {built.domain}."{table}" '
                f'where "{column}" <> round("{column}", 6)'
            ).fetchone()[0]
            for table, column in columns
        }
    assert unrounded == dict.fromkeys(unrounded, 0)


def test_no_sensor_repeats_what_the_headless_run_did(built):
    domain, defs, instance = built.domain, built.defs, built.instance
    follow_ups = [name for name, _ in built.outcome.runs if not name.startswith(f"{domain}_ing")]
    has_follow_ups = bool(domains_of(defs)[domain].all_follow_ups())
    assert bool(follow_ups) == has_follow_ups, "the headless run followed up where it has to"

    requested = evaluate_every_sensor(defs, instance, domain)
    assert all(requests == [] for requests in requested.values()), requested

    # A file landing afterwards is requested by the landing sensor.
    copy_sample_start(domain, built.settings.landing_dir(domain), files_per_folder=3)
    requested = evaluate_every_sensor(defs, instance, domain)
    assert len(requested[landing_sensor(domain)]) == 1
