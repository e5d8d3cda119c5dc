-- One row per raw customer row: the operational columns typed and the first reason the row is
-- no usable record (NULL when none). Classification (re-deliveries) is
-- int_webshop__customer_classified's job.

{% set customer = json_fields('record', [
    'name', 'email', 'phone_number'
]) %}

with

raw_rows as (
    select
        {{ raw_row_columns() }},
        record
    from {{ source('webshop', 'raw_webshop_customer') }}
),

typed_rows as (
    select
        *,
        {{ operational_row_fields('customer') }},
        {{ customer['name'] }} as name,
        {{ customer['email'] }} as email,
        {{ customer['phone_number'] }} as phone_number
    from raw_rows
)

select
    raw_id,
    source_file,
    file_hash,
    line_number,
    ingested_at,
    raw_record,
    customer_id,
    created_at,
    modified_at,
    name,
    email,
    phone_number,
    case {{ operational_row_reason('customer') }} end as reason
from typed_rows
