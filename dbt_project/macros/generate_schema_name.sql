{#
    Each domain's models live in the schema named after the domain: the folder under models/
    (`models/schools/marts/sessions.sql` -> `schools.sessions`), so adding a domain needs no
    configuration here. A `schema` config, where a model sets one, is used as given (dbt's
    default would prefix it with the target schema).
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is not none -%}
        {{ custom_schema_name | trim }}
    {%- elif node.resource_type in ('model', 'seed', 'snapshot', 'test', 'unit_test')
            and node.fqn | length > 2 -%}
        {{ node.fqn[1] }}
    {%- else -%}
        {{ target.schema }}
    {%- endif -%}
{%- endmacro %}
