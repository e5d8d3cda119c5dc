-- Every raw row gets exactly one status: 'duplicate' (a later copy of an event already
-- received), 'rejected' (with the first reason that applies) or 'valid'. The semantic rules
-- depend on the whole stored stream (a log's type may arrive in a later file).
--
-- Incremental: a run re-classifies only the rows whose status can have changed: the new rows,
-- every row of a log that received a new SetLogType (and the assignments pointing at it), and
-- every row of a session that received a new event or whose device was re-typed. Everything
-- else keeps its status (an earlier copy of an event always stays the first). A full refresh
-- classifies every row with the same SQL. `classified_at` (the dbt run's start) tells later
-- incremental models which rows a run (re)classified.
--
-- The staged events are read with `ref` in each CTE rather than through one import CTE: DuckDB
-- materializes a CTE that is used several times, which here would copy every staged row.
-- The table keeps the judgement and the few columns read over the whole stream (type, time,
-- key); the ids and payload stay in staging (`int_schools__valid_events` joins them back on
-- raw_id). Writing them a second time cost about 4.5 s of the 10 M-event build.

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='raw_id',
    on_schema_change='fail'
) }}

with

{% if is_incremental() %}
new_events as (
    select *
    from {{ ref('stg_schools__events') }}
    where {{ raw_id_beyond_stored() }}
),

retyped_logs as (
    select distinct log_id
    from new_events
    where event_type = 'SetLogType'
        and syntax_reason is null
),

touched_sessions as (
    select session_id
    from new_events
    where session_id is not null

    union

    select session_id
    from {{ ref('stg_schools__events') }}
    where session_id is not null
        and log_id in (select log_id from retyped_logs)
),

events_in_scope as (
    select *
    from {{ ref('stg_schools__events') }}
    where {{ raw_id_beyond_stored() }}
        or log_id in (select log_id from retyped_logs)
        or school_id in (select log_id from retyped_logs)
        or session_id in (select session_id from touched_sessions)
),

{% else %}
events_in_scope as (
    select * from {{ ref('stg_schools__events') }}
),
{% endif %}

repeated_events as (
    -- events received more than once; only their copies need numbering
    select event_key
    from {{ ref('stg_schools__events') }}
    where event_key is not null
        {% if is_incremental() %}
        and event_key in (select event_key from events_in_scope)
        {% endif %}
    group by event_key
    having count(*) > 1
),

copy_numbers as (
    -- every copy of those events, earlier ones included
    select
        raw_id,
        row_number() over (partition by event_key order by raw_id) as copy_number
    from {{ ref('stg_schools__events') }}
    where event_key in (select event_key from repeated_events)
),

numbered_copies as (
    -- the first delivered copy of an event is kept; malformed rows have no key
    select
        events_in_scope.*,
        case
            when events_in_scope.event_key is not null
                then coalesce(copy_numbers.copy_number, 1)
        end as copy_number
    from events_in_scope
    left join copy_numbers
        on events_in_scope.raw_id = copy_numbers.raw_id
),

log_types as (
    -- over the whole stream; copies of a SetLogType carry the same type, so no deduplication
    select
        log_id,
        min(log_type) as log_type,
        count(distinct log_type) as log_type_count
    from {{ ref('stg_schools__events') }}
    where event_type = 'SetLogType'
        and syntax_reason is null
    group by log_id
),

school_logs as (
    select log_id as school_id
    from log_types
    where log_type_count = 1
        and log_type = 'School'
),

entity_checked_events as (
    -- every row in scope; the log rules judge the deduplicated, syntactically valid ones
    -- (joined to the small log tables here rather than joining the rows back later)
    select
        events.*,
        coalesce(events.copy_number, 1) = 1 and events.syntax_reason is null as is_well_formed,
        case
            when coalesce(events.copy_number, 1) > 1 or events.syntax_reason is not null then null
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
    from numbered_copies as events
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
        and is_well_formed
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
        and ends.is_well_formed
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
        events.*,
        case
            when events.copy_number > 1 then 'duplicate'
            when coalesce(
                events.syntax_reason,
                events.entity_reason,
                session_rejections.session_reason
            ) is not null then 'rejected'
            else 'valid'
        end as status,
        case
            when coalesce(events.copy_number, 1) = 1 then coalesce(
                events.syntax_reason,
                events.entity_reason,
                session_rejections.session_reason
            )
        end as reason
    from entity_checked_events as events
    left join session_rejections
        on events.raw_id = session_rejections.raw_id
)

select
    raw_id,
    status,
    reason,
    event_type,
    event_at,
    event_key,
    copy_number,
    {{ run_started_timestamp() }} as classified_at
from classified_events
