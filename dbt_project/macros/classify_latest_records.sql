{#
    The quarantine status of every raw row of a reference source whose newest delivered record
    per key wins (users, catalogues): 'rejected' with a reason when the row is no record
    (`load_error` from the ingestion, not a JSON object: malformed_json; no key: missing_field),
    'valid' for the newest delivered record of its key, 'duplicate' for the older deliveries it
    supersedes. `key_sql`: the key as the source's staging model normalizes it; ties are broken
    the way staging breaks them (later load, file, line). One row per raw row, so the source
    reconciles (received = valid + rejected + duplicates).
#}
{% macro classify_latest_records(source_relation, key_sql) %}

with

raw_rows as (
    select
        raw_id,
        source_file,
        file_hash,
        line_number,
        ingested_at,
        load_error,
        record,
        coalesce(record is not null and {{ json_is_object('record') }}, false) as is_json_object,
        coalesce(cast(record as {{ dbt.type_string() }}), raw_line) as raw_record
    from {{ source_relation }}
),

keyed_rows as (
    select
        *,
        case when is_json_object then {{ key_sql }} end as record_key
    from raw_rows
),

ranked_rows as (
    select
        *,
        case
            when record_key is not null then row_number() over (
                partition by record_key
                order by ingested_at desc, source_file desc, line_number desc, file_hash desc
            )
        end as recency_rank
    from keyed_rows
)

select
    raw_id,
    source_file,
    line_number,
    file_hash,
    case
        when load_error is not null or not is_json_object or record_key is null then 'rejected'
        when recency_rank = 1 then 'valid'
        else 'duplicate'
    end as status,
    case
        when load_error is not null then load_error
        when not is_json_object then 'malformed_json'
        when record_key is null then 'missing_field'
    end as reason,
    record_key,
    raw_record,
    ingested_at
from ranked_rows

{% endmacro %}
