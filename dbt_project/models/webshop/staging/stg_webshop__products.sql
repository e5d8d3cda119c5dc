-- One row per raw product row: the operational columns typed and the first reason the row is
-- no usable record: a negative price, a discount outside 0-100 (the spec's bad input).

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
        {{ json_field('record', 'name') }} as name,
        {{ json_field('record', 'description') }} as description,
        {{ json_field('record', 'EAN') }} as ean,
        {{ round_measure(try_cast(json_field('record', 'price'), type_double())) }} as price,
        {{ round_measure(try_cast(json_field('record', 'discount_percent'), type_double())) }}
            as discount_percent,
        {{ try_cast(json_field('record', 'brand_id'), dbt.type_bigint()) }} as brand_id,
        {{ try_cast(json_field('record', 'inventory'), dbt.type_bigint()) }} as inventory,
        {{ try_cast(json_field('record', 'published'), dbt.type_boolean()) }} as published
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
