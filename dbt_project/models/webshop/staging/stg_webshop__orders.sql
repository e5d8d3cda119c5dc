-- One row per raw order row: the operational columns typed and the first reason the row is no
-- usable record, or a status outside the spec's five (`unknown_status`). An order's
-- `created_at` is when it was placed; each version carries the status at extraction time.

{%- set statuses = ['placed', 'paid', 'shipped', 'delivered', 'cancelled'] %}

{% set order = json_fields('record', [
    'customer_id', 'status', 'customer_address_id'
]) %}

with

raw_rows as (
    select
        {{ raw_row_columns() }},
        record
    from {{ source('webshop', 'raw_webshop_order') }}
),

typed_rows as (
    select
        *,
        {{ operational_row_fields('order') }},
        {{ try_cast(order['customer_id'], dbt.type_bigint()) }} as customer_id,
        lower(trim({{ order['status'] }})) as status_text,
        {{ try_cast(order['customer_address_id'], dbt.type_bigint()) }}
            as customer_address_id
    from raw_rows
)

select
    raw_id,
    source_file,
    file_hash,
    line_number,
    ingested_at,
    raw_record,
    order_id,
    created_at,
    modified_at,
    customer_id,
    status_text as order_status,
    customer_address_id,
    case
        {{ operational_row_reason('order') }}
        when coalesce(status_text, '') not in ('{{ statuses | join("', '") }}')
            then 'unknown_status'
    end as reason
from typed_rows
