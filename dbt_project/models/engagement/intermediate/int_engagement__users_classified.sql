-- Every raw user row with exactly one status: 'valid' (the newest delivered record of its user,
-- the one stg_engagement__users keeps), 'duplicate' (an older delivery of that user, superseded)
-- or 'rejected' with a reason (no JSON object, no user_id), so nothing delivered is lost unseen.

{{ classify_latest_records(
    source('engagement', 'raw_engagement_users'),
    "lower(nullif(trim(" ~ json_field('record', 'user_id') ~ "), ''))"
) }}
