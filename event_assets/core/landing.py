"""Find the files waiting in a landing folder and fingerprint them.

A file is *ready* when its name is complete and it has not changed for `settle_seconds`:
- complete names end in `.jsonl`, `.jsonl.gz`, `.json` or `.json.gz`; names starting with `.` or
  `_` and any other suffix (`.tmp`, `.part`, ...) are ignored, so a writer that writes to a
  temporary name and renames when done is never read half-way;
- a file modified within the last `settle_seconds` is left for a later tick, a safety net for
  writers that append in place.
The ingestion ledger in the warehouse decides what is new (`ledger.unloaded_files`); the landing
sensor (`sensors.py`) asks it.
"""

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

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
