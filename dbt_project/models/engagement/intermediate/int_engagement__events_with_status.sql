-- The valid events, each with its user's country and subscription status at the time of the
-- event (not today's status). States move one way, free -> trial -> subscribed -> lapsed; the
-- first rule that holds decides, and events that cannot be placed are `unknown` (kept, counted).

with

classified_events as (
    select * from {{ ref('int_engagement__events_classified') }}
),

users as (
    select * from {{ ref('stg_engagement__users') }}
),

valid_events as (
    select *
    from classified_events
    where status = 'valid'
),

events_with_milestones as (
    select
        valid_events.*,
        users.user_id is not null as has_user_record,
        users.country_code,
        users.registration_at,
        users.trial_start_at,
        users.trial_end_at,
        users.subscription_start_at,
        users.subscription_expire_at
    from valid_events
    left join users
        on valid_events.user_id = users.user_id
),

events_with_status as (
    -- half-open intervals: a milestone's instant belongs to the state it starts, so the instant
    -- a trial turns into a subscription is `subscribed` and the expiry instant is `lapsed`; a
    -- missing end (no expiry / trial end known) leaves the state open
    select
        *,
        case
            when not has_user_record then 'unknown'
            when occurred_at < registration_at then 'unknown'
            when subscription_start_at <= occurred_at
                and (subscription_expire_at is null or occurred_at < subscription_expire_at)
                then 'subscribed'
            when trial_start_at <= occurred_at
                and (trial_end_at is null or occurred_at < trial_end_at)
                then 'trial'
            when occurred_at >= subscription_expire_at then 'lapsed'
            -- the trial ended and no (unexpired) subscription had started by then
            when occurred_at >= trial_end_at then 'lapsed'
            else 'free'
        end as subscription_status
    from events_with_milestones
)

select
    event_id,
    cast(occurred_at as date) as event_date,
    occurred_at,
    user_id,
    child_id,
    child_not_listed,
    has_user_record,
    country_code,
    subscription_status,
    activity_id,
    source,
    duration_seconds,
    completed,
    collection_id,
    loading_seconds,
    device_id,
    os_name,
    os_version,
    app_version,
    app_build,
    source_file,
    file_hash,
    line_number,
    ingested_at
from events_with_status
