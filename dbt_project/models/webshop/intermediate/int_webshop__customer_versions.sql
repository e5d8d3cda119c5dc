-- The rows of `dim_customer` (a view over this table, without `built_at`: the run that wrote a row,
-- which the incremental runs read and the contract leaves out): type-2 customers, one row per
-- version of a customer (see the macro type2_history): the attributes are every column of the
-- operational row except id, created_at and modified_at (the pinned rule); `valid_from` is the
-- version's modified_at. Built from the appended history, incrementally: a run rebuilds the whole
-- history of the customers it received a new version of (delete+insert on customer_id) and leaves
-- the others as they are. A re-delivered row is a duplicate in int_webshop__customer_classified and
-- touches nothing; a late older version is placed at its time because the key's history is rebuilt.

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='customer_id',
    on_schema_change='fail'
) }}

with

touched_customers as (
    select distinct customer_id
    from {{ ref('int_webshop__customer_classified') }}
    where status = 'valid'
    {%- if is_incremental() %}
        and classified_at > {{ last_built_at() }}
    {%- endif %}
),

versions as (
    select *
    from {{ ref('int_webshop__customer_classified') }}
    where status = 'valid'
        and customer_id in (select customer_id from touched_customers)
)

{{ type2_history(
    'versions', 'customer', ['name', 'email', 'phone_number'], carried=['created_at']
) }}
