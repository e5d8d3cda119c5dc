{#
    The column holds NULL or one of the rejection reasons `domain` declares (the
    `rejection_reasons` meta of its rejected-records model): the list is written once, there.
#}
{% test rejection_reason(model, column_name, domain) %}

{%- set reasons = [] -%}
{%- if execute -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.fqn[1] == domain
                and 'rejection_reasons' in node.config.meta -%}
            {%- do reasons.extend(node.config.meta.rejection_reasons) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not reasons -%}
        {{ exceptions.raise_compiler_error("domain " ~ domain ~ " declares no rejection_reasons") }}
    {%- endif -%}
{%- endif %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
    and {{ column_name }} not in (
        {%- for reason in reasons %}
        '{{ reason }}'{{ "," if not loop.last }}
        {%- endfor %}
    )

{% endtest %}
