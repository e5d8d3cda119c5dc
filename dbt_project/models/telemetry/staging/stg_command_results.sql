-- One row per command the hub answered (`command_uuid`, from `command_id` or else `uuid`): the
-- valid CommandResult sync events (duplicates removed, the earliest DateCreated kept). `result`
-- `success` or `true` in any case (a JSON boolean too) is a success; anything else, or none, a
-- failure.

select
    item_id as command_uuid,
    device_id,
    nullif(trim({{ json_field('item_data', 'node_id') }}), '') as command_node_id,
    update_timestamp,
    event_timestamp,
    coalesce(
        lower(trim({{ json_field('item_data', 'result') }})) in ('success', 'true'), false
    ) as is_hub_success,
    {{ json_field('item_data', 'failure_string') }} as command_failure_string
from {{ ref('int_telemetry__sync_events_classified') }}
where status = 'valid' and item_key = 'CommandResult'
