"""Find the files waiting in a landing folder and fingerprint their content.

A file is *ready* when its name is complete and it has not changed for `settle_seconds`:
- complete names end in `.jsonl`, `.jsonl.gz`, `.json` or `.json.gz`; names starting with `.` or
  `_` and any other suffix (`.tmp`, `.part`, ...) are ignored, so a writer that writes to a
  temporary name and renames when done is never read half-way;
- a file modified within the last `settle_seconds` is left for a later tick, a safety net for
  writers that append in place.
Only regular files are read. Symbolic links are not followed, whatever they point to: a link out
of the folder would load a file nobody delivered here, and a file inside it is read under its own
name anyway. A link, and a folder, named pipe or device with a complete name, is reported with a
reason (`Landing.skipped`). Listing opens no entry and reading opens regular files only, so a
named pipe never blocks either.
A name that is not valid UTF-8 is shown and stored with its other bytes escaped
(`bad-\\xff.jsonl`): the warehouse stores text.
The ingestion ledger in the warehouse decides what is new (`ledger.unloaded_files`); the landing
sensor (`sensors.py`) asks it.
"""

import contextlib
import errno
import gzip
import hashlib
import os
import stat
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

READY_SUFFIXES = (".jsonl", ".jsonl.gz", ".json", ".json.gz")
_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class LandedFile:
    path: Path
    name: str  # relative to the landing folder, with `/` separators, valid UTF-8
    size: int
    mtime_ns: int


@dataclass
class Landing:
    """What a landing folder holds: the files to read, and the entries that will not be read."""

    files: list[LandedFile] = field(default_factory=list)  # sorted by name
    skipped: list[str] = field(default_factory=list)  # "<name>: <why it is not read>"


class DamagedContent(Exception):
    """The file can be read but its content cannot (a truncated or corrupt gzip file)."""


def is_complete_name(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return not base.startswith((".", "_")) and base.lower().endswith(READY_SUFFIXES)


def display_name(raw: str) -> str:
    """A file name as valid UTF-8: bytes that are not UTF-8 (held by Python as surrogates) are
    written as `\\xNN`."""
    return os.fsencode(raw).decode("utf-8", "backslashreplace")


def scan_landing(landing_dir: Path) -> Landing:
    """Every regular file with a complete name under the landing folder, and why any other
    entry with a complete name, or any symbolic link, is not read."""
    landing = Landing()
    _scan(landing_dir, "", landing)
    landing.files.sort(key=lambda landed: landed.name.split("/"))
    landing.skipped.sort()
    return landing


def _scan(folder: Path, prefix: str, landing: Landing) -> None:
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError as error:
        landing.skipped.append(f"{display_name(prefix) or '.'}: cannot list it ({error.strerror})")
        return
    for entry in entries:
        name = display_name(prefix + entry.name)
        hidden = entry.name.startswith((".", "_"))
        complete = is_complete_name(name)
        if entry.is_symlink():
            if not hidden:
                target = display_name(os.readlink(entry.path))
                landing.skipped.append(
                    f"{name}: a symbolic link (to {target}), not followed: move or copy the "
                    "file itself into the landing folder"
                )
        elif entry.is_dir(follow_symlinks=False):
            if complete:
                landing.skipped.append(
                    f"{name}: a folder, not a file (the files in it are read by their own names)"
                )
            _scan(Path(entry.path), f"{prefix}{entry.name}/", landing)
        elif not complete:
            continue  # a temporary or private name, or not a landing file: ignored by design
        elif entry.is_file(follow_symlinks=False):
            status = entry.stat(follow_symlinks=False)
            landing.files.append(
                LandedFile(Path(entry.path), name, status.st_size, status.st_mtime_ns)
            )
        else:
            kind = _kind(entry.stat(follow_symlinks=False).st_mode)
            landing.skipped.append(f"{name}: a {kind}, not a regular file")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device"


def list_landed_files(landing_dir: Path) -> list[LandedFile]:
    """Every regular file with a complete name under the landing folder, sorted by name."""
    return scan_landing(landing_dir).files


def split_ready(
    files: list[LandedFile], settle_seconds: float, now: float | None = None
) -> tuple[list[LandedFile], list[LandedFile]]:
    """(ready, still settling): files modified within `settle_seconds` are not ready yet."""
    now = time.time() if now is None else now
    ready = [f for f in files if now - f.mtime_ns / 1e9 >= settle_seconds]
    settling = [f for f in files if now - f.mtime_ns / 1e9 < settle_seconds]
    return ready, settling


def is_gzip_name(name: str) -> bool:
    return name.lower().endswith(".gz")


def content_chunks(path: Path, decompress: bool = True) -> Iterator[bytes]:
    """The file's content: its bytes, decompressed when its name ends in `.gz` (unless
    `decompress` is false). Raises `DamagedContent` for a gzip file that cannot be decompressed
    and `OSError` for a file that cannot be read (gone, not allowed, not a regular file)."""
    # Non-blocking and not through a link: an entry swapped for a named pipe or a link since it
    # was listed is refused instead of blocking the read or leaving the folder.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    with open(fd, "rb") as raw:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if not (decompress and is_gzip_name(path.name)):
            while chunk := raw.read(_CHUNK):
                yield chunk
            return
        try:
            with gzip.GzipFile(fileobj=raw) as unzipped:
                while chunk := unzipped.read(_CHUNK):
                    yield chunk
        except (EOFError, gzip.BadGzipFile, zlib.error) as error:
            raise DamagedContent(f"cannot decompress this gzip file ({error})") from None


def content_sha256(path: Path, copy_to: Path | None = None) -> str:
    """sha256 of the file's content (decompressed: a file and its gzip are the same content).
    `copy_to`: where to write a gzip file's content meanwhile, so it is decompressed once."""
    digest = hashlib.sha256()
    copying = copy_to is not None and is_gzip_name(path.name)
    with copy_to.open("wb") if copying else contextlib.nullcontext() as copy:
        for chunk in content_chunks(path):
            digest.update(chunk)
            if copy:
                copy.write(chunk)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """sha256 of the file's bytes, compressed or not."""
    digest = hashlib.sha256()
    for chunk in content_chunks(path, decompress=False):
        digest.update(chunk)
    return digest.hexdigest()


def fingerprint(path: Path, copy_to: Path | None = None) -> tuple[str, str | None]:
    """(the file's content hash, why its content cannot be read or None). A damaged content is
    identified by the sha256 of the file's bytes, so it is tried again only when they change.
    Raises `OSError` when the file cannot be read at all. `copy_to`: see `content_sha256`."""
    try:
        return content_sha256(path, copy_to), None
    except DamagedContent as error:
        return file_sha256(path), str(error)
