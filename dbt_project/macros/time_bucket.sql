{#
    The number of the `seconds`-long slice of time (counted from 1970-01-01) that the timestamp
    `column` falls in. A range join "b within w seconds of a" becomes an equi-join on (key,
    bucket) with a's bucket and its neighbours: each row then meets only the rows of its own
    few seconds, never every row of its key, which a hash join on the key alone would pair.
#}
{% macro time_bucket(column, seconds) -%}
    cast(floor({{ seconds_between(
        "cast('1970-01-01' as " ~ dbt.type_timestamp() ~ ")", column
    ) }} / {{ seconds }}) as {{ dbt.type_bigint() }})
{%- endmacro %}
