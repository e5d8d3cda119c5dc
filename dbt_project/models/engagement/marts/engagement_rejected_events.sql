-- Contract table: the quarantine. Every rejected raw event row with its reason and what it
-- carried, so nothing that arrived is silently lost (duplicates are counted, not listed here).

with

classified_events as (
    select * from {{ ref('int_engagement__events_classified') }}
),

rejected_events as (
    select *
    from classified_events
    where status = 'rejected'
)

select
    cast(source_file as {{ dbt.type_string() }}) as source_file,
    cast(line_number as {{ dbt.type_bigint() }}) as line_number,
    cast(file_hash as {{ dbt.type_string() }}) as file_hash,
    cast(reason as {{ dbt.type_string() }}) as reason,
    cast(event_id as {{ dbt.type_string() }}) as event_id,
    cast(raw_event_name as {{ dbt.type_string() }}) as event_name,
    cast(raw_occurred_at as {{ dbt.type_string() }}) as occurred_at,
    cast(user_id as {{ dbt.type_string() }}) as user_id,
    cast(activity_id as {{ dbt.type_string() }}) as activity_id,
    cast(raw_record as {{ dbt.type_string() }}) as raw_record,
    cast(ingested_at as {{ dbt.type_timestamp() }}) as ingested_at
from rejected_events
