"""The ``webshop`` subcommand of ``python -m event_assets.generate``: options and summary."""

from __future__ import annotations

import argparse

from event_assets.generate import kit
from event_assets.generate.webshop.generator import DEFAULTS, WebshopSample, generate_webshop_sample

HELP = "an online shop's daily table extracts (customers, products, orders, lines, clickstream)"
DESCRIPTION = (
    "customer/, product/, order/, orderitem/ and event/ (daily JSON Lines files): the rows each "
    "day changed, at their state at the end of the day, and the tracker's clickstream."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    kit.add_run_arguments(parser, DEFAULTS)


def run(args: argparse.Namespace) -> None:
    _print_summary(generate_webshop_sample(args.out, args.events, **kit.options_of(args)))


def _print_summary(sample: WebshopSample) -> None:
    folders = sorted({path.parent for path in sample.files})
    for folder in folders:
        files = [path for path in sample.files if path.parent == folder]
        lines = sum(sample.lines_per_file[p] for p in files)
        size = sum(sample.bytes_per_file[p] for p in files)
        print(f"wrote {folder}/  {len(files):>3} file(s)  {lines:>10,} lines  {size:>13,} bytes")
    total = sum(sample.bytes_per_file.values())
    print(
        f"total: {len(sample.files)} files ({len(sample.redelivered_files)} re-delivered), "
        f"{total / 1e6:,.1f} MB; {sample.customers:,} customers, {sample.products:,} products, "
        f"{len(sample.orders):,} orders, {sample.sessions:,} customer sessions; rows: "
        + ", ".join(f"{name} {n:,}" for name, n in sample.rows.items())
    )
    print("quirks: " + ", ".join(f"{k} {v:,}" for k, v in sample.quirks.items()))
    print("bad rows: " + ", ".join(f"{k} {v:,}" for k, v in sample.bad.items()))
    print("bad lines, re-deliveries too: " + ", ".join(
        f"{k} {v:,}" for k, v in sample.bad_delivered.items()))  # fmt: skip
