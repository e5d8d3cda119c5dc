"""The `telemetry` domain: smart-home commands, their hub outcome, the readings they caused."""
