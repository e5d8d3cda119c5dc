"""The quarantine contract: written once in dbt's files, the same for every domain."""

import json
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from event_assets.core.checks import rejected_records_schema, validate_frame
from event_assets.core.quarantine import (
    LEADING_COLUMNS,
    rejected_table,
    rejection_reasons,
    statuses,
)

DOMAINS = ("schools", "engagement")


def _manifest(dbt_manifest: Path) -> dict:
    return json.loads(dbt_manifest.read_text())


def test_statuses_are_the_dbt_var():
    assert statuses() == ("valid", "rejected", "duplicate")


@pytest.mark.parametrize("domain", DOMAINS)
def test_each_domain_declares_its_reasons_once_and_dbt_tests_them(domain, dbt_manifest):
    manifest = _manifest(dbt_manifest)
    table = rejected_table(domain)
    model = manifest["nodes"][f"model.event_assets.{table}"]
    assert model["schema"] == domain
    # The contract's leading columns, in order, then the domain's own.
    assert tuple(model["columns"])[: len(LEADING_COLUMNS)] == LEADING_COLUMNS
    tests = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node.get("attached_node") == model["unique_id"]
    ]
    (accepted,) = [t for t in tests if t["test_metadata"]["name"] == "accepted_values"]
    assert tuple(accepted["test_metadata"]["kwargs"]["values"]) == rejection_reasons(domain)


def test_a_domain_without_a_declaration_is_named(tmp_path, monkeypatch):
    from event_assets.core import quarantine

    (tmp_path / "models" / "nowhere").mkdir(parents=True)
    monkeypatch.setattr(quarantine, "DBT_PROJECT_DIR", tmp_path)
    quarantine._quarantine_model.cache_clear()
    with pytest.raises(ValueError, match="'nowhere' must declare"):
        rejection_reasons("nowhere")
    quarantine._quarantine_model.cache_clear()


def test_the_shared_pandera_schema_rejects_an_undeclared_reason():
    row = {
        "source_file": ["a.jsonl"],
        "line_number": [1],
        "file_hash": ["h"],
        "raw_record": ["{}"],
        "ingested_at": [datetime(2026, 1, 1)],
    }
    frame = pl.DataFrame({**row, "reason": [rejection_reasons("schools")[0]]})
    assert validate_frame(rejected_records_schema("schools"), frame).passed
    wrong = frame.with_columns(pl.lit("made_up").alias("reason"))
    assert not validate_frame(rejected_records_schema("schools"), wrong).passed
