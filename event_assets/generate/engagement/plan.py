"""How much of what an ``engagement`` sample holds: the line counts, and the shares and limits
several parts of the generator go by."""

from __future__ import annotations

from dataclasses import dataclass

from event_assets.generate import kit
from event_assets.generate.kit import HOUR_MS, MINUTE_MS

# The spec's longest valid duration: longer ones are bad records, exactly this long a quirk.
MAX_DURATION_MS = 6 * HOUR_MS
# Every quirk and every kind of bad record appears at least this often, however small the sample.
MIN_PER_KIND = 2

EVENTS_PER_USER = 20
MIN_USERS = 40
DELIVERY = kit.Delivery(late_share=0.01, shuffle_ms=2 * MINUTE_MS)
REDELIVERED_SHARE = 0.005
SHARED_ID_SHARE = 0.001
BAD_SHARE_PER_KIND = 0.003
MALFORMED_SHARE = 0.0003
NO_RECORD_SHARE = 0.004


@dataclass(frozen=True)
class Plan:
    """How many lines of each sort the events files get (they add up to ``events``)."""

    events: int
    per_kind: int
    malformed: int
    redelivered: int
    shared: int
    users: int
    ghosts: int
    kinds: int  # of bad records; the last one, malformed JSON, has ``malformed`` lines

    @classmethod
    def for_events(cls, events: int, kinds: int) -> Plan:
        return cls(
            events=events,
            per_kind=max(MIN_PER_KIND, round(events * BAD_SHARE_PER_KIND)),
            malformed=max(MIN_PER_KIND, round(events * MALFORMED_SHARE)),
            redelivered=max(MIN_PER_KIND, round(events * REDELIVERED_SHARE)),
            shared=max(MIN_PER_KIND, round(events * SHARED_ID_SHARE)),
            users=max(MIN_USERS, round(events / EVENTS_PER_USER)),
            ghosts=max(MIN_PER_KIND, round(events * NO_RECORD_SHARE / 8)),
            kinds=kinds,
        )

    @property
    def bad(self) -> int:
        return self.per_kind * (self.kinds - 1) + self.malformed

    @property
    def base(self) -> int:
        """Distinct events (valid ones, some sharing an id), before copies and bad lines."""
        return self.events - self.redelivered - self.bad
