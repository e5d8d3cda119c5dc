"""Tests of the ``telemetry`` sample-data generator and its CLI.

The files are read back with plain ``json`` and every sync event is judged by the spec's rules
(``../shared/spec/telemetry.md``) by a small independent classifier, so the tests trust neither
the generator's bookkeeping nor its ground truth without checking it against the files.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from event_assets.generate.telemetry import (
    BAD_KINDS,
    CAUSED_DELAYS_MS,
    MIN_EVENTS,
    REASONS,
    generate_telemetry,
    generate_telemetry_sample,
)

EVENTS = 3_000
SEED = 11
SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "landing" / "telemetry"
SAMPLE_EVENTS = 2_000  # the committed sample: --events 2000 with the defaults (seed 42)
ITEM_KEYS = {
    "Command", "CommandActive", "CommandResult", "DoorLocked", "Switch", "Dimmer",
    "ThermostatMode", "ThermostatOperatingState", "ThermostatCoolSetpoint",
    "ThermostatHeatSetpoint", "Temperature", "Humidity", "BatteryLevel",
}  # fmt: skip


def _time(text: object) -> datetime | None:
    if not isinstance(text, str) or not text.endswith("Z"):
        return None
    try:
        return datetime.fromisoformat(text[:-1])
    except ValueError:
        return None


def _command_id(data: dict) -> str | None:
    return data.get("command_id") or data.get("uuid")


@dataclass
class Judged:
    bad: Counter = field(default_factory=Counter)
    valid: list[dict] = field(default_factory=list)  # parsed, ItemData as a dict under "data"
    raw_item_data: list[object] = field(default_factory=list)  # as it was in the line
    users: list[tuple[str, dict]] = field(default_factory=list)  # (file, record)


def judge(root: Path) -> Judged:
    judged, pending = Judged(), []
    for path in sorted((root / "raw_sync_events").glob("*.jsonl")):
        for line in path.read_bytes().split(b"\n")[:-1]:
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                judged.bad["invalid_encoding"] += 1
                continue
            try:
                event = json.loads(text)
            except json.JSONDecodeError:
                judged.bad["malformed_json"] += 1
                continue
            if not event.get("MapUniqueName") or not event.get("ItemKey"):
                judged.bad["missing_field"] += 1
                continue
            if _time(event.get("DateCreated")) is None:
                judged.bad["unparseable_time"] += 1
                continue
            data = event["ItemData"]
            if isinstance(data, str):
                try:
                    data = json.loads(data)
                except json.JSONDecodeError:
                    judged.bad["invalid_item_data"] += 1
                    continue
            if event["ItemKey"] not in ITEM_KEYS:
                judged.bad["unknown_item_key"] += 1
                continue
            if event["ItemKey"] == "Command" and _command_id(data) is None:
                judged.bad["missing_command_id"] += 1
                continue
            if event["ItemKey"] == "Command" and not data.get("desired_state"):
                judged.bad["missing_desired_state"] += 1
                continue
            event["data"] = data
            judged.raw_item_data.append(event["ItemData"])
            pending.append(event)
    commands = {_command_id(e["data"]) for e in pending if e["ItemKey"] == "Command"}
    for event in pending:
        key = event["ItemKey"]
        if key in ("CommandActive", "CommandResult") and _command_id(event["data"]) not in commands:
            judged.bad[f"orphan_command_{key.removeprefix('Command').lower()}"] += 1
        else:
            judged.valid.append(event)
    for path in sorted((root / "raw_users").glob("*.jsonl")):
        judged.users += [(path.name, json.loads(line)) for line in path.read_text().splitlines()]
    return judged


def _all_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.jsonl"))}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("telemetry")
    return out, generate_telemetry_sample(out, EVENTS, seed=SEED)


@pytest.fixture(scope="module")
def judged(sample) -> Judged:
    return judge(sample[0])


def _earliest(judged: Judged) -> dict[tuple[str, str], dict]:
    """The first-created line of every item (command id or reading uuid, with its key)."""
    first: dict[tuple[str, str], dict] = {}
    for e in sorted(judged.valid, key=lambda e: _time(e["DateCreated"])):
        first.setdefault((e["ItemKey"], _command_id(e["data"])), e)
    return first


# --- reproducibility and layout -------------------------------------------------------------


def test_same_seed_gives_identical_files(tmp_path: Path, sample) -> None:
    generate_telemetry(tmp_path, EVENTS, seed=SEED)
    assert _all_bytes(tmp_path) == _all_bytes(sample[0])
    generate_telemetry(tmp_path / "other", EVENTS, seed=SEED + 1)
    assert _all_bytes(tmp_path / "other") != _all_bytes(sample[0])


def test_files_and_counts(sample) -> None:
    out, written = sample
    names = sorted(p.name for p in (out / "raw_sync_events").iterdir())
    assert names == [f"telemetry-sync-events-2018-03-0{d}.jsonl" for d in (5, 6, 7, 8)]
    assert len(list((out / "raw_users").iterdir())) == 4
    assert written.events == EVENTS
    assert not list(out.rglob(".*"))  # no temporary files left behind


# --- bad lines --------------------------------------------------------------------------------


def test_every_bad_kind_is_present_as_a_small_share(sample, judged: Judged) -> None:
    assert set(REASONS) == set(BAD_KINDS) and all(REASONS[k] == k for k in BAD_KINDS)
    assert dict(judged.bad) == sample[1].bad
    assert all(judged.bad[kind] >= 2 for kind in BAD_KINDS), judged.bad
    assert sum(judged.bad.values()) <= 0.025 * EVENTS
    assert sample[1].bad_users["missing_field"] >= 2
    assert sum("uid" not in record for _, record in judged.users) >= 2


# --- quirks ---------------------------------------------------------------------------------


def test_every_quirk_is_present(judged: Judged) -> None:
    found = Counter()
    for raw in judged.raw_item_data:
        found["item data as string" if isinstance(raw, str) else "item data as object"] += 1
    for e in judged.valid:
        data, key = e["data"], e["ItemKey"]
        if key == "Command":
            user, state = data["user"], data["desired_state"]
            found[f"user {type(user).__name__}"] += 1
            found["over 6 fractional digits"] += len(data["timestamp"].split(".")[1]) > 7
            found["command_id in Command"] += "command_id" in data
            if state[0].endswith("SetPoint"):
                found["setpoint as string"] += isinstance(state[1], str)
            if state[0] == "PinAssignment":
                found["pin None"] += "None" in state[1:]
            if state[0] == "DimmerState":
                found[f"dimmer with {len(state)} elements"] += 1
        if key == "CommandResult":
            result = data["result"]
            ok = result.lower() in ("success", "true")
            found[f"result {result}"] += 1
            found["failure with string"] += not ok and bool(data["failure_string"])
            found["result by uuid only"] += "command_id" not in data
            found["result by command_id"] += "command_id" in data
        if key.endswith("Setpoint"):
            found["setpoint reading as string"] += isinstance(data["state"]["value"], str)
    expected = [
        "item data as string", "item data as object", "user int", "user str", "user NoneType",
        "over 6 fractional digits", "setpoint as string", "pin None", "dimmer with 2 elements",
        "dimmer with 3 elements", "result success", "result true", "result SUCCESS",
        "result True", "failure with string", "result by uuid only", "result by command_id",
        "setpoint reading as string",
    ]  # fmt: skip
    missing = [k for k in expected if found[k] < 1]
    assert not missing, found


def test_users_are_renamed_in_a_later_file(judged: Judged) -> None:
    records = defaultdict(list)
    for name, record in judged.users:
        if "uid" in record:
            records[str(record["uid"])].append((name, record))
    assert {type(r["uid"]) for _, r in judged.users if "uid" in r} == {int, str}
    renamed = 0
    for history in records.values():
        for (f1, old), (f2, new) in zip(history, history[1:], strict=False):
            assert f2 > f1 and new["last_modified"] > old["last_modified"]
            renamed += new["username"] != old["username"]
    assert renamed >= 2


def test_commands_less_than_15s_apart_on_one_device(judged: Judged) -> None:
    by_device = defaultdict(list)
    for (key, _), e in _earliest(judged).items():
        if key == "Command":
            by_device[e["MapUniqueName"]].append(_time(e["DateCreated"]))
    close = 0
    for times in by_device.values():
        times.sort()
        close += sum((b - a).total_seconds() < 15 for a, b in zip(times, times[1:], strict=False))
    assert close >= 2


def test_duplicates_disagree_and_come_later(sample, judged: Judged) -> None:
    lines = defaultdict(list)
    for e in judged.valid:
        lines[(e["ItemKey"], _command_id(e["data"]))].append(e)
    copies = [group for group in lines.values() if len(group) > 1]
    assert len(copies) == sample[1].duplicates
    for group in copies:
        first, *later = sorted(group, key=lambda e: _time(e["DateCreated"]))
        for copy in later:
            assert _time(copy["DateCreated"]) > _time(first["DateCreated"])
            assert copy["data"] != first["data"] and copy["EventId"] != first["EventId"]


# --- ground truth ---------------------------------------------------------------------------


def test_readings_follow_commands_within_the_documented_delays(sample) -> None:
    truth = sample[1].truth.values()
    for t in truth:
        if t.reading_uuid is None:
            continue
        (low, high), _ = CAUSED_DELAYS_MS[t.delay_kind]
        assert low <= t.seconds * 1000 < high, t
    seconds = [t.seconds for t in truth if t.seconds is not None]
    success = [t for t in truth if t.outcome == "success"]
    assert 15.0 in seconds and 15.001 in seconds
    assert sum(s <= 14 for s in seconds) > 0.8 * len(seconds)
    assert sum(s > 15.5 for s in seconds) >= 2
    assert sum(t.reading_uuid is None for t in success) >= 2  # sometimes never
    assert {t.outcome for t in truth} == {"success", "failed", "unanswered"}
    assert any(t.reading_uuid for t in truth if t.outcome == "failed")


def test_ground_truth_agrees_with_the_files(sample, judged: Judged) -> None:
    first = _earliest(judged)
    commands = {i: e for (k, i), e in first.items() if k == "Command"}
    results = {i: e for (k, i), e in first.items() if k == "CommandResult"}
    truth = sample[1].truth
    assert set(truth) == set(commands)
    for uuid, t in truth.items():
        command = commands[uuid]
        assert command["MapUniqueName"] == t.device_id
        assert command["data"]["desired_state"][0] == t.command
        result = results.get(uuid)
        if t.outcome == "unanswered":
            assert result is None
        else:
            ok = result["data"]["result"].lower() in ("success", "true")
            assert ok == (t.outcome == "success")
        if t.reading_uuid is not None:
            reading = first[(t.reading_item_key, t.reading_uuid)]
            assert reading["MapUniqueName"] == t.device_id
            delta = _time(reading["DateCreated"]) - _time(command["DateCreated"])
            assert delta.total_seconds() == pytest.approx(t.seconds, abs=1e-6) and t.seconds > 0


# --- CLI and the committed sample -----------------------------------------------------------


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "event_assets.generate", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120)


def test_cli_writes_files_and_truth(tmp_path: Path) -> None:
    truth = tmp_path / "truth.csv"
    result = _cli("telemetry", "--events", "1500", "--out", str(tmp_path / "landing"),
                  "--days", "3", "--truth", str(truth))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "landing" / "raw_sync_events").glob("*.jsonl"))) == 3
    assert "1,500 sync events" in result.stdout and "bad sync events:" in result.stdout
    header = truth.read_text().splitlines()[0]
    assert header.startswith("command_uuid,device_id,command,outcome")


@pytest.mark.parametrize(
    "args",
    [
        ["telemetry", "--events", "ten", "--out", "x"],
        ["telemetry", "--events", str(MIN_EVENTS - 1), "--out", "x"],
        ["telemetry", "--events", "5000", "--out", "x", "--start", "2018-02-30"],
        ["telemetry", "--events", "5000", "--out", "x", "--start", "1960-01-01"],
        ["telemetry", "--events", "5000", "--out", "x", "--days", "0"],
        ["telemetry", "--events", "5000", "--out", "x", "--seed", "-1"],
        ["telemetry", "--events", "5000", "--out", "x", "--truth", "x/truth.csv"],
        ["telemetry", "--events", "5000"],
    ],
)
def test_cli_bad_arguments_give_one_line(args: list[str], tmp_path: Path) -> None:
    result = _cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.skipif(not SAMPLE_DIR.is_dir(), reason="no committed sample")
def test_committed_sample_is_the_generators_output(tmp_path: Path) -> None:
    """The bundled sample is ``--events 2000`` with the defaults: regenerate it."""
    generate_telemetry(tmp_path, SAMPLE_EVENTS)
    assert _all_bytes(SAMPLE_DIR) == _all_bytes(tmp_path)
    assert sum(len(b) for b in _all_bytes(SAMPLE_DIR).values()) < 1_500_000


@pytest.mark.skipif(not SAMPLE_DIR.is_dir(), reason="no committed sample")
def test_committed_sample_shows_every_quirk_and_bad_kind() -> None:
    judged = judge(SAMPLE_DIR)
    assert all(judged.bad[kind] >= 2 for kind in BAD_KINDS), judged.bad
    test_every_quirk_is_present(judged)
    test_users_are_renamed_in_a_later_file(judged)
    test_commands_less_than_15s_apart_on_one_device(judged)
