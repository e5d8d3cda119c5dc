-- Contract table: the quarantine. Every rejected raw row with its reason and what it carried,
-- so nothing that arrived is silently lost (exact duplicates are counted, not listed here).

with

classified_events as (
    select * from {{ ref('int_schools__events_classified') }}
),

rejected_events as (
    select *
    from classified_events
    where status = 'rejected'
),

raw_rows as (
    -- where and as what the row arrived, read for the rejected rows only
    select
        raw_id,
        source_file,
        file_hash,
        line_number,
        ingested_at,
        {{ json_field('record', 'type') }} as raw_event_type,
        {{ json_field('record', 'time') }} as raw_event_time,
        coalesce(cast(record as {{ dbt.type_string() }}), raw_line) as raw_record
    from {{ source('schools', 'raw_schools_events') }}
    where raw_id in (select raw_id from rejected_events)
),

rejected_with_text as (
    select
        rejected_events.reason,
        rejected_events.log_id,
        raw_rows.*
    from rejected_events
    inner join raw_rows
        on rejected_events.raw_id = raw_rows.raw_id
)

select
    cast(source_file as {{ dbt.type_string() }}) as source_file,
    cast(line_number as {{ dbt.type_bigint() }}) as line_number,
    cast(file_hash as {{ dbt.type_string() }}) as file_hash,
    cast(reason as {{ dbt.type_string() }}) as reason,
    cast(raw_event_type as {{ dbt.type_string() }}) as event_type,
    cast(raw_event_time as {{ dbt.type_string() }}) as event_time,
    cast(log_id as {{ dbt.type_string() }}) as log_id,
    cast(raw_record as {{ dbt.type_string() }}) as raw_record,
    cast(ingested_at as {{ dbt.type_timestamp() }}) as ingested_at
from rejected_with_text
