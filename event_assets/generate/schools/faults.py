"""The bad ``schools`` records: a few of every kind the pipeline must quarantine.

Each kind has a writer that makes ``n`` records clearly of that kind, most of them hung on a real
completed session (an anchor) so that they look like the device's other events. ``BAD_KINDS`` is
the writers' order, which is the order they draw from the generator; every kind must be a
rejection reason the domain declares in its dbt YAML, which ``bad_records`` checks first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from event_assets.generate import kit
from event_assets.generate.kit import DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS
from event_assets.generate.schools.events import Few, event_line, school_name
from event_assets.generate.schools.world import Sessions, World

BAD_SHARE_PER_KIND = 0.002
MIN_BAD_PER_KIND = 2


def bad_counts(events: int) -> tuple[int, int]:
    """Records of each kind in a sample of ``events`` lines, and the lines they all take."""
    per_kind = max(MIN_BAD_PER_KIND, round(events * BAD_SHARE_PER_KIND))
    conflicting = 2 * max(MIN_BAD_PER_KIND, math.ceil(per_kind / 2))
    # end_before_start and end_on_other_device come with a valid start each.
    return per_kind, per_kind * (len(BAD_KINDS) - 1) + conflicting + 2 * per_kind


@dataclass
class _Context:
    """What bad records refer to: real logs, completed sessions to hang them on."""

    rng: np.random.Generator
    world: World
    schools: list[str]
    devices: list[str]
    device_typed: np.ndarray  # a moment after each device got its SetLogType
    anchor_device: np.ndarray
    anchor_start: np.ndarray
    anchor_end: np.ndarray
    anchor_row: np.ndarray  # the anchors' rows in the session id table
    session_ids: np.ndarray
    paired: np.ndarray  # distinct anchors: first half for second_end, second for duplicate_start
    few: Few = field(default_factory=Few)

    def fresh_id(self) -> str:
        return kit.uuid_text(kit.uuid_matrix(self.rng, 1), 0)

    def anchor(self) -> int:
        return int(self.rng.integers(len(self.anchor_start)))

    def session_of(self, i: int) -> str:
        return kit.uuid_text(self.session_ids, int(self.anchor_row[i]))

    def after(self, i: int, low: int, high: int) -> int:
        """A moment shortly after anchor session ``i`` ended, so after its device got a type."""
        return int(self.anchor_end[i]) + int(self.rng.integers(low, high))

    def school_time(self) -> int:
        day = int(self.rng.integers(self.world.days))
        return (
            self.world.start_ms + day * DAY_MS + int(self.rng.integers(7 * HOUR_MS, 17 * HOUR_MS))
        )

    def emit(self, kind: str | None, place: int, line: bytes) -> None:
        self.few.add(place, line, kind)

    def line(self, kind: str, time: int | str, log_id: str | None, **payload) -> bytes:
        return event_line(self.rng, kind, time, log_id, **payload)


def bad_records(
    rng: np.random.Generator,
    world: World,
    sessions: Sessions,
    log_ids: np.ndarray,
    session_ids: np.ndarray,
    per_kind: int,
) -> Few:
    """``per_kind`` records of every kind in ``BAD_KINDS``, each clearly of its kind."""
    kit.check_declared("schools", BAD_KINDS)
    room = (
        (sessions.special == 0) & ~sessions.abandoned & (sessions.end < world.end_ms - 4 * HOUR_MS)
    )
    anchors = np.flatnonzero(room)
    devices = [kit.uuid_text(log_ids, world.n_schools + d) for d in range(world.n_devices)]
    ctx = _Context(
        rng=rng,
        world=world,
        schools=[kit.uuid_text(log_ids, s) for s in range(world.n_schools)],
        devices=devices,
        device_typed=world.start_ms + world.onboard_day.astype(np.int64) * DAY_MS + 7 * HOUR_MS,
        anchor_device=sessions.device[anchors],
        anchor_start=sessions.start[anchors],
        anchor_end=sessions.end[anchors],
        anchor_row=anchors,
        session_ids=session_ids,
        # Sessions that get a second end or start are never shared (unless there are too few).
        paired=rng.choice(anchors.size, 2 * per_kind, replace=anchors.size < 2 * per_kind),
    )
    for kind in BAD_KINDS:
        _BAD_WRITERS[kind](ctx, per_kind)
    return ctx.few


def _device_of(ctx: _Context, i: int) -> str:
    return ctx.devices[int(ctx.anchor_device[i])]


def _malformed_json(ctx: _Context, n: int) -> None:
    for k in range(n):
        i = ctx.anchor()
        t = ctx.after(i, SECOND_MS, 10 * MINUTE_MS)
        line = ctx.line("StartSession", t, _device_of(ctx, i), sessionId=ctx.fresh_id())
        if k % 3 == 2:  # garbled: a string value lost its opening quote
            bad = line.replace(b'"type":"', b'"type":', 1)
        else:  # truncated in transfer, after its time and log id so that lines stay distinct
            bad = line[: int(ctx.rng.integers(len(line) - 45, len(line) - 1))]
        ctx.emit("malformed_json", t, bad)


def _missing_field(ctx: _Context, n: int) -> None:
    """Events lacking their log id or a payload field the type requires."""
    for k in range(n):
        i = ctx.anchor()
        t = ctx.after(i, SECOND_MS, 10 * MINUTE_MS)
        device = _device_of(ctx, i)
        variant = k % 6
        if variant == 0:
            line = ctx.line("StartSession", t, None, sessionId=ctx.fresh_id())
        elif variant < 5:
            kind = ("StartSession", "EndSession", "AssignToSchool", "SetLogType")[variant - 1]
            line = ctx.line(kind, t, device)
        else:
            t = ctx.school_time()
            line = ctx.line("SetName", t, ctx.schools[int(ctx.rng.integers(len(ctx.schools)))])
        ctx.emit("missing_field", t, line)


def _unknown_type(ctx: _Context, n: int) -> None:
    for k in range(n):
        i = ctx.anchor()
        t = ctx.after(i, SECOND_MS, 10 * MINUTE_MS)
        kind = "LowBattery" if k % 4 == 3 else "Reboot"
        ctx.emit(
            "unknown_type",
            t,
            kit.json_line(
                {"type": kind, "time": kit.iso_text(t), "logId": _device_of(ctx, i)}, compact=True
            ),
        )


def _invalid_uuid(ctx: _Context, n: int) -> None:
    for k in range(n):
        t = ctx.after(ctx.anchor(), SECOND_MS, 10 * MINUTE_MS)
        log_id = ("not-a-uuid", "12345", "tablet-07")[k % 3]
        ctx.emit("invalid_uuid", t, ctx.line("StartSession", t, log_id, sessionId=ctx.fresh_id()))


def _unparseable_time(ctx: _Context, n: int) -> None:
    for k in range(n):
        i = ctx.anchor()
        t = ctx.after(i, SECOND_MS, 10 * MINUTE_MS)
        text = ("yesterday", "not-a-time", "tomorrow", "2026-13-45T25:61:00Z")[k % 4]
        line = ctx.line("StartSession", text, _device_of(ctx, i), sessionId=ctx.fresh_id())
        ctx.emit("unparseable_time", t, line)


def _time_out_of_range(ctx: _Context, n: int) -> None:
    for k in range(n):
        i = ctx.anchor()
        t = ctx.after(i, SECOND_MS, 10 * MINUTE_MS)
        year_start = kit.epoch_ms(date(1970, 1, 1) if k % 2 == 0 else date(2999, 1, 1))
        shown = year_start + int(ctx.rng.integers(0, 300 * DAY_MS))
        line = ctx.line("StartSession", shown, _device_of(ctx, i), sessionId=ctx.fresh_id())
        ctx.emit("time_out_of_range", t, line)


def _log_without_type(ctx: _Context, n: int) -> None:
    """Logs that never get a SetLogType: device-like ones with sessions, school-like ones."""
    left, ghost = n, 0
    while left:
        size = min(left, int(ctx.rng.integers(1, 5)), max(1, n // 2))
        log_id, t = ctx.fresh_id(), ctx.school_time()
        if ghost % 2:
            for _ in range(size):
                ctx.emit(
                    "log_without_type",
                    t,
                    ctx.line("SetName", t, log_id, name=school_name(ctx.rng)),
                )
                t += int(ctx.rng.integers(MINUTE_MS, HOUR_MS))
        else:
            school = ctx.schools[int(ctx.rng.integers(len(ctx.schools)))]
            timed = [(t, ctx.line("AssignToSchool", t, log_id, schoolId=school))]
            while len(timed) < size:
                session = ctx.fresh_id()
                t += int(ctx.rng.integers(MINUTE_MS, 30 * MINUTE_MS))
                timed.append((t, ctx.line("StartSession", t, log_id, sessionId=session)))
                t += int(ctx.rng.integers(5 * MINUTE_MS, HOUR_MS))
                timed.append((t, ctx.line("EndSession", t, log_id, sessionId=session)))
            for at, line in timed[:size]:
                ctx.emit("log_without_type", at, line)
        left -= size
        ghost += 1


def _conflicting_log_type(ctx: _Context, n: int) -> None:
    """Fresh logs typed School and later Device (or the other way round)."""
    for k in range(max(MIN_BAD_PER_KIND, math.ceil(n / 2))):
        log_id, t = ctx.fresh_id(), ctx.school_time()
        later = t + int(ctx.rng.integers(MINUTE_MS, max(ctx.world.end_ms - t - 1, MINUTE_MS + 1)))
        later = min(later, ctx.world.end_ms - 1)
        first, second = ("School", "Device") if k % 4 != 3 else ("Device", "School")
        ctx.emit("conflicting_log_type", t, ctx.line("SetLogType", t, log_id, logType=first))
        ctx.emit(
            "conflicting_log_type", later, ctx.line("SetLogType", later, log_id, logType=second)
        )


def _wrong_log_type(ctx: _Context, n: int) -> None:
    for k in range(n):
        i = ctx.anchor()
        t = ctx.after(i, SECOND_MS, 10 * MINUTE_MS)
        school = ctx.schools[int(ctx.rng.integers(len(ctx.schools)))]
        if k % 3 == 0:
            line = ctx.line("SetName", t, _device_of(ctx, i), name=school_name(ctx.rng))
        elif k % 3 == 1:
            t = ctx.school_time()
            line = ctx.line("StartSession", t, school, sessionId=ctx.fresh_id())
        else:
            t = ctx.school_time()
            other = ctx.schools[int(ctx.rng.integers(len(ctx.schools)))]
            line = ctx.line("AssignToSchool", t, school, schoolId=other)
        ctx.emit("wrong_log_type", t, line)


def _unknown_school(ctx: _Context, n: int) -> None:
    """Assignments to a uuid that is no log at all, or to another device."""
    for k in range(n):
        i = ctx.anchor()
        t = ctx.after(i, SECOND_MS, 10 * MINUTE_MS)
        target = (
            ctx.fresh_id() if k % 4 != 3 else ctx.devices[int(ctx.rng.integers(len(ctx.devices)))]
        )
        ctx.emit(
            "unknown_school", t, ctx.line("AssignToSchool", t, _device_of(ctx, i), schoolId=target)
        )


def _end_without_start(ctx: _Context, n: int) -> None:
    for _ in range(n):
        i = ctx.anchor()
        t = ctx.after(i, SECOND_MS, 10 * MINUTE_MS)
        ctx.emit(
            "end_without_start",
            t,
            ctx.line("EndSession", t, _device_of(ctx, i), sessionId=ctx.fresh_id()),
        )


def _end_before_start(ctx: _Context, n: int) -> None:
    """A valid start, and an end on the same device stamped before it (the start stays open)."""
    for _ in range(n):
        i = ctx.anchor()
        t = ctx.after(i, 20 * SECOND_MS, MINUTE_MS)
        device, session = _device_of(ctx, i), ctx.fresh_id()
        # Still after the anchor session's start, so after the device got its type.
        earlier = t - int(
            ctx.rng.integers(30 * SECOND_MS, int(ctx.anchor_end[i] - ctx.anchor_start[i]))
        )
        ctx.emit(None, t, ctx.line("StartSession", t, device, sessionId=session))
        ctx.emit(
            "end_before_start", earlier, ctx.line("EndSession", earlier, device, sessionId=session)
        )


def _end_on_other_device(ctx: _Context, n: int) -> None:
    """A valid start on one device and its only end on another one."""
    for _ in range(n):
        i = ctx.anchor()
        t = ctx.after(i, 20 * SECOND_MS, MINUTE_MS)
        own = int(ctx.anchor_device[i])
        other = (own + int(ctx.rng.integers(1, len(ctx.devices)))) % len(ctx.devices)
        ended = max(t + int(ctx.rng.integers(5 * MINUTE_MS, HOUR_MS)), int(ctx.device_typed[other]))
        ended = min(ended, ctx.world.end_ms - 1)
        session = ctx.fresh_id()
        ctx.emit(None, t, ctx.line("StartSession", t, ctx.devices[own], sessionId=session))
        line = ctx.line("EndSession", ended, ctx.devices[other], sessionId=session)
        ctx.emit("end_on_other_device", ended, line)


def _second_end(ctx: _Context, n: int) -> None:
    for i in ctx.paired[:n]:
        t = ctx.after(int(i), MINUTE_MS, 3 * HOUR_MS)
        line = ctx.line("EndSession", t, _device_of(ctx, i), sessionId=ctx.session_of(i))
        ctx.emit("second_end", t, line)


def _duplicate_start(ctx: _Context, n: int) -> None:
    for i in ctx.paired[n : 2 * n]:
        start, end = int(ctx.anchor_start[i]), int(ctx.anchor_end[i])
        t = start + int(ctx.rng.integers(SECOND_MS, end - start - SECOND_MS))
        line = ctx.line("StartSession", t, _device_of(ctx, i), sessionId=ctx.session_of(i))
        ctx.emit("duplicate_start", t, line)


# The writers run in this order, each drawing from the one generator: a new kind goes last, or
# every file after it changes.
_BAD_WRITERS = {
    "malformed_json": _malformed_json,
    "missing_field": _missing_field,
    "unknown_type": _unknown_type,
    "invalid_uuid": _invalid_uuid,
    "unparseable_time": _unparseable_time,
    "time_out_of_range": _time_out_of_range,
    "log_without_type": _log_without_type,
    "conflicting_log_type": _conflicting_log_type,
    "wrong_log_type": _wrong_log_type,
    "unknown_school": _unknown_school,
    "end_without_start": _end_without_start,
    "end_before_start": _end_before_start,
    "end_on_other_device": _end_on_other_device,
    "second_end": _second_end,
    "duplicate_start": _duplicate_start,
}
BAD_KINDS: tuple[str, ...] = tuple(_BAD_WRITERS)
