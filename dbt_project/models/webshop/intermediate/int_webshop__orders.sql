-- The rows of `fct_orders` (a view over this table, without `built_at`: the run that wrote a row,
-- which the incremental runs read and the contract leaves out): one row per order. `placed_at` is
-- its created_at; `customer_key` the customer version valid at placement; `shipped_at` the earliest
-- changed_at among its observed `shipped` versions (also one that arrives late; NULL when it was
-- never observed shipped, e.g. it went from paid to delivered within one day); `hours_to_ship` in
-- fractional hours; `current_status` the status of its latest version; `order_value` and
-- `discount_total` the sums over its valid lines (0 without any).
-- Incremental: a run rebuilds the orders with a new version, those whose lines were rebuilt
-- (int_webshop__order_lines), and stored orders of customers with a new version in force at or
-- before their placement. Measures are stored rounded (round_measure): a sum of doubles differs
-- in its last bits with the order it is added in, and two builds must store the same tables.

-- depends_on: {{ ref('int_webshop__customer_classified') }} (read by incremental runs only)

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='order_id',
    on_schema_change='fail'
) }}

{%- set since = last_built_at() %}

with

{% if is_incremental() %}
changed_customers as (
    select customer_id, min(modified_at) as changed_from
    from {{ ref('int_webshop__customer_classified') }}
    where status = 'valid'
        and classified_at > {{ since }}
    group by customer_id
),

touched_orders as (
    select order_id
    from {{ ref('int_webshop__order_classified') }}
    where status = 'valid' and classified_at > {{ since }}

    union

    select order_id
    from {{ ref('int_webshop__order_lines') }}
    where built_at > {{ since }}

    union

    select stored.order_id
    from {{ this }} as stored
    inner join changed_customers
        on stored.customer_id = changed_customers.customer_id
        and stored.placed_at >= changed_customers.changed_from
),
{% endif %}

order_versions as (
    select
        *,
        row_number() over (partition by order_id order by modified_at desc) as version_rank,
        min(case when order_status = 'shipped' then modified_at end)
            over (partition by order_id) as shipped_at
    from {{ ref('int_webshop__order_classified') }}
    where status = 'valid'
    {%- if is_incremental() %}
        and order_id in (select order_id from touched_orders)
    {%- endif %}
),

latest_orders as (
    select
        order_id,
        customer_id,
        created_at as placed_at,
        shipped_at,
        order_status as current_status
    from order_versions
    where version_rank = 1
),

order_lines as (
    select
        order_id,
        count(*) as line_count,
        sum(line_value) as order_value,
        sum(line_discount) as discount_total
    from {{ ref('int_webshop__order_lines') }}
    where order_id in (select order_id from latest_orders)
    group by order_id
)

select
    orders.order_id,
    orders.customer_id,
    customers.customer_key,
    orders.placed_at,
    orders.shipped_at,
    {{ round_measure(seconds_between('orders.placed_at', 'orders.shipped_at') ~ ' / 3600.0') }}
        as hours_to_ship,
    orders.current_status,
    coalesce(order_lines.line_count, 0) as line_count,
    {{ round_measure('coalesce(order_lines.order_value, 0)') }} as order_value,
    {{ round_measure('coalesce(order_lines.discount_total, 0)') }} as discount_total,
    {{ run_started_timestamp() }} as built_at
from latest_orders as orders
left join order_lines
    on orders.order_id = order_lines.order_id
left join {{ ref('int_webshop__customer_versions') }} as customers
    on orders.customer_id = customers.customer_id
    and customers.valid_from <= orders.placed_at
    and (customers.valid_to is null or orders.placed_at < customers.valid_to)
