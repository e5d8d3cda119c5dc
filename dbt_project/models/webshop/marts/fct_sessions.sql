-- Contract table: sessions of logged-in customers. A customer's events in time order (ties by
-- event id); a new session starts after MORE than `webshop_session_gap_minutes` (30) without an
-- event of that customer. `session_id` is a hash of the customer and the session's first event
-- time: the same whether the files were loaded in one run or day by day. `cart_value`: over the
-- session's add_product_to_cart events, quantity x the product's price valid at the event time,
-- less the same for its remove_product_from_cart events, never below 0.
-- Incremental: a run rebuilds every session of the customers it received new events of (a late
-- event can join two sessions), and of customers with cart events of a product at or after a
-- new version of it.

-- depends_on: {{ ref('int_webshop__product_classified') }} (read by incremental runs only)

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='customer_id',
    on_schema_change='fail'
) }}

{%- set gap_seconds = var('webshop_session_gap_minutes', 30) * 60 %}
{%- set since -%}
    (select max(built_at) from {{ this }})
{%- endset %}

with

{% if is_incremental() %}
changed_products as (
    select product_id, min(modified_at) as changed_from
    from {{ ref('int_webshop__product_classified') }}
    where status = 'valid'
        and classified_at > {{ since }}
    group by product_id
),

touched_customers as (
    select customer_id
    from {{ ref('int_webshop__event_classified') }}
    where status = 'valid' and classified_at > {{ since }}

    union

    select events.customer_id
    from {{ ref('int_webshop__event_classified') }} as events
    inner join changed_products
        on events.product_id = changed_products.product_id
        and events.event_at >= changed_products.changed_from
    where events.status = 'valid'
),
{% endif %}

customer_events as (
    select
        event_id,
        customer_id,
        event_type,
        event_at,
        product_id,
        quantity,
        lag(event_at) over (partition by customer_id order by event_at, event_id) as previous_at
    from {{ ref('int_webshop__event_classified') }}
    where status = 'valid'
        and customer_id is not null
    {%- if is_incremental() %}
        and customer_id in (select customer_id from touched_customers)
    {%- endif %}
),

numbered_events as (
    select
        *,
        sum(
            case
                when previous_at is null
                    or {{ seconds_between('previous_at', 'event_at') }} > {{ gap_seconds }}
                    then 1
                else 0
            end
        ) over (
            partition by customer_id order by event_at, event_id
            rows between unbounded preceding and current row
        ) as session_number
    from customer_events
),

priced_events as (
    select
        events.*,
        case events.event_type
            when 'add_product_to_cart' then events.quantity * products.price
            when 'remove_product_from_cart' then -events.quantity * products.price
        end as cart_change
    from numbered_events as events
    left join {{ ref('dim_product') }} as products
        on events.event_type in ('add_product_to_cart', 'remove_product_from_cart')
        and events.product_id = products.product_id
        and products.valid_from <= events.event_at
        and (products.valid_to is null or events.event_at < products.valid_to)
),

sessions as (
    select
        customer_id,
        session_number,
        min(event_at) as started_at,
        max(event_at) as ended_at,
        count(*) as event_count,
        max(case when event_type = 'placed_order' then 1 else 0 end) = 1 as placed_order,
        coalesce(sum(cart_change), 0) as cart_change
    from priced_events
    group by customer_id, session_number
)

select
    {{ dbt.hash(dbt.concat([
        'cast(customer_id as ' ~ dbt.type_string() ~ ')',
        "'|'",
        'cast(started_at as ' ~ dbt.type_string() ~ ')'
    ])) }} as session_id,
    customer_id,
    started_at,
    ended_at,
    event_count,
    placed_order,
    case when cart_change > 0 then cart_change else 0 end as cart_value,
    {{ run_started_timestamp() }} as built_at
from sessions
