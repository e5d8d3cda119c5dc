-- Contract table: the quarantine. Every rejected raw row of the domain with its reason and what
-- it carried, so nothing that arrived is silently lost (duplicates are counted, not listed here):
-- events, and the user and catalogue rows that are no record (their event columns empty).
-- `source_file` is the file's path under landing/engagement/ (`events/...`, `users/...`), so
-- files of the same name in two folders stay apart.
-- Columns by `quarantine_select`.

with

classified_events as (
    select * from {{ ref('int_engagement__events_classified') }}
),

rejected_events as (
    select
        {{ dbt.concat(["'events/'", 'source_file']) }} as source_file,
        line_number,
        file_hash,
        reason,
        raw_record,
        ingested_at,
        event_id,
        raw_event_name as event_name,
        raw_occurred_at as occurred_at,
        user_id,
        activity_id
    from classified_events
    where status = 'rejected'
),

{%- for source in ['users', 'activities'] %}

rejected_{{ source }} as (
    select
        {{ dbt.concat(["'" ~ source ~ "/'", 'source_file']) }} as source_file,
        line_number,
        file_hash,
        reason,
        raw_record,
        ingested_at,
        cast(null as {{ dbt.type_string() }}) as event_id,
        cast(null as {{ dbt.type_string() }}) as event_name,
        cast(null as {{ dbt.type_string() }}) as occurred_at,
        cast(null as {{ dbt.type_string() }}) as user_id,
        cast(null as {{ dbt.type_string() }}) as activity_id
    from {{ ref('int_engagement__' ~ source ~ '_classified') }}
    where status = 'rejected'
),
{%- endfor %}

rejected_rows as (
    select * from rejected_events
    union all
    select * from rejected_users
    union all
    select * from rejected_activities
)

{{ quarantine_select(
    'rejected_rows', ['event_id', 'event_name', 'occurred_at', 'user_id', 'activity_id']
) }}
