-- One row per raw product row: the operational columns typed and the first reason the row is
-- no usable record: a negative price, a discount outside 0-100 (the spec's bad input).

{% set product = json_fields('record', [
    'name', 'description', 'EAN', 'price', 'discount_percent', 'brand_id', 'inventory',
    'published'
]) %}

with

raw_rows as (
    select
        {{ raw_row_columns() }},
        record
    from {{ source('webshop', 'raw_webshop_product') }}
),

typed_rows as (
    select
        *,
        {{ operational_row_fields('product') }},
        {{ product['name'] }} as name,
        {{ product['description'] }} as description,
        {{ product['EAN'] }} as ean,
        {{ round_measure(try_cast(product['price'], type_double())) }} as price,
        {{ round_measure(try_cast(product['discount_percent'], type_double())) }}
            as discount_percent,
        {{ try_cast(product['brand_id'], dbt.type_bigint()) }} as brand_id,
        {{ try_cast(product['inventory'], dbt.type_bigint()) }} as inventory,
        {{ try_cast(product['published'], dbt.type_boolean()) }} as published
    from raw_rows
)

select
    raw_id,
    source_file,
    file_hash,
    line_number,
    ingested_at,
    raw_record,
    product_id,
    created_at,
    modified_at,
    name,
    description,
    ean,
    price,
    discount_percent,
    brand_id,
    inventory,
    published,
    case
        {{ operational_row_reason('product') }}
        when price < 0 then 'negative_price'
        when discount_percent < 0 or discount_percent > 100 then 'discount_out_of_range'
    end as reason
from typed_rows
