-- One row per valid assignment of a device to a school, with the interval in which it holds:
-- from its time until the device's next assignment (a device belongs to one school at a time).

with

valid_events as (
    select * from {{ ref('int_schools__valid_events') }}
),

assignments as (
    select
        event_key,
        log_id as device_id,
        school_id,
        event_at as assigned_at,
        raw_id
    from valid_events
    where event_type = 'AssignToSchool'
),

sequenced_assignments as (
    select
        *,
        lead(assigned_at) over (
            partition by device_id
            order by assigned_at, raw_id
        ) as superseded_at,
        row_number() over (
            partition by device_id
            order by assigned_at desc, raw_id desc
        ) as recency_rank
    from assignments
)

select
    event_key,
    device_id,
    school_id,
    assigned_at,
    superseded_at,
    recency_rank = 1 as is_current
from sequenced_assignments
