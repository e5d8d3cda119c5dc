"""The headless command line: `python -m event_assets run [--domain NAME]`, `... home`.

`run` processes whatever is in `$EVENT_ASSETS_DATA_DIR/landing/`: ingests new files, materializes
the days they affect and everything downstream, runs every check and prints a summary. It exits
with 1 when a run or an error-severity check fails, 2 on a configuration problem (one line, before
anything is created), and 130 or 143 when SIGINT (Ctrl-C) or SIGTERM stops it (one line). It
first cleans up after a run that was killed (`core/dead_runs.py`) and says so in one line.
"""

import argparse
import atexit
import os
import sys

from event_assets.core.preflight import check_locations
from event_assets.core.signals import Interrupted, StopSignals
from event_assets.core.warehouse import ConfigError, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m event_assets", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="ingest new files, materialize, check, summarize")
    run.add_argument("--domain", help="only this domain (default: every domain)")
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild the incremental dbt models from scratch (after a change to their SQL)",
    )
    commands.add_parser("home", help="print the Dagster instance folder (created if missing)")
    args = parser.parse_args(argv)
    signals = StopSignals()
    try:
        with signals:
            return _command(args)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BaseException as error:
        # SIGINT or SIGTERM, maybe turned into another error by the library code it interrupted
        # (e.g. while the definitions load): one line. Anything else is a bug: its traceback.
        if isinstance(error, Interrupted):
            stop = error
        elif signals.received:
            stop = Interrupted(signals.received)
        else:
            raise
        print(stop.line, file=sys.stderr)
        return stop.exit_code


def _command(args: argparse.Namespace) -> int:
    settings = load_settings()
    check_locations(settings)  # before anything is created
    if args.command == "home":
        from event_assets.core.instance import ensure_dagster_home

        print(ensure_dagster_home(settings))
        return 0
    from event_assets.core.summary import run_and_summarize

    return run_and_summarize(settings, args.domain, args.full_refresh)


def _leave(code: int) -> None:
    """End the process with `code` once the atexit handlers have run, without finalizing the
    interpreter: tearing down the modules of Dagster, dbt and pandera takes over a second after
    every run and leaves nothing behind that the operating system does not release."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    exit_code = 1  # an uncaught exception (a bug): its traceback is printed before the handlers
    atexit.register(lambda: _leave(exit_code))  # registered first, so it runs last
    exit_code = main()
    sys.exit(exit_code)
