-- Contract table: per calendar month, each played activity's rank by plays and by total
-- duration across all countries, platforms and statuses. Ties share a rank and the next rank
-- is skipped (rank(): 1, 1, 3). Name and type are the activity's current ones (dim_activity).

with

daily_facts as (
    select * from {{ source('engagement', 'engagement_daily') }}
),

activities as (
    select * from {{ ref('dim_activity') }}
),

monthly_activity_totals as (
    select
        cast({{ dbt.date_trunc('month', 'date') }} as date) as month_start,
        activity_id,
        sum(plays) as plays,
        {{ round_measure('sum(duration_seconds)') }} as duration_seconds
    from daily_facts
    group by
        cast({{ dbt.date_trunc('month', 'date') }} as date),
        activity_id
),

ranked_activities as (
    select
        *,
        rank() over (partition by month_start order by plays desc) as plays_rank,
        rank() over (partition by month_start order by duration_seconds desc) as duration_rank
    from monthly_activity_totals
),

described_activities as (
    select
        ranked_activities.*,
        activities.activity_name,
        coalesce(activities.activity_type, 'unknown') as activity_type
    from ranked_activities
    left join activities
        on ranked_activities.activity_id = activities.activity_id
)

select
    cast(month_start as date) as month_start,
    cast(activity_id as {{ dbt.type_string() }}) as activity_id,
    cast(activity_name as {{ dbt.type_string() }}) as activity_name,
    cast(activity_type as {{ dbt.type_string() }}) as activity_type,
    cast(plays as {{ dbt.type_bigint() }}) as plays,
    cast(duration_seconds as {{ type_double() }}) as duration_seconds,
    cast(plays_rank as {{ dbt.type_bigint() }}) as plays_rank,
    cast(duration_rank as {{ dbt.type_bigint() }}) as duration_rank
from described_activities
