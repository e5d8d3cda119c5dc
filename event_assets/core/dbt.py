"""The dbt project as Dagster assets: one `@dbt_assets` definition per domain.

Models live in `dbt_project/models/<domain>/` and their tables in the DuckDB schema of that
name; each model's asset key is `[domain, table]` and its group is the domain, so the UI shows the
names analysts query. dbt data tests become
asset checks through dagster-dbt (severity `error` -> blocking). dbt unit tests are run by the test
suite, not on every materialization.
"""

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from dagster_dbt.compat import DBT_PYTHON_VERSION

from event_assets.core.names import dbt_op
from event_assets.core.quarantine import DBT_PROJECT_DIR
from event_assets.core.warehouse import (
    WAREHOUSE_POOL,
    ConfigError,
    Settings,
    Warehouse,
    export_for_dbt,
)

# dagster-dbt's manifest preparer runs `dbt` from PATH; make it the one installed next to this
# interpreter, so nothing depends on an activated virtualenv.
_BIN_DIR = str(Path(sys.executable).parent)
if _BIN_DIR not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = os.pathsep.join([_BIN_DIR, os.environ.get("PATH", "")])


PROJECT_SOURCE_FOLDERS = ("models", "macros", "tests", "docs")
# Metadata of each model's materialization: the dbt project it was built from.
FINGERPRINT_KEY = "dbt_project_fingerprint"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def prepare_dbt_project() -> Path:
    """Write dbt's manifest (`dbt parse`), which the asset definitions are built from.

    Skipped when the manifest is newer than every file of the dbt project (a parse costs seconds
    on every headless run otherwise). Parsing connects to no database.
    """
    if _manifest_is_current():
        return dbt_project.manifest_path
    # Two processes starting at once (the UI and a headless run, two test workers) parse one
    # after the other, the second only when the first's manifest is not current after all.
    target = DBT_PROJECT_DIR / "target"
    target.mkdir(exist_ok=True)
    with open(target / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _manifest_is_current():
            dbt_project.preparer.prepare(dbt_project)
    return dbt_project.manifest_path


def _manifest_is_current() -> bool:
    manifest = dbt_project.manifest_path
    if not manifest.exists():
        return False
    parsed_at = manifest.stat().st_mtime
    return all(path.stat().st_mtime < parsed_at for path in _project_sources())


def _project_sources() -> list[Path]:
    """The files dbt parses (not target/ or logs/, which dbt itself writes)."""
    files = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in PROJECT_SOURCE_FOLDERS:
        files.extend(path for path in (DBT_PROJECT_DIR / folder).rglob("*") if path.is_file())
    return files


def project_fingerprint() -> str:
    """A hash of every file dbt parses: recorded on each model's materialization, so a run can
    tell whether the models (their SQL, macros, tests or configuration) changed since."""
    digest = hashlib.sha256()
    for path in sorted(_project_sources()):
        digest.update(path.relative_to(DBT_PROJECT_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def manifest_path() -> Path:
    """The manifest, parsed first if it is missing or older than the project (a fresh clone, or
    a model edited while `make dev` runs: reloading the code location picks the change up)."""
    if not _manifest_is_current():
        prepare_dbt_project()
    return dbt_project.manifest_path


class EventAssetsTranslator(DagsterDbtTranslator):
    """Asset key = `[schema, table]` as the warehouse names it (models and sources alike: a
    domain's schema is its name); group = the schema, i.e. the domain."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        props = dbt_resource_props
        if props["resource_type"] == "source":
            return dg.AssetKey([props["schema"], props["name"]])
        return dg.AssetKey([props["schema"], props["alias"] or props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props["schema"]

    def get_asset_check_spec(
        self,
        asset_spec: dg.AssetSpec,
        manifest: Mapping[str, Any],
        unique_id: str,
        project: DbtProject | None,
    ) -> dg.AssetCheckSpec | None:
        """dagster-dbt's check of a data test (blocking when its severity is `error`), described:
        dagster-dbt reads only a `meta: {description: ...}`, which no test here has."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        return spec._replace(description=data_test_description(manifest["nodes"][unique_id]))


def data_test_description(test: Mapping[str, Any]) -> str:
    """A dbt data test's own `description:` (its YAML), else one made from the test's name, the
    model and column it tests and its arguments: "`not_null` on `sessions.session_id`."."""
    if (test.get("description") or "").strip():
        return test["description"].strip()
    generic = test.get("test_metadata") or {}
    arguments = {
        name: value
        for name, value in (generic.get("kwargs") or {}).items()
        if name not in ("model", "column_name")
    }
    model = (test.get("attached_node") or "").rsplit(".", 1)[-1]
    column = test.get("column_name")
    subject = ".".join(part for part in (model, column) if part)
    described = f"`{generic.get('name') or test['name']}`" + (f" on `{subject}`" if subject else "")
    if arguments:
        described += " (" + ", ".join(f"{name}: {value}" for name, value in arguments.items()) + ")"
    return described + "."


class DbtBuildConfig(dg.Config):
    """`full_refresh`: rebuild incremental models from scratch (after a change to their SQL)."""

    full_refresh: bool = False


@contextlib.contextmanager
def build_folder(settings: Settings, domain: str) -> Iterator[Path]:
    """The domain's dbt target folder of this warehouse, held for one build: a second process
    building the same domain (the UI's run while the CLI runs) waits for the first, up to the
    lock timeout, instead of writing the same artifacts at the same time."""
    target = settings.dbt_target_dir(domain)
    target.mkdir(parents=True, exist_ok=True)
    _seed_partial_parse(target)
    deadline, delay = time.monotonic() + settings.lock_timeout_seconds, 0.25
    with open(target / ".lock", "w") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ConfigError(
                        f"another process has been running dbt in {target} for "
                        f"{settings.lock_timeout_seconds:g} s; try again when it is done"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 10.0)
        try:
            yield target
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


PARTIAL_PARSE_FILE = "partial_parse.msgpack"


def _seed_partial_parse(target: Path) -> None:
    """Give a domain's first build on this warehouse the partial-parse state another domain's
    build left next to it. dbt's state is of the whole project and valid for this warehouse
    path (its profile hash includes the path), so dbt re-parses only files changed since; without
    it the first build of each domain parses the whole project (seconds, once per domain). A copy
    read while dbt rewrites it is refused by dbt, which then parses in full, as without it."""
    if (target / PARTIAL_PARSE_FILE).exists():
        return
    siblings = [folder / PARTIAL_PARSE_FILE for folder in target.parent.iterdir()]
    existing = [path for path in siblings if path.is_file()]
    if existing:
        newest = max(existing, key=lambda path: path.stat().st_mtime)
        with contextlib.suppress(OSError):
            shutil.copyfile(newest, target / PARTIAL_PARSE_FILE)


def failed_dbt_nodes(settings: Settings, domain: str) -> list[str]:
    """The first two lines of the error of each model or test that dbt could not run in the
    domain's last `dbt build` (from its run_results.json; a failing test is an asset check, not
    an error)."""
    run_results = settings.dbt_target_dir(domain) / "run_results.json"
    try:
        results = json.loads(run_results.read_text())["results"]
    except (OSError, ValueError, KeyError):
        return []
    errors = []
    for result in results:
        if result.get("status") == "error":
            message = result.get("message") or result.get("unique_id", "")
            lines = [line.strip() for line in message.splitlines() if line.strip()]
            errors.append(" ".join(lines[:2]))
    return errors


def build_dbt_assets(domain: str) -> dg.AssetsDefinition:
    """All dbt models (and their data tests) of one domain, built with `dbt build`."""

    @dbt_assets(
        manifest=manifest_path(),
        select=f"path:models/{domain}",
        exclude="test_type:unit",
        name=dbt_op(domain),
        project=dbt_project,
        dagster_dbt_translator=EventAssetsTranslator(
            # each model's asset points at its SQL file in the UI
            DagsterDbtTranslatorSettings(enable_code_references=True)
        ),
        pool=WAREHOUSE_POOL,
    )
    def _models(
        context: dg.AssetExecutionContext,
        dbt: DbtCliResource,
        warehouse: Warehouse,
        config: DbtBuildConfig,
    ):
        export_for_dbt(warehouse.settings)
        args = ["build", "--full-refresh"] if config.full_refresh else ["build"]
        # dbt unit tests are the test suite's: dagster-dbt replaces `exclude` above with its own
        # `--select` when the run builds a subset of the models (a domain's ingest job when a
        # model waits for a Python asset), which ran them, and one on an incremental model's
        # `this` fails before that model exists; this flag survives the replacement.
        args += ["--exclude-resource-type", "unit_test"]
        # One target folder per domain and warehouse, overwritten by each build (dagster-dbt's
        # default is a new folder per invocation, which piles up without end).
        fingerprint = {FINGERPRINT_KEY: project_fingerprint()}
        with build_folder(warehouse.settings, domain) as target:
            invocation = dbt.cli(args, context=context, target_path=target)
            for event in invocation.stream():
                if isinstance(event, dg.Output | dg.AssetMaterialization):
                    event = event.with_metadata({**event.metadata, **fingerprint})
                yield event

    return _models


class EventAssetsDbtCli(DbtCliResource):
    """dagster-dbt's dbt CLI resource without two start-up costs we have no use for.

    Before every `dbt build`, `DbtCliResource` runs `dbt --version` in a subprocess to learn the
    dbt version (1.3 s here) and loads a dbt adapter in-process (1 s), which it needs only for
    the optional row counts and column metadata (`fetch_row_counts`, `fetch_column_metadata`)
    that these assets do not fetch. dbt-core is installed in this interpreter, so its version
    is known without asking; without an adapter dagster-dbt runs dbt exactly as before.
    `test_dbt_resource` checks that both hooks still exist in the pinned dagster-dbt.
    """

    @cached_property
    def _cli_version(self):  # a packaging Version, as dagster-dbt's
        return DBT_PYTHON_VERSION

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None


def dbt_resource() -> DbtCliResource:
    return EventAssetsDbtCli(project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR))
