"""The users and activities files of the original source ingest as they are.

The lines below have the exact shape of the real `users.jsonl` and `activities.jsonl` (ids
invented): milestones not reached are absent, microsecond times, `subtype` null, blank names.
"""

from datetime import datetime

import duckdb

from event_assets.core.ingest import ingest_files
from event_assets.core.landing import list_landed_files
from event_assets_tests.conftest import run_dbt

USERS = """\
{"user_id": "c7b2555c-5a37-46b6-8715-000000000001", "children_ids": ["314874c6-929b-40cb-9ec8-000000000001"], "country_code": "sa", "registration_at": "2021-01-29 00:55:37.285000"}
{"user_id": "9097aa48-6be9-453f-9833-000000000002", "children_ids": ["826d41ee-0000-4000-8000-000000000002", "8fe0391a-0000-4000-8000-000000000003"], "country_code": "in", "registration_at": "2021-01-12 13:34:37.139000", "trial_start_at": "2021-01-12 13:49:37.139000", "trial_end_at": "2021-01-19 13:49:37.139000", "subscription_start_at": "2021-01-19 13:49:37.139000", "subscription_expire_at": "2021-02-18 13:49:37.139000"}
"""  # noqa: E501
ACTIVITIES = """\
{"activity_id": "song_31", "name": "The Family Song", "type": "video", "subtype": null}
{"activity_id": "map_head_shoulders_skeleton", "name": "Head Shoulders Knees and Toes Skeleton", "type": "video", "subtype": "song"}
{"activity_id": "cursive_g", "name": "", "type": "traceable", "subtype": "letter"}
"""  # noqa: E501


def test_real_shaped_users_and_activities_ingest_as_they_are(tmp_path, monkeypatch):
    database = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("EVENT_ASSETS_DUCKDB_PATH", str(database))
    for source, text in [("users", USERS), ("activities", ACTIVITIES), ("events", "")]:
        folder = tmp_path / "landing" / source
        folder.mkdir(parents=True)
        (folder / f"{source}.jsonl").write_text(text)
        with duckdb.connect(str(database)) as conn:
            report = ingest_files(
                conn, f"engagement.raw_engagement_{source}", list_landed_files(folder)
            )
        assert report.unparseable == 0
    result = run_dbt(
        tmp_path, "build", "--select", "stg_engagement__users stg_engagement__activities"
    )
    assert result.returncode == 0, result.stdout[-3000:]

    with duckdb.connect(str(database), read_only=True) as conn:
        users = conn.execute(
            """select user_id, country_code, registration_at, trial_start_at,
                      subscription_start_at, subscription_expire_at
               from engagement.stg_engagement__users order by registration_at"""
        ).fetchall()
        activities = conn.execute(
            """select activity_id, activity_name, activity_type, activity_subtype
               from engagement.stg_engagement__activities order by activity_id"""
        ).fetchall()
    assert users == [
        (
            "9097aa48-6be9-453f-9833-000000000002",
            "in",
            datetime(2021, 1, 12, 13, 34, 37, 139000),
            datetime(2021, 1, 12, 13, 49, 37, 139000),
            datetime(2021, 1, 19, 13, 49, 37, 139000),
            datetime(2021, 2, 18, 13, 49, 37, 139000),
        ),
        (
            "c7b2555c-5a37-46b6-8715-000000000001",
            "sa",
            datetime(2021, 1, 29, 0, 55, 37, 285000),
            None,
            None,
            None,
        ),
    ]
    assert activities == [
        ("cursive_g", None, "traceable", "letter"),
        ("map_head_shoulders_skeleton", "Head Shoulders Knees and Toes Skeleton", "video", "song"),
        ("song_31", "The Family Song", "video", None),
    ]
