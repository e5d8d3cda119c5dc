"""End to end for `engagement`: the real Definitions on a hand-made stream, worked out by hand.

Users: u1 registers Jan 1 00:00, trial from 00:10 to Jan 8 00:10; u2 registers, no milestones;
u3 has no record. Activities: a1 (game), a2 (video); a9 is not in the catalogue.
Events: e1 u1 Jan 2 a1 60 s completed (trial); e2 u1 Jan 9 a2 30 s (trial over, no
subscription: lapsed); e3 u2 Jan 2 a1 120 s completed (free); e4 u3 Jan 3 a9 45 s (unknown, type
unknown); e6 with a negative duration (rejected).
Second delivery: u1 again, now subscribed from the trial's end (Jan 8 00:10) for 30 days, so e2
becomes `subscribed` and only Jan 9 is stale; e1 delivered again (duplicate).
"""

from datetime import date

import dagster as dg
import duckdb
import pytest

from event_assets.core.runner import run_domain
from event_assets_tests.conftest import write_events

U1 = "11111111-0000-4000-8000-000000000001"
U2 = "22222222-0000-4000-8000-000000000002"
U3 = "33333333-0000-4000-8000-000000000003"
CHILD = "cccccccc-0000-4000-8000-000000000001"


def event(event_id: str, user: str, at: str, activity: str | None, duration, completed=False):
    data = {"source": "launcher", "duration": duration, "completed": completed}
    data |= {"collection_id": "", "loading_time": 1.5}
    if activity is not None:
        data["activity_id"] = activity
    return {
        "event_id": f"eeeeeeee-0000-4000-8000-00000000000{event_id}",
        "name": "activity_exit",
        "occurred_at": f"2021-01-{at}",
        "user_id": user,
        "child_id": CHILD,
        "data": data,
        "context": {
            "device": {"device_id": "dddddddd-0000-4000-8000-000000000001", "brand": "Apple"},
            "os": {"name": "iPhone OS", "version": "14.2"},
            "app": {"version": "7.41.0", "build": "4457"},
        },
    }


E1 = event("1", U1, "02 10:00:00.000", "a1", 60.0, True)
EVENTS = [
    E1,
    event("2", U1, "09 10:00:00.000", "a2", 30.0),
    event("3", U2, "02 11:00:00.000", "a1", 120.0, True),
    event("4", U3, "03 12:00:00.000", "a9", 45.0),
    event("6", U2, "04 12:00:00.000", "a1", -5.0),
]


def user(user_id: str, **milestones: str) -> dict:
    return {
        "user_id": user_id,
        "children_ids": [CHILD],
        "country_code": "us",
        "registration_at": "2021-01-01 00:00:00.000000",
        **milestones,
    }


U1_TRIAL = user(
    U1, trial_start_at="2021-01-01 00:10:00.000000", trial_end_at="2021-01-08 00:10:00.000000"
)
U1_SUBSCRIBED = U1_TRIAL | {
    "subscription_start_at": "2021-01-08 00:10:00.000000",
    "subscription_expire_at": "2021-02-07 00:10:00.000000",
}
ACTIVITIES = [
    {"activity_id": "a1", "name": "Game One", "type": "game", "subtype": None},
    {"activity_id": "a2", "name": "Video Two", "type": "video", "subtype": "song"},
]


def query(settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def run(defs, instance, tmp_path):
    outcome = run_domain(defs, "engagement", instance, tmp_path / "run.log", echo=lambda _: None)
    assert not outcome.failed_runs, outcome.runs
    failed = [check for check in outcome.checks if not check.passed]
    assert not failed, failed
    return outcome


@pytest.fixture
def landing(settings):
    folder = settings.landing_dir("engagement")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_status_at_event_time_and_a_redelivered_user(settings, defs, landing, tmp_path):
    write_events(landing / "activities" / "activities.jsonl", ACTIVITIES)
    write_events(landing / "users" / "users-1.jsonl", [U1_TRIAL, user(U2)])
    write_events(landing / "events" / "events-1.jsonl", EVENTS)
    with dg.DagsterInstance.ephemeral() as instance:
        first = run(defs, instance, tmp_path)
        # Jan 2-3 and 9 have plays; the days around them are new partitions, materialized empty
        assert first.stale_ranges == [(date(2021, 1, 1), date(2021, 1, 9))]
        assert query(
            settings,
            "select date, subscription_status from engagement.engagement_daily "
            "where activity_id = 'a2'",
        ) == [(date(2021, 1, 9), "lapsed")]

        write_events(landing / "users" / "users-2.jsonl", [U1_SUBSCRIBED])
        write_events(landing / "events" / "events-2.jsonl", [E1])
        second = run(defs, instance, tmp_path)

    assert second.stale_ranges == [(date(2021, 1, 9), date(2021, 1, 9))]
    assert query(
        settings,
        """select date, country_code, os_name, subscription_status, activity_id, activity_type,
                  collection_id, plays, completed_plays, duration_seconds, loading_seconds
           from engagement.engagement_daily order by all""",
    ) == [
        (date(2021, 1, 2), "us", "iOS", "free", "a1", "game", None, 1, 1, 120.0, 1.5),
        (date(2021, 1, 2), "us", "iOS", "trial", "a1", "game", None, 1, 1, 60.0, 1.5),
        (date(2021, 1, 3), None, "iOS", "unknown", "a9", "unknown", None, 1, 0, 45.0, 1.5),
        (date(2021, 1, 9), "us", "iOS", "subscribed", "a2", "video", None, 1, 0, 30.0, 1.5),
    ]
    assert query(
        settings,
        "select status, count(*) from engagement.int_engagement__events_classified "
        "group by 1 order by 1",
    ) == [("duplicate", 1), ("rejected", 1), ("valid", 4)]
    assert query(settings, "select reason from engagement.engagement_rejected_events") == [
        ("negative_duration",)
    ]
    assert query(
        settings,
        """select activity_id, plays, plays_rank, duration_rank from engagement.activity_rankings
           order by activity_id""",
    ) == [("a1", 2, 1, 1), ("a2", 1, 2, 3), ("a9", 1, 2, 2)]
    assert query(
        settings,
        "select plays, completed_plays, completion_rate from engagement.engagement_monthly "
        "where subscription_status = 'free'",
    ) == [(1, 1, 1.0)]
