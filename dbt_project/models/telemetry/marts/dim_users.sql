-- One row per user, its newest version by `last_modified` (a rename in a later file shows here).

select
    user_id,
    username,
    date_registered,
    last_modified
from {{ ref('stg_users') }}
