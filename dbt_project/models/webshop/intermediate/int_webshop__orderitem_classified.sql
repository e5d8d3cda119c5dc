-- Every raw order line exactly once with one status: 'rejected' (staging's syntax reason, or
-- `missing_order` / `missing_product` when no valid row of its order or product has arrived),
-- 'duplicate' (a later delivery of a version already received: a line id and its
-- modified_at) or 'valid' (the first delivery of each version).
-- Incremental: a run judges the new rows and again every line stored as missing its order or
-- product, so a line whose order arrives in a later file becomes valid then. Other statuses
-- never change (orders and products are never withdrawn).

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='raw_id',
    on_schema_change='fail'
) }}

with

rows_in_scope as (
    select *
    from {{ ref('stg_webshop__order_items') }}
    {%- if is_incremental() %}
    where {{ raw_id_beyond_stored() }}
        or raw_id in (
            select raw_id from {{ this }}
            where reason in ('missing_order', 'missing_product')
        )
    {%- endif %}
),

known_orders as (
    select distinct order_id
    from {{ ref('int_webshop__order_classified') }}
    where status = 'valid'
),

known_products as (
    select distinct product_id
    from {{ ref('int_webshop__product_classified') }}
    where status = 'valid'
),

judged_rows as (
    select
        rows_in_scope.*,
        case
            when rows_in_scope.syntax_reason is not null then rows_in_scope.syntax_reason
            when known_orders.order_id is null then 'missing_order'
            when known_products.product_id is null then 'missing_product'
        end as reason
    from rows_in_scope
    left join known_orders
        on rows_in_scope.order_id = known_orders.order_id
    left join known_products
        on rows_in_scope.product_id = known_products.product_id
)

{{ classify_appended_versions('judged_rows', ['order_item_id', 'modified_at']) }}
