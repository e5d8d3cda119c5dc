-- Contract table: one row per valid School log, with its current name, the devices currently
-- assigned to it and the lengths of its completed sessions (attributed as in `sessions`).

with

school_names as (
    select * from {{ ref('int_schools__school_names') }}
),

device_assignments as (
    select * from {{ ref('int_schools__device_assignments') }}
),

sessions as (
    select * from {{ ref('int_schools__sessions') }}
),

current_device_counts as (
    select
        school_id,
        count(distinct device_id) as device_count
    from device_assignments
    where is_current
    group by school_id
),

session_lengths as (
    -- abandoned sessions have no duration and are ignored by the aggregates; rows of sessions
    -- that are no longer counted (see int_schools__sessions) have no school
    select
        school_id,
        {{ median('duration_minutes') }} as median_session_length,
        avg(duration_minutes) as mean_session_length,
        count(*) as session_count,
        count(duration_minutes) as completed_session_count
    from sessions
    where school_id is not null
    group by school_id
),

schools as (
    select
        school_names.school_id,
        school_names.name,
        coalesce(current_device_counts.device_count, 0) as device_count,
        session_lengths.median_session_length,
        session_lengths.mean_session_length,
        coalesce(session_lengths.session_count, 0) as session_count,
        coalesce(session_lengths.completed_session_count, 0) as completed_session_count
    from school_names
    left join current_device_counts
        on school_names.school_id = current_device_counts.school_id
    left join session_lengths
        on school_names.school_id = session_lengths.school_id
)

select
    cast(school_id as {{ dbt.type_string() }}) as school_id,
    cast(name as {{ dbt.type_string() }}) as name,
    cast(device_count as {{ dbt.type_bigint() }}) as device_count,
    {{ round_measure('median_session_length') }} as median_session_length,
    {{ round_measure('mean_session_length') }} as mean_session_length,
    cast(session_count as {{ dbt.type_bigint() }}) as session_count,
    cast(completed_session_count as {{ dbt.type_bigint() }}) as completed_session_count
from schools
