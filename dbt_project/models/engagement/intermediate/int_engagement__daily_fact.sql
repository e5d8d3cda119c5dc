-- The engagement_daily grain and measures over all days: valid events grouped by UTC day and the
-- analysis dimensions. This is the SELECT the daily-partitioned Python asset `engagement_daily`
-- runs for a range of days (restricted with `where event_date between ...`); the weekly, monthly
-- and yearly rollups read that asset (source engagement.engagement_daily), not this model.

with

events as (
    select * from {{ ref('int_engagement__events_with_status') }}
),

activities as (
    select * from {{ ref('dim_activity') }}
),

typed_events as (
    select
        events.*,
        coalesce(activities.activity_type, 'unknown') as activity_type
    from events
    left join activities
        on events.activity_id = activities.activity_id
),

daily_measures as (
    select
        event_date,
        country_code,
        os_name,
        os_version,
        app_version,
        subscription_status,
        activity_id,
        activity_type,
        collection_id,
        count(*) as plays,
        sum(case when completed then 1 else 0 end) as completed_plays,
        {{ round_measure('sum(duration_seconds)') }} as duration_seconds,
        {{ round_measure('coalesce(sum(loading_seconds), 0)') }} as loading_seconds
    from typed_events
    group by
        event_date,
        country_code,
        os_name,
        os_version,
        app_version,
        subscription_status,
        activity_id,
        activity_type,
        collection_id
)

select
    cast(event_date as date) as date,
    cast(country_code as {{ dbt.type_string() }}) as country_code,
    cast(os_name as {{ dbt.type_string() }}) as os_name,
    cast(os_version as {{ dbt.type_string() }}) as os_version,
    cast(app_version as {{ dbt.type_string() }}) as app_version,
    cast(subscription_status as {{ dbt.type_string() }}) as subscription_status,
    cast(activity_id as {{ dbt.type_string() }}) as activity_id,
    cast(activity_type as {{ dbt.type_string() }}) as activity_type,
    cast(collection_id as {{ dbt.type_string() }}) as collection_id,
    cast(plays as {{ dbt.type_bigint() }}) as plays,
    cast(completed_plays as {{ dbt.type_bigint() }}) as completed_plays,
    cast(duration_seconds as {{ type_double() }}) as duration_seconds,
    cast(loading_seconds as {{ type_double() }}) as loading_seconds
from daily_measures
