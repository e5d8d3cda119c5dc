-- Contract table: one row per order. A view over the incremental int_webshop__orders (how it is
-- built is explained there), without its `built_at`: which run wrote a row is bookkeeping, and
-- the contract's tables are the same whatever the runs were.

{{ config(materialized='view') }}

select
    order_id,
    customer_id,
    customer_key,
    placed_at,
    shipped_at,
    hours_to_ship,
    current_status,
    line_count,
    order_value,
    discount_total
from {{ ref('int_webshop__orders') }}
