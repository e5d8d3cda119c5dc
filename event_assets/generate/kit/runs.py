"""Runs of the generators: their arguments, the checks and options for them, and the contract.

Every generator is asked for ``events`` lines over ``days`` daily files from ``start`` with a
seed (a ``Run``); a domain says what it does when not told (its ``Defaults``). The command line
offers the same options for every domain (``add_run_arguments``). ``check_declared`` holds a
generator's fault kinds to the rejection reasons its domain declares in dbt.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple, ParamSpec, Protocol, TypedDict

import numpy as np

from event_assets.core.quarantine import rejection_reasons
from event_assets.generate.kit.times import DAY_MS, epoch_ms

_P = ParamSpec("_P")


class Options(TypedDict, total=False):
    """The options every generator takes besides where to write and how many events."""

    seed: int
    start: date
    days: int


class Defaults(NamedTuple):
    """A domain's run where not told otherwise, and the fewest events it can make."""

    seed: int
    start: date
    days: int
    min_events: int


@dataclass(frozen=True)
class Run:
    """What a generator is asked for: ``events`` lines over ``days`` daily files from ``start``."""

    out_dir: Path
    events: int
    seed: int
    start: date
    days: int

    @classmethod
    def checked(cls, out_dir: Path, events: int, options: Options, defaults: Defaults) -> Run:
        """The run asked for (``options`` over ``defaults``); ValueError if it cannot be."""
        run = cls(
            out_dir,
            events,
            options.get("seed", defaults.seed),
            options.get("start", defaults.start),
            options.get("days", defaults.days),
        )
        if events < defaults.min_events:
            raise ValueError(f"events must be at least {defaults.min_events:,} (got {events:,})")
        if run.days < 1:
            raise ValueError(f"days must be at least 1 (got {run.days})")
        if run.seed < 0:
            raise ValueError(f"seed must not be negative (got {run.seed})")
        return run

    @property
    def start_ms(self) -> int:
        return epoch_ms(self.start)

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.days * DAY_MS

    def rng(self) -> np.random.Generator:
        return np.random.default_rng(self.seed)

    def file(self, folder: Path, prefix: str, day: int) -> Path:
        """The daily file ``<prefix>YYYY-MM-DD.jsonl`` in ``folder`` of day ``day`` (from 0)."""
        return folder / f"{prefix}{self.start + timedelta(days=day)}.jsonl"


class _Written(Protocol):
    @property
    def files(self) -> list[Path]: ...


def files_only(generate_sample: Callable[_P, _Written]) -> Callable[_P, list[Path]]:
    """The generator function that returns just the files ``generate_sample`` wrote.

    For a domain's pair ``generate_<domain>`` / ``generate_<domain>_sample``.
    """

    @functools.wraps(generate_sample)
    def generate(*args: _P.args, **kwargs: _P.kwargs) -> list[Path]:
        return generate_sample(*args, **kwargs).files

    generate.__name__ = generate.__qualname__ = generate_sample.__name__.removesuffix("_sample")
    generate.__doc__ = f"Like ``{generate_sample.__name__}`` but returns only the files written."
    return generate


def check_declared(domain: str, reasons: Iterable[str]) -> None:
    """Raise unless every one of ``reasons`` is a rejection reason ``domain`` declares in dbt."""
    declared = rejection_reasons(domain)
    undeclared = [r for r in reasons if r not in declared]
    if undeclared:
        raise ValueError(
            f"{domain} generator makes faults its domain does not declare as rejection reasons "
            f"(config.meta.rejection_reasons in dbt_project/models/{domain}/): {undeclared}"
        )


def _whole_number(text: str, digits: str, smallest: int, too_small: str) -> int:
    try:
        value = int(digits)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < smallest:
        raise argparse.ArgumentTypeError(f"{too_small}: {text!r}")
    return value


def count_argument(text: str) -> int:
    """An argparse type: a positive whole number, ``_`` or ``,`` allowed between digits."""
    digits = text.replace("_", "").replace(",", "")
    return _whole_number(text, digits, 1, "must be positive")


def seed_argument(text: str) -> int:
    """An argparse type: a whole number, not negative."""
    return _whole_number(text, text, 0, "must not be negative")


def day_argument(text: str) -> date:
    """An argparse type: an ISO date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-01-05: {text!r}") from None


def add_run_arguments(parser: argparse.ArgumentParser, defaults: Defaults) -> None:
    """The options of a ``Run``: ``--events``, ``--out``, ``--seed``, ``--start``, ``--days``."""
    parser.add_argument(
        "--events",
        type=count_argument,
        required=True,
        help=f"events in total (at least {defaults.min_events:,})",
    )
    parser.add_argument("--out", type=Path, required=True, help="directory to write into")
    parser.add_argument("--seed", type=seed_argument, default=defaults.seed, help="random seed")
    parser.add_argument(
        "--start", type=day_argument, default=defaults.start, help="first day (UTC), YYYY-MM-DD"
    )
    parser.add_argument(
        "--days", type=count_argument, default=defaults.days, help="number of daily files"
    )


def options_of(args: argparse.Namespace) -> Options:
    """The ``Options`` parsed by ``add_run_arguments``."""
    return Options(seed=args.seed, start=args.start, days=args.days)
