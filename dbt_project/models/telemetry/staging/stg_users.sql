-- One row per user: the newest version of each `uid` by `last_modified` (see
-- int_telemetry__users_classified); `user_id` is text whether `uid` came as a number or not.

select
    user_id,
    username,
    date_registered,
    last_modified
from {{ ref('int_telemetry__users_classified') }}
where is_current
