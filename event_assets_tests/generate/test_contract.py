"""The generators' fault kinds against the quarantine contract their domains declare in dbt.

A generator must only make bad records the pipeline has a rejection reason for; the reasons are
read from the dbt YAML (``event_assets.core.quarantine``), as the pipeline's own tests read them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from event_assets.core.quarantine import rejection_reasons
from event_assets.generate import domains, engagement, schools


def test_schools_fault_kinds_are_declared_reasons() -> None:
    assert set(schools.BAD_KINDS) <= set(rejection_reasons("schools"))
    assert len(set(schools.BAD_KINDS)) == len(schools.BAD_KINDS)


def test_engagement_fault_kinds_map_to_declared_reasons() -> None:
    assert list(engagement.REASONS) == list(engagement.BAD_KINDS)
    rejected = {reason for reason in engagement.REASONS.values() if reason is not None}
    assert rejected <= set(rejection_reasons("engagement"))
    # The one kind that is kept (and flagged) rather than rejected.
    assert [k for k, r in engagement.REASONS.items() if r is None] == ["child_not_in_user"]


@pytest.mark.parametrize("domain", sorted(domains()))
def test_generators_refuse_undeclared_kinds(domain, tmp_path: Path, monkeypatch) -> None:
    """The check runs before a generator writes anything, so drift stops it with a reason."""
    monkeypatch.setattr(
        "event_assets.generate.kit.runs.rejection_reasons",
        lambda domain: tuple(r for r in rejection_reasons(domain) if r != "malformed_json"),
    )
    generate = getattr(domains()[domain], f"generate_{domain}_sample")
    with pytest.raises(ValueError, match="malformed_json"):
        generate(tmp_path / "out", 1_000)
    assert not (tmp_path / "out").exists()
