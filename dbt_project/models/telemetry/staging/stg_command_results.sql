-- Contract table: one row per command the hub answered (`command_uuid`, from `command_id` or
-- else `uuid`): the valid CommandResult sync events (duplicates removed, the earliest
-- DateCreated kept). `is_hub_success`: `result` `success` or `true` in any case (a JSON boolean
-- too); anything else, or none, is a failure. A view over the incremental classification.

{{ config(materialized='view') }}

select
    item_id as command_uuid,
    device_id,
    command_node_id,
    update_timestamp,
    event_timestamp,
    is_hub_success,
    command_failure_string
from {{ ref('int_telemetry__sync_events_classified') }}
where status = 'valid' and item_key = 'CommandResult'
