"""The code location: every module under `event_assets/defs/` (one folder per domain), with the
resources built from the settings, read once when the definitions load; every asset described
the same way for the UI (`core/catalog.py`)."""

from pathlib import Path

import dagster as dg

from event_assets.core.catalog import catalogue
from event_assets.core.dbt import dbt_resource
from event_assets.core.pipeline import registered_domains
from event_assets.core.warehouse import Settings, Warehouse, load_settings


def build_definitions(settings: Settings) -> dg.Definitions:
    domains = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
    resources = dg.Definitions(
        resources={"warehouse": Warehouse.from_settings(settings), "dbt": dbt_resource()}
    )
    return dg.Definitions.merge(catalogue(domains, registered_domains().values()), resources)


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(load_settings())
