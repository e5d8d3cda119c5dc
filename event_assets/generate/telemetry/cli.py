"""The ``telemetry`` subcommand of ``python -m event_assets.generate``: options and summary."""

from __future__ import annotations

import argparse
from pathlib import Path

from event_assets.generate import kit
from event_assets.generate.telemetry.generator import (
    DEFAULTS,
    TelemetrySample,
    generate_telemetry_sample,
)
from event_assets.generate.telemetry.truth import write_truth_csv

HELP = "smart-home commands, their hub outcome and device readings (Twilio Sync events)"
DESCRIPTION = (
    "raw_sync_events/ and raw_users/ (daily JSON Lines files) of sync map-item updates from "
    "apartment hubs, and user records; --truth writes what every command did as a CSV."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    kit.add_run_arguments(parser, DEFAULTS)
    parser.add_argument(
        "--truth",
        type=Path,
        help="also write the ground truth (command -> caused reading) as CSV here, "
        "outside --out (a file in the landing folder would be ingested)",
    )


def run(args: argparse.Namespace) -> None:
    if args.truth is not None and args.truth.resolve().is_relative_to(args.out.resolve()):
        raise ValueError(f"--truth must be outside --out {args.out} (got {args.truth})")
    sample = generate_telemetry_sample(args.out, args.events, **kit.options_of(args))
    if args.truth is not None:
        write_truth_csv(args.truth, sample.truth, args.out)
    _print_summary(sample)


def _print_summary(sample: TelemetrySample) -> None:
    for files in (sample.user_files, sample.sync_event_files):
        lines = sum(sample.lines_per_file[p] for p in files)
        size = sum(sample.bytes_per_file[p] for p in files)
        folder = files[0].parent
        print(f"wrote {folder}/  {len(files):>3} file(s)  {lines:>8,} lines  {size:>11,} bytes")
    total = sum(sample.bytes_per_file.values())
    print(
        f"total: {len(sample.files)} files, {sample.events:,} sync events, {total / 1e6:,.1f} MB; "
        f"{sample.buildings} buildings, {sample.devices} devices, {sample.users} users "
        f"({sample.user_records} records, {sample.renamed_users} renamed), "
        f"{sample.commands:,} commands; {sample.duplicates:,} duplicates, "
        f"{sample.late_commands} Commands after their hub's lines"
    )
    print("quirks: " + ", ".join(f"{k} {v:,}" for k, v in sample.quirks.items()))
    print("bad sync events: " + ", ".join(f"{k} {v:,}" for k, v in sample.bad.items()))
    print("bad user records: " + ", ".join(f"{k} {v:,}" for k, v in sample.bad_users.items()))
