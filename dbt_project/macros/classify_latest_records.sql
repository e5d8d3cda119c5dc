{#
    The quarantine status of every raw row of a reference source whose newest version per key
    wins (users, catalogues):
    - 'rejected' with a reason when the row is no record (`load_error` from the ingestion; not a
      JSON object: malformed_json; its key absent, blank or not a string: missing_field);
    - 'duplicate' when the same record text was delivered before (under any file): a copy
      delivered again is not a new version, however late it comes;
    - 'valid' for the first delivery of each version. `is_current` marks the newest version of
      each key (the latest first delivery: load time, then file, then line), the one the
      source's staging model keeps.
    `key_field`: the JSON field that holds the key; `key_sql`: the key as staging normalizes it.
    One row per raw row, so the source reconciles (received = valid + rejected + duplicates).
#}
{% macro classify_latest_records(source_relation, key_field, key_sql) %}

with

raw_rows as (
    select
        {{ raw_row_columns() }},
        record
    from {{ source_relation }}
),

keyed_rows as (
    select
        *,
        case
            when is_json_object and {{ json_field_is_string('record', key_field) }}
                then {{ key_sql }}
        end as record_key
    from raw_rows
),

numbered_deliveries as (
    select
        *,
        case
            when record_key is not null and load_error is null then row_number() over (
                partition by record_key, raw_record
                order by ingested_at, source_file, line_number, file_hash
            )
        end as delivery_number
    from keyed_rows
),

ranked_versions as (
    select
        *,
        case
            when delivery_number = 1 then row_number() over (
                partition by record_key, delivery_number
                order by ingested_at desc, source_file desc, line_number desc, file_hash desc
            )
        end as version_rank
    from numbered_deliveries
)

select
    raw_id,
    source_file,
    line_number,
    file_hash,
    case
        when load_error is not null or not is_json_object or record_key is null then 'rejected'
        when delivery_number = 1 then 'valid'
        else 'duplicate'
    end as status,
    case
        when load_error is not null then load_error
        when not is_json_object then 'malformed_json'
        when record_key is null then 'missing_field'
    end as reason,
    record_key,
    raw_record,
    ingested_at,
    record,
    coalesce(version_rank = 1, false) as is_current
from ranked_versions

{% endmacro %}


{# The classification's own columns (what the int_*_classified models store): one row per raw
   row with its status and reason, without the record and the staging flag. #}
{% macro classified_reference_rows(source_relation, key_field, key_sql) %}
with

classified as (
    {{ classify_latest_records(source_relation, key_field, key_sql) | indent(4) }}
)

select
    raw_id,
    source_file,
    line_number,
    file_hash,
    status,
    reason,
    record_key,
    raw_record,
    ingested_at
from classified
{% endmacro %}
