-- Contract table: the quarantine. Every rejected raw row of the domain with its reason and what
-- it carried, so nothing that arrived is silently lost (duplicates are counted in the
-- int_webshop__*_classified models, not listed). `source_file` is the file's path under
-- landing/webshop/ (`order/2024-12-30.jsonl`); `source` the operational table. An order line
-- missing its order or product is listed until that row arrives. Columns by `quarantine_select`.

{%- set sources = {
    'customer': 'customer_id',
    'product': 'product_id',
    'order': 'order_id',
    'orderitem': 'order_item_id',
    'event': 'event_id',
    'customeraddress': 'customer_address_id',
} %}

with

rejected_rows as (
    {%- for source, id_column in sources.items() %}
    select
        {{ dbt.concat(["'" ~ source ~ "/'", 'source_file']) }} as source_file,
        line_number,
        file_hash,
        reason,
        raw_record,
        ingested_at,
        '{{ source }}' as source,
        cast({{ id_column }} as {{ dbt.type_string() }}) as record_id
    from {{ ref('int_webshop__' ~ source ~ '_classified') }}
    where status = 'rejected'
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

{{ quarantine_select('rejected_rows', ['source', 'record_id']) }}
