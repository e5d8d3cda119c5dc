"""Pandera schemas of the `telemetry` output tables; each one runs as an asset check."""

import pandera.polars as pa
import polars as pl
from pandera.polars import Check, Column

from event_assets.core.names import qualified

DOMAIN = "telemetry"

COMMANDS = [
    "SwitchState",
    "LockedState",
    "ThermostatMode",
    "ThermostatHeatSetPoint",
    "ThermostatCoolSetPoint",
    "PinAssignment",
    "DimmerState",
]
READING_KEYS = [
    "DoorLocked",
    "Switch",
    "Dimmer",
    "ThermostatMode",
    "ThermostatOperatingState",
    "ThermostatCoolSetpoint",
    "ThermostatHeatSetpoint",
    "Temperature",
    "Humidity",
    "BatteryLevel",
]


def _command_columns() -> dict[str, Column]:
    """The columns of stg_commands every command table starts with (the ones a check can judge)."""
    return {
        "command_uuid": Column(pl.Utf8, unique=True),
        "device_id": Column(pl.Utf8),
        # an unknown command name is kept as sent: the spec lists the known ones, the hub decides
        "command": Column(pl.Utf8),
        "user_id": Column(pl.Utf8, nullable=True),
        "thermostat_heat_set_point": Column(pl.Float64, nullable=True),
        "thermostat_cool_set_point": Column(pl.Float64, nullable=True),
        "slot": Column(pl.Utf8, nullable=True),
        "pin": Column(pl.Utf8, nullable=True),
        "dimmer_level": Column(pl.Float64, nullable=True),
        "update_timestamp": Column(pl.Datetime),
        "event_timestamp": Column(pl.Datetime, nullable=True),
    }


def _status_columns() -> dict[str, Column]:
    return {
        **_command_columns(),
        "username": Column(pl.Utf8, nullable=True),
        "has_hub_response": Column(pl.Boolean),
        "is_hub_success": Column(pl.Boolean),
        "command_update_timestamp": Column(pl.Datetime),
        # the hub answers after the command: a negative time is a clock problem worth seeing
        "seconds_to_result": Column(pl.Float64, nullable=True),
    }


def _success_needs_response() -> Check:
    return Check(
        lambda data: data.lazyframe.select(pl.col("has_hub_response") | ~pl.col("is_hub_success")),
        error="is_hub_success without a hub response",
    )


fct_command_statuses = pa.DataFrameSchema(
    _status_columns(),
    checks=[_success_needs_response()],
    description="One row per command; a success only with a hub response.",
)

fct_command_readings = pa.DataFrameSchema(
    {
        **_status_columns(),
        "previous_command_within_15s": Column(pl.Boolean),
        "next_command_within_15s": Column(pl.Boolean),
        "matching_item_key": Column(pl.Utf8, Check.isin(READING_KEYS), nullable=True),
        "has_matching_reading": Column(pl.Boolean),
        "seconds_to_matching_reading": Column(
            pl.Float64, Check.in_range(0, 15, include_min=False), nullable=True
        ),
    },
    checks=[
        _success_needs_response(),
        Check(
            lambda data: data.lazyframe.select(
                pl.col("has_matching_reading")
                == pl.col("seconds_to_matching_reading").is_not_null()
            ),
            error="seconds_to_matching_reading without a matching reading, or the reverse",
        ),
    ],
    description="One row per command; a matching reading 0-15 s after it, with its time.",
)

stg_readings = pa.DataFrameSchema(
    {
        "reading_uuid": Column(pl.Utf8),
        "device_id": Column(pl.Utf8),
        "item_key": Column(pl.Utf8, Check.isin(READING_KEYS)),
        "state": Column(pl.Utf8, nullable=True),
        "state_value": Column(pl.Float64, nullable=True),
        "state_unit": Column(pl.Utf8, nullable=True),
        "update_timestamp": Column(pl.Datetime),
        "event_timestamp": Column(pl.Datetime, nullable=True),
    },
    unique=["reading_uuid", "item_key"],
    description="One row per reading uuid and item key, a known item key.",
)


def _one_per_command(extra: dict[str, Column]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "command_uuid": Column(pl.Utf8, unique=True),
            "device_id": Column(pl.Utf8),
            "command_node_id": Column(pl.Utf8, nullable=True),
            "update_timestamp": Column(pl.Datetime),
            "event_timestamp": Column(pl.Datetime, nullable=True),
            **extra,
        },
        description="One row per command uuid.",
    )


def _users() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "user_id": Column(pl.Utf8, unique=True),
            "username": Column(pl.Utf8, nullable=True),
            "date_registered": Column(pl.Datetime, nullable=True),
            "last_modified": Column(pl.Datetime),
        },
        description="One row per user id (text), its newest version.",
    )


met_daily_command_count_by_username = pa.DataFrameSchema(
    {
        "username": Column(pl.Utf8),
        "timestamp_date": Column(pl.Date),
        "number_of_commands": Column(pl.Int64, Check.ge(0)),
        "number_of_successful_commands": Column(pl.Int64, Check.ge(0)),
        "number_of_failed_commands": Column(pl.Int64, Check.ge(0)),
        "number_without_response": Column(pl.Int64, Check.ge(0)),
    },
    checks=[
        Check(
            lambda data: data.lazyframe.select(
                pl.col("number_of_commands")
                == pl.col("number_of_successful_commands")
                + pl.col("number_of_failed_commands")
                + pl.col("number_without_response")
            ),
            error="commands != successful + failed + without response",
        ),
        # no missing day: each username's days are consecutive
        Check(
            lambda data: data.lazyframe.select(
                (pl.col("timestamp_date").n_unique().over("username") - 1)
                == (
                    pl.col("timestamp_date").max().over("username")
                    - pl.col("timestamp_date").min().over("username")
                ).dt.total_days()
            ),
            error="a username has a missing day",
        ),
    ],
    unique=["username", "timestamp_date"],
    description="One row per username and day, no missing day, the counts add up.",
)

# table name -> schema; `definitions.py` turns each into an asset check on that table (the
# rejected-events table's schema is the quarantine contract's, `core.checks`).
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "stg_commands": pa.DataFrameSchema(_command_columns(), description="One row per command."),
    "stg_command_actives": _one_per_command({}),
    "stg_command_results": _one_per_command(
        {
            "is_hub_success": Column(pl.Boolean),
            "command_failure_string": Column(pl.Utf8, nullable=True),
        }
    ),
    "stg_readings": stg_readings,
    "stg_users": _users(),
    "dim_users": _users(),
    "fct_command_statuses": fct_command_statuses,
    "fct_command_readings": fct_command_readings,
    "met_daily_command_count_by_username": met_daily_command_count_by_username,
}

# The tables over the incremental models are validated on the rows the last build wrote (the
# dbt tests judge uniqueness over the whole table): at 10 M events, reading every row into a
# frame on each build would cost more than the build of a new day.
_CLASSIFIED = qualified(DOMAIN, "int_telemetry__sync_events_classified")
_COMMANDS = qualified(DOMAIN, "int_telemetry__command_readings")


def _last_written(table: str, key: str, model: str, model_key: str, where: str) -> str:
    """The rows of `table` whose `key` is a `model_key` the last build of `model` wrote."""
    return f"""select * from {qualified(DOMAIN, table)} where {key} in (
        select {model_key} from {model}
        where {where} and classified_at = (select max(classified_at) from {model}))"""


ROWS_TO_VALIDATE: dict[str, str] = {
    "stg_commands": _last_written(
        "stg_commands", "command_uuid", _CLASSIFIED, "item_id", "item_key = 'Command'"
    ),
    "stg_command_actives": _last_written(
        "stg_command_actives", "command_uuid", _CLASSIFIED, "item_id", "item_key = 'CommandActive'"
    ),
    "stg_command_results": _last_written(
        "stg_command_results", "command_uuid", _CLASSIFIED, "item_id", "item_key = 'CommandResult'"
    ),
    "stg_readings": _last_written(
        "stg_readings", "reading_uuid", _CLASSIFIED, "item_id", "item_kind = 'reading'"
    ),
    "fct_command_statuses": _last_written(
        "fct_command_statuses", "command_uuid", _COMMANDS, "command_uuid", "true"
    ),
    "fct_command_readings": _last_written(
        "fct_command_readings", "command_uuid", _COMMANDS, "command_uuid", "true"
    ),
}
