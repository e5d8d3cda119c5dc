-- The rows of `fct_order_status_changes` (a view over this table, without `built_at`: the run that
-- wrote a row, which the incremental runs read and the contract leaves out): one row per observed
-- order version (a status as the daily extract saw it), deduplicated (a re-delivered row is a
-- duplicate in int_webshop__order_classified): `changed_at` is the version's modified_at,
-- `previous_status` the status of the version observed before it (NULL for the first). The history
-- ship times come from: a status that came and went within one day is never observed, so an order
-- can go from `paid` to `delivered`.
-- Incremental: a run rebuilds the history of the orders it received a new version of.

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='order_id',
    on_schema_change='fail'
) }}

with

touched_orders as (
    select distinct order_id
    from {{ ref('int_webshop__order_classified') }}
    where status = 'valid'
    {%- if is_incremental() %}
        and classified_at > {{ last_built_at() }}
    {%- endif %}
),

versions as (
    select *
    from {{ ref('int_webshop__order_classified') }}
    where status = 'valid'
        and order_id in (select order_id from touched_orders)
)

select
    order_id,
    order_status as status,
    modified_at as changed_at,
    lag(order_status) over (partition by order_id order by modified_at) as previous_status,
    created_at as placed_at,
    customer_id,
    customer_address_id,
    {{ run_started_timestamp() }} as built_at
from versions
