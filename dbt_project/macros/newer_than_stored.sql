{#
    Filter of an incremental model's input: the rows whose timestamp `column` is later than the
    largest one the model has stored (every row while it stores none). With `classified_at`: the
    rows a classification run (re)wrote since this model's last build.
#}
{% macro newer_than_stored(column) -%}
    {{ column }} > (
        select coalesce(max({{ column }}), cast('1970-01-01' as {{ dbt.type_timestamp() }}))
        from {{ this }}
    )
{%- endmacro %}
