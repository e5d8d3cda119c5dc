-- Contract table: one row per session of a logged-in customer. A view over the incremental
-- int_webshop__sessions (how it is built is explained there), without its `built_at`: which run
-- wrote a row is bookkeeping, and the contract's tables are the same whatever the runs were.

{{ config(materialized='view') }}

select
    session_id,
    customer_id,
    started_at,
    ended_at,
    event_count,
    placed_order,
    cart_value
from {{ ref('int_webshop__sessions') }}
