-- Every raw row gets exactly one status: 'duplicate' (a later copy of an event already
-- received), 'rejected' (with the first reason that applies) or 'valid'. The semantic rules
-- depend on the whole stored stream (a log's type may arrive in a later file), so they are
-- recomputed over all of it.

with

staged_events as (
    select * from {{ ref('stg_schools__events') }}
),

numbered_copies as (
    -- the first delivered copy of an event is kept; malformed rows have no key
    select
        *,
        case
            when event_key is not null then row_number() over (
                partition by event_key
                order by raw_id
            )
        end as copy_number
    from staged_events
),

well_formed_events as (
    -- the deduplicated, syntactically valid stream that the semantic rules judge
    select *
    from numbered_copies
    where coalesce(copy_number, 1) = 1
        and syntax_reason is null
),

log_types as (
    select
        log_id,
        min(log_type) as log_type,
        count(distinct log_type) as log_type_count
    from well_formed_events
    where event_type = 'SetLogType'
    group by log_id
),

school_logs as (
    select log_id as school_id
    from log_types
    where log_type_count = 1
        and log_type = 'School'
),

entity_checked_events as (
    select
        events.*,
        case
            when log_types.log_id is null then 'log_without_type'
            when log_types.log_type_count > 1 then 'conflicting_log_type'
            when events.event_type = 'SetName' and log_types.log_type <> 'School'
                then 'wrong_log_type'
            when events.event_type in ('AssignToSchool', 'StartSession', 'EndSession')
                and log_types.log_type <> 'Device'
                then 'wrong_log_type'
            when events.event_type = 'AssignToSchool' and school_logs.school_id is null
                then 'unknown_school'
        end as entity_reason
    from well_formed_events as events
    left join log_types
        on events.log_id = log_types.log_id
    left join school_logs
        on events.school_id = school_logs.school_id
),

ranked_session_starts as (
    select
        raw_id,
        session_id,
        log_id as device_id,
        event_at as started_at,
        row_number() over (
            partition by session_id
            order by event_at, raw_id
        ) as start_rank
    from entity_checked_events
    where event_type = 'StartSession'
        and entity_reason is null
),

counted_session_starts as (
    -- if a session id starts twice, the earliest start counts
    select
        session_id,
        device_id,
        started_at
    from ranked_session_starts
    where start_rank = 1
),

checked_session_ends as (
    select
        ends.raw_id,
        ends.session_id,
        ends.event_at as ended_at,
        case
            when starts.session_id is null then 'end_without_start'
            when ends.log_id <> starts.device_id then 'end_on_other_device'
            when ends.event_at < starts.started_at then 'end_before_start'
        end as end_reason
    from entity_checked_events as ends
    left join counted_session_starts as starts
        on ends.session_id = starts.session_id
    where ends.event_type = 'EndSession'
        and ends.entity_reason is null
),

ranked_closing_ends as (
    -- a session is closed by its earliest remaining end
    select
        raw_id,
        row_number() over (
            partition by session_id
            order by ended_at, raw_id
        ) as end_rank
    from checked_session_ends
    where end_reason is null
),

session_rejections as (
    select raw_id, 'duplicate_start' as session_reason
    from ranked_session_starts
    where start_rank > 1

    union all

    select raw_id, end_reason as session_reason
    from checked_session_ends
    where end_reason is not null

    union all

    select raw_id, 'second_end' as session_reason
    from ranked_closing_ends
    where end_rank > 1
),

classified_events as (
    select
        copies.*,
        case
            when copies.copy_number > 1 then 'duplicate'
            when coalesce(
                copies.syntax_reason,
                entity_checked_events.entity_reason,
                session_rejections.session_reason
            ) is not null then 'rejected'
            else 'valid'
        end as status,
        case
            when coalesce(copies.copy_number, 1) = 1 then coalesce(
                copies.syntax_reason,
                entity_checked_events.entity_reason,
                session_rejections.session_reason
            )
        end as reason
    from numbered_copies as copies
    left join entity_checked_events
        on copies.raw_id = entity_checked_events.raw_id
    left join session_rejections
        on copies.raw_id = session_rejections.raw_id
)

select
    raw_id,
    source_file,
    file_hash,
    line_number,
    ingested_at,
    status,
    reason,
    load_error,
    is_json_object,
    raw_event_type,
    raw_event_time,
    event_type,
    event_at,
    log_id,
    log_type,
    name,
    school_id,
    session_id,
    event_key,
    copy_number
from classified_events
