-- Contract table: one row per reading (`reading_uuid` and `item_key`): the valid reading sync
-- events (duplicates removed, the earliest DateCreated kept), the state normalised to text a
-- command's desired value can be compared with (stg_telemetry__sync_events parses it). A view
-- over the incremental classification.

{{ config(materialized='view') }}

select
    item_id as reading_uuid,
    device_id,
    item_key,
    state,
    state_value,
    state_unit,
    update_timestamp,
    event_timestamp
from {{ ref('int_telemetry__sync_events_classified') }}
where status = 'valid' and item_kind = 'reading'
