-- Every raw event row gets exactly one status: 'duplicate' (a later delivery of an event_id
-- already received), 'rejected' (with the first syntax rule it breaks) or 'valid'. A child that
-- is not among the user's listed children does not reject the event: it is flagged.

with

staged_events as (
    select * from {{ ref('stg_engagement__events') }}
),

users as (
    select * from {{ ref('stg_engagement__users') }}
),

numbered_copies as (
    -- the first delivered copy of an event id is judged, later ones are duplicates; rows
    -- without an event id (unparseable, not an object, no id) are never duplicates
    select
        *,
        case
            when event_id is not null then row_number() over (
                partition by event_id
                order by ingested_at, source_file, line_number, file_hash
            )
        end as copy_number
    from staged_events
),

child_checked_events as (
    -- NULL when it cannot be checked: no child named, or no record of the user
    select
        numbered_copies.*,
        case
            when numbered_copies.child_id is not null and users.user_id is not null
                then not coalesce({{ json_array_contains_text(
                    'users.children_ids', '', 'numbered_copies.child_id'
                ) }}, false)
        end as child_not_listed
    from numbered_copies
    left join users
        on numbered_copies.user_id = users.user_id
),

classified_events as (
    select
        *,
        case
            when copy_number > 1 then 'duplicate'
            when syntax_reason is not null then 'rejected'
            else 'valid'
        end as status,
        case
            when coalesce(copy_number, 1) = 1 then syntax_reason
        end as reason
    from child_checked_events
)

select
    raw_id,
    source_file,
    file_hash,
    line_number,
    ingested_at,
    status,
    reason,
    copy_number,
    child_not_listed,
    load_error,
    is_json_object,
    raw_record,
    raw_event_name,
    raw_occurred_at,
    event_id,
    event_name,
    occurred_at,
    user_id,
    child_id,
    activity_id,
    source,
    duration_seconds,
    completed,
    collection_id,
    loading_seconds,
    device_id,
    os_name,
    os_version,
    app_version,
    app_build
from classified_events
