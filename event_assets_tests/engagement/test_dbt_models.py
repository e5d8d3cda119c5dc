"""Tests of the engagement dbt models (dbt_project/models/engagement) on a temporary DuckDB file.

A hand-made stream is stored in the three raw tables the way the Python ingestion stores it:
- users: a user whose trial turns into a subscription at the same instant (U_SUB), one whose
  trial ends without subscription (U_TRIAL), one re-delivered in a later file with a new country,
  a trial and a second child (U_FREE: the newest delivery wins), one without milestones (U_BARE);
- activities: three catalogue entries (one with an empty name); events also play `lost_game`,
  which is missing from the catalogue;
- events: one per status boundary, each rejection reason once, `iPhone OS`, an empty collection
  id, a child not listed, an event of a user without record, and a second file (ingested later
  although its name sorts first) that repeats two event ids and adds events across the ISO week
  that spans 2020 and 2021.
dbt builds every engagement model with its data tests; `engagement_daily` (a Python asset in
production) is then filled from `int_engagement__daily_fact` and the rollups are rebuilt from it.
Every table is compared with answers worked out by hand; the YAML unit tests run last.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from event_assets.core.ingest import RAW_COLUMNS
from event_assets_tests.conftest import run_dbt

SELECT = "path:models/engagement"

U_SUB = "5ab5ab00-0000-4000-8000-000000000001"  # trial 12-20 -> subscribed 12-27 10:00 -> 01-27
U_TRIAL = "77a1a100-0000-4000-8000-000000000002"  # registered 12-30, trial 12-30 12:00 -> 01-06
U_FREE = "f7eef7ee-0000-4000-8000-000000000003"  # re-delivered: th, no trial -> sa, trial in Jan
U_BARE = "ba7eba7e-0000-4000-8000-000000000004"  # no milestones at all
U_GHOST = "60057000-0000-4000-8000-000000000005"  # no user record
C_SUB, C_TRIAL, C_FREE, C_FREE2, C_OTHER = (
    f"c0000000-0000-4000-8000-00000000000{n}" for n in range(1, 6)
)

DAILY_COLUMNS = """
    date date, country_code varchar, os_name varchar, os_version varchar, app_version varchar,
    subscription_status varchar, activity_id varchar, activity_type varchar,
    collection_id varchar, plays bigint, completed_plays bigint, duration_seconds double,
    loading_seconds double
"""


@dataclass(frozen=True)
class Unparsed:
    """A line the ingestion could not parse: stored with record NULL."""

    raw_line: str
    load_error: str


def _event(
    event_id: str | None,
    occurred_at: str,
    user_id: str | None,
    activity_id: str | None,
    duration: object,
    completed: object,
    *,
    child_id: str | None = None,
    name: str = "activity_exit",
    collection_id: str | None = None,
    loading_time: object = None,
    os_name: str = "iOS",
    os_version: str = "14.2",
    app_version: str = "7.41.0",
) -> dict:
    """An activity_exit event shaped like the spec's; None leaves a field out."""
    data = {
        "activity_id": activity_id,
        "source": "launcher",
        "duration": duration,
        "completed": completed,
        "collection_id": collection_id,
        "loading_time": loading_time,
    }
    record = {
        "event_id": event_id,
        "name": name,
        "occurred_at": occurred_at,
        "user_id": user_id,
        "child_id": child_id,
        "data": {key: value for key, value in data.items() if value is not None},
        "context": {
            "device": {"device_id": "de1ce000-0000-4000-8000-000000000001", "brand": "Apple"},
            "os": {"name": os_name, "version": os_version},
            "app": {"version": app_version, "build": "4457"},
        },
    }
    return {key: value for key, value in record.items() if value is not None}


def _user(user_id: str, children: list[str], country: str, **milestones: str | None) -> dict:
    return {"user_id": user_id, "children_ids": children, "country_code": country, **milestones}


# fmt: off
# one entry per line of a file: a JSON value (stored in `record`) or an unparsed line
USERS_1: list[object] = [
    _user(U_SUB, [C_SUB], "IN", registration_at="2020-12-20 10:00:00.000000",
          trial_start_at="2020-12-20 10:00:00.000000", trial_end_at="2020-12-27 10:00:00.000000",
          subscription_start_at="2020-12-27 10:00:00.000000",
          subscription_expire_at="2021-01-27 10:00:00.000000"),
    _user(U_TRIAL, [C_TRIAL], "my", registration_at="2020-12-30 00:00:00.000000",
          trial_start_at="2020-12-30 12:00:00.000000",
          trial_end_at="2021-01-06 12:00:00.000000"),
    _user(U_FREE, [C_FREE], "th", registration_at="2020-12-01 00:00:00.000000",
          trial_start_at=None),
    _user(U_BARE, [], "us"),
    Unparsed('{"user_id": "broken"', "malformed_json"),
]
USERS_2: list[object] = [
    _user(U_FREE, [C_FREE, C_FREE2], "sa", registration_at="2020-12-01 00:00:00.000000",
          trial_start_at="2021-01-01 00:00:00.000000",
          trial_end_at="2021-01-08 00:00:00.000000"),
]
ACTIVITIES: list[object] = [
    {"activity_id": "snow_game", "name": "Snow Game", "type": "game", "subtype": None},
    {"activity_id": "song_31", "name": "", "type": "video", "subtype": None},
    {"activity_id": "rainforest_game", "name": "Rainforest Game", "type": "game",
     "subtype": "hide_and_seek"},
]

E = {n: f"e0000000-0000-4000-8000-0000000000{n:02d}" for n in range(1, 30)}
WINTER = "lk_collection_winterexplorer"

# file ingested first (its name sorts last); line numbers in comments
EVENTS_Z: list[object] = [
    # 1: the instant the trial becomes a subscription -> subscribed
    _event(E[1], "2020-12-27 10:00:00.000", U_SUB, "snow_game", 100, True, child_id=C_SUB,
           collection_id=WINTER, loading_time=1.0),
    # 2: a millisecond earlier -> trial; iPhone OS is iOS; empty collection id is none
    _event(E[2], "2020-12-27 09:59:59.999", U_SUB, "snow_game", 50, False, collection_id="",
           os_name="iPhone OS", loading_time=0.5),
    # 3: the instant the subscription expires -> lapsed
    _event(E[3], "2021-01-27 10:00:00.000", U_SUB.upper(), "song_31", 35, True,
           os_name="Android", os_version="10", app_version="7.40.0"),
    # 4: registered, trial not started yet -> free
    _event(E[4], "2020-12-30 11:59:59.000", U_TRIAL, "rainforest_game", 60, True,
           child_id=C_TRIAL, loading_time=1.5),
    # 5: the instant the trial starts -> trial
    _event(E[5], "2020-12-30 12:00:00.000", U_TRIAL, "rainforest_game", 40, False,
           loading_time=0.5),
    # 6: the trial ended without subscription -> lapsed; unknown activity
    _event(E[6], "2021-01-06 12:00:00.000", U_TRIAL, "lost_game", 20, True, loading_time=0),
    # 7: before registration -> unknown
    _event(E[7], "2020-12-29 23:59:59.999", U_TRIAL, "snow_game", 10, False),
    # 8: a user without record -> unknown (counted); unknown activity
    _event(E[8], "2021-01-01 08:00:00.000", U_GHOST, "lost_game", 15, False, child_id=C_OTHER,
           os_name="Android", os_version="10"),
    # 9: no milestones -> free; exactly 6 hours is valid; a child not listed is kept, flagged
    _event(E[9], "2021-01-02 09:00:00.000", U_BARE, "snow_game", 21600, True, child_id=C_OTHER),
    # 10: the re-delivered record counts: in its trial, country sa, second child listed
    _event(E[10], "2021-01-03 10:00:00.000", U_FREE, "snow_game", 30, True, child_id=C_FREE2,
           collection_id=WINTER, loading_time=2.0),
    # 11: subscribed; repeated in the later file
    _event(E[11], "2021-01-01 00:00:00.000", U_SUB, "snow_game", 45.5, True,
           collection_id=WINTER, loading_time=0.5),
    # 12..25: one rejection each
    Unparsed('{"event_id": "e0000000-0000-4000-8000-000000000012", ', "malformed_json"),
    Unparsed("caf\ufffd", "invalid_encoding"),
    [1, 2],
    _event(None, "2021-01-02 10:00:00.000", U_SUB, "snow_game", 10, True),
    _event(E[16], "2021-01-02 10:00:00.000", U_SUB, "snow_game", 10, True, name="app_open"),
    _event(E[17], "2021-01-02 10:00:00.000", U_SUB, None, 10, True),
    _event(E[18], "yesterday", U_SUB, "snow_game", 10, True),
    _event(E[19], "2021-01-02 10:00:00.000", U_SUB, "snow_game", -1, True),
    _event(E[20], "2021-01-02 10:00:00.000", U_SUB, "snow_game", "abc", True),
    _event(E[21], "2021-01-02 10:00:00.000", U_SUB, "snow_game", 21600.5, True),
    _event(E[22], "2021-01-02 10:00:00.000", U_SUB, "snow_game", 10, True, loading_time=-0.1),
    _event(E[23], "2021-01-02 10:00:00.000", U_SUB, "snow_game", 10, "maybe"),
    _event(E[24], "2021-01-02 10:00:00.000", U_SUB, "snow_game", 10, True, loading_time="slow"),
    _event(E[25], "2021-01-02 10:00:00.000", None, "snow_game", 10, True),
]
# file ingested a day later (its name sorts first)
EVENTS_A: list[object] = [
    EVENTS_Z[10],  # 1: a second delivery of E11 -> duplicate
    # 2: last millisecond of the ISO week starting Monday 2020-12-28 (in 2021) -> subscribed
    _event(E[12], "2021-01-03 23:59:59.999", U_SUB, "snow_game", 54.5, False,
           collection_id=WINTER, loading_time=0),
    # 3: first instant of the next ISO week
    _event(E[13], "2021-01-04 00:00:00.000", U_SUB, "snow_game", 10, True, collection_id=WINTER),
    EVENTS_Z[18],  # 4: a second delivery of the rejected E19 -> duplicate
    # 5: E2's id with other content -> duplicate
    _event(E[2], "2021-01-05 00:00:00.000", U_SUB, "snow_game", 999, True),
    # 6: same day and dimensions as E11
    _event(E[14], "2021-01-01 18:30:00.000", U_SUB, "snow_game", 14.5, False,
           collection_id=WINTER, loading_time=1.0),
]

# fmt: on
FILES = [
    ("raw_engagement_users", "users_2021_01_01.jsonl", "hu1", datetime(2021, 1, 1), USERS_1),
    ("raw_engagement_users", "users_2021_01_02.jsonl", "hu2", datetime(2021, 1, 2), USERS_2),
    ("raw_engagement_activities", "activities.jsonl", "ha1", datetime(2021, 1, 1), ACTIVITIES),
    ("raw_engagement_events", "events_z.jsonl", "hz", datetime(2021, 1, 5), EVENTS_Z),
    ("raw_engagement_events", "events_a.jsonl", "ha", datetime(2021, 1, 6), EVENTS_A),
]

STATUS_BY_EVENT = {
    E[1]: "subscribed",  # trial_end_at == subscription_start_at == t
    E[2]: "trial",
    E[3]: "lapsed",  # t == subscription_expire_at
    E[4]: "free",
    E[5]: "trial",  # t == trial_start_at
    E[6]: "lapsed",  # t == trial_end_at, no subscription
    E[7]: "unknown",  # before registration
    E[8]: "unknown",  # no user record
    E[9]: "free",  # no milestones
    E[10]: "trial",  # newest record of a re-delivered user
    E[11]: "subscribed",
    E[12]: "subscribed",
    E[13]: "subscribed",
    E[14]: "subscribed",
}

IOS = ("iOS", "14.2", "7.41.0")
ANDROID_741 = ("Android", "10", "7.41.0")
ANDROID_740 = ("Android", "10", "7.40.0")
D = date
# (date, country, os_name, os_version, app_version, status, activity_id, activity_type,
#  collection_id, plays, completed_plays, duration_seconds, loading_seconds)
EXPECTED_DAILY = [
    (D(2020, 12, 27), "in", *IOS, "subscribed", "snow_game", "game", WINTER, 1, 1, 100.0, 1.0),
    (D(2020, 12, 27), "in", *IOS, "trial", "snow_game", "game", None, 1, 0, 50.0, 0.5),
    (D(2020, 12, 29), "my", *IOS, "unknown", "snow_game", "game", None, 1, 0, 10.0, 0.0),
    (D(2020, 12, 30), "my", *IOS, "free", "rainforest_game", "game", None, 1, 1, 60.0, 1.5),
    (D(2020, 12, 30), "my", *IOS, "trial", "rainforest_game", "game", None, 1, 0, 40.0, 0.5),
    (D(2021, 1, 1), None, *ANDROID_741, "unknown", "lost_game", "unknown", None, 1, 0, 15.0, 0.0),
    (D(2021, 1, 1), "in", *IOS, "subscribed", "snow_game", "game", WINTER, 2, 1, 60.0, 1.5),
    (D(2021, 1, 2), "us", *IOS, "free", "snow_game", "game", None, 1, 1, 21600.0, 0.0),
    (D(2021, 1, 3), "in", *IOS, "subscribed", "snow_game", "game", WINTER, 1, 0, 54.5, 0.0),
    (D(2021, 1, 3), "sa", *IOS, "trial", "snow_game", "game", WINTER, 1, 1, 30.0, 2.0),
    (D(2021, 1, 4), "in", *IOS, "subscribed", "snow_game", "game", WINTER, 1, 1, 10.0, 0.0),
    (D(2021, 1, 6), "my", *IOS, "lapsed", "lost_game", "unknown", None, 1, 1, 20.0, 0.0),
    (D(2021, 1, 27), "in", *ANDROID_740, "lapsed", "song_31", "video", None, 1, 1, 35.0, 0.0),
]
DIMENSIONS = (
    "country_code, os_name, os_version, app_version, subscription_status, activity_id, "
    "activity_type, collection_id"
)
MEASURES = "plays, completed_plays, duration_seconds, loading_seconds"


@dataclass
class Warehouse:
    """A temporary DuckDB warehouse and the dbt invocations that work on it."""

    path: Path
    tmp_dir: Path

    def dbt(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_dbt(self.tmp_dir, *args)

    def load(self, table: str, source_file: str, file_hash: str, at: datetime, lines: list) -> None:
        """Store a file's lines as the ingestion does: one raw row per line."""
        with duckdb.connect(str(self.path)) as connection:
            (last_raw_id,) = connection.execute(
                f"select coalesce(max(raw_id), 0) from engagement.{table}"
            ).fetchone()
            rows = [
                (last_raw_id + number, source_file, file_hash, number, *_raw_columns(line), at)
                for number, line in enumerate(lines, start=1)
            ]
            connection.executemany(
                f"insert into engagement.{table} values (?, ?, ?, ?, ?::json, ?, ?, ?)", rows
            )

    def execute(self, sql: str) -> None:
        with duckdb.connect(str(self.path)) as connection:
            connection.execute(sql)

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as connection:
            return connection.execute(sql).fetchall()


def _raw_columns(line: object) -> tuple[str | None, str | None, str | None]:
    """(record, raw_line, load_error) of a line."""
    if isinstance(line, Unparsed):
        return None, line.raw_line, line.load_error
    return json.dumps(line), None, None


def _assert_ok(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]


def _approx_rows(rows: list[tuple]) -> list[tuple]:
    return [tuple(pytest.approx(v) if isinstance(v, float) else v for v in row) for row in rows]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Warehouse, list]]:
    """The stream loaded, dbt built, engagement_daily filled and the rollups rebuilt from it."""
    tmp_dir = tmp_path_factory.mktemp("engagement_dbt")
    warehouse = Warehouse(path=tmp_dir / "warehouse.duckdb", tmp_dir=tmp_dir)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("EVENT_ASSETS_DUCKDB_PATH", str(warehouse.path))
        warehouse.execute("create schema engagement")
        for table in ("raw_engagement_events", "raw_engagement_users", "raw_engagement_activities"):
            warehouse.execute(f"create table engagement.{table} ({RAW_COLUMNS})")
        warehouse.execute(f"create table engagement.engagement_daily ({DAILY_COLUMNS})")
        for file in FILES:
            warehouse.load(*file)
        _assert_ok(warehouse.dbt("parse"))
        build = warehouse.dbt("build", "--select", SELECT, "--exclude", "test_type:unit")
        # what the daily-partitioned Python asset does, for all days at once
        warehouse.execute(
            "insert into engagement.engagement_daily by name "
            "select * from engagement.int_engagement__daily_fact"
        )
        downstream_of_daily = "source:engagement.engagement_daily+"
        rollups = warehouse.dbt(
            "build", "--select", downstream_of_daily, "--exclude", "test_type:unit"
        )
        yield warehouse, [build, rollups]


def test_build_and_data_tests_pass(built: tuple[Warehouse, list]) -> None:
    _, results = built
    for result in results:
        _assert_ok(result)
        assert "ERROR=0" in result.stdout and "WARN=0" in result.stdout


def test_unit_tests_pass(built: tuple[Warehouse, list]) -> None:
    # unit tests look up the columns of their input relations: they exist after the build
    warehouse, _ = built
    result = warehouse.dbt("test", "--select", f"{SELECT},test_type:unit")
    _assert_ok(result)
    passed = re.search(r"PASS=(\d+) WARN=0 ERROR=0", result.stdout)
    assert passed and int(passed.group(1)) >= 15, result.stdout[-3000:]


def test_every_raw_row_has_exactly_one_status(built: tuple[Warehouse, list]) -> None:
    warehouse, _ = built
    received = warehouse.query("select count(*) from engagement.raw_engagement_events")[0][0]
    by_status = dict(
        warehouse.query(
            "select status, count(*) from engagement.int_engagement__events_classified group by 1"
        )
    )
    assert received == 31
    assert by_status == {"valid": 14, "rejected": 14, "duplicate": 3}
    duplicates = warehouse.query(
        "select source_file, line_number, event_id "
        "from engagement.int_engagement__events_classified "
        "where status = 'duplicate' order by line_number"
    )
    assert duplicates == [
        ("events_a.jsonl", 1, E[11]),
        ("events_a.jsonl", 4, E[19]),
        ("events_a.jsonl", 5, E[2]),
    ]


def test_rejected_events(built: tuple[Warehouse, list]) -> None:
    warehouse, _ = built
    rows = warehouse.query(
        "select source_file, line_number, reason, event_id, raw_record "
        "from engagement.engagement_rejected_events order by line_number"
    )
    # the user line that is no record is in the quarantine too, named by its folder
    assert [row[:3] for row in rows if not row[0].startswith("events/")] == [
        ("users/users_2021_01_01.jsonl", 5, "malformed_json")
    ]
    rows = [row for row in rows if row[0].startswith("events/")]
    assert {row[1]: row[2] for row in rows} == {
        12: "malformed_json",
        13: "invalid_encoding",
        14: "malformed_json",
        15: "missing_field",
        16: "invalid_event_name",
        17: "missing_activity_id",
        18: "unparseable_time",
        19: "negative_duration",
        20: "non_numeric_duration",
        21: "duration_too_long",
        22: "negative_loading_time",
        23: "invalid_completed",
        24: "non_numeric_loading_time",
        25: "missing_field",
    }
    for source_file, line_number, _, event_id, raw_record in rows:
        record, raw_line, _ = _raw_columns(EVENTS_Z[line_number - 1])
        assert source_file == "events/events_z.jsonl"  # its path under the landing folder
        assert raw_record == (record if record is not None else raw_line)
        fields = EVENTS_Z[line_number - 1]
        assert event_id == (fields.get("event_id") if isinstance(fields, dict) else None)


def test_subscription_status_and_child_flag(built: tuple[Warehouse, list]) -> None:
    warehouse, _ = built
    rows = warehouse.query(
        "select event_id, subscription_status, user_id, country_code, child_not_listed, os_name, "
        "collection_id from engagement.int_engagement__events_with_status"
    )
    assert {row[0]: row[1] for row in rows} == STATUS_BY_EVENT
    by_event = {row[0]: row[2:] for row in rows}
    assert by_event[E[3]][:2] == (U_SUB, "in")  # the upper-cased user id matches
    assert by_event[E[1]][2] is False  # listed child
    assert by_event[E[2]][2:] == (None, "iOS", None)  # no child; iPhone OS; "" collection
    assert by_event[E[8]][1:3] == (None, None)  # no user record: no country, cannot check
    assert by_event[E[9]][2] is True  # child not listed: kept, flagged
    assert by_event[E[10]][1:3] == ("sa", False)  # the newest delivery lists the second child


def test_users_newest_delivery_wins(built: tuple[Warehouse, list]) -> None:
    warehouse, _ = built
    rows = warehouse.query(
        "select user_id, country_code, registration_at, trial_start_at, trial_end_at, "
        "subscription_start_at, subscription_expire_at from engagement.dim_user_subscription "
        "order by user_id"
    )
    dt = datetime
    assert rows == [
        (
            U_SUB,
            "in",
            dt(2020, 12, 20, 10),
            dt(2020, 12, 20, 10),
            dt(2020, 12, 27, 10),
            dt(2020, 12, 27, 10),
            dt(2021, 1, 27, 10),
        ),
        (U_TRIAL, "my", dt(2020, 12, 30), dt(2020, 12, 30, 12), dt(2021, 1, 6, 12), None, None),
        (U_BARE, "us", None, None, None, None, None),
        (U_FREE, "sa", dt(2020, 12, 1), dt(2021, 1, 1), dt(2021, 1, 8), None, None),
    ]


def test_dim_activity(built: tuple[Warehouse, list]) -> None:
    warehouse, _ = built
    rows = warehouse.query("select * from engagement.dim_activity order by activity_id")
    assert rows == [
        ("lost_game", None, "unknown", None, False),
        ("rainforest_game", "Rainforest Game", "game", "hide_and_seek", True),
        ("snow_game", "Snow Game", "game", None, True),
        ("song_31", None, "video", None, True),
    ]


def test_dim_date(built: tuple[Warehouse, list]) -> None:
    warehouse, _ = built
    count, first, last = warehouse.query(
        "select count(*), min(date), max(date) from engagement.dim_date"
    )[0]
    assert (count, first, last) == (32, D(2020, 12, 27), D(2021, 1, 27))
    rows = warehouse.query(
        "select date, iso_year, iso_week, week_start, month_start, month, quarter, year, "
        "day_of_week, weekday_name, is_weekend from engagement.dim_date "
        "where date in ('2020-12-27', '2020-12-28', '2021-01-01', '2021-01-04') order by date"
    )
    # fmt: off
    assert rows == [
        (D(2020, 12, 27), 2020, 52, D(2020, 12, 21), D(2020, 12, 1), 12, 4, 2020, 7, "Sunday",
         True),
        (D(2020, 12, 28), 2020, 53, D(2020, 12, 28), D(2020, 12, 1), 12, 4, 2020, 1, "Monday",
         False),
        (D(2021, 1, 1), 2020, 53, D(2020, 12, 28), D(2021, 1, 1), 1, 1, 2021, 5, "Friday", False),
        (D(2021, 1, 4), 2021, 1, D(2021, 1, 4), D(2021, 1, 1), 1, 1, 2021, 1, "Monday", False),
    ]
    # fmt: on


def test_daily_fact(built: tuple[Warehouse, list]) -> None:
    warehouse, _ = built
    rows = warehouse.query(
        f"select date, {DIMENSIONS}, {MEASURES} from engagement.int_engagement__daily_fact "
        "order by date, country_code nulls first, subscription_status"
    )
    assert rows == _approx_rows(EXPECTED_DAILY)


def test_weekly_rollup(built: tuple[Warehouse, list]) -> None:
    warehouse, _ = built
    rows = warehouse.query(
        f"select week_start, {DIMENSIONS}, {MEASURES}, completion_rate, avg_duration_seconds "
        "from engagement.engagement_weekly order by week_start, country_code nulls first, "
        "subscription_status, activity_id"
    )
    sub = ("in", *IOS, "subscribed", "snow_game", "game", WINTER)
    # fmt: off
    expected = [
        (D(2020, 12, 21), *sub, 1, 1, 100.0, 1.0, 1.0, 100.0),
        (D(2020, 12, 21), "in", *IOS, "trial", "snow_game", "game", None,
         1, 0, 50.0, 0.5, 0.0, 50.0),
        (D(2020, 12, 28), None, *ANDROID_741, "unknown", "lost_game", "unknown", None,
         1, 0, 15.0, 0.0, 0.0, 15.0),
        # 2021-01-01 and 2021-01-03 are in the ISO week of Monday 2020-12-28
        (D(2020, 12, 28), *sub, 3, 1, 114.5, 1.5, 1 / 3, 114.5 / 3),
        (D(2020, 12, 28), "my", *IOS, "free", "rainforest_game", "game", None,
         1, 1, 60.0, 1.5, 1.0, 60.0),
        (D(2020, 12, 28), "my", *IOS, "trial", "rainforest_game", "game", None,
         1, 0, 40.0, 0.5, 0.0, 40.0),
        (D(2020, 12, 28), "my", *IOS, "unknown", "snow_game", "game", None,
         1, 0, 10.0, 0.0, 0.0, 10.0),
        (D(2020, 12, 28), "sa", *IOS, "trial", "snow_game", "game", WINTER,
         1, 1, 30.0, 2.0, 1.0, 30.0),
        (D(2020, 12, 28), "us", *IOS, "free", "snow_game", "game", None,
         1, 1, 21600.0, 0.0, 1.0, 21600.0),
        (D(2021, 1, 4), *sub, 1, 1, 10.0, 0.0, 1.0, 10.0),
        (D(2021, 1, 4), "my", *IOS, "lapsed", "lost_game", "unknown", None,
         1, 1, 20.0, 0.0, 1.0, 20.0),
        (D(2021, 1, 25), "in", *ANDROID_740, "lapsed", "song_31", "video", None,
         1, 1, 35.0, 0.0, 1.0, 35.0),
    ]
    # fmt: on
    assert rows == _approx_rows(expected)


def test_monthly_and_yearly_rollups(built: tuple[Warehouse, list]) -> None:
    warehouse, _ = built
    totals = "sum(plays), sum(completed_plays), sum(duration_seconds)"
    assert warehouse.query(
        f"select month_start, count(*), {totals} from engagement.engagement_monthly "
        "group by 1 order by 1"
    ) == _approx_rows([(D(2020, 12, 1), 5, 5, 2, 260.0), (D(2021, 1, 1), 6, 9, 6, 21824.5)])
    assert warehouse.query(
        f"select year, count(*), {totals} from engagement.engagement_yearly group by 1 order by 1"
    ) == _approx_rows([(2020, 5, 5, 2, 260.0), (2021, 6, 9, 6, 21824.5)])
    subscribed_snow = (
        f"select {MEASURES}, completion_rate, avg_duration_seconds from engagement.{{}} "
        f"where subscription_status = 'subscribed' and activity_id = 'snow_game' and {{}}"
    )
    # January: 2021-01-01 (2 plays), 01-03 and 01-04, but not December's 12-27
    january = [(4, 2, 124.5, 1.5, 0.5, 31.125)]
    assert warehouse.query(
        subscribed_snow.format("engagement_monthly", "month_start = '2021-01-01'")
    ) == _approx_rows(january)
    assert warehouse.query(
        subscribed_snow.format("engagement_yearly", "year = 2021")
    ) == _approx_rows(january)


def test_activity_rankings(built: tuple[Warehouse, list]) -> None:
    warehouse, _ = built
    rows = warehouse.query(
        "select month_start, activity_id, activity_name, activity_type, plays, duration_seconds, "
        "plays_rank, duration_rank from engagement.activity_rankings "
        "order by month_start, activity_id"
    )
    assert rows == _approx_rows(
        [
            (D(2020, 12, 1), "rainforest_game", "Rainforest Game", "game", 2, 100.0, 2, 2),
            (D(2020, 12, 1), "snow_game", "Snow Game", "game", 3, 160.0, 1, 1),
            # lost_game and song_31 tie on 35 s: both rank 2
            (D(2021, 1, 1), "lost_game", None, "unknown", 2, 35.0, 2, 2),
            (D(2021, 1, 1), "snow_game", "Snow Game", "game", 6, 21754.5, 1, 1),
            (D(2021, 1, 1), "song_31", None, "video", 1, 35.0, 3, 2),
        ]
    )
