{#
    The quarantine status of the rows of an append-only extract, where each delivery copies the
    rows modified that day and a day's file may be delivered again:
    - 'rejected' when the row has a `reason` (given by the caller: syntax and entity rules);
    - 'valid' for the first delivery (smallest raw_id) of each version, a version being the
      values of `version_columns` (e.g. the key and its modification time, or an event id);
    - 'duplicate' for every later delivery of a version, in this run or an earlier one.
    `rows`: a relation or CTE with raw_id, reason and the version columns: the rows to judge
    (in an incremental model, the new rows and any the model judges again). Earlier rows come
    from `{{ this }}` (its valid rows of the same first version column, i.e. the same key), so an
    incremental run reads only what it judges plus the stored versions of those keys.
    Every row of `rows` comes out once, with `status` and `classified_at` (the run's start,
    which tells later incremental models which rows a run (re)judged).
#}
{% macro classify_appended_versions(rows, version_columns) %}
{%- set key = version_columns[0] %}
select
    judged.*,
    case
        when judged.reason is not null then 'rejected'
        when judged.raw_id = first_copies.first_raw_id then 'valid'
        else 'duplicate'
    end as status,
    {{ run_started_timestamp() }} as classified_at
from {{ rows }} as judged
left join (
    select
        {{ version_columns | join(', ') }},
        min(raw_id) as first_raw_id
    from (
        select raw_id, {{ version_columns | join(', ') }}
        from {{ rows }}
        where reason is null
        {%- if is_incremental() %}

        union all

        select raw_id, {{ version_columns | join(', ') }}
        from {{ this }}
        where status = 'valid'
            and {{ key }} in (select {{ key }} from {{ rows }} where reason is null)
        {%- endif %}
    ) as versions
    group by {{ version_columns | join(', ') }}
) as first_copies
    on judged.reason is null
    {%- for column in version_columns %}
    and judged.{{ column }} = first_copies.{{ column }}
    {%- endfor %}
{% endmacro %}


{# An incremental model's rows not judged yet: raw_id beyond the largest it stores. #}
{% macro raw_id_beyond_stored() -%}
    raw_id > (select coalesce(max(raw_id), 0) from {{ this }})
{%- endmacro %}
