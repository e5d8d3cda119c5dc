"""The webapp generator's fault kinds against the reasons its rejected-events model declares:
it makes every declared reason but ``invalid_encoding`` (if declared: core ingestion gives it to
a file that is not UTF-8, never the generator), and only declared ones.

This reads the declaration from the webapp models (``dbt_project/models/webapp/``, issue 15
item 2), which are built beside the generator: it passes once both are merged.
"""

from event_assets.core.quarantine import rejection_reasons
from event_assets.generate import kit, webapp

PINNED_REASONS = (
    "malformed_json",
    "missing_user_id",
    "missing_device_id",
    "unparseable_time",
    "missing_field",
    "late_event",
    "stream_closed",
)


def test_the_fault_kinds_are_the_pinned_reasons() -> None:
    assert list(webapp.REASONS) == list(webapp.BAD_KINDS) == list(PINNED_REASONS)
    assert list(webapp.REASONS.values()) == list(webapp.BAD_KINDS)
    assert set(webapp.EVENT_BAD_KINDS) | set(webapp.HEARTBEAT_BAD_KINDS) | set(
        webapp.JUDGED_KINDS
    ) == set(PINNED_REASONS)


def test_the_fault_kinds_are_exactly_the_declared_reasons() -> None:
    declared = rejection_reasons("webapp")
    assert set(webapp.REASONS.values()) == set(declared) - {"invalid_encoding"}
    assert len(declared) == len(set(declared))
    kit.check_declared("webapp", webapp.REASONS.values())
