"""What a domain declares, and the Dagster wiring core builds around it.

A `Domain` names its raw inputs (`sources`), its dbt models, its Python assets and checks, and
optionally a daily-partitioned part (`DailyPart`), follow-up decisions of its own (`FollowUp`) and
definitions of its own kind (`extra`: a type-2 dimension, a micro-batch processor with its own
sensor). From that, `Domain.definitions()` builds:
- `raw_<domain>_<source>`: ingests ready landing files exactly once (see `ingest.py`);
- `<domain>_ingest`: ingestion + dbt models + the Python assets that do not depend on the days;
- with a daily part: `<domain>_days` (a range of days and everything downstream of them),
  `<domain>_refresh` (only what is downstream, when no day changed), and the follow-up that turns
  each `<domain>_stale_days` materialization into those runs;
- the landing sensor and one sensor per follow-up (`sensors.py`).
The headless runner (`runner.py`) runs the same jobs and asks the same follow-ups what comes next.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import dagster as dg

from event_assets.core import names
from event_assets.core.ingestion_asset import build_ingestion_asset
from event_assets.core.partitions import range_tags
from event_assets.core.sensors import build_follow_up_sensor, build_landing_sensor
from event_assets.core.stale_days import stale_ranges_from_metadata

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import (
        UnresolvedAssetJobDefinition,
    )


@dataclass(frozen=True)
class FollowUp:
    """What to run after `trigger` is materialized: `decide(metadata, run_id)` returns the run
    requests (job name and tags). The domain's sensor and the headless runner both ask it."""

    name: str
    trigger: dg.AssetKey
    job_names: Sequence[str]
    decide: Callable[[Mapping[str, Any], str], list[dg.RunRequest]]
    description: str


@dataclass(frozen=True)
class DailyPart:
    """Daily-partitioned assets kept in step with the models: `stale_days` (built with
    `stale_days.build_stale_days_asset`) finds the days that differ; runs re-materialize them."""

    stale_days: dg.AssetsDefinition
    assets: Sequence[dg.AssetsDefinition]


@dataclass
class Domain:
    """A domain as it describes itself; `definitions()` builds the rest.

    `dbt_assets`: its dbt models (`core.dbt.build_dbt_assets`), if it has any. `sources` maps
    each raw input to its folder under `landing/<domain>/` ("" = the folder itself). `assets`:
    the domain's Python assets (unpartitioned); those downstream of the daily part run after
    the days, the others in the ingestion job. `owner`: the team every asset of the domain
    belongs to (`team:<name>` or an email); `freshness`: table -> how fresh it should be
    (`catalog.py` applies both to the code location)."""

    name: str
    owner: str | None = None
    freshness: Mapping[str, dg.FreshnessPolicy] = field(default_factory=dict)
    dbt_assets: dg.AssetsDefinition | None = None
    assets: Sequence[dg.AssetsDefinition] = ()
    asset_checks: Sequence[dg.AssetChecksDefinition] = ()
    sources: Mapping[str, str] = field(default_factory=lambda: {"events": ""})
    daily: DailyPart | None = None
    follow_ups: Sequence[FollowUp] = ()
    extra: dg.Definitions | None = None

    @property
    def raw_tables(self) -> dict[str, str]:
        """source -> raw table name."""
        return {source: names.raw_table(self.name, source) for source in self.sources}

    def all_follow_ups(self) -> list[FollowUp]:
        return ([self._daily_follow_up()] if self.daily else []) + list(self.follow_ups)

    def definitions(self) -> dg.Definitions:
        _REGISTRY[self.name] = self
        legacy_tables = self._table_names()
        ingestion = [
            build_ingestion_asset(self.name, source, folder, legacy_tables=legacy_tables)
            for source, folder in self.sources.items()
        ]
        own = [*self._models(), *self.assets]
        if self.daily:
            days_and_after = dg.AssetSelection.assets(*self.daily.assets).downstream()
            jobs = [
                _warehouse_job(
                    names.ingest_job(self.name),
                    selection=dg.AssetSelection.assets(*ingestion, *own, self.daily.stale_days)
                    - days_and_after,
                    description=f"Ingest new landing files of {self.name}, rebuild its models.",
                ),
                _warehouse_job(
                    names.daily_job(self.name),
                    selection=days_and_after,
                    description=f"Re-materialize a range of days of {self.name} and what "
                    "depends on it.",
                ),
                _warehouse_job(
                    names.refresh_job(self.name),
                    selection=days_and_after - dg.AssetSelection.assets(*self.daily.assets),
                    description=f"Rebuild the unpartitioned tables of {self.name} after the days.",
                ),
            ]
            own += [self.daily.stale_days, *self.daily.assets]
        else:
            jobs = [
                _warehouse_job(
                    names.ingest_job(self.name),
                    selection=dg.AssetSelection.assets(*ingestion, *own),
                    description=f"Ingest new landing files of {self.name}, rebuild its tables.",
                )
            ]
        extra_jobs = list(self.extra.jobs or []) if self.extra else []
        all_jobs = [*jobs, *extra_jobs]
        sensors = [
            build_landing_sensor(self.name, jobs[0], self.raw_tables, self.sources),
            *(
                build_follow_up_sensor(
                    follow_up, [job for job in all_jobs if job.name in follow_up.job_names]
                )
                for follow_up in self.all_follow_ups()
            ),
        ]
        built = dg.Definitions(
            assets=[*ingestion, *own],
            asset_checks=list(self.asset_checks),
            jobs=jobs,
            sensors=sensors,
        )
        return dg.Definitions.merge(built, self.extra) if self.extra else built

    def _table_names(self) -> list[str]:
        """Every table of the domain the asset graph knows (for the move from schema `main`)."""
        assets = [*self._models(), *self.assets]
        if self.daily:
            assets += [self.daily.stale_days, *self.daily.assets]
        return sorted({key.path[-1] for asset in assets for key in asset.keys})

    def _models(self) -> list[dg.AssetsDefinition]:
        return [self.dbt_assets] if self.dbt_assets else []

    def _daily_follow_up(self) -> FollowUp:
        daily_job, refresh_job = names.daily_job(self.name), names.refresh_job(self.name)

        def decide(metadata: Mapping[str, Any], run_id: str) -> list[dg.RunRequest]:
            ranges = stale_ranges_from_metadata(metadata)
            if not ranges:
                return [dg.RunRequest(run_key=f"{run_id}-refresh", job_name=refresh_job)]
            return [
                dg.RunRequest(
                    run_key=f"{run_id}-{first}-{last}",
                    job_name=daily_job,
                    tags=range_tags(first, last),
                )
                for first, last in ranges
            ]

        return FollowUp(
            name=names.stale_days_sensor(self.name),
            trigger=names.asset_key(self.name, names.stale_days_table(self.name)),
            job_names=[daily_job, refresh_job],
            decide=decide,
            description=f"Re-materializes exactly the stale days of {self.name} after each "
            f"ingestion (one run per contiguous range), or refreshes what follows them.",
        )


def _warehouse_job(name: str, **kwargs) -> "UnresolvedAssetJobDefinition":
    """A job over warehouse assets, run step after step in the run's own process: the steps
    take turns on the one writer DuckDB allows anyway, and the default executor would start a
    process per step that loads the code location again (seconds each)."""
    return dg.define_asset_job(name, executor_def=dg.in_process_executor, **kwargs)


_REGISTRY: dict[str, Domain] = {}


def registered_domains() -> dict[str, Domain]:
    """Every domain whose definitions have been built in this process, by name."""
    return dict(_REGISTRY)
