"""Measures are stored rounded (6 decimals), so two runs on the same files store the same
doubles: a sum of doubles otherwise differs in the last bits with the order DuckDB adds them."""

import dagster as dg
import duckdb
import pytest

from event_assets.core.runner import run_domain
from event_assets_tests.conftest import DOMAINS
from event_assets_tests.core.test_sensors_after_headless import copy_sample_start


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_stored_double_of_a_served_table_is_rounded(domain, settings, defs, tmp_path):
    copy_sample_start(domain, settings.landing_dir(domain), files_per_folder=3)
    with dg.instance_for_test() as instance:
        outcome = run_domain(defs, domain, instance, tmp_path / "run.log", echo=lambda _: None)
    assert outcome.runs and not outcome.failed_runs, outcome.runs
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as conn:
        columns = conn.execute(
            """select table_name, column_name from information_schema.columns
               where table_schema = ? and data_type = 'DOUBLE'
                 and not regexp_matches(table_name, '^(stg_|int_|raw_)')""",
            [domain],
        ).fetchall()
        assert columns, "the domain serves measures"
        unrounded = {
            f"{table}.{column}": conn.execute(
                f'select count(*) from {domain}."{table}" where "{column}" <> round("{column}", 6)'
            ).fetchone()[0]
            for table, column in columns
        }
    assert unrounded == dict.fromkeys(unrounded, 0)
