{#
    A type-2 slowly changing dimension from the versions of its keys, as a select:
    `versions` (a relation or CTE) holds one row per observed version: `<entity>_id`,
    `modified_at` (when the version came into force), the `attributes` and any `carried`
    columns. Consecutive versions of a key whose attributes are all equal (NULLs equal) collapse
    into the first one; each remaining version is valid from its `modified_at` (`valid_from`) to
    the next one's (`valid_to`, NULL for the current one, `is_current`), so a key's versions
    never overlap and leave no gap. A version that arrives late is simply one more row here:
    the history is rebuilt from all versions of the keys given, wherever in time they fall.
    `<entity>_key` is a hash of the id and `valid_from`: the same version gets the same key in
    a full build and in an incremental one. `built_at`: the dbt run that wrote the row.
#}
{% macro type2_history(versions, entity, attributes, carried=[]) %}
{%- set id = entity ~ '_id' %}
select
    {{ dbt.hash(dbt.concat([
        'cast(' ~ id ~ ' as ' ~ dbt.type_string() ~ ')',
        "'|'",
        'cast(valid_from as ' ~ dbt.type_string() ~ ')'
    ])) }} as {{ entity }}_key,
    {{ id }},
    {%- for column in carried %}
    {{ column }},
    {%- endfor %}
    {%- for column in attributes %}
    {{ column }},
    {%- endfor %}
    valid_from,
    lead(valid_from) over (partition by {{ id }} order by valid_from) as valid_to,
    lead(valid_from) over (partition by {{ id }} order by valid_from) is null as is_current,
    {{ run_started_timestamp() }} as built_at
from (
    select
        *,
        modified_at as valid_from,
        {#- the first version of a key, or one whose attributes differ from the previous -#}
        lag(modified_at) over (partition by {{ id }} order by modified_at) is null
        {%- for column in attributes %}
        or not ({{ column }} is not distinct from
            lag({{ column }}) over (partition by {{ id }} order by modified_at))
        {%- endfor %} as starts_version
    from {{ versions }}
) as compared
where starts_version
{% endmacro %}
