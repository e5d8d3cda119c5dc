-- Contract table: per ISO week of placement (`week_start`, a Monday): `orders` placed that week,
-- cancelled ones too, and `total_discount` over the orders that do not end `cancelled` (their
-- discount_total: quantity x price x discount_percent / 100 of the product version valid at
-- placement).

select
    {{ iso_week_start('placed_at') }} as week_start,
    {{ iso_year('placed_at') }} as iso_year,
    {{ iso_week_number('placed_at') }} as iso_week,
    count(*) as orders,
    count(case when current_status = 'cancelled' then 1 end) as orders_cancelled,
    {{ round_measure(
        "coalesce(sum(case when current_status <> 'cancelled' then discount_total end), 0)"
    ) }} as total_discount
from {{ ref('fct_orders') }}
group by 1, 2, 3
