{#
    The columns every domain's staging reads first from a raw table: where a row came from, its
    load error, whether its record is a JSON object, and its text as it arrived (the record, or
    the raw line when the ingestion could not parse it), which the quarantine stores.
#}
{% macro raw_row_columns() -%}
        raw_id,
        source_file,
        file_hash,
        line_number,
        ingested_at,
        load_error,
        coalesce(record is not null and {{ json_is_object('record') }}, false) as is_json_object,
        coalesce(cast(record as {{ dbt.type_string() }}), raw_line) as raw_record
{%- endmacro %}
