"""A domain's benchmark (`benchmarks/<domain>.py`) run as `make bench` runs it, at a tiny size,
in a test's temporary folders: the smoke tests of every benchmark."""

import json
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks"


def run_benchmark(
    tmp_path: Path, script: str, *args: str, timeout: int = 600
) -> tuple[subprocess.CompletedProcess, dict]:
    """Runs `benchmarks/<script>` with `args`, its cache, work and results folders under
    `tmp_path`; asserts it exits 0. Returns the run and its results JSON, whose name ends with
    the `--events` given."""
    command = [
        sys.executable,
        str(BENCH_DIR / script),
        *args,
        "--cache-dir", str(tmp_path / "cache"),
        "--work-dir", str(tmp_path / "work"),
        "--results-dir", str(tmp_path / "results"),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    events = args[args.index("--events") + 1]
    name = f"{Path(script).stem}-{events}.json"
    return done, json.loads((tmp_path / "results" / name).read_text())
