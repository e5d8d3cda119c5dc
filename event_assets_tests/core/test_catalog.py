"""What the UI shows of every asset and check of the real code location: descriptions, owners,
kinds, code references, freshness expectations, blocking schema checks."""

from pathlib import Path

import dagster as dg
import pytest

from event_assets.core.catalog import DAILY_FILES, catalogue
from event_assets.core.dbt import data_test_description
from event_assets.core.pipeline import Domain

SCHEMA_CHECK_SUFFIX = "_matches_schema"  # the Pandera checks (`core/checks.py`)


@pytest.fixture
def graph(defs: dg.Definitions):
    return defs.resolve_asset_graph()


def test_every_asset_check_has_a_description(graph):
    specs = [graph.get_check_spec(key) for key in graph.asset_check_keys]
    assert len(specs) > 100  # the dbt tests are among them
    undescribed = [spec.key for spec in specs if not (spec.description or "").strip()]
    assert undescribed == []


def test_every_asset_has_its_domains_team_a_kind_and_a_code_reference(graph):
    specs = [node.to_asset_spec() for node in graph.asset_nodes]
    assert {spec.key.path[0] for spec in specs} >= {"schools", "engagement"}
    for spec in specs:
        assert spec.owners == [f"team:{spec.key.path[0]}"], spec.key
        assert spec.kinds, spec.key
        references = spec.metadata["dagster/code_references"].code_references
        assert references, spec.key
        assert all(Path(reference.file_path).is_file() for reference in references), spec.key


def test_dbt_models_point_at_their_sql_and_python_assets_at_their_function(graph):
    sessions = graph.get(dg.AssetKey(["schools", "sessions"])).to_asset_spec()
    (model,) = sessions.metadata["dagster/code_references"].code_references
    assert model.file_path.endswith("models/schools/marts/sessions.sql")
    stats = graph.get(dg.AssetKey(["schools", "schools_stats"])).to_asset_spec()
    files = [ref.file_path for ref in stats.metadata["dagster/code_references"].code_references]
    assert [Path(file).name for file in files] == ["stats.py", "stats.py"]
    assert "defs/schools" in files[0] and "core" in files[1]  # the domain's queries, the factory


def test_every_table_asset_names_its_table_as_dbt_models_do(graph):
    specs = [node.to_asset_spec() for node in graph.asset_nodes]
    unnamed = {spec.key.path[-1] for spec in specs if "dagster/table_name" not in spec.metadata}
    # only the statistics and stale-days assets write no table
    assert unnamed and all(name.endswith(("_stats", "_stale_days")) for name in unnamed), unnamed
    usage_history = graph.get(dg.AssetKey(["schools", "usage_history"])).to_asset_spec()
    assert usage_history.metadata["dagster/table_name"] == "schools.usage_history"


def test_every_contract_table_says_how_fresh_it_should_be(graph):
    contract_tables = {
        key.asset_key for key in graph.asset_check_keys if key.name.endswith(SCHEMA_CHECK_SUFFIX)
    }
    assert len(contract_tables) >= 10
    for key in contract_tables:
        assert graph.get(key).freshness_policy == DAILY_FILES, key


def test_schema_checks_block_what_depends_on_their_table(graph):
    schema_checks = [
        graph.get_check_spec(key)
        for key in graph.asset_check_keys
        if key.name.endswith(SCHEMA_CHECK_SUFFIX)
    ]
    assert len(schema_checks) >= 10
    assert [spec.key for spec in schema_checks if not spec.blocking] == []


def test_freshness_of_a_table_without_an_asset_is_an_error():
    @dg.asset(key=["toy", "counted"])
    def counted() -> None: ...

    typo = Domain(name="toy", owner="team:toy", freshness={"countd": DAILY_FILES})
    with pytest.raises(ValueError, match="toy/countd"):
        catalogue(dg.Definitions(assets=[counted]), [typo])


def test_a_data_test_is_described_by_its_yaml_or_by_its_name_and_column():
    test = {
        "name": "accepted_range_sessions_duration_minutes__0",
        "attached_node": "model.event_assets.sessions",
        "column_name": "duration_minutes",
        "test_metadata": {
            "name": "accepted_range",
            "kwargs": {"min_value": 0, "column_name": "duration_minutes", "model": "{{ x }}"},
        },
        "description": "",
    }
    assert data_test_description(test) == (
        "`accepted_range` on `sessions.duration_minutes` (min_value: 0)."
    )
    assert data_test_description(test | {"description": "Never negative.\n"}) == "Never negative."
