-- One row per activity id: the newest version of each activity's metadata (macro
-- classify_latest_records: the latest first delivery of a distinct record, by load time, then
-- file name, then line). `subtype` is often null in the real catalogue.

with

classified as (
    {{ classify_latest_records(
        source('engagement', 'raw_engagement_activities'),
        'activity_id',
        "nullif(trim(" ~ json_field('record', 'activity_id') ~ "), '')"
    ) | indent(4) }}
),

latest_records as (
    select
        source_file,
        file_hash,
        line_number,
        ingested_at,
        record_key as activity_id,
        nullif(trim({{ json_field('record', 'name') }}), '') as activity_name,
        nullif(trim({{ json_field('record', 'type') }}), '') as activity_type,
        nullif(trim({{ json_field('record', 'subtype') }}), '') as activity_subtype
    from classified
    where is_current
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
