"""Generated data sets for the benchmarks: cached in `benchmarks/.cache/`, linked into landing.

A data set is what a domain's generator wrote for (events, seed, start, days), kept in a folder
named after them (`<domain>-<events>ev-seed<seed>-<start>-<days>d<suffix>`) so a second run of
the benchmark does not generate again. A `FileSet` is the part of one that a run lands: its
files keep their path relative to the data set's folder (`raw_users/...` for telemetry).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

# generate(out_dir, events, seed, start, days): writes the data set's files under out_dir
Generate = Callable[[Path, int, int, date, int], None]


@dataclass(frozen=True)
class Dataset:
    """A cached, generated set of landing files."""

    directory: Path
    events: int
    seed: int
    start: date
    days: int

    @property
    def files(self) -> list[Path]:
        return sorted(self.directory.rglob("*.jsonl"))

    @property
    def size_bytes(self) -> int:
        return sum(path.stat().st_size for path in self.files)

    @property
    def last_day(self) -> date:
        return self.start + timedelta(days=self.days - 1)

    def describe(self) -> str:
        files = self.files
        return (
            f"{self.events:,} events in {len(files)} file(s) ({self.start} .. {self.last_day}), "
            f"{self.size_bytes / 1e6:,.1f} MB, seed {self.seed}"
        )


def ensure_dataset(
    cache_dir: Path,
    domain: str,
    generate: Generate,
    events: int,
    seed: int,
    start: date,
    days: int,
    suffix: str = "",
) -> Dataset:
    """The cached data set for these arguments, generated first if missing.

    Generation goes to a hidden folder renamed when complete, so an interrupted run never
    leaves a half-written data set behind.
    """
    key = f"{domain}-{events}ev-seed{seed}-{start}-{days}d{suffix}"
    dataset = Dataset(cache_dir / key, events, seed, start, days)
    if (dataset.directory / ".complete").is_file():
        return dataset
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = cache_dir / f".{key}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    generate(partial, events, seed, start, days)
    files = len(list(partial.rglob("*.jsonl")))
    (partial / ".complete").write_text(json.dumps({"events": events, "files": files}))
    shutil.rmtree(dataset.directory, ignore_errors=True)
    os.replace(partial, dataset.directory)
    print(f"generated {dataset.describe()} in {time.perf_counter() - started:,.1f} s")
    return dataset


@dataclass(frozen=True)
class FileSet:
    """Files a run lands (paths under `root`), with what the report says about them."""

    root: Path
    files: list[Path]
    events: int
    description: str
    info: dict = field(default_factory=dict)  # more for the JSON (seed, start, days, ...)

    @classmethod
    def whole(cls, dataset: Dataset) -> FileSet:
        info = {"seed": dataset.seed, "start": dataset.start.isoformat(), "days": dataset.days}
        return cls(dataset.directory, dataset.files, dataset.events, dataset.describe(), info)

    @property
    def size_bytes(self) -> int:
        return sum(path.stat().st_size for path in self.files)

    def link_into(self, landing: Path) -> None:
        link_files(self.files, landing, self.root)

    def to_json(self) -> dict:
        return {
            "events": self.events,
            **self.info,
            "files": len(self.files),
            "bytes": self.size_bytes,
            "description": self.description,
        }


def link_files(files: list[Path], landing: Path, root: Path | None = None) -> None:
    """Put the files into a landing folder as hard links (symbolic links across devices); with
    `root`, each at its path relative to `root`, else flat."""
    for path in files:
        target = landing / (path.relative_to(root) if root is not None else path.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            target.symlink_to(path.resolve())
