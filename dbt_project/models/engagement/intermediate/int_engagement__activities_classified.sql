-- Every raw catalogue row with exactly one status: 'valid' (the latest delivered record of its
-- activity, the one stg_engagement__activities keeps), 'duplicate' (an older delivery of that
-- activity) or 'rejected' with a reason (no JSON object, no activity_id).

{{ classify_latest_records(
    source('engagement', 'raw_engagement_activities'),
    "nullif(trim(" ~ json_field('record', 'activity_id') ~ "), '')"
) }}
