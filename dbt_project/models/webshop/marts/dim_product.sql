-- Contract table: type-2 products, one row per version. A view over the incremental
-- int_webshop__product_versions (how it is built is explained there), without its `built_at`: which
-- run wrote a row is bookkeeping, and the contract's tables are the same whatever the runs were.

{{ config(materialized='view') }}

select
    product_key,
    product_id,
    created_at,
    name,
    description,
    ean,
    price,
    discount_percent,
    brand_id,
    inventory,
    published,
    valid_from,
    valid_to,
    is_current
from {{ ref('int_webshop__product_versions') }}
