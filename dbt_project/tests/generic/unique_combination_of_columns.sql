{# Fails on every combination of the given columns that occurs on more than one row. #}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

combinations as (
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
)

select *
from combinations
where row_count > 1

{% endtest %}
