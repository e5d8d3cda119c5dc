-- One row per raw order line: the operational columns typed and the first syntax reason the
-- row is no usable record (negative quantity or price). Whether its order and product have
-- arrived is judged on every build by int_webshop__orderitem_classified.

{% set order_item = json_fields('record', [
    'order_id', 'product_id', 'quantity', 'price'
]) %}

with

raw_rows as (
    select
        {{ raw_row_columns() }},
        record
    from {{ source('webshop', 'raw_webshop_orderitem') }}
),

typed_rows as (
    select
        *,
        {{ operational_row_fields('order_item') }},
        {{ try_cast(order_item['order_id'], dbt.type_bigint()) }} as order_id,
        {{ try_cast(order_item['product_id'], dbt.type_bigint()) }} as product_id,
        {{ try_cast(order_item['quantity'], dbt.type_bigint()) }} as quantity,
        {{ round_measure(try_cast(order_item['price'], type_double())) }} as price
    from raw_rows
)

select
    raw_id,
    source_file,
    file_hash,
    line_number,
    ingested_at,
    raw_record,
    order_item_id,
    created_at,
    modified_at,
    order_id,
    product_id,
    quantity,
    price,
    case
        {{ operational_row_reason('order_item') }}
        when quantity < 0 then 'negative_quantity'
        when price < 0 then 'negative_price'
    end as syntax_reason
from typed_rows
