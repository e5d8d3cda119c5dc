"""Days before the domain's first day have no partition: a valid event on such a day is kept in
the dbt tables, left out of the daily table without failing a run, and the stale-days asset's
coverage check warns about it."""

import dagster as dg

from event_assets.core.runner import run_domain
from event_assets_tests.conftest import write_events
from event_assets_tests.schools.test_end_to_end import FIRST_FILE, query


def test_a_day_before_the_first_day_warns_and_fails_no_run(settings, defs, tmp_path):
    device, session = "d9d9d9d9-0000-4000-8000-000000000009", "5e55105e-0000-4000-8000-000000000009"
    early_session = [
        {"type": kind, "time": f"2025-12-31T{time}Z", "logId": device, **payload}
        for kind, time, payload in [
            ("SetLogType", "07:00:00", {"logType": "Device"}),
            ("StartSession", "08:00:00", {"sessionId": session}),
            ("EndSession", "08:45:00", {"sessionId": session}),
        ]
    ]
    write_events(settings.landing_dir("schools") / "day-1.jsonl", FIRST_FILE)
    write_events(settings.landing_dir("schools") / "day-0.jsonl", early_session)
    with dg.instance_for_test() as instance:
        outcome = run_domain(defs, "schools", instance, tmp_path / "run.log", echo=lambda _: None)
    assert not outcome.failed_runs, outcome.runs
    (coverage,) = [c for c in outcome.checks if c.check == "covers_every_day_with_data"]
    assert not coverage.passed and coverage.severity == "WARN"
    assert query(
        settings, "select count(*) from schools.sessions where started_at < '2026-01-05'"
    ) == [(1,)]
    assert query(
        settings,
        "select count(*) from schools.schools_device_daily_usage where date < '2026-01-05'",
    ) == [(0,)]
    assert min(first for first, _ in outcome.stale_ranges).isoformat() == "2026-01-05"
