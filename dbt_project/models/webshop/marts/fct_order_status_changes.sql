-- Contract table: one row per observed order version. A view over the incremental
-- int_webshop__order_status_changes (how it is built is explained there), without its `built_at`:
-- which run wrote a row is bookkeeping, and the contract's tables are the same whatever the runs
-- were.

{{ config(materialized='view') }}

select
    order_id,
    status,
    changed_at,
    previous_status,
    placed_at,
    customer_id,
    customer_address_id
from {{ ref('int_webshop__order_status_changes') }}
