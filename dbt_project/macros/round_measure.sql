{#
    A measure as it is stored: rounded to 6 decimals. A sum or mean of doubles depends on the
    order the engine adds them in, which differs between runs in the last bits; rounded, two runs
    on the same files store identical tables. Six decimals keep a microsecond of a minute.
#}
{% macro round_measure(expression) -%}
    round(cast({{ expression }} as {{ type_double() }}), 6)
{%- endmacro %}
