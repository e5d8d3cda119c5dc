-- The rows of `fct_order_items` (a view over this table, without `built_at`: the run that wrote a
-- row, which the incremental runs read and the contract leaves out): one row per order line (its
-- latest valid version), priced with the product version valid when the order was placed
-- (`product_key`; `discount_percent` from it): line_value = quantity x price (the unit list price
-- copied into the line), line_discount = line_value x discount_percent / 100. A rejected line
-- counts nowhere; a line whose product has no version valid at placement has no product_key and no
-- discount.
-- Incremental: a run rebuilds the lines of the orders it affects: orders or lines with a new valid
-- version, and stored lines of products with a new version in force at or before the order's
-- placement (a new or late product version, or one that changes what collapses).

-- depends_on: {{ ref('int_webshop__product_classified') }} (read by incremental runs only)

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='order_item_id',
    on_schema_change='fail'
) }}

{%- set since = last_built_at() %}

with

{% if is_incremental() %}
changed_products as (
    -- a version at `changed_from` can change the version valid for orders placed from then on
    select product_id, min(modified_at) as changed_from
    from {{ ref('int_webshop__product_classified') }}
    where status = 'valid'
        and classified_at > {{ since }}
    group by product_id
),

touched_orders as (
    select order_id
    from {{ ref('int_webshop__order_classified') }}
    where status = 'valid' and classified_at > {{ since }}

    union

    select order_id
    from {{ ref('int_webshop__orderitem_classified') }}
    where status = 'valid' and classified_at > {{ since }}

    union

    select stored.order_id
    from {{ this }} as stored
    inner join changed_products
        on stored.product_id = changed_products.product_id
        and stored.placed_at >= changed_products.changed_from
),
{% endif %}

ranked_lines as (
    select
        *,
        row_number() over (
            partition by order_item_id order by modified_at desc
        ) as version_rank
    from {{ ref('int_webshop__orderitem_classified') }}
    where status = 'valid'
    {%- if is_incremental() %}
        and order_id in (select order_id from touched_orders)
    {%- endif %}
),

ranked_orders as (
    select
        order_id,
        created_at as placed_at,
        row_number() over (partition by order_id order by modified_at desc) as version_rank
    from {{ ref('int_webshop__order_classified') }}
    where status = 'valid'
        and order_id in (select order_id from ranked_lines)
),

priced_lines as (
    select
        lines.order_item_id,
        lines.order_id,
        lines.product_id,
        products.product_key,
        orders.placed_at,
        lines.quantity,
        lines.price,
        products.discount_percent,
        {{ round_measure('lines.quantity * lines.price') }} as line_value
    from ranked_lines as lines
    inner join ranked_orders as orders
        on lines.order_id = orders.order_id
        and orders.version_rank = 1
    left join {{ ref('int_webshop__product_versions') }} as products
        on lines.product_id = products.product_id
        and products.valid_from <= orders.placed_at
        and (products.valid_to is null or orders.placed_at < products.valid_to)
    where lines.version_rank = 1
)

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
    {{ round_measure('line_value * discount_percent / 100.0') }} as line_discount,
    {{ run_started_timestamp() }} as built_at
from priced_lines
