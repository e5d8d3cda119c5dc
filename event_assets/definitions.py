"""The code location: every module under `event_assets/defs/` (one folder per domain), with the
resources built from the settings, read once when the definitions load; every asset described
the same way for the UI (`core/catalog.py`); and the sensor that refreshes the analysts' copy of
the warehouse after each successful run."""

from pathlib import Path

import dagster as dg

from event_assets.core.catalog import catalogue
from event_assets.core.dbt import dbt_resource
from event_assets.core.pipeline import registered_domains
from event_assets.core.snapshot import warehouse_snapshot_sensor
from event_assets.core.warehouse import Settings, Warehouse, load_settings


def build_definitions(settings: Settings) -> dg.Definitions:
    domains = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
    platform = dg.Definitions(
        resources={"warehouse": Warehouse.from_settings(settings), "dbt": dbt_resource()},
        sensors=[warehouse_snapshot_sensor],
    )
    return dg.Definitions.merge(catalogue(domains, registered_domains().values()), platform)


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(load_settings())
