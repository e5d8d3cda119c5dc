"""Delivery for the generators: which file a line lands in, where in it, and the file itself.

Lines go to the daily file of their moment, a little shuffled; some come late, in a later day's
file, and some again, unchanged. A file is written under a hidden temporary name and renamed into
place, so that nothing watching the folder sees it half-written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from event_assets.generate.kit.times import DAY_MS


class Period(Protocol):
    """Days of files from ``start_ms`` (a ``Run``, or a domain's world with the same two)."""

    @property
    def start_ms(self) -> int: ...

    @property
    def days(self) -> int: ...


def late_days(rng: np.random.Generator, day: np.ndarray, days: int) -> np.ndarray:
    """Mostly the next day, sometimes two or three days later, never past the last file."""
    return np.minimum(day + 1 + rng.binomial(2, 0.25, day.size), days - 1)


def any_time_of(rng: np.random.Generator, day: np.ndarray, start_ms: int) -> np.ndarray:
    """A random moment of each day (0 is the day starting at ``start_ms``)."""
    return start_ms + day * DAY_MS + rng.integers(0, DAY_MS, day.size)


@dataclass(frozen=True)
class Delivery:
    """How a domain's lines reach the files: ``late_share`` of them in a later day's file, and
    inside a file in the order of their moment plus up to ``shuffle_ms``."""

    late_share: float
    shuffle_ms: int

    def place(
        self, rng: np.random.Generator, time: np.ndarray, period: Period, late: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        """The file (day) and the sort key inside it of lines standing for moments ``time``.

        A line goes to its moment's day (times outside the period to the first or last day); with
        ``late``, some go to a later file at a random place.
        """
        days, start_ms = period.days, period.start_ms
        day = np.clip((time - start_ms) // DAY_MS, 0, days - 1)
        key = time + rng.integers(0, self.shuffle_ms, time.size)
        if late:
            moved = np.flatnonzero((rng.random(time.size) < self.late_share) & (day < days - 1))
            day[moved] = late_days(rng, day[moved], days)
            key[moved] = any_time_of(rng, day[moved], start_ms)
        return day, key


def redeliverable(day: np.ndarray, days: int) -> np.ndarray:
    """Lines that can come again in a later file (any line when there is only one file)."""
    return day < days - 1 if days > 1 else np.ones(day.size, dtype=bool)


def redeliver(
    rng: np.random.Generator, day: np.ndarray, period: Period
) -> tuple[np.ndarray, np.ndarray]:
    """Day and sort key of copies of lines from ``day``: a later file (the same if only one)."""
    again = late_days(rng, day, period.days) if period.days > 1 else day
    return again, any_time_of(rng, again, period.start_ms)


def json_line(obj: dict, *, compact: bool = False) -> bytes:
    """One JSON line: ``compact`` (no spaces, UTF-8) or as Python writes it (``", "``, ASCII)."""
    if compact:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return json.dumps(obj).encode("ascii")


def write_lines(path: Path, lines: Sequence[bytes]) -> tuple[int, int]:
    """Write ``lines`` (newline-terminated) to ``path`` atomically; returns (lines, bytes).

    The bytes go to a hidden temporary name first, which landing globs (``*.jsonl``) do not
    match, and are renamed into place: a reader sees the old file or the whole new one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = b"\n".join(lines) + b"\n" if len(lines) else b""
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return len(lines), len(data)
