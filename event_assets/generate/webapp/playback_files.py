"""The playback files of a ``webapp`` sample: micro-batches in delivery order.

On-time files each hold the heartbeats of the next stretch of event time (about the same number
each), in their lines out of order (up to ``SHUFFLE_MS``). Late files hold a share of the
heartbeats of the stretches two and three files back, so every one of them is older than what
came before. Bad lines are copies of valid heartbeats with one defect of ``HEARTBEAT_BAD_KINDS``,
in their template's file. Some heartbeats sit exactly on the watermark's edges
(``watermark_edges``). Files are named ``playback-00001.jsonl``, ... in delivery order, and
their modification times follow the same order (the processor orders by it, then by name).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from event_assets.generate import kit
from event_assets.generate.kit import SECOND_MS
from event_assets.generate.webapp.faults import HEARTBEAT_BAD_KINDS, spoil_heartbeat
from event_assets.generate.webapp.groups import file_order, id_texts
from event_assets.generate.webapp.playback import DEVICES, PROGRAMS, Heartbeats
from event_assets.generate.webapp.watermark_edges import plant_watermark_edges

MIN_PER_KIND = 6
BAD_SHARE_PER_KIND = 0.002
LATE_FILE_SHARE = 0.05  # of the files, when there are at least MIN_FILES_FOR_LATE
MIN_FILES_FOR_LATE = 6
LATE_SHARE = 0.15  # of the heartbeats of the stretches a late file takes from
SHUFFLE_MS = 20 * SECOND_MS
HEARTBEATS_PER_FILE_PER_SESSION = 10  # concurrency: a file spans ~40 s of event time
FILE_NAME = "playback-{:05d}.jsonl"

_LINE = (b'{"user_id": "%s", "program_id": "%s", "start_time": "%s", "session_id": "%s", '
         b'"device": "%s", "event_time": "%s"}')  # fmt: skip


def plan_heartbeats(heartbeats: int, files: int) -> tuple[int, int, int, int]:
    """Of ``heartbeats`` lines in ``files`` files: valid heartbeats, bad lines of each kind,
    late files, and how many sessions play at once."""
    per_kind = max(MIN_PER_KIND, round(heartbeats * BAD_SHARE_PER_KIND))
    valid = heartbeats - per_kind * len(HEARTBEAT_BAD_KINDS)
    late_files = max(1, round(files * LATE_FILE_SHARE)) if files >= MIN_FILES_FOR_LATE else 0
    concurrency = max(2, round(valid / files / HEARTBEATS_PER_FILE_PER_SESSION))
    return valid, per_kind, late_files, concurrency


@dataclass
class PlaybackLines:
    """Every line of the playback files: its heartbeat, file (delivery number from 0), sort key."""

    heartbeat: np.ndarray  # index into the Heartbeats
    file: np.ndarray
    key: np.ndarray
    bad: np.ndarray  # 0, or 1 + index into HEARTBEAT_BAD_KINDS


def deliver_heartbeats(
    rng: np.random.Generator, beats: Heartbeats, files: int, late_files: int, per_kind: int
) -> tuple[dict[str, int], PlaybackLines]:
    """Every heartbeat's file and place in it (some moved onto the watermark's edges, see
    ``watermark_edges``), and the bad lines; how many heartbeats of each edge."""
    n = beats.time.size
    on_time_files = files - late_files
    # Stretches of event time with the same number of heartbeats, one per on-time file.
    by_time = np.argsort(beats.time, kind="stable")
    stretch = np.empty(n, dtype=np.int64)
    stretch[by_time] = np.arange(n) * on_time_files // n
    # Late file j comes right after stretch after[j] (3 or later, all distinct), with heartbeats
    # of the stretches two and three before it: all older than the newest delivered before it.
    after = 3 + np.arange(1, late_files + 1) * (on_time_files - 3) // (late_files + 1)
    late_of = np.full(n, -1)
    taken = rng.random(n) < LATE_SHARE
    for j, s in enumerate(after.tolist()):
        late_of[taken & ((stretch == s - 3) | (stretch == s - 2))] = j
    edges = plant_watermark_edges(
        rng, beats.time, beats.stream, stretch, late_of < 0, on_time_files
    )
    # Delivery number of stretch s: s plus the late files before it; of late file j: after it.
    file = stretch + np.searchsorted(after, np.arange(on_time_files), side="left")[stretch]
    late = late_of >= 0
    file[late] = after[late_of[late]] + late_of[late] + 1
    key = beats.time + rng.integers(0, SHUFFLE_MS, n)

    template = rng.choice(np.flatnonzero(late_of < 0), size=per_kind * len(HEARTBEAT_BAD_KINDS))
    bad = np.repeat(np.arange(1, len(HEARTBEAT_BAD_KINDS) + 1, dtype=np.int8), per_kind)
    return edges, PlaybackLines(
        heartbeat=np.concatenate([np.arange(n), template]),
        file=np.concatenate([file, file[template]]),
        key=np.concatenate([key, key[template] + rng.integers(1, SECOND_MS, template.size)]),
        bad=np.concatenate([np.zeros(n, dtype=np.int8), bad]),
    )


class PlaybackFormatter:
    """The text of heartbeat lines, file by file."""

    def __init__(self, beats: Heartbeats) -> None:
        self.beats = beats
        self.users = id_texts(b"u-", beats.users)
        self.programs = id_texts(b"p-", PROGRAMS)
        self.devices = np.array([d for d, _ in DEVICES])

    def lines(self, lines: PlaybackLines, rows: np.ndarray) -> list[bytes]:
        b = self.beats
        beat = lines.heartbeat[rows]
        stream = b.stream[beat]
        session = b.stream_session[stream]
        columns = (
            self.users[b.session_user[session]].tolist(),
            self.programs[b.stream_program[stream]].tolist(),
            kit.as_strings(kit.time_matrix(b.stream_start[stream], sep=b"T", zone=b"Z")).tolist(),
            b.session_ids[session].tolist(),
            self.devices[b.session_device[session]].tolist(),
            kit.as_strings(kit.time_matrix(b.time[beat], sep=b"T", zone=b"Z")).tolist(),
        )
        text = [_LINE % values for values in zip(*columns, strict=True)]
        for i in np.flatnonzero(lines.bad[rows] > 0).tolist():
            kind = HEARTBEAT_BAD_KINDS[int(lines.bad[rows[i]]) - 1]
            text[i] = spoil_heartbeat(text[i], kind, int(rows[i]))
        return text


def write_playback_files(
    folder: Path, lines: PlaybackLines, formatter: PlaybackFormatter, files: int, first_mtime: int
) -> tuple[list[Path], dict[Path, int], dict[Path, int]]:
    """The files in delivery order, the n-th (from 0) modified at ``first_mtime`` + n seconds."""
    paths, counts, sizes = [], {}, {}
    by_file = np.argsort(lines.file, kind="stable")
    bounds = np.searchsorted(lines.file[by_file], np.arange(files + 1))
    plain = lines.bad == 0
    for number in range(files):
        rows = by_file[bounds[number] : bounds[number + 1]]
        rows = rows[file_order(lines.key[rows], plain[rows])]
        path = folder / FILE_NAME.format(number + 1)
        counts[path], sizes[path] = kit.write_lines(path, formatter.lines(lines, rows))
        os.utime(path, (first_mtime + number, first_mtime + number))
        paths.append(path)
    return paths, counts, sizes
