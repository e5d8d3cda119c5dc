"""The headless command, as `make run` and the benchmarks call it, in a subprocess."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from event_assets.generate.schools import generate_schools

REPO = Path(__file__).resolve().parents[1]


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "event_assets", *args],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "EVENT_ASSETS_DATA_DIR": str(tmp_path / "data"),
        "EVENT_ASSETS_DUCKDB_PATH": str(tmp_path / "elsewhere" / "wh.duckdb"),
        "EVENT_ASSETS_SETTLE_SECONDS": "0",
        "DAGSTER_HOME": "",
    }


def test_every_check_passes_on_a_generated_sample_and_a_second_run_finds_nothing(tmp_path, env):
    generate_schools(tmp_path / "data" / "landing" / "schools", events=5_000, seed=7, days=9)

    first = cli("run", env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "ingested 9 new file(s), 5000 record(s)" in first.stdout
    assert ", 0 failed" in first.stdout
    assert "rejected_by_reason" in first.stdout
    assert (tmp_path / "elsewhere" / "plots" / "schools_daily_usage.png").stat().st_size > 0
    with duckdb.connect(str(tmp_path / "elsewhere" / "wh.duckdb"), read_only=True) as conn:
        tables = {row[0] for row in conn.execute("show tables from schools").fetchall()}
        received = conn.execute("select count(*) from schools.raw_schools_events").fetchone()[0]
    assert {"devices", "sessions", "usage_history", "schools"} <= tables
    assert received == 5_000

    # Rebuilding the incremental models from scratch changes nothing either.
    second = cli("run", "--domain", "schools", "--full-refresh", env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "nothing new to ingest" in second.stdout
    assert "days re-materialized: 0" in second.stdout
    # Run history is kept in the data directory's instance, which the UI shares.
    assert (tmp_path / "data" / ".dagster" / "dagster.yaml").exists()

    # A warehouse built by an older version (here: a column the classification no longer has
    # the same way): the run fails with dbt's own error and the way out, which works.
    with duckdb.connect(str(tmp_path / "elsewhere" / "wh.duckdb")) as conn:
        conn.execute("alter table schools.int_schools__events_classified drop column classified_at")
    outdated = cli("run", "--domain", "schools", env=env)
    assert outdated.returncode == 1
    assert "dbt: Compilation Error in model int_schools__events_classified" in outdated.stdout
    assert "out of sync" in outdated.stdout
    assert "python -m event_assets run --full-refresh" in outdated.stdout
    rebuilt = cli("run", "--domain", "schools", "--full-refresh", env=env)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"EVENT_ASSETS_SETTLE_SECONDS": "soon"}, "is not a number of seconds"),
        ({}, "landing folder"),  # data dir exists, landing/schools does not
    ],
)
def test_user_errors_give_one_line_and_exit_2(tmp_path, env, override, message):
    (tmp_path / "data").mkdir()
    result = cli("run", env={**env, **override})
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_domain_is_named(tmp_path, env):
    (tmp_path / "data" / "landing" / "schools").mkdir(parents=True)
    result = cli("run", "--domain", "shops", env=env)
    assert result.returncode == 2
    assert "unknown domain 'shops'" in result.stderr and "schools" in result.stderr
