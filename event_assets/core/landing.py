"""Find the files waiting in a landing folder, fingerprint them, and watch the folder with a sensor.

A file is *ready* when its name is complete and it has not changed for `settle_seconds`:
- complete names end in `.jsonl`, `.jsonl.gz`, `.json` or `.json.gz`; names starting with `.` or
  `_` and any other suffix (`.tmp`, `.part`, ...) are ignored, so a writer that writes to a
  temporary name and renames when done is never read half-way;
- a file modified within the last `settle_seconds` is left for a later tick, a safety net for
  writers that append in place.
The sensor remembers the content hashes it has already requested a run for, so the same content
(even under another name) does not trigger twice. The ingestion ledger in the warehouse, not this
cursor, decides what is actually loaded.
"""

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

READY_SUFFIXES = (".jsonl", ".jsonl.gz", ".json", ".json.gz")
_HASH_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class LandedFile:
    path: Path
    name: str  # relative to the landing folder, with `/` separators
    size: int
    mtime_ns: int


def is_complete_name(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return not base.startswith((".", "_")) and base.lower().endswith(READY_SUFFIXES)


def list_landed_files(landing_dir: Path) -> list[LandedFile]:
    """Every file with a complete name under the landing folder, sorted by name."""
    files = []
    for path in sorted(landing_dir.rglob("*")):
        name = path.relative_to(landing_dir).as_posix()
        if path.is_file() and is_complete_name(name):
            stat = path.stat()
            files.append(LandedFile(path, name, stat.st_size, stat.st_mtime_ns))
    return files


def split_ready(
    files: list[LandedFile], settle_seconds: float, now: float | None = None
) -> tuple[list[LandedFile], list[LandedFile]]:
    """(ready, still settling): files modified within `settle_seconds` are not ready yet."""
    now = time.time() if now is None else now
    ready = [f for f in files if now - f.mtime_ns / 1e9 >= settle_seconds]
    settling = [f for f in files if now - f.mtime_ns / 1e9 < settle_seconds]
    return ready, settling


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def build_landing_sensor(
    domain: str,
    job: UnresolvedAssetJobDefinition,
    landing_dir_of: Callable[[], Any],
    settle_seconds_of: Callable[[], Any],
    minimum_interval_seconds: int = 15,
) -> dg.SensorDefinition:
    """A sensor that requests `job` when ready files with new content appear in the landing folder.

    `landing_dir_of()` and `settle_seconds_of()` are read at every tick, so the sensor follows the
    environment of the process it runs in.
    """

    @dg.sensor(
        name=f"{domain}_landing_sensor",
        job=job,
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=f"Requests an ingestion run when new files land in landing/{domain}/.",
    )
    def _sensor(context: dg.SensorEvaluationContext):
        landing_dir: Path = landing_dir_of()
        if not landing_dir.is_dir():
            return dg.SkipReason(f"landing folder {landing_dir} does not exist")
        ready, settling = split_ready(list_landed_files(landing_dir), settle_seconds_of())
        cursor = json.loads(context.cursor) if context.cursor else {"files": {}, "hashes": []}
        known_states: dict[str, str] = cursor["files"]
        known_hashes = set(cursor["hashes"])
        new_files = []
        for landed in ready:
            state = f"{landed.size}:{landed.mtime_ns}"
            if known_states.get(landed.name) == state:
                continue
            known_states[landed.name] = state
            content_hash = file_sha256(landed.path)
            if content_hash not in known_hashes:
                known_hashes.add(content_hash)
                new_files.append((landed.name, content_hash))
        context.update_cursor(json.dumps({"files": known_states, "hashes": sorted(known_hashes)}))
        if not new_files:
            waiting = f"; {len(settling)} file(s) still being written" if settling else ""
            return dg.SkipReason(f"no new files in {landing_dir}{waiting}")
        run_key = hashlib.sha256("".join(sorted(h for _, h in new_files)).encode()).hexdigest()
        return dg.RunRequest(
            run_key=f"{domain}-{run_key[:16]}",
            tags={"event_assets/new_files": ", ".join(n for n, _ in new_files)[:1000]},
        )

    return _sensor
