-- The rows of `fct_sessions` (a view over this table, without `built_at`: the run that wrote a row,
-- which the incremental runs read and the contract leaves out): sessions of logged-in customers. A
-- customer's events in time order (ties by event id); a new session starts after MORE than
-- `webshop_session_gap_minutes` (30) without an event of that customer. `session_id` is a hash of
-- the customer and the session's first event time: the same whether the files were loaded in one
-- run or day by day. `cart_value`: over the session's add_product_to_cart events, quantity x the
-- product's price valid at the event time, less the same for its remove_product_from_cart events,
-- never below 0.
-- Incremental: a run rebuilds, per customer with new events (or cart events at or after a new
-- version of their product), the sessions from the stored one holding the earliest such event on: a
-- session never reaches back past an earlier one (they are more than the gap apart), so the earlier
-- sessions are kept as stored and only the events from there on are read. A late event can join two
-- stored sessions or split none; the rebuilt sessions replace all of that customer's (delete+insert
-- on customer_id, the kept ones written back unchanged).

-- depends_on: {{ ref('int_webshop__product_classified') }} (read by incremental runs only)

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='customer_id',
    on_schema_change='fail'
) }}

{%- set gap_seconds = var('webshop_session_gap_minutes', 30) * 60 %}
{%- set since = last_built_at() %}

with

{% if is_incremental() %}
changed_products as (
    select product_id, min(modified_at) as changed_from
    from {{ ref('int_webshop__product_classified') }}
    where status = 'valid'
        and classified_at > {{ since }}
    group by product_id
),

changed_events as (
    -- the events whose session may differ from what is stored
    select customer_id, event_at
    from {{ ref('int_webshop__event_classified') }}
    where status = 'valid'
        and customer_id is not null
        and classified_at > {{ since }}

    union all

    select events.customer_id, events.event_at
    from {{ ref('int_webshop__event_classified') }} as events
    inner join changed_products
        on events.product_id = changed_products.product_id
        and events.event_at >= changed_products.changed_from
    where events.status = 'valid'
        and events.customer_id is not null
),

touched_customers as (
    -- per customer: rebuild from the stored session holding its earliest changed event (or
    -- from that event, when it is earlier than every stored session)
    select
        changed.customer_id,
        coalesce(max(stored.started_at), min(changed.changed_from)) as rebuild_from
    from (
        select customer_id, min(event_at) as changed_from
        from changed_events
        group by customer_id
    ) as changed
    left join {{ this }} as stored
        on changed.customer_id = stored.customer_id
        and stored.started_at <= changed.changed_from
    group by changed.customer_id
),

kept_sessions as (
    select stored.*
    from {{ this }} as stored
    inner join touched_customers
        on stored.customer_id = touched_customers.customer_id
        and stored.started_at < touched_customers.rebuild_from
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
    from {{ ref('int_webshop__event_classified') }} as events
    where status = 'valid'
        and customer_id is not null
    {%- if is_incremental() %}
        and exists (
            select 1 from touched_customers
            where touched_customers.customer_id = events.customer_id
                and events.event_at >= touched_customers.rebuild_from
        )
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
    left join {{ ref('int_webshop__product_versions') }} as products
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
    {{ round_measure('case when cart_change > 0 then cart_change else 0 end') }} as cart_value,
    {{ run_started_timestamp() }} as built_at
from sessions
{%- if is_incremental() %}

union all

select
    session_id,
    customer_id,
    started_at,
    ended_at,
    event_count,
    placed_order,
    cart_value,
    built_at
from kept_sessions
{%- endif %}
