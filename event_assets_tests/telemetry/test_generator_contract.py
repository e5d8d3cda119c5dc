"""The telemetry generator's fault kinds against the reasons its rejected table declares: it
makes every declared reason, and only those."""

from event_assets.core.quarantine import rejection_reasons
from event_assets.generate import telemetry


def test_the_fault_kinds_are_exactly_the_declared_reasons() -> None:
    assert list(telemetry.REASONS) == list(telemetry.BAD_KINDS)
    assert set(telemetry.REASONS.values()) == set(rejection_reasons("telemetry"))
