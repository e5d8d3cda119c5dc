"""The Dagster wiring every domain shares: ingestion asset, landing sensor, jobs, stale-day sensor.

Per domain:
- `raw_<domain>_events` ingests ready landing files exactly once (see `ingest.py`);
- `<domain>_ingest` job: ingestion + the domain's dbt models + `<domain>_stale_days`, an asset
  that compares what the daily-partitioned asset holds with what the current models imply and
  records the days that differ in its metadata;
- `<domain>_days` job: the daily-partitioned asset over a range of days, and everything
  downstream of it; `<domain>_refresh` job: only the downstream assets (nothing stale);
- `<domain>_landing_sensor` requests `<domain>_ingest` when files land; `<domain>_stale_days_sensor`
  turns each `<domain>_stale_days` materialization into one `<domain>_days` run per contiguous
  range of stale days (or one `<domain>_refresh` run).
The headless CLI (`python -m event_assets run`) runs the same jobs in-process in the same order.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import dagster as dg
import duckdb
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from event_assets.core.ingest import ingest_files, raw_table_name
from event_assets.core.landing import build_landing_sensor, list_landed_files, split_ready
from event_assets.core.partitions import contiguous_ranges, range_tags
from event_assets.core.warehouse import WAREHOUSE_POOL, Warehouse, load_settings

STALE_RANGES_KEY = "stale_ranges"


def ingest_job_name(domain: str) -> str:
    return f"{domain}_ingest"


def daily_job_name(domain: str) -> str:
    return f"{domain}_days"


def refresh_job_name(domain: str) -> str:
    return f"{domain}_refresh"


def build_ingestion_asset(
    domain: str, source: str = "events", folder: str = ""
) -> dg.AssetsDefinition:
    """`raw_<domain>_<source>`: every ready file of `landing/<domain>/<folder>`, loaded once."""
    table = raw_table_name(domain, source)
    where = f"landing/{domain}/{folder}".rstrip("/") + "/"

    @dg.asset(
        name=table,
        group_name=domain,
        pool=WAREHOUSE_POOL,
        kinds={"duckdb"},
        description=(
            f"Every record received in `{where}`, one row per line with its source file, "
            "content hash and line number. Append-only; each file content is loaded once "
            "(`ingestion_ledger`). Lines that are not JSON are kept with `load_error`."
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
        ready, settling = split_ready(list_landed_files(landing_dir), settings.settle_seconds)
        with warehouse.connect() as conn:
            report = ingest_files(conn, table, ready)
            total = conn.execute(f"select count(*) from main.{table}").fetchone()[0]
        for problem in report.unreadable:
            context.log.error(f"could not read landing file {problem}")
        if settling:
            context.log.info(f"{len(settling)} file(s) still being written; left for later")
        return dg.MaterializeResult(
            metadata={
                "files_loaded": len(report.loaded),
                "records_loaded": report.records,
                "unparseable_lines": report.unparseable,
                "files_unchanged": report.unchanged,
                "files_redelivered": len(report.redelivered),
                "files_unreadable": len(report.unreadable),
                "files_still_being_written": len(settling),
                "total_records": total,
                "loaded": dg.MetadataValue.json(report.loaded),
                "redelivered": dg.MetadataValue.json(report.redelivered),
                "unreadable": dg.MetadataValue.json(report.unreadable),
            }
        )

    return _ingest


def build_stale_days_asset(
    domain: str,
    deps: Sequence[dg.AssetKey | str],
    find_stale_days: Callable[[duckdb.DuckDBPyConnection], list[date]],
    description: str,
) -> dg.AssetsDefinition:
    """`<domain>_stale_days`: the days whose partition no longer matches the upstream models."""

    @dg.asset(
        name=f"{domain}_stale_days",
        group_name=domain,
        deps=deps,
        pool=WAREHOUSE_POOL,
        description=description,
    )
    def _stale_days(warehouse: Warehouse) -> dg.MaterializeResult:
        with warehouse.connect(read_only=True) as conn:
            days = find_stale_days(conn)
        ranges = [[first.isoformat(), last.isoformat()] for first, last in contiguous_ranges(days)]
        return dg.MaterializeResult(
            metadata={"stale_days": len(days), STALE_RANGES_KEY: dg.MetadataValue.json(ranges)}
        )

    return _stale_days


def stale_ranges_from_metadata(metadata: dict) -> list[tuple[date, date]]:
    value = metadata.get(STALE_RANGES_KEY)
    ranges = getattr(value, "data", value) or []
    return [(date.fromisoformat(first), date.fromisoformat(last)) for first, last in ranges]


def build_stale_days_sensor(
    domain: str, daily_job: UnresolvedAssetJobDefinition, refresh_job
) -> dg.SensorDefinition:
    """One daily run per contiguous range of stale days after each ingestion (or a refresh run)."""

    @dg.asset_sensor(
        asset_key=dg.AssetKey(f"{domain}_stale_days"),
        name=f"{domain}_stale_days_sensor",
        jobs=[daily_job, refresh_job],
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=f"Re-materializes exactly the stale days of {domain} after each ingestion.",
    )
    def _sensor(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
        materialization = asset_event.asset_materialization
        ranges = stale_ranges_from_metadata(dict(materialization.metadata))
        run_id = asset_event.run_id
        if not ranges:
            return dg.RunRequest(run_key=f"{run_id}-refresh", job_name=refresh_job.name)
        return [
            dg.RunRequest(
                run_key=f"{run_id}-{first}-{last}",
                job_name=daily_job.name,
                tags=range_tags(first, last),
            )
            for first, last in ranges
        ]

    return _sensor


@dataclass
class DomainPipeline:
    """What a domain declares; `definitions()` builds the shared wiring around it.

    `sources` maps each raw input to its folder under `landing/<domain>/` ("" = the folder
    itself): one `raw_<domain>_<source>` table each. The jobs follow from the asset graph:
    everything downstream of the daily assets (Python assets and dbt models alike) runs after
    the days, everything else in the ingestion job.
    """

    domain: str
    dbt_assets: dg.AssetsDefinition
    stale_days_asset: dg.AssetsDefinition
    daily_assets: Sequence[dg.AssetsDefinition]
    downstream_assets: Sequence[dg.AssetsDefinition]
    asset_checks: Sequence[dg.AssetChecksDefinition] = ()
    sources: Mapping[str, str] = field(default_factory=lambda: {"events": ""})

    def definitions(self) -> dg.Definitions:
        ingestion = [
            build_ingestion_asset(self.domain, source, folder)
            for source, folder in self.sources.items()
        ]
        days_and_after = dg.AssetSelection.assets(*self.daily_assets).downstream()
        ingest_job = dg.define_asset_job(
            ingest_job_name(self.domain),
            selection=dg.AssetSelection.assets(*ingestion, self.dbt_assets, self.stale_days_asset)
            - days_and_after,
            description=f"Ingest new landing files of {self.domain} and rebuild its dbt models.",
        )
        daily_job = dg.define_asset_job(
            daily_job_name(self.domain),
            selection=days_and_after,
            description=f"Re-materialize a range of days of {self.domain} and what depends on it.",
        )
        refresh_job = dg.define_asset_job(
            refresh_job_name(self.domain),
            selection=days_and_after - dg.AssetSelection.assets(*self.daily_assets),
            description=f"Rebuild the unpartitioned tables of {self.domain} after the days.",
        )
        landing_sensor = build_landing_sensor(
            self.domain,
            ingest_job,
            landing_dir_of=lambda: load_settings().landing_dir(self.domain),
            settle_seconds_of=lambda: load_settings().settle_seconds,
        )
        return dg.Definitions(
            assets=[
                *ingestion,
                self.dbt_assets,
                self.stale_days_asset,
                *self.daily_assets,
                *self.downstream_assets,
            ],
            asset_checks=list(self.asset_checks),
            jobs=[ingest_job, daily_job, refresh_job],
            sensors=[
                landing_sensor,
                build_stale_days_sensor(self.domain, daily_job, refresh_job),
            ],
        )
