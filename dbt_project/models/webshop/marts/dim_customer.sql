-- Contract table: type-2 customers, one row per version. A view over the incremental
-- int_webshop__customer_versions (how it is built is explained there), without its `built_at`:
-- which run wrote a row is bookkeeping, and the contract's tables are the same whatever the runs
-- were.

{{ config(materialized='view') }}

select
    customer_key,
    customer_id,
    created_at,
    name,
    email,
    phone_number,
    valid_from,
    valid_to,
    is_current
from {{ ref('int_webshop__customer_versions') }}
