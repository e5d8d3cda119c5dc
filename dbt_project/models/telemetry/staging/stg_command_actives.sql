-- Contract table: one row per command the hub picked up (`command_uuid`): the valid
-- CommandActive sync events (duplicates removed, the earliest DateCreated kept; orphans are in
-- the quarantine). A view over the incremental classification.

{{ config(materialized='view') }}

select
    item_id as command_uuid,
    device_id,
    command_node_id,
    update_timestamp,
    event_timestamp
from {{ ref('int_telemetry__sync_events_classified') }}
where status = 'valid' and item_key = 'CommandActive'
