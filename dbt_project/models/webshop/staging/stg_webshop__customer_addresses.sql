-- One row per raw customer address row (ingested and classified, not modelled until a question
-- needs it): the operational columns typed and the first reason the row is no usable record.

with

raw_rows as (
    select
        {{ raw_row_columns() }},
        record
    from {{ source('webshop', 'raw_webshop_customeraddress') }}
),

typed_rows as (
    select
        *,
        {{ operational_row_fields('customer_address') }},
        {{ try_cast(json_field('record', 'customer_id'), dbt.type_bigint()) }} as customer_id
    from raw_rows
)

select
    raw_id,
    source_file,
    file_hash,
    line_number,
    ingested_at,
    raw_record,
    customer_address_id,
    created_at,
    modified_at,
    customer_id,
    case {{ operational_row_reason('customer_address') }} end as reason
from typed_rows
