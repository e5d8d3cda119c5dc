"""The ``engagement`` subcommand of ``python -m event_assets.generate``: options and summary."""

from __future__ import annotations

import argparse

from event_assets.generate import kit
from event_assets.generate.engagement.generator import (
    DEFAULTS,
    EVENTS_DIR,
    EVENTS_PREFIX,
    USERS_DIR,
    USERS_PREFIX,
    EngagementSample,
    generate_engagement_sample,
)

HELP = "play activity in a children's learning app"
DESCRIPTION = (
    "events/, users/ (daily JSON Lines files) and activities/ (the catalogue) of "
    "activity_exit events, user subscription milestones and activity metadata."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    kit.add_run_arguments(parser, DEFAULTS)


def run(args: argparse.Namespace) -> None:
    """Generate, say what was written, and note older daily files left in place."""
    sample = generate_engagement_sample(args.out, args.events, **kit.options_of(args))
    _print_summary(sample)
    written = set(sample.files)
    others = sorted(
        path
        for folder, prefix in ((EVENTS_DIR, EVENTS_PREFIX), (USERS_DIR, USERS_PREFIX))
        for path in (args.out / folder).glob(f"{prefix}*.jsonl")
        if path not in written
    )
    if others:
        print(f"note: {len(others)} other file(s) under {args.out} left as they are")


def _print_summary(sample: EngagementSample) -> None:
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
