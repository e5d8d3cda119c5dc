{#
    The engagement daily fact (source engagement.engagement_daily) rolled up to a coarser period:
    the same dimensions, the additive measures summed, plus completion_rate and
    avg_duration_seconds. `period_sql` computes the period from `date`; `period_column` names it;
    `period_type` is its SQL type. Used by engagement_weekly, engagement_monthly, engagement_yearly.
#}
{% macro engagement_rollup(period_sql, period_column, period_type) -%}
{%- set dimensions = [
    'country_code', 'os_name', 'os_version', 'app_version', 'subscription_status',
    'activity_id', 'activity_type', 'collection_id'
] -%}
with

daily_facts as (
    select * from {{ source('engagement', 'engagement_daily') }}
),

periods as (
    select
        {{ period_sql }} as {{ period_column }},
        daily_facts.*
    from daily_facts
),

period_measures as (
    select
        {{ period_column }},
        {%- for dimension in dimensions %}
        {{ dimension }},
        {%- endfor %}
        sum(plays) as plays,
        sum(completed_plays) as completed_plays,
        {{ round_measure('sum(duration_seconds)') }} as duration_seconds,
        {{ round_measure('sum(loading_seconds)') }} as loading_seconds
    from periods
    group by
        {{ period_column }},
        {{ dimensions | join(',\n        ') }}
)

select
    cast({{ period_column }} as {{ period_type }}) as {{ period_column }},
    {%- for dimension in dimensions %}
    cast({{ dimension }} as {{ dbt.type_string() }}) as {{ dimension }},
    {%- endfor %}
    cast(plays as {{ dbt.type_bigint() }}) as plays,
    cast(completed_plays as {{ dbt.type_bigint() }}) as completed_plays,
    cast(duration_seconds as {{ type_double() }}) as duration_seconds,
    cast(loading_seconds as {{ type_double() }}) as loading_seconds,
    {{ round_measure('cast(completed_plays as ' ~ type_double() ~ ') / nullif(plays, 0)') }} as completion_rate,
    {{ round_measure('cast(duration_seconds as ' ~ type_double() ~ ') / nullif(plays, 0)') }} as avg_duration_seconds
from period_measures
{%- endmacro %}
