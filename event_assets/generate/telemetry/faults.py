"""The bad ``telemetry`` sync events: copies of valid lines with a fresh id and exactly one defect.

``BAD_KINDS`` are the defects, in the order they draw from the generator; ``REASONS`` maps each
to the rejection reason the pipeline gives it (here always the kind's own name). Those reasons
must be ones the domain declares in its dbt YAML, which ``bad_rows`` checks first. Defects of the
item (no command id, no desired_state, an orphan) are made on the columns; defects of the line
(not JSON, not UTF-8, a field missing, a bad time or ItemData or ItemKey) on its text by
``spoil``.
"""

from __future__ import annotations

import re

import numpy as np

from event_assets.generate import kit
from event_assets.generate.kit import MINUTE_MS, SECOND_MS
from event_assets.generate.telemetry.plan import Plan
from event_assets.generate.telemetry.rows import KEY, Rows

BAD_KINDS = (
    "malformed_json",
    "invalid_encoding",
    "missing_field",
    "unparseable_time",
    "invalid_item_data",
    "unknown_item_key",
    "missing_command_id",
    "missing_desired_state",
    "orphan_command_active",
    "orphan_command_result",
)
REASONS: dict[str, str] = {kind: kind for kind in BAD_KINDS}
# The item key a kind's template line must have (any valid line for the others).
_TEMPLATE_KEYS = {
    "missing_command_id": KEY["Command"],
    "missing_desired_state": KEY["Command"],
    "orphan_command_active": KEY["CommandActive"],
    "orphan_command_result": KEY["CommandResult"],
}
BAD_TIMES = (b"not a time", b"2018-02-30T10:00:00.000Z", b"", b"yesterday",
             b"2018-03-05T25:61:00Z", b"03/05/2018 10:00")  # fmt: skip
BAD_ITEM_DATA = (b"\"{'uuid': 'abc', 'state': 'on'}\"", b'"None"', b'""',
                 b'"{\\"uuid\\": \\"3f2a"', b'"state=on"')  # fmt: skip
UNKNOWN_ITEM_KEYS = (b"FirmwareVersion", b"NodeInfo", b"ZWaveStats", b"Commnd")
_ID_FIELD = re.compile(rb'^\{"(?:uuid|command_id)": "[^"]*", ')
_DESIRED_STATE = re.compile(rb', "desired_state": \[.*\]\}$')
_FIELD = {
    name: re.compile(rb'"%s": "[^"]*", ' % name)
    for name in (b"MapUniqueName", b"ItemKey", b"DateCreated")
}
_ITEM_DATA = re.compile(rb'"ItemData": .*?, "MapSid": ')


def bad_rows(rng: np.random.Generator, valid: Rows, plan: Plan, end_ms: int) -> Rows:
    """``plan.per_kind`` copies of valid lines per kind, each a moment after its template, with a
    fresh item id (no valid line shares it) and its kind's defect in the columns."""
    kit.check_declared("telemetry", REASONS.values())
    original = ~valid.duplicate & (valid.time < end_ms - 11 * MINUTE_MS)
    templates = []
    for kind in BAD_KINDS:
        eligible = original
        if kind in _TEMPLATE_KEYS:
            eligible = original & (valid.key == _TEMPLATE_KEYS[kind])
        templates.append(rng.choice(np.flatnonzero(eligible), size=plan.per_kind))
    bad = valid.take(np.concatenate(templates))
    bad.bad = np.repeat(np.arange(1, len(BAD_KINDS) + 1, dtype=np.int8), plan.per_kind)
    shift = kit.between(rng, SECOND_MS, 10 * MINUTE_MS, len(bad))
    bad.time, bad.stamp = bad.time + shift, bad.stamp + shift
    fresh = kit.uuid_strings(rng, len(bad))
    data = [t.replace(old, new, 1) for t, old, new in zip(bad.data, bad.item, fresh, strict=True)]
    for row, kind in enumerate(bad.bad.tolist()):
        if BAD_KINDS[kind - 1] == "missing_command_id":
            data[row] = _ID_FIELD.sub(b"{", data[row])
        elif BAD_KINDS[kind - 1] == "missing_desired_state":
            tail = b"}" if row % 2 else b', "desired_state": null}'
            data[row] = _DESIRED_STATE.sub(lambda _, tail=tail: tail, data[row])
    bad.item, bad.data = fresh, np.array(data, dtype=object)
    return bad


def spoil(line: bytes, kind: str, variant: int) -> bytes:
    """The line with the defect of ``kind`` (the item's defects are in it already)."""
    if kind == "malformed_json":
        if variant % 3 == 0:  # cut short in transfer
            return line[: len(line) // 2 + variant % 50]
        if variant % 3 == 1:  # the closing brace lost
            return line[:-1]
        return line.replace(b'"ItemKey": ', b'"ItemKey" ', 1)
    if kind == "invalid_encoding":  # Latin-1 and Windows-1252 bytes, no UTF-8
        name = (b"Jos\xe9 ", b"\x93")[variant % 2]
        return line.replace(b'"Identity": "', b'"Identity": "%s' % name, 1)
    if kind == "missing_field":
        return _replace(_FIELD[(b"MapUniqueName", b"ItemKey")[variant % 2]], b"", line)
    if kind == "unparseable_time":
        time = BAD_TIMES[variant % len(BAD_TIMES)]
        return _replace(_FIELD[b"DateCreated"], b'"DateCreated": "%s", ' % time, line)
    if kind == "invalid_item_data":
        garbage = BAD_ITEM_DATA[variant % len(BAD_ITEM_DATA)]
        return _replace(_ITEM_DATA, b'"ItemData": %s, "MapSid": ' % garbage, line)
    if kind == "unknown_item_key":
        key = UNKNOWN_ITEM_KEYS[variant % len(UNKNOWN_ITEM_KEYS)]
        return _replace(_FIELD[b"ItemKey"], b'"ItemKey": "%s", ' % key, line)
    return line


def _replace(pattern: re.Pattern, text: bytes, line: bytes) -> bytes:
    """The first match of ``pattern`` replaced by ``text`` as it is (no backslash escapes)."""
    return pattern.sub(lambda _: text, line, count=1)
