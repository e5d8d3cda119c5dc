"""Tests of the ``engagement`` sample-data generator and its CLI.

The generated files are read back with plain ``json`` and every event line is checked against the
domain's rules (docs: the engagement spec) by a small independent classifier, so the tests do not
trust the generator's own bookkeeping.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from event_assets.generate.engagement import (
    BAD_KINDS,
    DEFAULT_DAYS,
    DEFAULT_START,
    MIN_EVENTS,
    generate_engagement,
    generate_engagement_sample,
)

EVENTS = 5_000
SEED = 7
SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "landing" / "engagement"
SAMPLE_EVENTS = 6_000  # the committed sample: --events 6000 --seed 42 with the defaults
MAX_DURATION = 6 * 3600
MILESTONES = ("trial_start_at", "trial_end_at", "subscription_start_at", "subscription_expire_at")
EVENT_KEYS = ["event_id", "name", "occurred_at", "user_id", "child_id", "data", "context"]
DATA_KEYS = ["activity_id", "source", "duration", "completed", "collection_id", "loading_time"]
OCCURRED = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}")
USER_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}000")


def _time(text: object, pattern: re.Pattern = OCCURRED) -> datetime | None:
    if not isinstance(text, str) or not pattern.fullmatch(text):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f")
    except ValueError:
        return None


@dataclass
class Landing:
    """What a generator run wrote, parsed independently."""

    event_lines: list[tuple[date, str]]  # (file day, line) in delivery order
    user_history: dict[str, list[tuple[date, dict]]]  # every delivered record per user
    activities: dict[str, dict]

    @property
    def users(self) -> dict[str, dict]:
        """The newest delivered record of every user."""
        return {u: records[-1][1] for u, records in self.user_history.items()}


def read_landing(root: Path) -> Landing:
    events = []
    for path in sorted((root / "events").glob("engagement-events-*.jsonl")):
        day = date.fromisoformat(path.stem.removeprefix("engagement-events-"))
        text = path.read_bytes().decode("ascii")
        assert text.endswith("\n")
        events += [(day, line) for line in text.split("\n")[:-1]]
    history = defaultdict(list)
    for path in sorted((root / "users").glob("engagement-users-*.jsonl")):
        day = date.fromisoformat(path.stem.removeprefix("engagement-users-"))
        in_file = set()
        for line in path.read_text("ascii").splitlines():
            record = json.loads(line)
            assert record["user_id"] not in in_file  # at most one record per user and file
            in_file.add(record["user_id"])
            history[record["user_id"]].append((day, record))
    lines = (root / "activities" / "engagement-activities.jsonl").read_text("ascii").splitlines()
    activities = {a["activity_id"]: a for a in map(json.loads, lines)}
    assert len(activities) == len(lines)
    return Landing(events, dict(history), activities)


@dataclass
class Classified:
    bad: Counter = field(default_factory=Counter)
    redelivered: int = 0  # the same line again
    shared_id: int = 0  # another event with an event id seen before
    valid: list[dict] = field(default_factory=list)  # first delivered, incl. flagged children
    flagged: list[dict] = field(default_factory=list)  # child not among the user's children
    late: int = 0


def _defects(event: dict, users: dict[str, dict]) -> list[str]:
    """Every reason the spec gives to quarantine (or flag) a parsed event."""
    found = []
    data = event.get("data") or {}
    if event.get("name") != "activity_exit":
        found.append("wrong_event_name")
    if _time(event.get("occurred_at")) is None:
        found.append("unparseable_time")
    if data.get("activity_id") in (None, ""):
        found.append("missing_activity_id")
    duration = data.get("duration")
    if not isinstance(duration, int | float) or isinstance(duration, bool):
        found.append("non_numeric_duration")
    elif duration < 0:
        found.append("negative_duration")
    elif duration > MAX_DURATION:
        found.append("duration_over_6h")
    loading = data.get("loading_time")
    if isinstance(loading, int | float) and loading < 0:
        found.append("negative_loading_time")
    user = users.get(event.get("user_id"))
    if user is not None and event.get("child_id") not in user["children_ids"]:
        found.append("child_not_in_user")
    return found


def classify(landing: Landing) -> Classified:
    result = Classified()
    users = landing.users
    lines_seen, ids_seen = set(), set()
    for file_day, line in landing.event_lines:
        if line in lines_seen:
            result.redelivered += 1
            continue
        lines_seen.add(line)
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            result.bad["malformed_json"] += 1
            continue
        if event["event_id"] in ids_seen:
            result.shared_id += 1
            continue
        ids_seen.add(event["event_id"])
        defects = _defects(event, users)
        assert len(defects) <= 1, (defects, line)  # one defect per bad line
        if defects:
            result.bad[defects[0]] += 1
        if defects in ([], ["child_not_in_user"]):
            result.valid.append(event)
            result.late += _time(event["occurred_at"]).date() < file_day
        if defects == ["child_not_in_user"]:
            result.flagged.append(event)
    return result


def status(event: dict, users: dict[str, dict]) -> str:
    """The subscription status at the time of the event, by the spec's rule."""
    user = users.get(event["user_id"])
    t = _time(event["occurred_at"])
    if user is None or t < _time(user["registration_at"], USER_TIME):
        return "unknown"
    m = {k: _time(user.get(k), USER_TIME) for k in MILESTONES}
    sub_start, sub_end = m["subscription_start_at"], m["subscription_expire_at"]
    if sub_start and sub_start <= t < sub_end:
        return "subscribed"
    if m["trial_start_at"] and m["trial_start_at"] <= t < m["trial_end_at"]:
        return "trial"
    if sub_end and t >= sub_end:
        return "lapsed"
    if m["trial_end_at"] and t >= m["trial_end_at"] and not (sub_start and sub_start <= t):
        return "lapsed"
    return "free"


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("engagement")
    generate_engagement(out, EVENTS, seed=SEED)
    return out


@pytest.fixture(scope="module")
def landing(sample_dir: Path) -> Landing:
    return read_landing(sample_dir)


@pytest.fixture(scope="module")
def classified(landing: Landing) -> Classified:
    return classify(landing)


def _all_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# --- reproducibility and layout -------------------------------------------------------------


def test_same_seed_gives_identical_files(tmp_path: Path, sample_dir: Path) -> None:
    generate_engagement(tmp_path, EVENTS, seed=SEED)
    assert _all_bytes(tmp_path) == _all_bytes(sample_dir)


def test_different_seeds_differ(tmp_path: Path, sample_dir: Path) -> None:
    generate_engagement(tmp_path, EVENTS, seed=SEED + 1)
    first, other = _all_bytes(sample_dir), _all_bytes(tmp_path)
    assert first.keys() == other.keys()
    assert all(first[name] != other[name] for name in first)


def test_one_file_per_day_and_folder(sample_dir: Path) -> None:
    days = [DEFAULT_START + timedelta(days=d) for d in range(DEFAULT_DAYS)]
    assert sorted(p.name for p in (sample_dir / "events").iterdir()) == [
        f"engagement-events-{d}.jsonl" for d in days
    ]
    assert sorted(p.name for p in (sample_dir / "users").iterdir()) == [
        f"engagement-users-{d}.jsonl" for d in days
    ]
    assert [p.name for p in (sample_dir / "activities").iterdir()] == [
        "engagement-activities.jsonl"
    ]
    assert not list(sample_dir.rglob(".*"))  # no temporary files left behind


def test_reports_what_it_wrote(tmp_path: Path, classified: Classified) -> None:
    sample = generate_engagement_sample(tmp_path, EVENTS, seed=SEED)
    assert sample.events == EVENTS
    assert all(p.stat().st_size == sample.bytes_per_file[p] for p in sample.files)
    assert dict(classified.bad) == sample.bad
    assert classified.redelivered == sample.redelivered
    assert classified.shared_id == sample.shared_ids
    assert classified.late == sample.late
    assert all(count >= 2 for count in (*sample.bad.values(), *sample.quirks.values()))


# --- formats as in the real samples ---------------------------------------------------------


def test_event_lines_have_the_specs_format(classified: Classified) -> None:
    for event in classified.valid:
        assert list(event) == EVENT_KEYS
        assert list(event["data"]) == DATA_KEYS
        assert list(event["context"]) == ["device", "os", "app"]
        assert list(event["context"]["device"]) == ["device_id", "brand", "model"]
        assert list(event["context"]["os"]) == ["name", "version"]
        assert list(event["context"]["app"]) == ["version", "build"]
        assert OCCURRED.fullmatch(event["occurred_at"])
        assert isinstance(event["data"]["completed"], bool)
        assert isinstance(event["data"]["collection_id"], str)
        assert isinstance(event["context"]["app"]["build"], str)
        for key in ("event_id", "user_id", "child_id"):
            assert str(uuid.UUID(event[key])) == event[key]


def test_lines_use_the_real_files_separators(landing: Landing) -> None:
    _, line = landing.event_lines[0]
    assert line.startswith('{"event_id": "') and '", "name": "' in line
    assert line == json.dumps(json.loads(line))  # numbers too, as Python writes them


def test_user_records_have_the_real_format(landing: Landing) -> None:
    for records in landing.user_history.values():
        for _, user in records:
            assert list(user)[:4] == ["user_id", "children_ids", "country_code", "registration_at"]
            assert set(user) - set(list(user)[:4]) <= set(MILESTONES)
            assert re.fullmatch(r"[a-z]{2}", user["country_code"])
            assert user["children_ids"] and all(uuid.UUID(c) for c in user["children_ids"])
            assert USER_TIME.fullmatch(user["registration_at"])
            assert all(USER_TIME.fullmatch(user[k]) for k in MILESTONES if user.get(k))


def test_milestones_follow_the_product(landing: Landing) -> None:
    users = landing.users
    absent = explicit_null = 0
    for user in users.values():
        m = {k: _time(user.get(k), USER_TIME) for k in MILESTONES}
        absent += any(k not in user for k in MILESTONES)
        explicit_null += any(k in user and user[k] is None for k in MILESTONES)
        if m["trial_start_at"]:
            delay = m["trial_start_at"] - _time(user["registration_at"], USER_TIME)
            assert timedelta(minutes=5) <= delay <= timedelta(minutes=24)
            assert m["trial_end_at"] - m["trial_start_at"] == timedelta(days=7)
        if m["subscription_start_at"]:
            assert m["subscription_start_at"] == m["trial_end_at"]
            assert m["subscription_expire_at"] - m["subscription_start_at"] == timedelta(days=30)
    assert absent > 0.5 * len(users) and explicit_null > 0
    start = datetime.combine(DEFAULT_START, datetime.min.time())
    registered = [_time(u["registration_at"], USER_TIME) for u in users.values()]
    assert min(registered) < start < max(registered)  # some before, most during the period
    assert sum(len(u["children_ids"]) > 1 for u in users.values()) >= 2


def test_catalogue_has_the_real_format(landing: Landing) -> None:
    activities = list(landing.activities.values())
    assert len(activities) > 1_000
    assert all(list(a) == ["activity_id", "name", "type", "subtype"] for a in activities)
    types = Counter(a["type"] for a in activities)
    assert {"video", "game", "traceable", "audiobook", "playlist", "collection"} <= set(types)
    assert types.most_common(1)[0][0] == "video"
    assert any(a["subtype"] is None for a in activities)
    assert any(a["subtype"] == "" for a in activities)
    assert any(a["name"] is None for a in activities)


# --- users re-delivered ---------------------------------------------------------------------


def test_first_users_file_has_everybody_known_on_the_first_day(landing: Landing) -> None:
    first_day = min(day for records in landing.user_history.values() for day, _ in records)
    assert first_day == DEFAULT_START
    first = {u for u, records in landing.user_history.items() if records[0][0] == DEFAULT_START}
    start = datetime.combine(DEFAULT_START, datetime.min.time())
    before = {u for u, r in landing.users.items() if _time(r["registration_at"], USER_TIME) < start}
    assert before and before <= first


def test_users_are_redelivered_with_new_milestones(landing: Landing) -> None:
    gained = Counter()
    for records in landing.user_history.values():
        for (_, older), (_, newer) in zip(records, records[1:], strict=False):
            old = {k for k in MILESTONES if older.get(k)}
            new = {k for k in MILESTONES if newer.get(k)}
            assert old <= new and all(older[k] == newer[k] for k in old)  # nothing is taken back
            if "subscription_start_at" in new - old:
                gained["trial became a subscription"] += 1
            elif new - old:
                gained["trial started"] += 1
    # Trials start minutes after registration, so mostly in the same file; subscriptions start
    # a week later, in a later file.
    assert gained["trial became a subscription"] >= 2


def test_trial_turns_into_a_subscription_at_the_same_instant(
    landing: Landing, classified: Classified
) -> None:
    users = landing.users
    converted = {
        u: r["subscription_start_at"]
        for u, r in users.items()
        if r.get("subscription_start_at") and r["subscription_start_at"] == r["trial_end_at"]
    }
    assert len(converted) >= 2
    # ...and events at exactly that instant (which are ``subscribed``).
    at = [e for e in classified.valid if converted.get(e["user_id"], "")[:23] == e["occurred_at"]]
    assert len(at) >= 2 and {status(e, users) for e in at} == {"subscribed"}


# --- events: quirks and bad records ---------------------------------------------------------


def test_every_bad_kind_is_present_as_a_small_share(classified: Classified) -> None:
    missing = [kind for kind in BAD_KINDS if classified.bad[kind] < 2]
    assert not missing, f"too few of {missing}: {dict(classified.bad)}"
    assert all(classified.bad[kind] <= EVENTS * 0.004 for kind in BAD_KINDS), classified.bad
    assert classified.redelivered >= 2 and classified.shared_id >= 2


def test_reconciliation_adds_up(landing: Landing, classified: Classified) -> None:
    rejected = sum(v for k, v in classified.bad.items() if k != "child_not_in_user")
    duplicates = classified.redelivered + classified.shared_id
    assert len(classified.valid) + rejected + duplicates == len(landing.event_lines) == EVENTS


def test_every_quirk_is_present(landing: Landing, classified: Classified) -> None:
    users, valid = landing.users, classified.valid
    found = Counter()
    for e in valid:
        data, os_name = e["data"], e["context"]["os"]["name"]
        found["iPhone OS"] += os_name == "iPhone OS"
        found["iOS"] += os_name == "iOS"
        found["Android"] += os_name == "Android"
        found["empty collection"] += data["collection_id"] == ""
        found["zero duration"] += data["duration"] == 0
        found["exactly 6 hours"] += data["duration"] == MAX_DURATION
        found["unknown activity"] += data["activity_id"] not in landing.activities
        found["no user record"] += e["user_id"] not in users
        found["at midnight"] += e["occurred_at"].endswith(" 00:00:00.000")
        found[status(e, users)] += 1
        user = users.get(e["user_id"])
        if user is not None:
            found["at registration"] += e["occurred_at"] == user["registration_at"][:23]
            found["at expiry"] += (
                e["occurred_at"] == (user.get("subscription_expire_at") or "")[:23]
            )
    expected = (
        "iPhone OS", "iOS", "Android", "empty collection", "zero duration", "exactly 6 hours",
        "unknown activity", "no user record", "at midnight", "at registration", "at expiry",
        "unknown", "free", "trial", "subscribed", "lapsed",
    )  # fmt: skip
    missing = [k for k in expected if found[k] < 2]
    assert not missing, found
    assert 0.8 < found["empty collection"] / len(valid) < 0.95
    assert found["iOS"] > found["Android"] > found["iPhone OS"]
    versions = {(e["context"]["os"]["name"], e["context"]["os"]["version"]) for e in valid}
    apps = {e["context"]["app"]["version"] for e in valid}
    assert len(versions) > 10 and len(apps) >= 4
    absurd = [e for e in landing_events(landing) if _over(e, 86_400)]
    assert absurd  # durations of days, quarantined as over 6 hours


def landing_events(landing: Landing) -> list[dict]:
    parsed = []
    for _, line in landing.event_lines:
        try:
            parsed.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return parsed


def _over(event: dict, seconds: float) -> bool:
    duration = event["data"].get("duration")
    return isinstance(duration, float) and duration > seconds


def test_events_lie_in_the_period_mostly_after_registration(
    landing: Landing, classified: Classified
) -> None:
    start = datetime.combine(DEFAULT_START, datetime.min.time())
    end = start + timedelta(days=DEFAULT_DAYS)
    times = [_time(e["occurred_at"]) for e in classified.valid]
    assert all(start <= t < end for t in times)
    statuses = Counter(status(e, landing.users) for e in classified.valid)
    assert 0 < statuses["unknown"] < 0.02 * len(classified.valid)
    assert statuses["free"] > statuses["trial"] > 0 and statuses["subscribed"] > 0


def test_files_are_lightly_shuffled_with_late_events(
    landing: Landing, classified: Classified
) -> None:
    assert 0.005 * EVENTS < classified.late < 0.02 * EVENTS
    unordered, previous = 0, {}
    for file_day, line in landing.event_lines:
        try:
            time = _time(json.loads(line)["occurred_at"])
        except json.JSONDecodeError:
            continue
        if time is None or time.date() != file_day:
            continue
        unordered += time < previous.get(file_day, time)
        previous[file_day] = time
    assert unordered > 0


def test_bad_values_look_like_the_spec_says(landing: Landing) -> None:
    events = landing_events(landing)
    durations = [e["data"].get("duration") for e in events]
    assert "abc" in durations
    assert any(isinstance(d, float) and d < 0 for d in durations)
    assert any(isinstance(d, float) and MAX_DURATION < d <= MAX_DURATION + 0.001 for d in durations)
    missing = [e["data"] for e in events if e["data"].get("activity_id") is None]
    assert any("activity_id" not in d for d in missing) and any("activity_id" in d for d in missing)


# --- CLI and the committed sample -----------------------------------------------------------


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "event_assets.generate", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120)


def test_cli_writes_files_and_says_so(tmp_path: Path) -> None:
    result = _cli("engagement", "--events", "2000", "--out", str(tmp_path), "--days", "3")
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "events").glob("engagement-events-*.jsonl"))) == 3
    assert len(list((tmp_path / "users").glob("engagement-users-*.jsonl"))) == 3
    assert (tmp_path / "activities" / "engagement-activities.jsonl").is_file()
    assert "2,000 events" in result.stdout and "bad records:" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["engagement", "--events", "ten", "--out", "x"],
        ["engagement", "--events", str(MIN_EVENTS - 1), "--out", "x"],
        ["engagement", "--events", "5000", "--out", "x", "--start", "2021-02-30"],
        ["engagement", "--events", "5000", "--out", "x", "--start", "1960-01-01"],
        ["engagement", "--events", "5000", "--out", "x", "--days", "0"],
        ["engagement", "--events", "5000", "--out", "x", "--seed", "-1"],
        ["engagement", "--events", "5000"],
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
    """The bundled sample is ``--events 6000 --seed 42`` with the defaults: regenerate it."""
    generate_engagement(tmp_path, SAMPLE_EVENTS, seed=42)
    assert _all_bytes(SAMPLE_DIR) == _all_bytes(tmp_path)
    assert sum(len(b) for b in _all_bytes(SAMPLE_DIR).values()) < 4_000_000
