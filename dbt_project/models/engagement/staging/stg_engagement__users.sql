-- One row per user: the newest version of each user id (macro classify_latest_records: the
-- latest first delivery of a distinct record, by load time, then file name, then line; a record
-- delivered again is no newer version), with its milestones typed as UTC timestamps. Milestones
-- not reached are absent or null in the real files: both give NULL.

with

classified as (
    {{ classify_latest_records(
        source('engagement', 'raw_engagement_users'),
        'user_id',
        "lower(nullif(trim(" ~ json_field('record', 'user_id') ~ "), ''))"
    ) | indent(4) }}
),

newest_records as (
    select
        source_file,
        file_hash,
        line_number,
        ingested_at,
        record_key as user_id,
        lower({{ json_field('record', 'children_ids') }}) as children_ids,
        lower(nullif(trim({{ json_field('record', 'country_code') }}), '')) as country_code,
        nullif(trim({{ json_field('record', 'registration_at') }}), '') as registration_text,
        nullif(trim({{ json_field('record', 'trial_start_at') }}), '') as trial_start_text,
        nullif(trim({{ json_field('record', 'trial_end_at') }}), '') as trial_end_text,
        nullif(trim({{ json_field('record', 'subscription_start_at') }}), '')
            as subscription_start_text,
        nullif(trim({{ json_field('record', 'subscription_expire_at') }}), '')
            as subscription_expire_text
    from classified
    where is_current
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
