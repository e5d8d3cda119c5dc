"""`raw_<domain>_<source>`: the asset that loads a source's ready landing files exactly once."""

import dagster as dg
import duckdb

from event_assets.core.dead_runs import private_scratch
from event_assets.core.ingest import ingest_files
from event_assets.core.landing import scan_landing, split_ready
from event_assets.core.migrate import migrate_legacy_layout
from event_assets.core.names import asset_key, qualified, raw_table
from event_assets.core.table_metadata import table_metadata, table_name
from event_assets.core.warehouse import WAREHOUSE_POOL, Warehouse


def build_ingestion_asset(
    domain: str, source: str = "events", folder: str = "", legacy_tables: list[str] = ()
) -> dg.AssetsDefinition:
    """Every ready file of `landing/<domain>/<folder>`, loaded once into
    `<domain>.raw_<domain>_<source>`. `legacy_tables`: the domain's other tables, dropped from
    schema `main` if a warehouse of the previous layout still has them (`migrate.py`)."""
    table = raw_table(domain, source)
    where = f"landing/{domain}/{folder}".rstrip("/") + "/"

    @dg.asset(
        key=asset_key(domain, table),
        group_name=domain,
        pool=WAREHOUSE_POOL,
        kinds={"duckdb"},
        metadata=table_name(domain, table),
        description=(
            f"Every record received in `{where}`, one row per line with its source file, "
            "content hash and line number. Append-only; each file content is loaded once "
            "(`ingestion_ledger`). Lines that are not JSON are kept with `load_error`. Files "
            "that cannot be read (`unreadable`) and entries that are not read (`skipped`: "
            "links, folders, pipes) are listed with the reason in each materialization."
        ),
    )
    def _ingest(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
        settings = warehouse.settings
        landing_dir = settings.landing_dir(domain) / folder
        if not landing_dir.is_dir():
            raise dg.Failure(
                description=f"landing folder {landing_dir} does not exist: create it or set "
                "EVENT_ASSETS_DATA_DIR to the folder that holds landing/"
            )
        landing = scan_landing(landing_dir)
        ready, settling = split_ready(landing.files, settings.settle_seconds)
        with warehouse.connect() as conn:
            try:
                moved = migrate_legacy_layout(conn, domain, [table], legacy_tables)
            except duckdb.Error as error:
                raise dg.Failure(
                    description=f"cannot move {table} of the previous warehouse layout to schema "
                    f"{domain} ({error}); rebuild the warehouse from landing/: make clean && "
                    "make run"
                ) from None
            with private_scratch():  # a killed run worker's scratch is found and removed
                report = ingest_files(conn, qualified(domain, table), ready)
            described = table_metadata(conn, domain, table)
        for line in moved:
            context.log.info(f"previous layout: {line}")
        for problem in report.unreadable:
            context.log.error(f"could not read landing file {problem}")
        for entry in landing.skipped:
            context.log.warning(f"not read: {entry}")
        waiting = len(settling) + len(report.changed_while_read)
        if waiting:
            context.log.info(f"{waiting} file(s) still being written; left for later")
        return dg.MaterializeResult(
            metadata={
                "files_loaded": len(report.loaded),
                "records_loaded": report.records,
                "unparseable_lines": report.unparseable,
                "files_unchanged": report.unchanged,
                "files_redelivered": len(report.redelivered),
                "files_unreadable": len(report.unreadable),
                "files_skipped": len(landing.skipped),
                "files_still_being_written": waiting,
                "total_records": described["dagster/row_count"],
                "loaded": dg.MetadataValue.json(report.loaded),
                "redelivered": dg.MetadataValue.json(report.redelivered),
                "unreadable": dg.MetadataValue.json(report.unreadable),
                "skipped": dg.MetadataValue.json(landing.skipped),
                **described,
            }
        )

    return _ingest
