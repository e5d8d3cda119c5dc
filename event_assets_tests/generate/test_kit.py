"""Tests of the generator kit: the primitives both domains' generators are built from.

Each primitive is checked against an independent reference (``uuid``, ``datetime``, ``json``) or
against the property the generators rely on (ranges, minimums, atomic files, reproducibility).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from event_assets.generate import kit
from event_assets.generate.kit import DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS

UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def rng(seed: int = 7) -> np.random.Generator:
    return np.random.default_rng(seed)


def _datetime(ms: int) -> datetime:
    return datetime(1970, 1, 1) + timedelta(milliseconds=ms)


# --- ids ------------------------------------------------------------------------------------


def test_uuids_are_lowercase_version_4_and_unique() -> None:
    texts = kit.uuid_strings(rng(), 20_000).astype(str).tolist()
    assert len(set(texts)) == len(texts)
    for text in texts[:2_000]:
        assert UUID_TEXT.fullmatch(text), text
        parsed = uuid.UUID(text)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
        assert str(parsed) == text


def test_uuid_matrix_strings_and_text_agree() -> None:
    matrix = kit.uuid_matrix(rng(3), 50)
    strings = kit.uuid_strings(rng(3), 50)
    assert matrix.shape == (50, 36) and matrix.dtype == np.uint8
    assert strings.dtype == np.dtype("S36")
    assert [kit.uuid_text(matrix, i) for i in range(50)] == strings.astype(str).tolist()


def test_uuids_are_reproducible_per_seed() -> None:
    assert (kit.uuid_matrix(rng(1), 100) == kit.uuid_matrix(rng(1), 100)).all()
    assert (kit.uuid_matrix(rng(1), 100) != kit.uuid_matrix(rng(2), 100)).any()
    assert kit.uuid_matrix(rng(), 0).shape == (0, 36)


# --- times ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def moments() -> np.ndarray:
    """Epoch ms from 1971 to 9997, plus the edges of a day and of a second."""
    low, high = kit.epoch_ms(date(1971, 1, 1)), kit.epoch_ms(date(9997, 12, 31))
    edges = [low, low + DAY_MS - 1, low + DAY_MS, kit.epoch_ms(date(2024, 2, 29)) + 999]
    return np.concatenate([rng().integers(low, high, 3_000), np.array(edges, dtype=np.int64)])


def test_epoch_ms_is_midnight_utc() -> None:
    for day in (date(1970, 1, 1), date(2021, 1, 1), date(2026, 1, 5), date(9998, 1, 1)):
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        assert kit.epoch_ms(day) == int(moment.timestamp()) * 1000


@pytest.mark.parametrize("millis", [True, False])
def test_iso_times_match_datetime(moments: np.ndarray, millis: bool) -> None:
    text = kit.as_strings(kit.time_matrix(moments, sep=b"T", millis=millis, zone=b"Z"))
    spec = "milliseconds" if millis else "seconds"
    for ms, got in zip(moments.tolist(), text.astype(str).tolist(), strict=True):
        expected = _datetime(ms).isoformat(timespec=spec) + "Z"
        assert got == expected == kit.iso_text(ms, millis=millis)


def test_space_separated_times_with_micros_and_quotes(moments: np.ndarray) -> None:
    plain = kit.as_strings(kit.time_matrix(moments)).astype(str).tolist()
    micros = kit.as_strings(kit.time_matrix(moments, micros=True)).astype(str).tolist()
    quoted = kit.as_strings(kit.time_matrix(moments, quote=True)).astype(str).tolist()
    for i, ms in enumerate(moments.tolist()):
        expected = _datetime(ms).isoformat(sep=" ", timespec="milliseconds")
        assert plain[i] == expected
        assert micros[i] == _datetime(ms).isoformat(sep=" ", timespec="microseconds")
        assert micros[i] == expected + "000"
        assert json.loads(quoted[i]) == expected


def test_time_matrix_shapes() -> None:
    assert kit.time_matrix(np.array([], dtype=np.int64)).shape == (0, 23)
    assert kit.time_matrix(np.array([0]), sep=b"T", millis=False, zone=b"Z").shape == (1, 20)
    assert kit.time_matrix(np.array([0]), micros=True, quote=True).shape == (1, 28)
    with pytest.raises(ValueError):
        kit.time_matrix(np.array([0]), millis=False, micros=True)


def test_time_constants() -> None:
    assert (SECOND_MS, MINUTE_MS, HOUR_MS, DAY_MS) == (1_000, 60_000, 3_600_000, 86_400_000)


# --- draws and fault injection --------------------------------------------------------------


def test_between_stays_in_bounds() -> None:
    low = rng(1).integers(0, 10**12, 5_000)
    high = low + rng(2).integers(1, 10**6, 5_000)
    drawn = kit.between(rng(), low, high, low.size)
    assert drawn.dtype == np.int64
    assert ((drawn >= low) & (drawn < high)).all()
    assert (kit.between(rng(), 5, 5, 10) == 5).all()  # an empty range gives its start


def test_weighted_never_draws_a_zero_weight() -> None:
    options = [("a", 3.0), ("b", 0.0), ("c", 1.0)]
    drawn = kit.weighted(rng(), options, 10_000)
    counts = np.bincount(drawn, minlength=3)
    assert counts[1] == 0 and counts[0] > 2 * counts[2] > 0


@pytest.mark.parametrize("share", [0.0, 0.001, 0.3])
def test_flags_only_eligible_and_at_least_the_minimum(share: float) -> None:
    eligible = rng(1).random(1_000) < 0.5
    flagged = kit.flags(rng(), eligible, share, 5)
    assert not (flagged & ~eligible).any()
    assert flagged.sum() >= 5
    if share == 0.3:
        assert 0.2 * eligible.sum() < flagged.sum() < 0.4 * eligible.sum()
    few = np.zeros(1_000, dtype=bool)
    few[[3, 9]] = True
    assert kit.flags(rng(), few, 0.0, 5).tolist() == few.tolist()  # all there are


def test_pick_is_sorted_eligible_minimum_and_one_per_group() -> None:
    eligible = rng(1).random(2_000) < 0.5
    chosen = kit.pick(rng(), eligible, 0.0, 4)
    assert chosen.size == 4 and eligible[chosen].all() and (np.diff(chosen) > 0).all()
    group = np.arange(2_000) // 10
    chosen = kit.pick(rng(), eligible, 0.5, 2, group)
    assert chosen.size >= 2 and eligible[chosen].all()
    assert np.unique(group[chosen]).size == chosen.size


def test_some_gives_distinct_eligible_positions() -> None:
    eligible = rng(1).random(500) < 0.1
    chosen = kit.some(rng(), eligible, 20)
    assert chosen.size == min(20, eligible.sum()) == np.unique(chosen).size
    assert eligible[chosen].all()
    assert kit.some(rng(), eligible, 10_000).size == eligible.sum()


# --- delivery -------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [1, 2, 3, 31])
def test_late_days_are_later_but_never_past_the_last_file(days: int) -> None:
    day = rng(1).integers(0, days, 20_000)
    late = kit.late_days(rng(), day, days)
    assert ((late >= 0) & (late <= days - 1)).all()
    assert ((late > day) | (late == days - 1)).all()
    assert (late <= day + 3).all()


def test_any_time_of_is_inside_the_day() -> None:
    start_ms = kit.epoch_ms(date(2026, 1, 5))
    day = rng(1).integers(0, 14, 5_000)
    moment = kit.any_time_of(rng(), day, start_ms)
    assert ((moment - start_ms) // DAY_MS == day).all()


def test_delivery_puts_lines_on_their_day_or_later() -> None:
    period = kit.Run(Path("."), 1_000, 0, date(2026, 1, 5), 14)
    delivery = kit.Delivery(late_share=0.05, shuffle_ms=2 * MINUTE_MS)
    time = period.start_ms + rng(1).integers(-DAY_MS, 15 * DAY_MS, 50_000)
    day, key = delivery.place(rng(), time, period)
    own = np.clip((time - period.start_ms) // DAY_MS, 0, 13)
    assert ((day >= 0) & (day <= 13)).all()
    assert (day >= own).all()
    late = day > own
    assert 0.03 < late.mean() < 0.06
    assert ((key[~late] >= time[~late]) & (key[~late] < time[~late] + 2 * MINUTE_MS)).all()
    assert ((key[late] - period.start_ms) // DAY_MS == day[late]).all()

    on_time, _ = delivery.place(rng(), time, period, late=False)
    assert (on_time == own).all()


def test_redelivery_comes_later_within_the_period() -> None:
    period = kit.Run(Path("."), 1_000, 0, date(2021, 1, 1), 5)
    day = rng(1).integers(0, 5, 5_000)
    day = day[kit.redeliverable(day, period.days)]
    assert (day < 4).all()
    again, key = kit.redeliver(rng(), day, period)
    assert ((again > day) & (again <= 4)).all()
    assert ((key - period.start_ms) // DAY_MS == again).all()

    single = kit.Run(Path("."), 1_000, 0, date(2021, 1, 1), 1)
    zeros = np.zeros(10, dtype=np.int64)
    assert kit.redeliverable(zeros, 1).all()
    assert (kit.redeliver(rng(), zeros, single)[0] == 0).all()


# --- files ----------------------------------------------------------------------------------


def test_json_line_styles() -> None:
    obj = {"name": "Zürich", "n": [1, 2]}
    assert kit.json_line(obj, compact=True) == '{"name":"Zürich","n":[1,2]}'.encode()
    assert kit.json_line(obj) == b'{"name": "Z\\u00fcrich", "n": [1, 2]}'


def test_write_lines_writes_whole_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "x-2026-01-05.jsonl"
    assert kit.write_lines(path, [b"a", b"bc"]) == (2, 5)
    assert path.read_bytes() == b"a\nbc\n"
    assert kit.write_lines(path, []) == (0, 0)
    assert path.read_bytes() == b""
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_write_lines_never_shows_a_half_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b"old\n")
    seen = []
    real_replace = os.replace

    def replace(src, dst):
        # Just before the rename: the final name still holds the old file, the new bytes are
        # complete under a name a *.jsonl glob does not match.
        seen.append((path.read_bytes(), sorted(p.name for p in tmp_path.glob("*.jsonl"))))
        seen.append(Path(src).read_bytes())
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    kit.write_lines(path, [b"new"] * 3)
    assert seen == [(b"old\n", ["x.jsonl"]), b"new\nnew\nnew\n"]
    assert path.read_bytes() == b"new\nnew\nnew\n"


def test_write_lines_failing_keeps_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b"old\n")
    real_write = Path.write_bytes

    def write_half(self: Path, data: bytes) -> int:
        real_write(self, data[: len(data) // 2])
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_bytes", write_half)
    with pytest.raises(OSError, match="disk full"):
        kit.write_lines(path, [b"new"] * 100)
    assert [p.name for p in tmp_path.iterdir()] == ["x.jsonl"]
    assert path.read_bytes() == b"old\n"


# --- runs -----------------------------------------------------------------------------------

DEFAULTS = kit.Defaults(seed=42, start=date(2026, 1, 5), days=14, min_events=1_000)


def test_run_takes_options_over_defaults() -> None:
    run = kit.Run.checked(Path("out"), 5_000, {"days": 3}, DEFAULTS)
    assert run == kit.Run(Path("out"), 5_000, 42, date(2026, 1, 5), 3)
    assert run.start_ms == kit.epoch_ms(date(2026, 1, 5))
    assert run.end_ms - run.start_ms == 3 * DAY_MS
    assert run.file(Path("out"), "x-", 2) == Path("out/x-2026-01-07.jsonl")
    assert run.rng().integers(1 << 30) == np.random.default_rng(42).integers(1 << 30)


@pytest.mark.parametrize(
    ("events", "options", "message"),
    [
        (999, {}, "events must be at least 1,000 (got 999)"),
        (1_000, {"days": 0}, "days must be at least 1 (got 0)"),
        (1_000, {"seed": -1}, "seed must not be negative (got -1)"),
    ],
)
def test_run_rejects_what_cannot_be(events: int, options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        kit.Run.checked(Path("out"), events, options, DEFAULTS)


def test_files_only_returns_the_files_of_the_sample() -> None:
    class Sample:
        files = [Path("a"), Path("b")]

    def generate_toy_sample(out_dir: Path, events: int, **options) -> Sample:
        return Sample()

    generate_toy = kit.files_only(generate_toy_sample)
    assert generate_toy(Path("."), 5, seed=1) == [Path("a"), Path("b")]
    assert generate_toy.__name__ == "generate_toy"
    assert "generate_toy_sample" in generate_toy.__doc__


def test_check_declared_names_what_is_not_declared() -> None:
    kit.check_declared("schools", ["malformed_json", "second_end"])
    with pytest.raises(ValueError, match="not_a_reason"):
        kit.check_declared("schools", ["malformed_json", "not_a_reason"])


def test_argument_types() -> None:
    assert kit.count_argument("1_000") == kit.count_argument("1,000") == 1_000
    assert kit.seed_argument("0") == 0
    assert kit.day_argument("2026-01-05") == date(2026, 1, 5)
    for parse, text in [
        (kit.count_argument, "0"),
        (kit.count_argument, "ten"),
        (kit.seed_argument, "-1"),
        (kit.seed_argument, "1.5"),
        (kit.day_argument, "2026-02-30"),
    ]:
        with pytest.raises(argparse.ArgumentTypeError):
            parse(text)


def test_run_arguments_parse_into_options() -> None:
    parser = argparse.ArgumentParser()
    kit.add_run_arguments(parser, DEFAULTS)
    args = parser.parse_args(["--events", "2,000", "--out", "x", "--days", "3"])
    assert (args.events, args.out) == (2_000, Path("x"))
    assert kit.options_of(args) == {"seed": 42, "start": date(2026, 1, 5), "days": 3}
