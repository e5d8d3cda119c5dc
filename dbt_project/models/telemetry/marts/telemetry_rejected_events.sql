-- Contract table: the quarantine. Every rejected raw row of the domain with its reason and what
-- it carried, so nothing that arrived is silently lost (duplicates are counted, not listed):
-- sync events (syntax, unknown item keys, orphan CommandActive/CommandResult: listed until
-- their command arrives) and user rows that are no usable record (their sync columns empty).
-- `source_file` is the file's path under landing/telemetry/ (`raw_sync_events/...`,
-- `raw_users/...`). Columns by `quarantine_select`.

with

rejected_sync_events as (
    select
        {{ dbt.concat(["'raw_sync_events/'", 'source_file']) }} as source_file,
        line_number,
        file_hash,
        reason,
        raw_record,
        ingested_at,
        event_type,
        item_key,
        device_id,
        item_id,
        date_created_text as date_created,
        cast(null as {{ dbt.type_string() }}) as user_id
    from {{ ref('int_telemetry__sync_events_classified') }}
    where status = 'rejected'
),

rejected_users as (
    select
        {{ dbt.concat(["'raw_users/'", 'source_file']) }} as source_file,
        line_number,
        file_hash,
        reason,
        raw_record,
        ingested_at,
        cast(null as {{ dbt.type_string() }}) as event_type,
        cast(null as {{ dbt.type_string() }}) as item_key,
        cast(null as {{ dbt.type_string() }}) as device_id,
        cast(null as {{ dbt.type_string() }}) as item_id,
        cast(null as {{ dbt.type_string() }}) as date_created,
        user_id
    from {{ ref('int_telemetry__users_classified') }}
    where status = 'rejected'
),

rejected_rows as (
    select * from rejected_sync_events
    union all
    select * from rejected_users
)

{{ quarantine_select(
    'rejected_rows',
    ['event_type', 'item_key', 'device_id', 'item_id', 'date_created', 'user_id']
) }}
