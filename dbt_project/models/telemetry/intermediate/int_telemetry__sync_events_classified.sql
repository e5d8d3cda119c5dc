-- Every raw sync event exactly once with one status, judged over the whole stored stream on
-- every build (so an orphan whose command arrives in a later file becomes valid):
-- - 'rejected' with the first syntax reason (stg_telemetry__sync_events), or as an orphan: a
--   CommandActive/CommandResult whose command no acceptable Command carries (every copy of it:
--   nothing is a duplicate of a record that is not kept);
-- - 'duplicate': a later copy of the same item (id and ItemKey), by DateCreated: the earliest
--   DateCreated wins whichever file it arrives in (ties: load time, file, line);
-- - 'valid' otherwise.

with

parsed_events as (
    select * from {{ ref('stg_telemetry__sync_events') }}
),

known_commands as (
    select distinct item_id as command_uuid
    from parsed_events
    where syntax_reason is null and item_key = 'Command'
),

judged_events as (
    select
        parsed_events.*,
        case
            when parsed_events.syntax_reason is not null then parsed_events.syntax_reason
            when parsed_events.item_key = 'CommandActive' and known_commands.command_uuid is null
                then 'orphan_command_active'
            when parsed_events.item_key = 'CommandResult' and known_commands.command_uuid is null
                then 'orphan_command_result'
        end as reject_reason
    from parsed_events
    left join known_commands
        on parsed_events.item_kind = 'command'
        and parsed_events.item_id = known_commands.command_uuid
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
    raw_record,
    event_type,
    date_created_text,
    update_timestamp,
    device_id,
    item_key,
    item_kind,
    item_id,
    item_data,
    event_timestamp,
    map_sid,
    map_revision,
    item_revision,
    endpoint_id,
    sync_event_id,
    account_sid,
    service_sid,
    identity,
    _source_file
from numbered_copies
