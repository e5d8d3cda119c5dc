-- Every raw user row exactly once with one status: 'rejected' with a reason (no JSON object,
-- no usable `uid`, no `last_modified`, or one that is no time), 'duplicate' (the same record
-- text delivered before, in any file) or 'valid' (the first delivery of each version). Unlike
-- the macro classify_latest_records (newest by delivery), the version that wins is the newest
-- by `last_modified` (ties: the latest delivery): a late re-delivery of an old version does not
-- undo a rename. `uid` may be a number or a string: both become the same text.

{% set user = json_fields('record', [
    'uid', 'username', 'dateRegistered', 'last_modified'
]) %}

with

raw_rows as (
    select
        {{ raw_row_columns() }},
        nullif(trim({{ user['uid'] }}), '') as raw_uid,
        nullif(trim({{ user['username'] }}), '') as username,
        nullif(trim({{ user['dateRegistered'] }}), '') as date_registered_text,
        nullif(trim({{ user['last_modified'] }}), '') as last_modified_text
    from {{ source('telemetry', 'raw_telemetry_users') }}
),

typed_rows as (
    select
        *,
        -- an object or a list is no id
        case when substring(raw_uid, 1, 1) not in ('{', '[') then raw_uid end as user_id,
        {{ parse_utc_timestamp('date_registered_text') }} as date_registered,
        {{ parse_utc_timestamp('last_modified_text') }} as last_modified
    from raw_rows
),

checked_rows as (
    select
        *,
        case
            when load_error is not null then load_error
            when not is_json_object then 'malformed_json'
            when user_id is null or last_modified_text is null then 'missing_field'
            when last_modified is null then 'unparseable_time'
        end as reason
    from typed_rows
),

numbered_deliveries as (
    select
        *,
        case
            when reason is null then row_number() over (
                partition by user_id, raw_record
                order by ingested_at, source_file, line_number, file_hash
            )
        end as delivery_number
    from checked_rows
),

ranked_versions as (
    select
        *,
        case
            when delivery_number = 1 then row_number() over (
                partition by user_id, delivery_number
                order by last_modified desc, ingested_at desc, source_file desc,
                    line_number desc, file_hash desc
            )
        end as version_rank
    from numbered_deliveries
)

select
    raw_id,
    source_file,
    file_hash,
    line_number,
    ingested_at,
    case
        when reason is not null then 'rejected'
        when delivery_number = 1 then 'valid'
        else 'duplicate'
    end as status,
    reason,
    raw_record,
    user_id,
    username,
    date_registered,
    last_modified,
    coalesce(version_rank = 1, false) as is_current
from ranked_versions
