-- Every raw catalogue row with exactly one status (macro classify_latest_records): 'valid' (the
-- first delivery of each version of an activity; stg_engagement__activities keeps the newest),
-- 'duplicate' (the same record delivered again) or 'rejected' with a reason (no JSON object, no
-- activity_id string).

{{ classified_reference_rows(
    source('engagement', 'raw_engagement_activities'),
    'activity_id',
    "nullif(trim(" ~ json_field('record', 'activity_id') ~ "), '')"
) }}
