-- Contract table: one row per session. A session belongs to the school its device was assigned
-- to when it started; school_name is that school's current name.
-- A view over the incremental `int_schools__sessions`: a run writes only the sessions it
-- changed, and a rename shows in every session of the school without rewriting them.

{{ config(materialized='view') }}

with

sessions as (
    select * from {{ ref('int_schools__sessions') }}
    -- rows without start stand for sessions that are no longer counted
    where started_at is not null
),

school_names as (
    select * from {{ ref('int_schools__school_names') }}
),

named_sessions as (
    select
        sessions.*,
        school_names.name as school_name
    from sessions
    left join school_names
        on sessions.school_id = school_names.school_id
)

select
    cast(session_id as {{ dbt.type_string() }}) as session_id,
    cast(device_id as {{ dbt.type_string() }}) as device_id,
    cast(started_at as {{ dbt.type_timestamp() }}) as started_at,
    cast(ended_at as {{ dbt.type_timestamp() }}) as ended_at,
    cast(duration_minutes as {{ type_double() }}) as duration_minutes,
    cast(school_id as {{ dbt.type_string() }}) as school_id,
    cast(school_name as {{ dbt.type_string() }}) as school_name
from named_sessions
