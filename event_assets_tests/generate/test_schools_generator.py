"""Tests of the ``schools`` sample-data generator and its CLI.

The generated files are read back with plain ``json`` and checked against the domain's rules
by a small independent classifier, so the tests do not trust the generator's own bookkeeping.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from event_assets.generate.schools import (
    BAD_KINDS,
    DEFAULT_START,
    MIN_EVENTS,
    generate_schools,
    generate_schools_sample,
)

EVENTS = 6_000
DAYS = 14
REQUIRED = {
    "SetLogType": ("logType",),
    "SetName": ("name",),
    "AssignToSchool": ("schoolId",),
    "StartSession": ("sessionId",),
    "EndSession": ("sessionId",),
}
SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "landing" / "schools"


@dataclass(frozen=True)
class Event:
    type: str
    time: datetime
    log_id: str
    body: dict
    file_day: date


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("schools")
    generate_schools(out, EVENTS, seed=7, days=DAYS)
    return out


@pytest.fixture(scope="module")
def lines(sample_dir: Path) -> list[tuple[date, str]]:
    """(file day, line) for every line of every file."""
    result = []
    for path in sorted(sample_dir.glob("schools-*.jsonl")):
        file_day = date.fromisoformat(path.stem.removeprefix("schools-"))
        text = path.read_bytes().decode("utf-8")
        assert text.endswith("\n")
        result += [(file_day, line) for line in text.split("\n")[:-1]]
    return result


@pytest.fixture(scope="module")
def classified(lines: list[tuple[date, str]]) -> tuple[Counter, list[Event]]:
    return classify(lines)


def _parse_time(text: object) -> datetime | None:
    if not isinstance(text, str) or not text.endswith("Z"):
        return None
    try:
        return datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)
    except ValueError:
        return None


def _is_uuid(text: object) -> bool:
    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True


def _structural(file_day: date, line: str) -> tuple[str | None, Event | None]:
    """The structural reason a line is bad, or the parsed event."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError:
        return "malformed_json", None
    kind = str(obj.get("type", "")).removesuffix("Event")
    if kind not in REQUIRED:
        return "unknown_type", None
    if any(f not in obj for f in ("time", "logId", *REQUIRED[kind])):
        return "missing_field", None
    if not _is_uuid(obj["logId"]):
        return "invalid_uuid", None
    time = _parse_time(obj["time"])
    if time is None:
        return "unparseable_time", None
    if not 2000 <= time.year <= 2100:
        return "time_out_of_range", None
    return None, Event(kind, time, obj["logId"], obj, file_day)


def classify(lines: list[tuple[date, str]]) -> tuple[Counter, list[Event]]:
    """Count bad lines by kind (as the spec defines them) and return the good events."""
    found: Counter = Counter()
    events = []
    seen = set()
    for file_day, line in lines:
        if line in seen:  # an exact re-delivery is a duplicate, not a bad record
            continue
        seen.add(line)
        reason, event = _structural(file_day, line)
        if reason:
            found[reason] += 1
        else:
            events.append(event)

    log_types = defaultdict(set)
    for e in events:
        if e.type == "SetLogType":
            log_types[e.log_id].add(e.body["logType"])
    found["conflicting_log_type"] = sum(len(log_types.get(e.log_id, ())) > 1 for e in events)
    found["log_without_type"] = sum(1 for e in events if e.log_id not in log_types)
    typed = {log: next(iter(t)) for log, t in log_types.items() if len(t) == 1}
    events = [e for e in events if e.log_id in typed]

    wanted = {"SetName": "School", "AssignToSchool": "Device"}
    ok = []
    for e in events:
        if e.type != "SetLogType" and typed[e.log_id] != wanted.get(e.type, "Device"):
            found["wrong_log_type"] += 1
        elif e.type == "AssignToSchool" and typed.get(e.body["schoolId"]) != "School":
            found["unknown_school"] += 1
        else:
            ok.append(e)

    starts = defaultdict(list)
    for e in ok:
        if e.type == "StartSession":
            starts[e.body["sessionId"]].append(e)
    found["duplicate_start"] = sum(len(s) - 1 for s in starts.values())
    ends = defaultdict(list)
    for e in ok:
        if e.type != "EndSession":
            continue
        first = min(starts.get(e.body["sessionId"], []), key=lambda s: s.time, default=None)
        if first is None:
            found["end_without_start"] += 1
        elif first.log_id != e.log_id:
            found["end_on_other_device"] += 1
        elif e.time < first.time:
            found["end_before_start"] += 1
        else:
            ends[e.body["sessionId"]].append(e)
    found["second_end"] = sum(len(v) - 1 for v in ends.values())
    return found, ok


def sessions(events: list[Event]) -> list[tuple[str, datetime, datetime | None]]:
    """(device, start, end or None) of every valid session."""
    starts, ends = {}, defaultdict(list)
    for e in events:
        sid = e.body.get("sessionId")
        if e.type == "StartSession" and (sid not in starts or e.time < starts[sid].time):
            starts[sid] = e
        elif e.type == "EndSession":
            ends[sid].append(e)
    result = []
    for sid, start in starts.items():
        valid = [x.time for x in ends[sid] if x.log_id == start.log_id and x.time >= start.time]
        result.append((start.log_id, start.time, min(valid, default=None)))
    return result


def test_contains_every_bad_record_kind(classified: tuple[Counter, list[Event]]) -> None:
    found, _ = classified
    missing = [kind for kind in BAD_KINDS if found[kind] < 2]
    assert not missing, f"too few of {missing}: {dict(found)}"
    # Each kind is a small share, not a flood.
    assert all(found[kind] < EVENTS * 0.01 for kind in BAD_KINDS), dict(found)


def test_reports_what_it_wrote(tmp_path: Path) -> None:
    sample = generate_schools_sample(tmp_path, EVENTS, seed=3, days=DAYS)
    assert sample.events == EVENTS
    assert [p.stat().st_size for p in sample.files] == sample.bytes_per_file
    assert all(count >= 2 for count in sample.bad.values())
    assert sample.duplicates > 0 and sample.late > 0 and sample.abandoned > 0


def test_same_seed_gives_identical_files(tmp_path: Path, sample_dir: Path) -> None:
    again = generate_schools(tmp_path, EVENTS, seed=7, days=DAYS)
    first = sorted(sample_dir.glob("schools-*.jsonl"))
    assert [p.name for p in first] == [p.name for p in again]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, again, strict=True))


def test_different_seeds_differ(tmp_path: Path, sample_dir: Path) -> None:
    other = generate_schools(tmp_path, EVENTS, seed=8, days=DAYS)
    first = sorted(sample_dir.glob("schools-*.jsonl"))
    assert any(a.read_bytes() != b.read_bytes() for a, b in zip(first, other, strict=True))


def test_one_file_per_day(sample_dir: Path) -> None:
    names = sorted(p.name for p in sample_dir.iterdir())
    expected = [f"schools-{DEFAULT_START + timedelta(days=d)}.jsonl" for d in range(DAYS)]
    assert names == expected
    assert all((sample_dir / name).stat().st_size > 0 for name in names)


def test_event_count_is_about_n(lines: list[tuple[date, str]]) -> None:
    assert abs(len(lines) - EVENTS) <= EVENTS * 0.01


def test_format_is_like_the_real_archive(lines: list[tuple[date, str]]) -> None:
    parsed = []
    for _, line in lines:
        try:
            parsed.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    good = [p for p in parsed if str(p.get("type", "")).removesuffix("Event") in REQUIRED]
    assert all(list(p)[:3] == ["type", "time", "logId"] for p in good if "logId" in p)
    assert all(" " not in line.split('"name"')[0] for _, line in lines)  # compact separators
    suffixed = sum(p["type"].endswith("Event") for p in good) / len(good)
    assert 0.05 < suffixed < 0.15
    times = [p["time"] for p in good if isinstance(p.get("time"), str)]
    no_millis = [t for t in times if len(t) == 20]
    assert no_millis and len(no_millis) < 0.03 * len(times)
    log_ids = {p["logId"] for p in good if _is_uuid(p.get("logId"))}
    assert all(uuid.UUID(x).version == 4 and str(uuid.UUID(x)) == x for x in log_ids)


def test_valid_events_lie_within_the_period(classified: tuple[Counter, list[Event]]) -> None:
    _, events = classified
    start = datetime.combine(DEFAULT_START, datetime.min.time(), UTC)
    assert all(start <= e.time < start + timedelta(days=DAYS) for e in events)


def test_logs_get_their_type_before_anything_else(lines: list[tuple[date, str]]) -> None:
    first_event, typed_at = {}, {}
    for file_day, line in lines:
        _, event = _structural(file_day, line)
        if event is None:
            continue
        first_event[event.log_id] = min(event.time, first_event.get(event.log_id, event.time))
        if event.type == "SetLogType":
            typed_at[event.log_id] = min(event.time, typed_at.get(event.log_id, event.time))
    assert all(typed_at[log] <= first_event[log] for log in typed_at)


def test_schools_devices_and_their_history(classified: tuple[Counter, list[Event]]) -> None:
    _, events = classified
    types = {e.log_id: e.body["logType"] for e in events if e.type == "SetLogType"}
    schools = [log for log, kind in types.items() if kind == "School"]
    devices = [log for log, kind in types.items() if kind == "Device"]
    assert len(schools) >= 2 and len(devices) >= 2 * len(schools)
    assert len(schools) >= 12
    names = Counter(e.log_id for e in events if e.type == "SetName")
    assert set(names) == set(schools) and max(names.values()) >= 2  # some renamed
    assert sum(n >= 2 for n in names.values()) >= 2
    assigned = Counter(e.log_id for e in events if e.type == "AssignToSchool")
    assert set(assigned) <= set(devices) and max(assigned.values()) >= 2  # some re-assigned


@dataclass(frozen=True)
class History:
    """What a sample says about schools and devices, from its valid events."""

    schools: int
    renamed: int
    devices: int
    reassigned: int
    moved_in_pause: int


def _read(directory: Path) -> list[tuple[date, str]]:
    result = []
    for path in sorted(directory.glob("schools-*.jsonl")):
        file_day = date.fromisoformat(path.stem.removeprefix("schools-"))
        result += [(file_day, line) for line in path.read_text("utf-8").split("\n")[:-1]]
    return result


def history(events: list[Event]) -> History:
    """Count schools, renamed schools, devices, re-assigned devices and those moved in a pause.

    A move is in a pause when it lies between a completed session that started after the
    device's first assignment and the device's next session on the same day.
    """
    types = {e.log_id: e.body["logType"] for e in events if e.type == "SetLogType"}
    names = Counter(e.log_id for e in events if e.type == "SetName")
    assigned = defaultdict(list)
    for e in events:
        if e.type == "AssignToSchool":
            assigned[e.log_id].append(e.time)
    spans = defaultdict(list)
    for device, start, end in sessions(events):
        spans[device].append((start, end))
    in_pause = 0
    for device, times in assigned.items():
        first, *moves = sorted(times)
        pauses = [
            (a_end, b_start)
            for (a_start, a_end), (b_start, _) in itertools.pairwise(sorted(spans[device]))
            if a_end is not None and first < a_start and a_end.date() == b_start.date()
        ]
        in_pause += any(low < move < high for move in moves for low, high in pauses)
    return History(
        schools=sum(kind == "School" for kind in types.values()),
        renamed=sum(n >= 2 for n in names.values()),
        devices=sum(kind == "Device" for kind in types.values()),
        reassigned=sum(len(t) >= 2 for t in assigned.values()),
        moved_in_pause=in_pause,
    )


@pytest.fixture(scope="module")
def history_20k(tmp_path_factory: pytest.TempPathFactory) -> History:
    """The history of a sample like the committed one (20,000 events, seed 42)."""
    out = tmp_path_factory.mktemp("schools_20k")
    generate_schools(out, 20_000, seed=42)
    return history(classify(_read(out))[1])


def test_20k_sample_has_a_real_school_table(history_20k: History) -> None:
    assert history_20k.schools >= 12
    assert history_20k.renamed >= 2
    assert history_20k.devices >= 2 * history_20k.schools


def test_20k_sample_moves_devices_between_sessions(history_20k: History) -> None:
    # About 10% of the devices, some of them in a pause between two sessions of a school day.
    assert 3 <= history_20k.reassigned <= 0.2 * history_20k.devices
    assert history_20k.moved_in_pause >= 2


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_smallest_sample_still_has_schools_renames_and_moves(tmp_path: Path, seed: int) -> None:
    sample = generate_schools_sample(tmp_path, MIN_EVENTS, seed=seed)
    assert sample.events == MIN_EVENTS and sample.schools >= 12
    found = history(classify(_read(tmp_path))[1])
    assert found.schools == sample.schools and found.devices == sample.devices
    assert found.renamed >= 2
    assert found.reassigned >= min(3, found.devices) and found.moved_in_pause >= 2


def test_schools_scale_with_devices(tmp_path: Path) -> None:
    """About one school per 40 devices once that is more than the minimum of 12."""
    sample = generate_schools_sample(tmp_path, 200_000, seed=5, days=3)
    assert sample.schools > 12
    assert 30 <= sample.devices / sample.schools <= 50


def test_sessions_span_midnight_and_days(classified: tuple[Counter, list[Event]]) -> None:
    _, events = classified
    found = sessions(events)
    complete = [(s, e) for _, s, e in found if e is not None]
    minutes = sorted((e - s).total_seconds() / 60 for s, e in complete)
    assert 5 <= minutes[len(minutes) // 10] and minutes[len(minutes) * 9 // 10] <= 120
    across_midnight = [(s, e) for s, e in complete if s.date() != e.date()]
    multi_day = [(s, e) for s, e in complete if (e.date() - s.date()).days >= 2]
    assert len(across_midnight) > len(multi_day) >= 2
    abandoned = sum(e is None for *_, e in found) / len(found)
    assert 0.01 < abandoned < 0.08


def test_sessions_of_a_device_do_not_overlap(classified: tuple[Counter, list[Event]]) -> None:
    _, events = classified
    by_device = defaultdict(list)
    for device, start, end in sessions(events):
        if end is not None:
            by_device[device].append((start, end))
    for spans in by_device.values():
        spans.sort()
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))


def test_files_are_dirty_but_complete(lines: list[tuple[date, str]]) -> None:
    counts = Counter(line for _, line in lines)
    again = [line for line, n in counts.items() if n > 1]
    assert 0.002 * EVENTS < len(again) < 0.01 * EVENTS
    days_of = defaultdict(list)
    for file_day, line in lines:
        days_of[line].append(file_day)
    assert all(days_of[line][0] < days_of[line][1] for line in again)  # re-delivered later

    late = unordered = 0
    previous: dict[date, datetime] = {}
    for file_day, line in lines:
        _, event = _structural(file_day, line)
        if event is None:
            continue
        late += event.time.date() < file_day
        unordered += event.time < previous.get(file_day, event.time)
        previous[file_day] = event.time
    assert late > 0.005 * EVENTS and unordered > 0


def test_cli_writes_files_and_says_so(tmp_path: Path) -> None:
    result = _cli("schools", "--events", "2000", "--out", str(tmp_path), "--days", "3")
    assert result.returncode == 0, result.stderr
    assert len(list(tmp_path.glob("schools-*.jsonl"))) == 3
    assert "2,000 events" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["schools", "--events", "ten", "--out", "x"],
        ["schools", "--events", "10", "--out", "x"],
        ["schools", "--events", "5000", "--out", "x", "--start", "2026-02-30"],
        ["schools", "--events", "5000", "--out", "x", "--days", "0"],
        ["schools", "--events", "5000"],
        ["bakeries", "--events", "5000", "--out", "x"],
        [],
    ],
)
def test_cli_bad_arguments_give_one_line(args: list[str], tmp_path: Path) -> None:
    result = _cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not list(tmp_path.iterdir())


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "event_assets.generate", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.mark.skipif(not SAMPLE_DIR.is_dir(), reason="no committed sample")
def test_committed_sample_is_the_generators_output(tmp_path: Path) -> None:
    """The bundled sample is ``--events 20000 --seed 42`` with the defaults: regenerate it."""
    fresh = generate_schools(tmp_path, 20_000, seed=42)
    committed = sorted(SAMPLE_DIR.glob("schools-*.jsonl"))
    assert [p.name for p in committed] == [p.name for p in fresh]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(committed, fresh, strict=True))
    assert sum(p.stat().st_size for p in committed) < 4_000_000
