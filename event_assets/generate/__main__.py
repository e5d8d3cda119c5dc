"""Command line for the sample-data generators.

    python -m event_assets.generate schools --events N --out DIR [--seed 42]
        [--start 2026-01-05] [--days 14]
    python -m event_assets.generate engagement --events N --out DIR [--seed 42]
        [--start 2021-01-01] [--days 31]

One subcommand per domain, so adding a domain is adding a subparser. Bad arguments end in a
one-line error (exit status 2), never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from event_assets.generate import engagement
from event_assets.generate.engagement import EngagementSample, generate_engagement_sample
from event_assets.generate.schools import (
    DEFAULT_DAYS,
    DEFAULT_SEED,
    DEFAULT_START,
    FILE_PREFIX,
    MIN_EVENTS,
    SchoolsSample,
    generate_schools_sample,
)

PROG = "python -m event_assets.generate"


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line instead of usage plus message."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _count(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-01-05: {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Write realistic sample landing files for a domain.")
    domains = parser.add_subparsers(dest="domain", required=True, metavar="DOMAIN")
    schools = domains.add_parser(
        "schools",
        help="device usage in pre-primary schools",
        description="Daily JSON Lines files (schools-YYYY-MM-DD.jsonl) of school/device events.",
    )
    schools.add_argument(
        "--events", type=_count, required=True, help=f"events in total (at least {MIN_EVENTS:,})"
    )
    schools.add_argument("--out", type=Path, required=True, help="directory to write into")
    schools.add_argument("--seed", type=_seed, default=DEFAULT_SEED, help="random seed")
    schools.add_argument(
        "--start", type=_day, default=DEFAULT_START, help="first day (UTC), YYYY-MM-DD"
    )
    schools.add_argument("--days", type=_count, default=DEFAULT_DAYS, help="number of daily files")
    schools.set_defaults(run=_run_schools)

    engagement_parser = domains.add_parser(
        "engagement",
        help="play activity in a children's learning app",
        description=(
            "events/, users/ (daily JSON Lines files) and activities/ (the catalogue) of "
            "activity_exit events, user subscription milestones and activity metadata."
        ),
    )
    engagement_parser.add_argument(
        "--events",
        type=_count,
        required=True,
        help=f"events in total (at least {engagement.MIN_EVENTS:,})",
    )
    engagement_parser.add_argument(
        "--out", type=Path, required=True, help="directory to write into"
    )
    engagement_parser.add_argument(
        "--seed", type=_seed, default=engagement.DEFAULT_SEED, help="random seed"
    )
    engagement_parser.add_argument(
        "--start", type=_day, default=engagement.DEFAULT_START, help="first day (UTC), YYYY-MM-DD"
    )
    engagement_parser.add_argument(
        "--days", type=_count, default=engagement.DEFAULT_DAYS, help="number of daily files"
    )
    engagement_parser.set_defaults(run=_run_engagement)
    return parser


def _run_schools(args: argparse.Namespace) -> None:
    sample = generate_schools_sample(args.out, args.events, args.seed, args.start, args.days)
    _print_schools(sample)
    others = sorted(set(args.out.glob(f"{FILE_PREFIX}*.jsonl")) - set(sample.files))
    if others:
        print(
            f"note: {len(others)} other {FILE_PREFIX}*.jsonl file(s) in {args.out} left as they are"
        )


def _print_schools(sample: SchoolsSample) -> None:
    for path, lines, size in zip(
        sample.files, sample.lines_per_file, sample.bytes_per_file, strict=True
    ):
        print(f"wrote {path}  {lines:>10,} events  {size:>13,} bytes")
    total = sum(sample.bytes_per_file)
    print(
        f"total: {len(sample.files)} files, {sample.events:,} events, {total / 1e6:,.1f} MB; "
        f"{sample.schools:,} schools, {sample.devices:,} devices, "
        f"{sample.sessions:,} sessions ({sample.abandoned:,} abandoned); "
        f"{sample.late:,} late, {sample.duplicates:,} re-delivered"
    )
    print("bad records: " + ", ".join(f"{k} {v:,}" for k, v in sample.bad.items()))


def _run_engagement(args: argparse.Namespace) -> None:
    sample = generate_engagement_sample(args.out, args.events, args.seed, args.start, args.days)
    _print_engagement(sample)
    folders = {
        engagement.EVENTS_DIR: engagement.EVENTS_PREFIX,
        engagement.USERS_DIR: engagement.USERS_PREFIX,
    }
    written = set(sample.files)
    others = sorted(
        path
        for folder, prefix in folders.items()
        for path in (args.out / folder).glob(f"{prefix}*.jsonl")
        if path not in written
    )
    if others:
        print(f"note: {len(others)} other file(s) under {args.out} left as they are")


def _print_engagement(sample: EngagementSample) -> None:
    for files in ([sample.activity_file], sample.user_files, sample.event_files):
        lines = sum(sample.lines_per_file[p] for p in files)
        size = sum(sample.bytes_per_file[p] for p in files)
        folder = files[0].parent
        print(f"wrote {folder}/  {len(files):>3} file(s)  {lines:>10,} lines  {size:>13,} bytes")
    total = sum(sample.bytes_per_file.values())
    print(
        f"total: {len(sample.files)} files, {sample.events:,} events, {total / 1e6:,.1f} MB; "
        f"{sample.users:,} users ({sample.user_records:,} records, "
        f"{sample.users_with_new_milestones:,} re-delivered with new milestones), "
        f"{sample.users_without_record:,} users without a record, "
        f"{sample.activities:,} activities (+{sample.unknown_activities} unknown ids); "
        f"{sample.late:,} late, {sample.redelivered:,} re-delivered, "
        f"{sample.shared_ids:,} sharing another event's id"
    )
    print("quirks: " + ", ".join(f"{k} {v:,}" for k, v in sample.quirks.items()))
    print("bad records: " + ", ".join(f"{k} {v:,}" for k, v in sample.bad.items()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except (ValueError, OSError) as error:
        print(f"{PROG} {args.domain}: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
