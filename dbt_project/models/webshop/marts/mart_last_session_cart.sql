-- Contract table: for each customer whose last session (latest started_at) contains a
-- placed_order event: the customer, their current email, that session and its cart_value.

with

ranked_sessions as (
    select
        *,
        row_number() over (partition by customer_id order by started_at desc) as session_rank
    from {{ ref('fct_sessions') }}
)

select
    sessions.customer_id,
    customers.email,
    sessions.session_id,
    sessions.started_at,
    sessions.ended_at,
    sessions.cart_value
from ranked_sessions as sessions
left join {{ ref('dim_customer') }} as customers
    on sessions.customer_id = customers.customer_id
    and customers.is_current
where sessions.session_rank = 1
    and sessions.placed_order
