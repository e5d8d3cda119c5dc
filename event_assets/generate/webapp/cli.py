"""The ``webapp`` subcommand of ``python -m event_assets.generate``: options and summary."""

from __future__ import annotations

import argparse

from event_assets.generate import kit
from event_assets.generate.webapp.generator import (
    DEFAULTS,
    WebappSample,
    generate_webapp_sample,
)

HELP = "web-app events (batch sessions) and a player's playback heartbeats (micro-batches)"
DESCRIPTION = (
    "events/ (one JSON Lines file per UTC day) of web-app events, and playback/ (micro-batch "
    "files numbered and modified in delivery order) of heartbeats every ~4 s while playing."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    kit.add_run_arguments(parser, DEFAULTS)
    parser.add_argument(
        "--heartbeats",
        type=kit.count_argument,
        help="heartbeat lines in all (default: 1.5 per event)",
    )
    parser.add_argument(
        "--files",
        type=kit.count_argument,
        help="playback files (default: one per 100 heartbeats, at most 1,000)",
    )


def run(args: argparse.Namespace) -> None:
    sample = generate_webapp_sample(
        args.out, args.events, args.heartbeats, args.files, **kit.options_of(args)
    )
    _print_summary(sample)


def _print_summary(sample: WebappSample) -> None:
    for files in (sample.event_files, sample.playback_files):
        lines = sum(sample.lines_per_file[p] for p in files)
        size = sum(sample.bytes_per_file[p] for p in files)
        folder = files[0].parent
        print(f"wrote {folder}/  {len(files):>4} file(s)  {lines:>10,} lines  {size:>12,} bytes")
    print(
        f"web: {sample.users:,} users, {sample.devices:,} devices, {len(sample.sessions):,} "
        f"sessions; {sample.duplicates:,} duplicates, {sample.late_events:,} a day late"
    )
    print(
        f"playback: {len(sample.streams):,} streams written, {len(sample.open_streams):,} open "
        f"at the end; {sample.late_files} late file(s)"
    )
    print("quirks: " + ", ".join(f"{k} {v:,}" for k, v in sample.quirks.items()))
    print("bad web events: " + ", ".join(f"{k} {v:,}" for k, v in sample.bad_events.items()))
    print("bad heartbeats: " + ", ".join(f"{k} {v:,}" for k, v in sample.bad_heartbeats.items()))
