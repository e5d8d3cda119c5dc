"""Where the data lives (configured by environment variables) and how to open the DuckDB warehouse.

`EVENT_ASSETS_DATA_DIR` (default `data`) holds `landing/<domain>/` and the warehouse;
`EVENT_ASSETS_DUCKDB_PATH` (default `$EVENT_ASSETS_DATA_DIR/warehouse.duckdb`) is the DuckDB file;
`EVENT_ASSETS_SETTLE_SECONDS` (default 5) is how long a landing file must stay unchanged before it
is ingested; `EVENT_ASSETS_DUCKDB_MEMORY_LIMIT` (default 3GB) bounds DuckDB's memory (ours and
dbt's), beyond which it spills to disk. DuckDB allows one writing process per file, so
connections are only ever opened inside `with` blocks and never held while dbt runs.
"""

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

DATA_DIR_VAR = "EVENT_ASSETS_DATA_DIR"
DUCKDB_PATH_VAR = "EVENT_ASSETS_DUCKDB_PATH"
SETTLE_SECONDS_VAR = "EVENT_ASSETS_SETTLE_SECONDS"
# DuckDB's memory limit for our connections and dbt's (profiles.yml reads the same variable).
MEMORY_LIMIT_VAR = "EVENT_ASSETS_DUCKDB_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "3GB"

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

    def landing_dir(self, domain: str) -> Path:
        return self.data_dir / "landing" / domain

    @property
    def plots_dir(self) -> Path:
        return self.duckdb_path.parent / "plots"


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
    raw_settle = env.get(SETTLE_SECONDS_VAR) or "5"
    try:
        settle_seconds = float(raw_settle)
    except ValueError:
        raise ConfigError(
            f"{SETTLE_SECONDS_VAR}={raw_settle!r} is not a number of seconds"
        ) from None
    if settle_seconds < 0:
        raise ConfigError(f"{SETTLE_SECONDS_VAR}={raw_settle!r} must not be negative")
    return Settings(
        data_dir=data_dir,
        duckdb_path=duckdb_path,
        settle_seconds=settle_seconds,
        memory_limit=env.get(MEMORY_LIMIT_VAR) or DEFAULT_MEMORY_LIMIT,
    )


def export_for_dbt(settings: Settings) -> None:
    """Put the warehouse's absolute path and memory limit into the environment of the dbt
    subprocesses (`profiles.yml` reads them; dbt runs from `dbt_project/`, so a relative path
    would point elsewhere). The only place the settings are written to the environment."""
    os.environ[DUCKDB_PATH_VAR] = str(settings.duckdb_path)
    os.environ[MEMORY_LIMIT_VAR] = settings.memory_limit


@contextmanager
def connect(
    duckdb_path: Path | str, read_only: bool = False, memory_limit: str = DEFAULT_MEMORY_LIMIT
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse for the duration of a `with` block."""
    path = Path(duckdb_path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = duckdb.connect(str(path), read_only=read_only, config={"memory_limit": memory_limit})
    except duckdb.IOException as error:
        raise ConfigError(f"cannot open the warehouse {path}: {error}") from None
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

    @classmethod
    def from_settings(cls, settings: Settings) -> "Warehouse":
        return cls(
            data_dir=str(settings.data_dir),
            duckdb_path=str(settings.duckdb_path),
            settle_seconds=settings.settle_seconds,
            memory_limit=settings.memory_limit,
        )

    @property
    def settings(self) -> Settings:
        return Settings(
            data_dir=Path(self.data_dir),
            duckdb_path=Path(self.duckdb_path),
            settle_seconds=self.settle_seconds,
            memory_limit=self.memory_limit,
        )

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        with connect(self.duckdb_path, read_only=read_only, memory_limit=self.memory_limit) as conn:
            yield conn
