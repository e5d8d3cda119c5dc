-- Every raw sync event exactly once with one status:
-- - 'rejected' with the first syntax reason (stg_telemetry__sync_events), or as an orphan: a
--   CommandActive/CommandResult whose command no acceptable Command carries (every copy of it:
--   nothing is a duplicate of a record that is not kept);
-- - 'duplicate': a later copy of the same item (id and ItemKey), by DateCreated: the earliest
--   DateCreated wins whichever file it arrives in (ties: load time, file, line);
-- - 'valid' otherwise.
--
-- Incremental: a status depends only on the rows that share the item id (its copies, and for a
-- command its Command, CommandActive and CommandResult), so a run re-classifies the new rows
-- and every stored row whose item id a new row carries (an orphan whose command arrives in a
-- later file becomes valid; an earlier copy arriving late becomes the kept one). Everything
-- else keeps its status. A full refresh classifies every row with the same SQL.
-- `classified_at` (the dbt run's start) tells later incremental models which rows a run
-- (re)classified. `raw_record`, the record's text as it arrived, is kept for rejected rows only
-- (the quarantine lists it).

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='raw_id',
    on_schema_change='fail'
) }}

with

{% if is_incremental() %}
new_item_ids as (
    select distinct item_id
    from {{ ref('stg_telemetry__sync_events') }}
    where {{ raw_id_beyond_stored() }}
        and item_id is not null
),

events_in_scope as (
    select *
    from {{ ref('stg_telemetry__sync_events') }}
    where {{ raw_id_beyond_stored() }}
        or item_id in (select item_id from new_item_ids)
),
{% else %}
events_in_scope as (
    select * from {{ ref('stg_telemetry__sync_events') }}
),
{% endif %}

known_commands as (
    -- read from staging, not from events_in_scope: DuckDB materializes a CTE read twice, which
    -- here would copy every staged column once more
    select distinct item_id as command_uuid
    from {{ ref('stg_telemetry__sync_events') }}
    where syntax_reason is null and item_key = 'Command'
        {% if is_incremental() %}
        and item_id in (select item_id from new_item_ids)
        {% endif %}
),

judged_events as (
    select
        events_in_scope.*,
        case
            when events_in_scope.syntax_reason is not null then events_in_scope.syntax_reason
            when events_in_scope.item_key = 'CommandActive' and known_commands.command_uuid is null
                then 'orphan_command_active'
            when events_in_scope.item_key = 'CommandResult' and known_commands.command_uuid is null
                then 'orphan_command_result'
        end as reject_reason
    from events_in_scope
    left join known_commands
        on events_in_scope.item_kind = 'command'
        and events_in_scope.item_id = known_commands.command_uuid
),

numbered_copies as (
    select
        *,
        case
            when reject_reason is null and item_id is not null then row_number() over (
                partition by item_id, item_key
                order by update_timestamp, ingested_at, source_file, line_number, file_hash
            )
        end as copy_number
    from judged_events
)

select
    raw_id,
    source_file,
    file_hash,
    line_number,
    ingested_at,
    case
        when reject_reason is not null then 'rejected'
        when copy_number > 1 then 'duplicate'
        else 'valid'
    end as status,
    reject_reason as reason,
    copy_number,
    case when reject_reason is not null then raw_record end as raw_record,
    event_type,
    date_created_text,
    update_timestamp,
    device_id,
    item_key,
    item_kind,
    item_id,
    event_timestamp,
    _source_file,
    command,
    command_client,
    user_id,
    command_origin,
    command_origin_id,
    thermostat_mode,
    thermostat_heat_set_point,
    thermostat_cool_set_point,
    slot,
    pin,
    switch_state,
    lock_state,
    dimmer_state,
    dimmer_level,
    _raw_command_desired_state,
    command_node_id,
    is_hub_success,
    command_failure_string,
    state,
    state_value,
    state_unit,
    {{ run_started_timestamp() }} as classified_at
from numbered_copies
