"""`make ui-check`: the Dagster UI's main pages show their data, without an error.

Materializes the bundled sample (`data/landing/`) in a temporary data folder, so the check neither
depends on nor touches `data/`; starts the UI (dagster-webserver alone: without the daemon no
sensor changes the warehouse while the pages are shot) on a free port; opens each page of PAGES in
headless Chromium; saves its PNG and DOM to `build/ui-check/`. Exits with 1 and one line naming
the page when a page shows an error or lacks the texts its data brings, 2 when something it needs
is missing.
"""

import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT_DIR = REPO / "build" / "ui-check"
WINDOW_SIZE = "1600,1200"  # tall enough for the whole `schools` graph
# Virtual time stands still while a request is pending, so the budget does not depend on how
# fast the server answers; it covers the UI's timers (rendering, the graph's layout).
VIRTUAL_TIME_BUDGET_MS = 20_000
ATTEMPTS = 3  # a page still loading is shot again
UI_START_TIMEOUT_S = 180
CHROMIUM_TIMEOUT_S = 120


@dataclass(frozen=True)
class Page:
    name: str  # of the PNG
    path: str
    expected: tuple[str, ...]  # texts that show once the page's data loaded


PAGES = (
    Page("asset-graph", "/locations/event_assets/asset-groups/schools", ("schools_stats",)),
    Page("sessions", "/assets/schools/sessions", ("Latest materialization", "session_id")),
    Page(
        "sessions-checks",
        "/assets/schools/sessions?view=checks",
        ("sessions_matches_schema", "Evaluation result"),
    ),
    Page("schools-stats", "/assets/schools/schools_stats", ("rejected_by_reason", "total usage")),
    # The sample's days, first to newest, all materialized: no false backlog (issue 11).
    Page(
        "daily-usage-partitions",
        "/assets/schools/schools_device_daily_usage?view=partitions",
        ("2026-01-05", "2026-01-18", "Materialized (14)", "Missing (0)"),
    ),
)

# What Dagster's UI shows instead of data (lower case; matched against the page's text).
ERROR_TEXTS = (
    "something went wrong",
    "an unexpected error",
    "an error occurred",
    "graphql error",
    "failed to load",
    "error loading",
    "could not load",
    "no assets were found",
    "not found",
    "this graph is empty",
)
LOADING_MARK = 'role="progressbar"'  # Dagster's spinner, present while a query is pending

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # Without these Chromium calls out to services it cannot reach here, and its connections
    # are refused.
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


class CheckFailed(Exception):
    """One line for the user; the exit code says whose fault."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def main() -> int:
    # A `kill` of this script, like Ctrl-C, still stops the UI it started (the `finally` blocks).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    started = time.monotonic()
    try:
        chromium = find_chromium()
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="ui-check-") as temp:
            env = data_env(Path(temp))
            materialize_sample(env)
            with running_ui(env) as base_url:
                for page in PAGES:
                    check_page(chromium, base_url, page)
    except CheckFailed as failure:
        print(f"ui-check: {failure}", file=sys.stderr)
        return failure.exit_code
    except KeyboardInterrupt:
        print("ui-check: interrupted", file=sys.stderr)
        return 130
    elapsed = time.monotonic() - started
    print(f"ui-check: {len(PAGES)} pages OK in {elapsed:.0f} s; PNGs in {OUT_DIR}")
    return 0


def find_chromium() -> str:
    chromium = shutil.which(os.environ.get("CHROMIUM") or "chromium")
    if not chromium:
        raise CheckFailed(
            "no Chromium: install Debian's `chromium` package (`make ui-check` does as root) "
            "or set CHROMIUM=/path/to/chromium",
            exit_code=2,
        )
    return chromium


def data_env(temp: Path) -> dict[str, str]:
    """The environment of a data folder in `temp` holding a copy of the bundled sample."""
    data_dir = temp / "data"
    # copytree keeps the files' times: they count as settled, ready for ingestion.
    shutil.copytree(REPO / "data" / "landing", data_dir / "landing")
    return {
        **os.environ,
        "EVENT_ASSETS_DATA_DIR": str(data_dir),
        "EVENT_ASSETS_DUCKDB_PATH": str(data_dir / "warehouse.duckdb"),
        "DAGSTER_HOME": str(data_dir / ".dagster"),
    }


def materialize_sample(env: dict[str, str]) -> None:
    log = OUT_DIR / "run.log"
    print("ui-check: materializing the sample (python -m event_assets run) ...", flush=True)
    with log.open("w") as out:
        result = subprocess.run(
            [sys.executable, "-m", "event_assets", "run"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if result.returncode != 0:
        raise CheckFailed(f"the run on the sample failed (exit {result.returncode}); see {log}")


@contextmanager
def running_ui(env: dict[str, str]) -> Iterator[str]:
    """dagster-webserver on a free port, in a process group of its own (with its code server),
    stopped on leaving, whatever happened."""
    port = free_port()
    log = OUT_DIR / "webserver.log"
    command = [sys.executable, "-m", "dagster_webserver", "-w", "workspace.yaml"]
    command += ["-h", "127.0.0.1", "-p", str(port)]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(process, base_url, log)
        # The first visit opens a "Join the Dagster community" dialog over the page; this is
        # what its Skip button does.
        graphql(base_url, "mutation { setNuxSeen }")
        print(f"ui-check: UI at {base_url}", flush=True)
        yield base_url
    finally:
        stop_process_group(process)


def wait_until_serving(process: subprocess.Popen, base_url: str, log: Path) -> None:
    deadline = time.monotonic() + UI_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CheckFailed(f"the UI stopped at start (exit {process.returncode}); see {log}")
        try:
            with urllib.request.urlopen(f"{base_url}/server_info", timeout=5):
                return
        except OSError:
            time.sleep(1)
    raise CheckFailed(f"the UI did not answer within {UI_START_TIMEOUT_S} s; see {log}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def graphql(base_url: str, query: str) -> None:
    request = urllib.request.Request(
        f"{base_url}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
    except OSError as error:
        raise CheckFailed(f"the UI's GraphQL endpoint failed: {error}") from error


def check_page(chromium: str, base_url: str, page: Page) -> None:
    png, dom_file = OUT_DIR / f"{page.name}.png", OUT_DIR / f"{page.name}.html"
    for _ in range(ATTEMPTS):
        png.unlink(missing_ok=True)
        dom = shoot(chromium, base_url + page.path, png)
        dom_file.write_text(dom)
        text = visible_text(dom)
        error = next((e for e in ERROR_TEXTS if e in text.lower()), None)
        if error:
            raise CheckFailed(f"page {page.name} ({page.path}) shows {error!r}; see {png}")
        missing = [expected for expected in page.expected if expected not in text]
        if not missing and LOADING_MARK not in dom:
            print(f"ui-check: {page.name} OK ({png.stat().st_size // 1024} KB)", flush=True)
            return
    what = f"lacks {missing}" if missing else "is still loading"
    raise CheckFailed(f"page {page.name} ({page.path}) {what} after {ATTEMPTS} tries; see {png}")


def shoot(chromium: str, url: str, png: Path) -> str:
    """Loads `url` in a new headless Chromium: saves its screenshot, returns its DOM."""
    with tempfile.TemporaryDirectory(prefix="ui-check-chromium-") as profile:
        command = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={WINDOW_SIZE}",
            f"--virtual-time-budget={VIRTUAL_TIME_BUDGET_MS}",
            f"--screenshot={png}",
            "--dump-dom",
            url,
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        try:
            dom, _ = process.communicate(timeout=CHROMIUM_TIMEOUT_S)
        except subprocess.TimeoutExpired as timeout:
            message = f"Chromium did not finish {url} within {CHROMIUM_TIMEOUT_S} s"
            raise CheckFailed(message) from timeout
        finally:
            stop_process_group(process)  # its helper processes too
    if process.returncode != 0 or not png.exists():
        raise CheckFailed(f"Chromium failed on {url} (exit {process.returncode})")
    return dom


def stop_process_group(process: subprocess.Popen, grace_s: float = 20) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def visible_text(dom: str) -> str:
    without_code = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", dom)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", without_code)).split())


if __name__ == "__main__":
    sys.exit(main())
