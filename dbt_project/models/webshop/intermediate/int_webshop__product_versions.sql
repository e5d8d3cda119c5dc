-- The rows of `dim_product` (a view over this table, without `built_at`: the run that wrote a row,
-- which the incremental runs read and the contract leaves out): type-2 products, one row per
-- version of a product (see the macro type2_history): the attributes are every column of the
-- operational row except id, created_at and modified_at (the pinned rule); `valid_from` is the
-- version's modified_at. Built from the appended history, incrementally: a run rebuilds the whole
-- history of the products it received a new version of (delete+insert on product_id) and leaves the
-- others as they are. A re-delivered row is a duplicate in int_webshop__product_classified and
-- touches nothing; a late older version is placed at its time because the key's history is rebuilt.

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='product_id',
    on_schema_change='fail'
) }}

with

touched_products as (
    select distinct product_id
    from {{ ref('int_webshop__product_classified') }}
    where status = 'valid'
    {%- if is_incremental() %}
        and classified_at > {{ last_built_at() }}
    {%- endif %}
),

versions as (
    select *
    from {{ ref('int_webshop__product_classified') }}
    where status = 'valid'
        and product_id in (select product_id from touched_products)
)

{{ type2_history(
    'versions',
    'product',
    [
        'name', 'description', 'ean', 'price', 'discount_percent', 'brand_id', 'inventory',
        'published'
    ],
    carried=['created_at']
) }}
