"""The Dagster instance's home, shared by the headless CLI and `make dev`.

Run history, sensor cursors and the warehouse pool limit live in `$DAGSTER_HOME`; by default that
is `<data dir>/.dagster`, created with the project's instance settings on first use.
"""

import os
from pathlib import Path

from event_assets.core.warehouse import ConfigError, Settings

INSTANCE_YAML = """\
# Written by event_assets (core/instance.py).
telemetry:
  enabled: false
# No "join the community" dialog on the first visit of the UI.
nux:
  enabled: false
concurrency:
  pools:
    # DuckDB allows one writing process per file: every warehouse step is in the pool
    # `warehouse`, and no pool runs more than one step at a time.
    default_limit: 1
"""


def dagster_home(settings: Settings) -> Path:
    """`$DAGSTER_HOME` if set, else `<data dir>/.dagster` (which may not exist yet)."""
    return Path(os.environ.get("DAGSTER_HOME") or settings.data_dir / ".dagster").resolve()


def ensure_dagster_home(settings: Settings) -> Path:
    """The instance folder, created with its `dagster.yaml` if missing."""
    home = dagster_home(settings)
    try:
        home.mkdir(parents=True, exist_ok=True)
        config = home / "dagster.yaml"
        if not config.exists():
            config.write_text(INSTANCE_YAML)
    except OSError as error:
        raise ConfigError(f"cannot create the Dagster instance in {home}: {error}") from None
    return home
