-- Contract table: one row per order line. A view over the incremental int_webshop__order_lines (how
-- it is built is explained there), without its `built_at`: which run wrote a row is bookkeeping,
-- and the contract's tables are the same whatever the runs were.

{{ config(materialized='view') }}

select
    order_item_id,
    order_id,
    product_id,
    product_key,
    placed_at,
    quantity,
    price,
    discount_percent,
    line_value,
    line_discount
from {{ ref('int_webshop__order_lines') }}
