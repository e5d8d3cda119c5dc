"""The webshop generator's fault kinds against the reasons its rejected-rows model declares: it
makes every declared reason but ``invalid_encoding`` (which core ingestion gives to a file that
is not UTF-8, never the generator), and only declared ones.

This reads the declaration from the webshop models (``dbt_project/models/webshop/``, issue 14),
which are built beside the generator: it passes once both are merged.
"""

from event_assets.core.quarantine import rejection_reasons
from event_assets.generate import kit, webshop

PINNED_REASONS = (
    "malformed_json",
    "missing_id",
    "unparseable_time",
    "negative_quantity",
    "negative_price",
    "discount_out_of_range",
    "unknown_status",
    "missing_order",
    "missing_product",
)


def test_the_fault_kinds_are_the_pinned_reasons() -> None:
    assert list(webshop.REASONS) == list(webshop.BAD_KINDS) == list(PINNED_REASONS)
    assert list(webshop.REASONS.values()) == list(webshop.BAD_KINDS)


def test_the_fault_kinds_are_exactly_the_declared_reasons() -> None:
    declared = rejection_reasons("webshop")
    assert set(webshop.REASONS.values()) | {"invalid_encoding"} == set(declared)
    assert len(declared) == len(set(declared))
    kit.check_declared("webshop", webshop.REASONS.values())
