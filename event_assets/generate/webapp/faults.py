"""The bad ``webapp`` lines: copies of valid lines with exactly one defect, made on their text.

``EVENT_BAD_KINDS`` and ``HEARTBEAT_BAD_KINDS`` are the defects of a line, in the order they
draw; ``JUDGED_KINDS`` are heartbeats the generator writes whole and valid that the stream
processor must still quarantine, depending on the watermark when their file arrives (a
``late_event`` is older than it, a ``stream_closed`` one belongs to a stream already written).
``REASONS`` maps every kind to the rejection reason the pipeline gives it (its own name); they
must be reasons the domain declares in dbt, which the generator checks before writing.
"""

from __future__ import annotations

import re

EVENT_BAD_KINDS = ("malformed_json", "missing_user_id", "missing_device_id", "unparseable_time")
HEARTBEAT_BAD_KINDS = ("malformed_json", "missing_field", "unparseable_time")
JUDGED_KINDS = ("late_event", "stream_closed")
BAD_KINDS = tuple(dict.fromkeys(EVENT_BAD_KINDS + HEARTBEAT_BAD_KINDS + JUDGED_KINDS))
REASONS: dict[str, str] = {kind: kind for kind in BAD_KINDS}

# Not times to any parser (DuckDB's casts included: no "epoch", "infinity" or bare numbers).
BAD_TIMES = (b"not a time", b"2024-02-30T10:00:00Z", b"", b"yesterday",
             b"2024-05-02T25:61:00Z", b"02/05/2024 10:15")  # fmt: skip
# Variants of a missing id: the key absent, an empty string, null.
_ABSENT, _EMPTY, _NULL = 0, 1, 2


def _field(name: bytes) -> re.Pattern:
    """A ``"name": "value"`` pair with the separator on either side of it."""
    return re.compile(rb'(, )?"%s": "[^"]*"(, )?' % name)


_FIELDS = {
    name: _field(name)
    for name in (b"user_id", b"device_id", b"session_id", b"program_id", b"event_time",
                 b"start_time")
}  # fmt: skip


def _set_field(line: bytes, name: bytes, variant: int) -> bytes:
    """The line with field ``name`` absent (keeping the JSON valid), empty or null."""

    def replace(match: re.Match) -> bytes:
        before, after = match.group(1) or b"", match.group(2) or b""
        if variant == _ABSENT:
            return b", " if before and after else b""
        value = b'""' if variant == _EMPTY else b"null"
        return b'%s"%s": %s%s' % (before, name, value, after)

    return _FIELDS[name].sub(replace, line, count=1)


def _set_time(line: bytes, name: bytes, text: bytes) -> bytes:
    return _FIELDS[name].sub(
        lambda m: b'%s"%s": "%s"%s' % (m.group(1) or b"", name, text, m.group(2) or b""),
        line,
        count=1,
    )


def _malformed(line: bytes, variant: int) -> bytes:
    if variant % 3 == 0:  # cut short in transfer
        return line[: len(line) // 2 + variant % 7]
    if variant % 3 == 1:  # the closing brace lost
        return line[:-1]
    return line.replace(b'": ', b'" ', 1)  # a colon lost


def spoil_event(line: bytes, kind: str, variant: int) -> bytes:
    """A web event line with the defect of ``kind``."""
    if kind == "malformed_json":
        return _malformed(line, variant)
    if kind == "missing_user_id":
        return _set_field(line, b"user_id", variant % 3)
    if kind == "missing_device_id":
        return _set_field(line, b"device_id", variant % 3)
    if kind == "unparseable_time":
        return _set_time(line, b"event_time", BAD_TIMES[variant % len(BAD_TIMES)])
    raise ValueError(f"not a web event fault: {kind}")


def spoil_heartbeat(line: bytes, kind: str, variant: int) -> bytes:
    """A heartbeat line with the defect of ``kind``: ``missing_field`` takes turns over the
    three ids (absent or empty); ``unparseable_time`` over event_time and start_time."""
    if kind == "malformed_json":
        return _malformed(line, variant)
    if kind == "missing_field":
        name = (b"user_id", b"session_id", b"program_id")[variant % 3]
        return _set_field(line, name, (_ABSENT, _EMPTY)[variant // 3 % 2])
    if kind == "unparseable_time":
        name = (b"event_time", b"start_time")[variant % 2]
        return _set_time(line, name, BAD_TIMES[variant // 2 % len(BAD_TIMES)])
    raise ValueError(f"not a heartbeat fault: {kind}")
