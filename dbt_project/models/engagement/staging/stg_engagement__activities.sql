-- One row per activity id: the latest delivered metadata record of each activity (by load
-- time, then file name, then line). `subtype` is often null in the real catalogue.

with

raw_rows as (
    select * from {{ source('engagement', 'raw_engagement_activities') }}
),

activity_records as (
    -- only JSON objects can be activity records; unparseable lines are ignored here
    select
        source_file,
        file_hash,
        line_number,
        ingested_at,
        nullif(trim({{ json_field('record', 'activity_id') }}), '') as activity_id,
        nullif(trim({{ json_field('record', 'name') }}), '') as activity_name,
        nullif(trim({{ json_field('record', 'type') }}), '') as activity_type,
        nullif(trim({{ json_field('record', 'subtype') }}), '') as activity_subtype
    from raw_rows
    where record is not null
        and {{ json_is_object('record') }}
),

ranked_records as (
    select
        *,
        row_number() over (
            partition by activity_id
            order by ingested_at desc, source_file desc, line_number desc, file_hash desc
        ) as recency_rank
    from activity_records
    where activity_id is not null
),

latest_records as (
    select *
    from ranked_records
    where recency_rank = 1
)

select
    activity_id,
    activity_name,
    activity_type,
    activity_subtype,
    source_file,
    file_hash,
    line_number,
    ingested_at
from latest_records
