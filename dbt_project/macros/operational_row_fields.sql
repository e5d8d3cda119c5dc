{#
    The fields every row of an operational table's extract carries (`id`, `created_at`,
    `modified_at`, timestamps as naive UTC text), typed: `<name>_id` (bigint, NULL when missing
    or not an integer), created_at, modified_at (NULL when missing or not a time), and the first
    reason a row is no usable record: the ingestion's load error, `malformed_json` (no JSON
    object), `missing_id`, `unparseable_time`. Use on a raw table's `record`, after
    raw_row_columns(): operational_row_fields(name) in the select list, then
    `case {{ operational_row_reason(name) }} ...the table's own rules... end` on its result.
#}
{% macro operational_row_fields(name) -%}
    {{ try_cast(json_field('record', 'id'), dbt.type_bigint()) }} as {{ name }}_id,
    {{ parse_utc_timestamp("nullif(trim(" ~ json_field('record', 'created_at') ~ "), '')") }}
        as created_at,
    {{ parse_utc_timestamp("nullif(trim(" ~ json_field('record', 'modified_at') ~ "), '')") }}
        as modified_at
{%- endmacro %}

{% macro operational_row_reason(name) -%}
    when load_error is not null then load_error
    when not is_json_object then 'malformed_json'
    when {{ name }}_id is null then 'missing_id'
    when created_at is null or modified_at is null then 'unparseable_time'
{%- endmacro %}
