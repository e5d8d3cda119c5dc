-- Contract table: one row per activity, the catalogue's (latest record per id) plus every
-- activity id played in a valid event but missing from the catalogue, kept with type `unknown`.

with

catalogue_activities as (
    select * from {{ ref('stg_engagement__activities') }}
),

events as (
    select * from {{ ref('int_engagement__events_with_status') }}
),

played_activity_ids as (
    select distinct activity_id
    from events
),

unknown_activities as (
    select
        played_activity_ids.activity_id,
        cast(null as {{ dbt.type_string() }}) as activity_name,
        'unknown' as activity_type,
        cast(null as {{ dbt.type_string() }}) as activity_subtype,
        false as is_in_catalogue
    from played_activity_ids
    left join catalogue_activities
        on played_activity_ids.activity_id = catalogue_activities.activity_id
    where catalogue_activities.activity_id is null
),

known_activities as (
    select
        activity_id,
        activity_name,
        coalesce(activity_type, 'unknown') as activity_type,
        activity_subtype,
        true as is_in_catalogue
    from catalogue_activities
),

activities as (
    select * from known_activities
    union all
    select * from unknown_activities
)

select
    cast(activity_id as {{ dbt.type_string() }}) as activity_id,
    cast(activity_name as {{ dbt.type_string() }}) as activity_name,
    cast(activity_type as {{ dbt.type_string() }}) as activity_type,
    cast(activity_subtype as {{ dbt.type_string() }}) as activity_subtype,
    cast(is_in_catalogue as {{ dbt.type_boolean() }}) as is_in_catalogue
from activities
