-- One row per valid School log with its current name: the latest SetName (names get corrected).

with

valid_events as (
    select * from {{ ref('int_schools__valid_events') }}
),

school_logs as (
    select distinct log_id as school_id
    from valid_events
    where event_type = 'SetLogType'
        and log_type = 'School'
),

ranked_names as (
    select
        log_id as school_id,
        name,
        event_at as named_at,
        row_number() over (
            partition by log_id
            order by event_at desc, raw_id desc
        ) as recency_rank
    from valid_events
    where event_type = 'SetName'
),

current_names as (
    select
        school_id,
        name,
        named_at
    from ranked_names
    where recency_rank = 1
)

select
    school_logs.school_id,
    current_names.name,
    current_names.named_at
from school_logs
left join current_names
    on school_logs.school_id = current_names.school_id
