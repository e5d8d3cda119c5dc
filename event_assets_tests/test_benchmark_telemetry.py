"""The `telemetry` benchmark (`benchmarks/telemetry.py`) and its DuckDB floor.

- A smoke run at a tiny size, in temporary folders, without the new day (`--no-increment`: each
  run of ours costs about 25 s of start-up, and the new-day path is the shared one the `schools`
  smoke run goes through): it exits 0, prints the table, writes the JSON, and ours and the floor
  give the same nine contract tables on the generated data (the benchmark compares them).
- The floor on a hand-made stream, checked against values worked out by hand: a duplicate with
  a later DateCreated (in the earlier file), a result carrying `uuid` instead of `command_id`,
  readings at 0 s, 15.000 s and 15.001 s after a command, an orphan result, ItemData as a
  string, a renamed user and an old version delivered late, a day without commands.
"""

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from event_assets_tests.benchmark_runs import BENCH_DIR, run_benchmark
from event_assets_tests.conftest import write_events


def test_telemetry_benchmark_smoke_run(tmp_path: Path) -> None:
    done, results = run_benchmark(
        tmp_path, "telemetry.py",
        "--events", "20000", "--days", "3", "--history-small", "20000", "--no-increment",
    )  # fmt: skip
    for row in ("| ours, full", "| DuckDB floor |", "| full <= 2x the floor (wall) |"):
        assert row in done.stdout
    assert results["runs"]["ours_full"]["status"] == results["runs"]["floor"]["status"] == "ok"
    assert 19_000 < results["dataset"]["events"] < 21_000  # 3 of 4 generated days
    assert results["increment"]["files"] == 2  # the held-back day: sync events and users
    assert {(d["left"], d["right"]) for d in results["equivalence"]} == {("ours", "floor")}
    assert len(results["equivalence"]) == 9
    assert all(d["equal"] for d in results["equivalence"]), results["equivalence"]
    rows = {d["table"]: d["summary"] for d in results["equivalence"]}
    assert rows["fct_command_readings"] != "equal (0 rows)"
    assert not list((tmp_path / "work").iterdir())  # temporary folders removed


# --- the floor on a hand-made stream --------------------------------------------------------

D1, D2, D3 = "device-1", "device-2", "device-3"
C1, C2, C3, C4 = "cmd-1", "cmd-2", "cmd-3", "cmd-4"


def sync(item_key: str, created: str, device: str, item_data: dict | str) -> dict:
    return {
        "EventType": "map_item_updated",
        "DateCreated": f"2018-03-{created}Z",
        "MapUniqueName": device,
        "ItemKey": item_key,
        "ItemData": item_data,
        "MapSid": "MP1",
    }


def user(uid: int | str, name: str, modified: str) -> dict:
    return {
        "uid": uid,
        "username": name,
        "dateRegistered": "2017-01-01T00:00:00.000Z",
        "last_modified": modified,
    }


def switch(state: str) -> dict:
    return {"desired_state": ["SwitchState", state], "user": 7, "client": "ios"}


FIRST_DAY = [
    # C1's copy with a later DateCreated comes first, in the earlier file, and disagrees.
    sync("Command", "05T10:00:05.000", D1, {"uuid": C1, "timestamp": "x", **switch("off")}),
    sync(
        "CommandActive",
        "05T10:00:01.000",
        D1,
        {"uuid": C1, "timestamp": "2018-03-05T10:00:00.9001234Z", "node_id": "0042"},
    ),
    # the result names its command by `uuid` (no command_id), "SUCCESS" is a success
    sync("CommandResult", "05T10:00:02.000", D1, {"uuid": C1, "result": "SUCCESS"}),
    sync("CommandResult", "05T10:00:03.000", D1, {"command_id": "never-sent", "result": "true"}),
    # readings of D1 at 0 s (out), 15.000 s (in, ItemData as a string) and 15.001 s (out)
    sync("Switch", "05T10:00:00.000", D1, {"uuid": "r0", "state": {"value": "On"}}),
    sync("Switch", "05T10:00:15.000", D1, json.dumps({"uuid": "r1", "state": {"value": "On"}})),
    sync("Switch", "05T10:00:15.001", D1, {"uuid": "r2", "state": {"value": "Off"}}),
    # C3, 10 s after C1 on D1: both are flagged, C3 lists r1 and r2
    sync(
        "Command",
        "05T10:00:10.000",
        D1,
        {"command_id": C3, "user": "7", "desired_state": ["PinAssignment", "0420", "None"]},
    ),
    # C2: a user without a record, no answer
    sync(
        "Command",
        "05T11:00:00.000",
        D2,
        {"uuid": C2, "user": 8, "desired_state": ["LockedState", "locked"]},
    ),
    sync("FirmwareVersion", "05T11:00:01.000", D2, {"uuid": "fw"}),  # unknown item key
    '{"EventType": "map_item_updated", "DateCreated": "2018-03-05T1',  # cut short
]
SECOND_DAY = [
    sync(
        "Command",
        "05T10:00:00.000",
        D1,
        {"command_id": C1, "timestamp": "2018-03-05T09:59:59.5Z", **switch("on")},
    ),
    # user 7's only command after a day without any
    sync(
        "Command",
        "07T09:00:00.000",
        D3,
        {"uuid": C4, "user": 7, "desired_state": ["ThermostatHeatSetPoint", "70"]},
    ),
]
USERS_FIRST = [user(7, "alice", "2018-01-01T00:00:00Z"), user(9, "bob", "2018-01-01T00:00:00Z")]
USERS_SECOND = [
    user("7", "alice2", "2018-02-01T00:00:00Z"),  # renamed, newer
    user(7, "alice_old", "2017-12-01T00:00:00Z"),  # an old version delivered late
]


@pytest.fixture
def floor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[dict]]:
    """The floor's nine tables on the hand-made stream, as lists of row dicts sorted by key."""
    monkeypatch.syspath_prepend(str(BENCH_DIR))
    import compare
    from telemetry import DOMAIN

    landing = tmp_path / "landing" / "telemetry"
    write_events(landing / "raw_sync_events" / "sync-2018-03-05.jsonl", FIRST_DAY)
    write_events(landing / "raw_sync_events" / "sync-2018-03-07.jsonl", SECOND_DAY)
    write_events(landing / "raw_users" / "users-2018-03-05.jsonl", USERS_FIRST)
    write_events(landing / "raw_users" / "users-2018-03-07.jsonl", USERS_SECOND)
    db = tmp_path / "floor.duckdb"
    compare.run_floor(DOMAIN.floor_sql, DOMAIN.floor_variables(landing), db)
    con, _ = compare.open_sources(None, db)
    with con:
        tables = {}
        for table, spec in DOMAIN.tables.items():
            relation = compare.canonical_sql(f"floor.main.{table}", spec)
            cursor = con.execute(f"{relation} ORDER BY {', '.join(spec.keys)}")
            names = [column[0] for column in cursor.description]
            tables[table] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return tables


def at(clock: str, day: int = 5) -> datetime:
    return datetime.fromisoformat(f"2018-03-{day:02d}T{clock}")


def test_floor_on_hand_worked_stream(floor: dict[str, list[dict]]) -> None:
    commands = {row["command_uuid"]: row for row in floor["stg_commands"]}
    assert set(commands) == {C1, C2, C3, C4}
    # the earliest DateCreated wins, though it came in the later file
    assert (commands[C1]["switch_state"], commands[C1]["update_timestamp"]) == ("on", at("10:00"))
    assert commands[C1]["event_timestamp"] == at("09:59:59.5")
    assert commands[C1]["_source_file"] == "raw_sync_events/sync-2018-03-07.jsonl"
    assert (commands[C3]["slot"], commands[C3]["pin"], commands[C3]["user_id"]) == (
        "0420",
        None,
        "7",
    )
    assert commands[C4]["thermostat_heat_set_point"] == 70.0  # sent as a numeric string
    assert commands[C2]["_raw_command_desired_state"] == '["LockedState","locked"]'

    assert [row["command_uuid"] for row in floor["stg_command_actives"]] == [C1]
    assert floor["stg_command_actives"][0]["event_timestamp"] == at("10:00:00.900123")
    results = floor["stg_command_results"]  # the orphan result is left out
    assert [(r["command_uuid"], r["is_hub_success"]) for r in results] == [(C1, True)]
    readings = {row["reading_uuid"]: row["state"] for row in floor["stg_readings"]}
    assert readings == {"r0": "on", "r1": "on", "r2": "off"}

    users = {row["user_id"]: row["username"] for row in floor["dim_users"]}
    assert users == {"7": "alice2", "9": "bob"} and floor["stg_users"] == floor["dim_users"]

    statuses = {row["command_uuid"]: row for row in floor["fct_command_statuses"]}
    assert statuses[C1]["seconds_to_result"] == pytest.approx(2.0)
    assert (statuses[C1]["username"], statuses[C1]["has_hub_response"]) == ("alice2", True)
    assert statuses[C1]["command_active_node_id"] == "0042"
    assert (statuses[C2]["username"], statuses[C2]["is_hub_success"]) == (None, False)

    fct = {row["command_uuid"]: row for row in floor["fct_command_readings"]}
    one = fct[C1]  # r0 at 0 s and r2 at 15.001 s are out; r1 at 15.000 s is in and matches
    assert json.loads(one["readings"]) == [
        {"item_key": "Switch", "state": "on", "update_timestamp": "2018-03-05 10:00:15"}
    ]
    assert (one["matching_item_key"], one["has_matching_reading"]) == ("Switch", True)
    assert one["seconds_to_matching_reading"] == pytest.approx(15.0)
    assert (one["previous_command_within_15s"], one["next_command_within_15s"]) == (False, True)
    three = fct[C3]
    assert [r["state"] for r in json.loads(three["readings"])] == ["on", "off"]
    assert (three["previous_command_within_15s"], three["next_command_within_15s"]) == (True, False)
    assert (three["matching_item_key"], three["has_matching_reading"]) == (None, False)
    assert json.loads(fct[C2]["readings"]) == []

    daily = {(r["username"], r["timestamp_date"]): r for r in floor[
        "met_daily_command_count_by_username"]}  # fmt: skip
    counts = {
        key: (r["number_of_commands"], r["number_of_successful_commands"],
              r["number_of_failed_commands"], r["number_without_response"])
        for key, r in daily.items()
    }  # fmt: skip
    assert counts == {
        ("alice2", date(2018, 3, 5)): (2, 1, 0, 1),
        ("alice2", date(2018, 3, 6)): (0, 0, 0, 0),
        ("alice2", date(2018, 3, 7)): (1, 0, 0, 1),
        ("unknown", date(2018, 3, 5)): (1, 0, 0, 1),
    }
