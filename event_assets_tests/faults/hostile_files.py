"""Hostile landing files, made from any domain's own sample files.

`land_stage_one` drops, next to the sample's first files in each source folder, every kind of
file the fault suite covers, and one sample file cut mid-line (its writer stalled);
`land_stage_two` completes that file and re-delivers a sample file under a new name. Each
returns what should become of each file it wrote, by kind, for the tests to check.
"""

import gzip
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

HUGE_LINE_BYTES = 20_000_000
# File names that have broken shells, SQL and path handling; each file holds records of its own.
HOSTILE_NAMES = [
    "zz 'quote\".jsonl",
    "zz;semicolon.jsonl",
    "x'); drop table raw; --.jsonl",
    "zz\nnewline.jsonl",
    "-zz-leading-dash.jsonl",
    "zz-" + "n" * 240 + ".jsonl",  # 249 bytes: near the file system's 255
]
NON_UTF8_NAME = b"zz-bad-\xff\xfe.jsonl"


@dataclass
class Expected:
    """Paths the tests look up by what should become of them."""

    copies: list[Path] = field(default_factory=list)  # nothing loaded: known content
    empty: list[Path] = field(default_factory=list)  # recorded, no record
    invalid_encoding: list[Path] = field(default_factory=list)  # every record rejected so
    rejected: list[Path] = field(default_factory=list)  # every record rejected, some reason
    duplicates: list[Path] = field(default_factory=list)  # read, adds nothing valid
    unreadable: list[Path] = field(default_factory=list)  # in the ledger as unreadable
    skipped: list[Path] = field(default_factory=list)  # not read at all
    truncated: list[Path] = field(default_factory=list)  # cut mid-line, completed later


def _settled(path: Path, age_seconds: float) -> Path:
    """Give the file a modification time `age_seconds` ago (after the sample's own files)."""
    stamp = time.time() - age_seconds
    os.utime(path, (stamp, stamp), follow_symlinks=False)
    return path


def _records(sample: Path, count: int = 3) -> list[str]:
    """The sample's first `count` lines that are UTF-8 JSON objects (a sample may hold bad
    lines of its own)."""
    return [line.decode() for line in sample.read_bytes().splitlines() if _is_record(line)][:count]


def _is_record(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line.decode()), dict)
    except ValueError:  # UnicodeDecodeError and JSONDecodeError alike
        return False


def _latin1(line: str) -> bytes:
    """The record with a Latin-1 encoded string in front: not UTF-8."""
    return ('{"note": "S\u00e3o Jos\u00e9", ' + line.lstrip()[1:]).encode("latin-1", "replace")


def land_stage_one(folder: Path, samples: list[Path], outside: Path) -> Expected:
    """Copy `samples` into `folder`, all but the last whole, the last cut mid-line; add every
    hostile file. `outside`: a folder outside the landing folder, for links to point into."""
    expected = Expected()
    folder.mkdir(parents=True, exist_ok=True)
    base = samples[0]
    # A folder of one sample file keeps it whole: its copies below must find it loaded.
    whole = samples[:-1] if len(samples) > 1 else samples
    for sample in whole:
        _settled(_write(folder / sample.name, sample.read_bytes()), 3600)
    if len(samples) > 1:
        last = samples[-1].read_bytes()
        cut = last.index(b"\n", len(last) // 2) - 7  # inside a line, not at its end
        expected.truncated.append(_settled(_write(folder / samples[-1].name, last[:cut]), 1800))

    content, lines = base.read_bytes(), _records(base)
    write = lambda name, data, kind: getattr(expected, kind).append(  # noqa: E731
        _settled(_write(folder / name, data), 600)
    )
    write(f"zz copy of {base.name}", content, "copies")
    write(f"zz {base.name}.gz", gzip.compress(content, mtime=0), "copies")
    write("zz-empty.jsonl", b"", "empty")
    write("zz-blank.jsonl", b"  \n\t\n\r\n\n", "empty")
    write("zz-utf16.jsonl", ("\n".join(lines) + "\n").encode("utf-16"), "duplicates")
    write("zz-latin1.jsonl", b"\n".join(map(_latin1, lines)) + b"\n", "invalid_encoding")
    array = b"[" + b",\n".join(map(_latin1, lines)) + b"]"
    write("zz-latin1-array.json", array, "invalid_encoding")
    write("zz-corrupt.jsonl.gz", gzip.compress(content, mtime=0)[:-24], "unreadable")
    huge = json.dumps({"padding": "x" * HUGE_LINE_BYTES}).encode()
    write("zz-huge-line.jsonl", huge + b"\n", "rejected")
    not_objects = ["[1, 2]", '"text"', "42", "null", "true", "{}", '{"a": {"b": [[]]}}']
    write("zz-not-objects.jsonl", "\n".join(not_objects).encode() + b"\n", "rejected")
    first = json.loads(lines[0])
    specials = [  # every field of a real record NaN, then Infinity, then -Infinity
        json.dumps(dict.fromkeys(first, "?")).replace('"?"', literal)
        for literal in ("NaN", "Infinity", "-Infinity")
    ]
    write("zz-nan.jsonl", "\n".join(specials).encode() + b"\n", "rejected")
    for number, name in enumerate(HOSTILE_NAMES):
        write(name, json.dumps({"hostile": number}).encode() + b"\n", "rejected")
    bad_name = Path(os.fsdecode(os.fsencode(folder) + b"/" + NON_UTF8_NAME))
    expected.rejected.append(_settled(_write(bad_name, b'{"hostile": "bytes"}\n'), 600))

    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.jsonl").write_text('{"secret": true}\n')
    links = {
        "zz-link-inside.jsonl": folder / base.name,
        "zz-link-outside.jsonl": outside / "secret.jsonl",
        "zz-link-dangling.jsonl": outside / "missing.jsonl",
    }
    for name, target in links.items():
        (folder / name).symlink_to(target)
        expected.skipped.append(folder / name)
    os.mkfifo(folder / "zz-fifo.jsonl")
    (folder / "zz-folder.jsonl").mkdir()
    expected.skipped += [folder / name for name in ("zz-fifo.jsonl", "zz-folder.jsonl")]
    return expected


def land_stage_two(folder: Path, samples: list[Path], expected: Expected) -> None:
    """The cut file's writer finishes it; a sample file is delivered again, later, renamed."""
    for truncated in expected.truncated:
        _settled(_write(truncated, samples[-1].read_bytes()), 60)
    later = folder / f"zz-later-{samples[0].name}"
    expected.copies.append(_settled(_write(later, samples[0].read_bytes()), 60))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
