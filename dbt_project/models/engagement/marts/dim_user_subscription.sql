-- Contract table: one row per user account (its newest delivered record) with its country and
-- the times of its subscription milestones (NULL when not reached).

with

users as (
    select * from {{ ref('stg_engagement__users') }}
)

select
    cast(user_id as {{ dbt.type_string() }}) as user_id,
    cast(country_code as {{ dbt.type_string() }}) as country_code,
    cast(registration_at as {{ dbt.type_timestamp() }}) as registration_at,
    cast(trial_start_at as {{ dbt.type_timestamp() }}) as trial_start_at,
    cast(trial_end_at as {{ dbt.type_timestamp() }}) as trial_end_at,
    cast(subscription_start_at as {{ dbt.type_timestamp() }}) as subscription_start_at,
    cast(subscription_expire_at as {{ dbt.type_timestamp() }}) as subscription_expire_at
from users
