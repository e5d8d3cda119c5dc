-- Contract table: per ISO week of placement (`week_start`, a Monday; an order placed on
-- 2025-01-01 belongs to the week of Monday 2024-12-30, ISO week 1 of 2025): the orders placed,
-- `orders_shipped` (those with a known shipped_at) and `avg_hours_placed_to_shipped` over them
-- (NULL when none). Every week with an order placed is listed.

select
    {{ iso_week_start('placed_at') }} as week_start,
    {{ iso_year('placed_at') }} as iso_year,
    {{ iso_week_number('placed_at') }} as iso_week,
    count(*) as orders_placed,
    count(shipped_at) as orders_shipped,
    {{ round_measure('avg(hours_to_ship)') }} as avg_hours_placed_to_shipped
from {{ ref('fct_orders') }}
group by 1, 2, 3
