{#
    The start of the last run that wrote rows into this incremental model, read from its
    `built_at` column (the run's start, run_started_timestamp()); 1970-01-01 while it holds no
    row, so that everything upstream counts as new. Compare with an upstream `classified_at` or
    `built_at` to find what changed since the model's last build.
#}
{% macro last_built_at() -%}
    (
        select coalesce(max(built_at), cast('1970-01-01' as {{ dbt.type_timestamp() }}))
        from {{ this }}
    )
{%- endmacro %}
