-- One row per command the hub picked up (`command_uuid`): the valid CommandActive sync events
-- (duplicates removed, the earliest DateCreated kept; orphans are in the quarantine).

select
    item_id as command_uuid,
    device_id,
    nullif(trim({{ json_field('item_data', 'node_id') }}), '') as command_node_id,
    update_timestamp,
    event_timestamp
from {{ ref('int_telemetry__sync_events_classified') }}
where status = 'valid' and item_key = 'CommandActive'
