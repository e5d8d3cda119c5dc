"""Resources shared by every domain: the warehouse (paths from the environment) and dbt."""

import dagster as dg

from event_assets.core.dbt import dbt_resource
from event_assets.core.warehouse import (
    DATA_DIR_VAR,
    DUCKDB_PATH_VAR,
    SETTLE_SECONDS_VAR,
    Warehouse,
)

# EnvVar: resolved when a run starts, so tests and the CLI can point at another data directory.
defs = dg.Definitions(
    resources={
        "warehouse": Warehouse(
            data_dir=dg.EnvVar(DATA_DIR_VAR),
            duckdb_path=dg.EnvVar(DUCKDB_PATH_VAR),
            settle_seconds=dg.EnvVar(SETTLE_SECONDS_VAR),
        ),
        "dbt": dbt_resource(),
    }
)
