{#
    Fails on every value of `column_name` that occurs on more than one row, checked for the
    values of the rows the last build wrote (`built_at`: the column with the build's start; the
    last build is its largest value among the rows the test sees, after a `where` config). A duplicate needs two rows, and the build that wrote the second one checks
    its value against the whole table, so every build catches the duplicates it makes while
    the test reads only those values instead of the whole column. A full refresh writes, and
    so checks, every row. The price: a duplicate that a build made and nothing fixed is not
    reported again by later builds (the failed check stays on that build's materialization).
#}
{% test unique_in_last_build(model, column_name, built_at) %}

with

last_build_values as (
    select {{ column_name }}
    from {{ model }}
    where {{ built_at }} = (select max({{ built_at }}) from {{ model }})
),

counted_values as (
    select
        {{ column_name }},
        count(*) as row_count
    from {{ model }}
    where {{ column_name }} in (select {{ column_name }} from last_build_values)
    group by {{ column_name }}
)

select *
from counted_values
where row_count > 1

{% endtest %}
