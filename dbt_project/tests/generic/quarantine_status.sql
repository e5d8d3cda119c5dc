{#
    The column holds one of the quarantine statuses every domain shares (the dbt var
    `quarantine_statuses`: valid, rejected, duplicate), never NULL.
#}
{% test quarantine_status(model, column_name) %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} is null
    or {{ column_name }} not in (
        {%- for status in var('quarantine_statuses') %}
        '{{ status }}'{{ "," if not loop.last }}
        {%- endfor %}
    )

{% endtest %}
