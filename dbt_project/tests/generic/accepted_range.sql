{#
    Fails on rows whose column lies outside [min_value, max_value] (both inclusive, each
    optional). NULLs pass: combine with not_null where they must not occur.
#}
{% test accepted_range(model, column_name, min_value=none, max_value=none) %}

with

checked_values as (
    select {{ column_name }} as checked_value
    from {{ model }}
    where {{ column_name }} is not null
)

select checked_value
from checked_values
where
    {% if min_value is not none %} checked_value < {{ min_value }} {% else %} 1 = 0 {% endif %}
    or {% if max_value is not none %} checked_value > {{ max_value }} {% else %} 1 = 0 {% endif %}

{% endtest %}
