"""The ``schools`` subcommand of ``python -m event_assets.generate``: options and summary."""

from __future__ import annotations

import argparse

from event_assets.generate import kit
from event_assets.generate.schools.generator import (
    DEFAULTS,
    FILE_PREFIX,
    SchoolsSample,
    generate_schools_sample,
)

HELP = "device usage in pre-primary schools"
DESCRIPTION = "Daily JSON Lines files (schools-YYYY-MM-DD.jsonl) of school/device events."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    kit.add_run_arguments(parser, DEFAULTS)


def run(args: argparse.Namespace) -> None:
    """Generate, say what was written, and note older files of the domain left in place."""
    sample = generate_schools_sample(args.out, args.events, **kit.options_of(args))
    _print_summary(sample)
    others = sorted(set(args.out.glob(f"{FILE_PREFIX}*.jsonl")) - set(sample.files))
    if others:
        print(
            f"note: {len(others)} other {FILE_PREFIX}*.jsonl file(s) in {args.out} left as they are"
        )


def _print_summary(sample: SchoolsSample) -> None:
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
