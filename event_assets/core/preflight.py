"""What the command line checks before it creates anything, so that a configuration mistake is
one line and exit 2 and leaves no folder or file behind:

- the data folder exists and can be written;
- the Dagster instance folder can be written, or created in a folder that can be written;
- the warehouse, when it exists, is a DuckDB database that can be written, in a folder that can
  be written (DuckDB writes its write-ahead log next to it); when it does not exist yet, the
  folder it goes in can be written or created.

Whether a path can be written is asked of the operating system (`os.access`): it says no for a
read-only file system to every user, root included, and for missing permissions to the others.
"""

import os
from pathlib import Path

from event_assets.core.instance import dagster_home
from event_assets.core.warehouse import DATA_DIR_VAR, DUCKDB_PATH_VAR, ConfigError, Settings

# A DuckDB database file starts with an 8-byte checksum followed by these bytes. Reading them
# takes no lock, so the check also works while a run or the UI has the warehouse open.
DUCKDB_MAGIC = b"DUCK"
DUCKDB_MAGIC_OFFSET = 8


def check_locations(settings: Settings) -> None:
    """Raise `ConfigError` naming the first location the command could not use."""
    data_dir = settings.data_dir
    if not data_dir.is_dir():
        raise ConfigError(
            f"the data folder {data_dir} does not exist: create it (with landing/<domain>/ "
            f"inside) or set {DATA_DIR_VAR} to the folder that holds landing/"
        )
    _check_writable(data_dir, "the data folder")
    _check_creatable(dagster_home(settings), "the Dagster instance folder (DAGSTER_HOME)")
    warehouse = settings.duckdb_path
    if warehouse.exists():
        _check_duckdb_file(warehouse)
        _check_writable(warehouse, f"the warehouse ({DUCKDB_PATH_VAR})")
        _check_writable(warehouse.parent, "the warehouse's folder")
    else:
        _check_creatable(warehouse.parent, f"the warehouse's folder ({DUCKDB_PATH_VAR})")


def _check_duckdb_file(path: Path) -> None:
    try:
        with path.open("rb") as file:
            start = file.read(DUCKDB_MAGIC_OFFSET + len(DUCKDB_MAGIC))
    except OSError as error:
        raise ConfigError(f"cannot read the warehouse {path}: {error.strerror}") from None
    if start[DUCKDB_MAGIC_OFFSET:] != DUCKDB_MAGIC:
        raise ConfigError(
            f"the warehouse {path} is not a DuckDB database: set {DUCKDB_PATH_VAR} to the "
            "warehouse, or to a file that does not exist yet to start a new one"
        )


def _check_creatable(path: Path, what: str) -> None:
    """`path` is a folder that can be written, or the nearest folder above it that exists is."""
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError(f"{what} {path} cannot be created: {existing} is a file")
    _check_writable(existing, what if existing == path else f"{what} {path}: the folder")


def _check_writable(path: Path, what: str) -> None:
    if os.access(path, os.W_OK):
        return
    read_only = hasattr(os, "statvfs") and os.statvfs(path).f_flag & os.ST_RDONLY
    reason = "it is on a read-only file system" if read_only else "no permission to write"
    raise ConfigError(f"{what} {path} cannot be written: {reason}")
