-- One row per user: the newest delivered record of each user id (a later file may carry a newer
-- version of a user; ties are broken by file name, then line), with its milestones typed as UTC
-- timestamps. Milestones not reached are absent or null in the real files: both give NULL.

with

raw_rows as (
    select * from {{ source('engagement', 'raw_engagement_users') }}
),

user_records as (
    -- only JSON objects can be user records; unparseable lines are ignored here
    select
        source_file,
        file_hash,
        line_number,
        ingested_at,
        lower(nullif(trim({{ json_field('record', 'user_id') }}), '')) as user_id,
        lower({{ json_field('record', 'children_ids') }}) as children_ids,
        lower(nullif(trim({{ json_field('record', 'country_code') }}), '')) as country_code,
        nullif(trim({{ json_field('record', 'registration_at') }}), '') as registration_text,
        nullif(trim({{ json_field('record', 'trial_start_at') }}), '') as trial_start_text,
        nullif(trim({{ json_field('record', 'trial_end_at') }}), '') as trial_end_text,
        nullif(trim({{ json_field('record', 'subscription_start_at') }}), '')
            as subscription_start_text,
        nullif(trim({{ json_field('record', 'subscription_expire_at') }}), '')
            as subscription_expire_text
    from raw_rows
    where record is not null
        and {{ json_is_object('record') }}
),

ranked_records as (
    select
        *,
        row_number() over (
            partition by user_id
            order by ingested_at desc, source_file desc, line_number desc, file_hash desc
        ) as recency_rank
    from user_records
    where user_id is not null
),

newest_records as (
    select *
    from ranked_records
    where recency_rank = 1
)

select
    user_id,
    children_ids,
    country_code,
    {{ parse_utc_timestamp('registration_text') }} as registration_at,
    {{ parse_utc_timestamp('trial_start_text') }} as trial_start_at,
    {{ parse_utc_timestamp('trial_end_text') }} as trial_end_at,
    {{ parse_utc_timestamp('subscription_start_text') }} as subscription_start_at,
    {{ parse_utc_timestamp('subscription_expire_text') }} as subscription_expire_at,
    source_file,
    file_hash,
    line_number,
    ingested_at
from newest_records
