"""Command line for the sample-data generators.

    python -m event_assets.generate DOMAIN --events N --out DIR [--seed S]
        [--start YYYY-MM-DD] [--days D]

One subcommand per domain the package finds (see ``event_assets.generate``), with the options
the domain adds. Bad arguments end in a one-line error (exit status 2), never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from event_assets.generate import domains

PROG = "python -m event_assets.generate"


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line instead of usage plus message."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Write realistic sample landing files for a domain.")
    subparsers = parser.add_subparsers(dest="domain", required=True, metavar="DOMAIN")
    for name, domain in domains().items():
        sub = subparsers.add_parser(name, help=domain.HELP, description=domain.DESCRIPTION)
        domain.add_arguments(sub)
        sub.set_defaults(run=domain.run)
    return parser


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
