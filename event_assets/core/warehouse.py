"""Where the data lives (configured by environment variables) and how to open the DuckDB warehouse.

`EVENT_ASSETS_DATA_DIR` (default `data`) holds `landing/<domain>/` and the warehouse;
`EVENT_ASSETS_DUCKDB_PATH` (default `$EVENT_ASSETS_DATA_DIR/warehouse.duckdb`) is the DuckDB file;
`EVENT_ASSETS_SETTLE_SECONDS` (default 5) is how long a landing file must stay unchanged before it
is ingested; `EVENT_ASSETS_DUCKDB_MEMORY_LIMIT` (default 3GB) bounds DuckDB's memory (ours and
dbt's), beyond which it spills to disk; `EVENT_ASSETS_LOCK_TIMEOUT_SECONDS` (default 300) is how
long a run waits for the warehouse when another process holds it (an analyst's open connection),
retrying with backoff, before it fails; `EVENT_ASSETS_SNAPSHOT` (default 1) keeps the analysts'
copy of the warehouse (`snapshot.py`). DuckDB allows one writing process per file, so
connections are only ever opened inside `with` blocks and never held while dbt runs.
"""

import math
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import dagster as dg
import duckdb

DATA_DIR_VAR = "EVENT_ASSETS_DATA_DIR"
DUCKDB_PATH_VAR = "EVENT_ASSETS_DUCKDB_PATH"
SETTLE_SECONDS_VAR = "EVENT_ASSETS_SETTLE_SECONDS"
# DuckDB's memory limit for our connections and dbt's (profiles.yml reads the same variable).
MEMORY_LIMIT_VAR = "EVENT_ASSETS_DUCKDB_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "3GB"
LOCK_TIMEOUT_VAR = "EVENT_ASSETS_LOCK_TIMEOUT_SECONDS"
DEFAULT_LOCK_TIMEOUT_SECONDS = 300.0
# Whether runs refresh the analysts' copy of the warehouse (`snapshot.py`).
SNAPSHOT_VAR = "EVENT_ASSETS_SNAPSHOT"
# How many times dbt-duckdb tries to open the warehouse (it sleeps 1, 2, 4, ... s in between);
# profiles.yml reads it, `export_for_dbt` derives it from the lock timeout.
DBT_CONNECT_ATTEMPTS_VAR = "EVENT_ASSETS_DBT_CONNECT_ATTEMPTS"

# Every step that writes the warehouse runs in this pool; the instance limits it to one slot.
WAREHOUSE_POOL = "warehouse"


class ConfigError(Exception):
    """A problem the user can fix (bad setting, missing folder); shown as one line, no traceback."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    duckdb_path: Path
    settle_seconds: float
    memory_limit: str = DEFAULT_MEMORY_LIMIT
    lock_timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS
    snapshot_enabled: bool = True

    def landing_dir(self, domain: str) -> Path:
        return self.data_dir / "landing" / domain

    @property
    def plots_dir(self) -> Path:
        return self.duckdb_path.parent / "plots"

    def dbt_target_dir(self, domain: str) -> Path:
        """Where the domain's `dbt build` on this warehouse writes its artifacts: next to the
        warehouse, so dbt's partial-parse state (which depends on the warehouse path) stays
        valid run after run, and two checkouts or instances never write each other's."""
        return self.duckdb_path.parent / "dbt" / domain

    @property
    def snapshot_path(self) -> Path:
        """The analysts' copy of the warehouse (`snapshot.py`)."""
        return self.duckdb_path.parent / "snapshot" / self.duckdb_path.name


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the settings from the environment, with working defaults, as absolute paths.

    Read once per process (the CLI, the code location) and handed on in `Warehouse`."""
    env = os.environ if environ is None else environ
    data_dir = Path(env.get(DATA_DIR_VAR) or "data").expanduser().resolve()
    if data_dir.exists() and not data_dir.is_dir():
        raise ConfigError(f"{DATA_DIR_VAR}={data_dir} is not a directory")
    duckdb_path = Path(env.get(DUCKDB_PATH_VAR) or data_dir / "warehouse.duckdb").expanduser()
    duckdb_path = duckdb_path.resolve()
    if duckdb_path.is_dir():
        raise ConfigError(f"{DUCKDB_PATH_VAR}={duckdb_path} is a directory, expected a file path")
    return Settings(
        data_dir=data_dir,
        duckdb_path=duckdb_path,
        settle_seconds=_seconds(env, SETTLE_SECONDS_VAR, 5.0),
        memory_limit=_memory_limit(env),
        lock_timeout_seconds=_seconds(env, LOCK_TIMEOUT_VAR, DEFAULT_LOCK_TIMEOUT_SECONDS),
        snapshot_enabled=_switch(env, SNAPSHOT_VAR, default=True),
    )


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name) or str(default)
    try:
        seconds = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number of seconds") from None
    if seconds < 0:
        raise ConfigError(f"{name}={raw!r} must not be negative")
    return seconds


def _memory_limit(env: Mapping[str, str]) -> str:
    raw = (env.get(MEMORY_LIMIT_VAR) or DEFAULT_MEMORY_LIMIT).strip()
    # DuckDB is the judge of its own format ("3GB", "512MiB", "80%"): an in-memory connection
    # with the limit costs a few milliseconds, and dbt passes the same text to DuckDB later.
    try:
        duckdb.connect(":memory:", config={"memory_limit": raw}).close()
    except duckdb.Error as error:
        reason = str(error).splitlines()[0]
        raise ConfigError(
            f"{MEMORY_LIMIT_VAR}={raw!r} is not a memory limit DuckDB accepts "
            f"(e.g. 3GB, 512MiB, 80%): {reason}"
        ) from None
    return raw


def _switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "on", "true", "yes"):
        return True
    if raw in ("0", "off", "false", "no"):
        return False
    raise ConfigError(f"{name}={raw!r} must be 1 or 0")


def dbt_connect_attempts(lock_timeout_seconds: float) -> int:
    """dbt-duckdb's attempts to open a locked warehouse within about the lock timeout: n
    attempts wait 1 + 2 + ... + 2**(n-1) = 2**n - 1 seconds in all."""
    return max(1, math.floor(math.log2(lock_timeout_seconds + 1)))


def export_for_dbt(settings: Settings) -> None:
    """Put the warehouse's absolute path, memory limit and lock wait into the environment of the
    dbt subprocesses (`profiles.yml` reads them; dbt runs from `dbt_project/`, so a relative path
    would point elsewhere). The only place the settings are written to the environment."""
    os.environ[DUCKDB_PATH_VAR] = str(settings.duckdb_path)
    os.environ[MEMORY_LIMIT_VAR] = settings.memory_limit
    os.environ[DBT_CONNECT_ATTEMPTS_VAR] = str(dbt_connect_attempts(settings.lock_timeout_seconds))
    # When a subset of the models is materialized (one asset from the UI), run only the tests
    # whose every parent is in it: dbt's default also runs a relationships test of a model left
    # out, which dagster-dbt can only log as an observation, not as that model's check.
    os.environ["DBT_INDIRECT_SELECTION"] = "cautious"


@contextmanager
def connect(
    duckdb_path: Path | str,
    read_only: bool = False,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    wait_seconds: float = 0.0,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse for the duration of a `with` block. While another process holds it,
    try again with backoff for up to `wait_seconds`, then raise `ConfigError`."""
    path = Path(duckdb_path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline, delay = time.monotonic() + wait_seconds, 0.25
    while True:
        try:
            conn = duckdb.connect(
                str(path), read_only=read_only, config={"memory_limit": memory_limit}
            )
            break
        except duckdb.IOException as error:
            locked = "Could not set lock" in str(error)
            if not locked or time.monotonic() + delay > deadline:
                waited = f" (waited {wait_seconds:g} s)" if locked and wait_seconds else ""
                raise ConfigError(f"cannot open the warehouse {path}{waited}: {error}") from None
            if delay == 0.25:
                dg.get_dagster_logger().warning(
                    f"the warehouse {path} is held by another process; waiting up to "
                    f"{wait_seconds:g} s ({LOCK_TIMEOUT_VAR}): {error}"
                )
            time.sleep(delay)
            delay = min(delay * 2, 10.0)
    try:
        yield conn
    finally:
        conn.close()


def table_exists(conn: duckdb.DuckDBPyConnection, table: str, schema: str = "main") -> bool:
    ((found,),) = conn.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchall()  # fetchall completes the result, so the connection is free for the next query
    return bool(found)


class Warehouse(dg.ConfigurableResource):
    """The data directory and DuckDB file, as a Dagster resource: the settings as they were read
    when the definitions were loaded, for assets, checks and sensors alike."""

    data_dir: str
    duckdb_path: str
    settle_seconds: float = 5.0
    memory_limit: str = DEFAULT_MEMORY_LIMIT
    lock_timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS
    snapshot_enabled: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> "Warehouse":
        values = asdict(settings)
        return cls(**{name: str(v) if isinstance(v, Path) else v for name, v in values.items()})

    @property
    def settings(self) -> Settings:
        values = {field.name: getattr(self, field.name) for field in fields(Settings)}
        return Settings(
            **{**values, "data_dir": Path(self.data_dir), "duckdb_path": Path(self.duckdb_path)}
        )

    @contextmanager
    def connect(
        self, read_only: bool = False, wait: bool = True
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """Open the warehouse; `wait`: while another process holds it, wait up to the lock
        timeout (a run's steps), else fail at once (a sensor tick, which looks again later)."""
        wait_seconds = self.lock_timeout_seconds if wait else 0.0
        with connect(
            self.duckdb_path,
            read_only=read_only,
            memory_limit=self.memory_limit,
            wait_seconds=wait_seconds,
        ) as conn:
            yield conn
