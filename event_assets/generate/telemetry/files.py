"""The lines of the ``telemetry`` files: sync events from the ``Rows``, and the user records.

A sync event is written with Twilio's field names in Python's default JSON style; its
``DateCreated`` is ISO with milliseconds; its ``ItemData`` an object or, for a share of lines, a
string holding the same JSON. ``MapRevision`` and ``ItemRevision`` count a map's and an item's
writes in hex. A user's record comes in the file of the day they are known (the first file:
everybody registered by then) and again, renamed, in the file of the day of the rename.
"""

from __future__ import annotations

import numpy as np

from event_assets.generate import kit
from event_assets.generate.kit import DAY_MS, MINUTE_MS
from event_assets.generate.telemetry.faults import BAD_KINDS, spoil
from event_assets.generate.telemetry.plan import MIN_PER_KIND
from event_assets.generate.telemetry.rows import AUTOMATION, HUB, ITEM_KEYS, Rows
from event_assets.generate.telemetry.world import UID_AS_STRING_SHARE, World

ITEM_DATA_AS_STRING_SHARE = 0.3
ADDED_SHARE = 0.04  # lines whose EventType is map_item_added (the rest map_item_updated)
MISSING_UID_SHARE = 0.01  # user records without a uid (rejected as missing_field)

_LINE = (
    b'{"EventType": "%s", "DateCreated": "%s", "MapUniqueName": "%s", "ItemKey": "%s", '
    b'"ItemData": %s, "MapSid": "%s", "MapRevision": "%s", "ItemRevision": "%s", '
    b'"EndpointId": "%s", "EventId": "%s", "AccountSid": "%s", "ServiceSid": "%s", '
    b'"Identity": "%s", "_source_file": "%s"}'
)
_USER = b'{"uid": %s, "username": "%s", "dateRegistered": "%s", "last_modified": "%s"}'
_EVENT_TYPES = (b"map_item_updated", b"map_item_added")


def iso(ms: np.ndarray) -> np.ndarray:
    """``2018-03-05T07:40:39.374Z`` of epoch ms."""
    return kit.as_strings(kit.time_matrix(ms, sep=b"T", zone=b"Z"))


def stamps(rng: np.random.Generator, ms: np.ndarray, digits: np.ndarray) -> np.ndarray:
    """ItemData timestamps: milliseconds, then random finer digits up to ``digits`` in all."""
    base = kit.as_strings(kit.time_matrix(ms, sep=b"T")).astype(object)
    finer = rng.integers(0, 1_000_000, ms.size)
    for total in np.unique(digits).tolist():
        rows = digits == total
        extra = total - 3
        if extra:
            tail = np.strings.zfill((finer[rows] % 10**extra).astype(f"S{extra}"), extra)
            base[rows] = np.strings.add(base[rows].astype("S23"), tail).astype(object)
    return np.array([b + b"Z" for b in base.tolist()], dtype=object)


def _revisions(group: np.ndarray, time: np.ndarray) -> np.ndarray:
    """1, 2, 3, ... per group in time order."""
    order = np.lexsort((time, group))
    ranked = np.empty(group.size, dtype=np.int64)
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, group.size]))
    ranked[order] = np.arange(group.size) - first + 1
    return ranked


class SyncFormatter:
    """Sync-event lines of the ``Rows``, the per-line draws made once for all of them."""

    def __init__(self, rng: np.random.Generator, rows: Rows, world: World) -> None:
        n = len(rows)
        self.rows, self.world = rows, world
        as_string = kit.flags(rng, np.ones(n, dtype=bool), ITEM_DATA_AS_STRING_SHARE, MIN_PER_KIND)
        data = np.array([t % s for t, s in zip(rows.data, stamps(rng, rows.stamp, rows.digits),
                                               strict=True)], dtype=object)  # fmt: skip
        quoted = np.strings.replace(data[as_string].astype("S"), b'"', b'\\"')
        data[as_string] = np.strings.add(np.strings.add(b'"', quoted), b'"').astype(object)
        self.item_data = data
        self.event_type = (rng.random(n) < ADDED_SHARE).astype(np.int8)
        self.event_ids = np.strings.add(
            b"EV", np.strings.replace(kit.uuid_strings(rng, n), b"-", b"")
        )
        self.map_revision = _revisions(rows.device, rows.time)
        self.item_revision = _revisions(rows.device * len(ITEM_KEYS) + rows.key, rows.time)
        self.variant = rng.integers(0, 1_000, n)
        self.as_string = as_string
        self.scheduler_endpoint = kit.uuid_strings(rng, 1)[0]

    def _writers(self, rows: np.ndarray) -> tuple[list[bytes], list[bytes]]:
        """EndpointId and Identity of each line's writer."""
        w, world = self.rows.writer[rows], self.world
        hub = world.building[self.rows.device[rows]]
        person = np.maximum(w, 0)
        endpoint = np.where(
            w == HUB,
            world.hub_ids[hub],
            np.where(w == AUTOMATION, self.scheduler_endpoint, world.user_endpoints[person]),
        )
        identity = [
            b"hub_%03d" % h if k == HUB else b"scheduler" if k == AUTOMATION else b"user_%d" % u
            for k, h, u in zip(w.tolist(), hub.tolist(), world.uids[person].tolist(), strict=True)
        ]
        return endpoint.tolist(), identity

    def lines(self, rows: np.ndarray, source_file: bytes) -> list[bytes]:
        r, world = self.rows, self.world
        device = r.device[rows]
        endpoints, identities = self._writers(rows)
        columns = (
            [_EVENT_TYPES[t] for t in self.event_type[rows].tolist()],
            iso(r.time[rows]).tolist(),
            world.device_ids[device].tolist(),
            [ITEM_KEYS[k].encode() for k in r.key[rows].tolist()],
            self.item_data[rows].tolist(),
            world.map_sids[device].tolist(),
            [b"%x" % v for v in self.map_revision[rows].tolist()],
            [b"%x" % v for v in self.item_revision[rows].tolist()],
            endpoints,
            self.event_ids[rows].tolist(),
            [world.account_sid] * rows.size,
            [world.service_sid] * rows.size,
            identities,
            [source_file] * rows.size,
        )
        lines = [_LINE % values for values in zip(*columns, strict=True)]
        for i in np.flatnonzero(r.bad[rows] > 0).tolist():
            kind = BAD_KINDS[int(r.bad[rows[i]]) - 1]
            lines[i] = spoil(lines[i], kind, int(self.variant[rows[i]]))
        return lines


def user_records(rng: np.random.Generator, world: World, period: kit.Run):
    """Per file (day): the user records as lines, and how many lack their uid."""
    n = world.users
    first_day = np.clip((world.registered[:n] - period.start_ms) // DAY_MS, 0, period.days - 1)
    renamed = np.flatnonzero(world.renamed_at[:n] >= 0)
    rename_day = (world.renamed_at[renamed] - period.start_ms) // DAY_MS
    user = np.concatenate([np.arange(n), renamed])
    day = np.concatenate([first_day, rename_day])
    is_rename = np.arange(user.size) >= n
    modified = np.where(
        is_rename,
        world.renamed_at[user],
        world.registered[user] + rng.integers(0, 10 * MINUTE_MS, user.size),
    )
    name = np.where(is_rename, world.new_usernames[user], world.usernames[user])
    same = is_rename & (name == world.usernames[user])
    name[same] = [b"%s_2" % x for x in name[same].tolist()]
    uid_as_string = rng.random(user.size) < UID_AS_STRING_SHARE
    uid = [(b'"%d"' if s else b"%d") % u for u, s in
           zip(world.uids[user].tolist(), uid_as_string.tolist(), strict=True)]  # fmt: skip
    registered, modified_text = iso(world.registered[user]).tolist(), iso(modified).tolist()
    lines = np.array(
        [_USER % v for v in zip(uid, name.tolist(), registered, modified_text, strict=True)],
        dtype=object,
    )
    # Records without a uid: a copy of another record with the field gone.
    missing = kit.some(
        rng, np.ones(user.size, dtype=bool), max(MIN_PER_KIND, round(n * MISSING_UID_SHARE))
    )
    without_uid = np.array(
        [line.replace(b'"uid": %s, ' % uid[i], b"", 1) for i, line in
         zip(missing.tolist(), lines[missing].tolist(), strict=True)], dtype=object
    )  # fmt: skip
    lines = np.concatenate([lines, without_uid])
    day = np.concatenate([day, day[missing]])
    order = rng.permutation(lines.size)
    per_day = [lines[order[day[order] == d]].tolist() for d in range(period.days)]
    return per_day, int(missing.size)
