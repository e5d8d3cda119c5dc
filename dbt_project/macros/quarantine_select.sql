{#
    The rows of a domain's rejected-records table, the quarantine contract every domain shares:
    the same leading columns in the same order (source_file, line_number, file_hash, reason,
    raw_record, ingested_at), then the domain's own columns, as text, in the order given.
    `rows` is a relation or CTE that has all of them; event_assets/core/quarantine.py names the
    leading columns for Python.
#}
{% macro quarantine_select(rows, domain_columns=[]) %}
select
    cast(source_file as {{ dbt.type_string() }}) as source_file,
    cast(line_number as {{ dbt.type_bigint() }}) as line_number,
    cast(file_hash as {{ dbt.type_string() }}) as file_hash,
    cast(reason as {{ dbt.type_string() }}) as reason,
    cast(raw_record as {{ dbt.type_string() }}) as raw_record,
    cast(ingested_at as {{ dbt.type_timestamp() }}) as ingested_at
    {%- for column in domain_columns %},
    cast({{ column }} as {{ dbt.type_string() }}) as {{ column }}
    {%- endfor %}
from {{ rows }}
{% endmacro %}
