{#
    Generic test: fails (one row with both counts) when the model does not have exactly as many
    rows as `compare_model`, e.g. every received raw row classified exactly once.
#}
{% test row_count_matches(model, compare_model) %}

with

model_rows as (
    select count(*) as row_count from {{ model }}
),

compared_rows as (
    select count(*) as row_count from {{ compare_model }}
)

select
    model_rows.row_count as model_row_count,
    compared_rows.row_count as compared_row_count
from model_rows
cross join compared_rows
where model_rows.row_count <> compared_rows.row_count

{% endtest %}
