-- Contract table: the daily fact rolled up to calendar years (`year` of the UTC day). Same
-- dimensions and additive measures, plus completion_rate and avg_duration_seconds. It reads the
-- daily-partitioned asset engagement_daily.

with

daily_facts as (
    select * from {{ source('engagement', 'engagement_daily') }}
),

periods as (
    select
        cast(extract(year from date) as {{ dbt.type_int() }}) as year,
        daily_facts.*
    from daily_facts
),

yearly_measures as (
    select
        year,
        country_code,
        os_name,
        os_version,
        app_version,
        subscription_status,
        activity_id,
        activity_type,
        collection_id,
        sum(plays) as plays,
        sum(completed_plays) as completed_plays,
        sum(duration_seconds) as duration_seconds,
        sum(loading_seconds) as loading_seconds
    from periods
    group by
        year,
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
    cast(year as {{ dbt.type_int() }}) as year,
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
    cast(loading_seconds as {{ type_double() }}) as loading_seconds,
    cast(completed_plays as {{ type_double() }}) / nullif(plays, 0) as completion_rate,
    cast(duration_seconds as {{ type_double() }}) / nullif(plays, 0) as avg_duration_seconds
from yearly_measures
