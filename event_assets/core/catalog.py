"""What the UI shows about every asset, applied once to the code location for all domains.

- an owner: the team of the asset's domain (`Domain.owner`);
- code references: dbt models point at their SQL file (dagster-dbt's translator setting in
  `dbt.py`), every other asset at the Python function that computes it (and, when a core
  factory built it, at the domain's function it was given: `code_reference`);
- a freshness expectation on the tables a domain declares one for (`Domain.freshness`): the
  freshness daemon of `make dev` evaluates it and the UI marks a table that misses it as late.

Applied to the whole code location rather than in `Domain.definitions()`: the defs folder loader
also collects the asset objects the domains' other modules define, the very objects the domain's
definitions hold; a described copy of one would be a second asset of the same key.
"""

import inspect
import warnings
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Protocol

import dagster as dg

from event_assets.core.names import asset_key

CODE_REFERENCES_KEY = "dagster/code_references"

# The expectation of a table fed by daily files. Files land once a day and the landing sensor
# processes each within minutes, so such a table is normally less than a day old. WARN past 26
# hours: today's file is later than yesterday's was. FAIL past 36 hours: the day's file is half a
# day overdue, or its run failed, and someone should look. A time window needs no assumption
# about the hour files arrive, which a cron deadline would.
DAILY_FILES = dg.FreshnessPolicy.time_window(
    fail_window=timedelta(hours=36), warn_window=timedelta(hours=26)
)


class DescribedDomain(Protocol):
    """What the catalogue reads of a domain (`pipeline.Domain`)."""

    name: str
    owner: str | None
    freshness: Mapping[str, dg.FreshnessPolicy]


def catalogue(defs: dg.Definitions, domains: Iterable[DescribedDomain]) -> dg.Definitions:
    """`defs` with, on every asset of each domain (asset key `[domain, ...]`), the domain's
    owner, a reference to the function computing it (dbt models have theirs), and the freshness
    policy the domain declares for its table."""
    # The defs folder loader lists an asset once per module that holds it: describe it once.
    assets = list({id(asset): asset for asset in defs.assets or []}.values())
    known = {key for asset in assets for key in asset.keys}
    domains = [domain for domain in domains if any(key.path[0] == domain.name for key in known)]
    owners = {domain.name: domain.owner for domain in domains if domain.owner}
    policies = {
        asset_key(domain.name, table): policy
        for domain in domains
        for table, policy in domain.freshness.items()
    }
    if unknown := sorted(key.to_user_string() for key in set(policies) - known):
        raise ValueError(f"freshness declared for tables that have no asset: {unknown}")
    # The pinned Dagster marks code references beta; it is pinned.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.BetaWarning)
        references = _function_references(assets)

    def describe(spec: dg.AssetSpec) -> dg.AssetSpec:
        owner = owners.get(spec.key.path[0])
        spec = spec.merge_attributes(
            owners=[owner] if owner and owner not in spec.owners else [],
            # dagster-dbt points a model at its SQL, not at the function running `dbt build`
            metadata={} if "dbt" in spec.kinds else references[spec.key],
        )
        if spec.key in policies:
            spec = spec.replace_attributes(freshness_policy=policies[spec.key])
        return spec

    # Everything else as it was (the fields `Definitions.merge` carries).
    return dg.Definitions(
        assets=dg.map_asset_specs(describe, assets),
        asset_checks=defs.asset_checks,
        schedules=defs.schedules,
        sensors=defs.sensors,
        jobs=defs.jobs,
        resources=defs.resources,
        executor=defs.executor,
        loggers=defs.loggers,
        metadata=defs.metadata,
        component_tree=defs.component_tree,
    )


def code_reference(function: Callable, label: str) -> dict:
    """Metadata pointing at `function`'s source: for an asset a core factory builds around a
    domain's function (the catalogue adds the factory's own function)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.BetaWarning)
        reference = dg.LocalFileCodeReference(
            file_path=inspect.getsourcefile(function),
            line_number=inspect.getsourcelines(function)[1],
            label=label,
        )
        return {CODE_REFERENCES_KEY: dg.CodeReferencesMetadataValue(code_references=[reference])}


def _function_references(assets: list[dg.AssetsDefinition]) -> dict[dg.AssetKey, dict]:
    """Per asset key, code-reference metadata: the references it has and the function that
    computes it."""
    located = dg.with_source_code_references(assets)
    return {
        key: {CODE_REFERENCES_KEY: spec.metadata[CODE_REFERENCES_KEY]}
        for asset in located
        for key, spec in asset.specs_by_key.items()
    }
