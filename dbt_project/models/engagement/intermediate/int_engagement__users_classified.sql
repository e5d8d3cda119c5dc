-- Every raw user row with exactly one status (macro classify_latest_records): 'valid' (the
-- first delivery of each version of a user; stg_engagement__users keeps the newest), 'duplicate'
-- (the same record delivered again) or 'rejected' with a reason (no JSON object, no user_id
-- string), so nothing delivered is lost unseen.

{{ classified_reference_rows(
    source('engagement', 'raw_engagement_users'),
    'user_id',
    "lower(nullif(trim(" ~ json_field('record', 'user_id') ~ "), ''))"
) }}
