-- One row per raw tracker event: `event` read whether it came as an object or as a string
-- holding its JSON, its hyphenated keys as columns; the event's time is `event.timestamp`
-- (naive UTC); `created_at`/`modified_at` are not needed (the shop's JSON export has none).
-- `quantity` of a cart event defaults to 1. The record text is kept for rejected rows only
-- (the quarantine lists them; at millions of events the rest would double the table).

{% set tracked = json_fields('record', [
    'id', 'type', 'event'
]) %}
{% set payload_field = json_fields('payload', [
    'timestamp', 'customer-id', 'product', 'quantity', 'page', 'referrer', 'position',
    'query', 'ip', 'user-agent'
]) %}

with

raw_rows as (
    select
        {{ raw_row_columns() }},
        record
    from {{ source('webshop', 'raw_webshop_event') }}
),

extracted_fields as (
    select
        *,
        {{ try_cast(tracked['id'], dbt.type_bigint()) }} as event_id,
        nullif(trim({{ tracked['type'] }}), '') as event_type,
        {{ tracked['event'] }} as raw_payload,
        {{ json_object_text('record', 'event') }} as payload
    from raw_rows
),

typed_fields as (
    select
        *,
        {{ parse_utc_timestamp(
            "nullif(trim(" ~ payload_field['timestamp'] ~ "), '')"
        ) }} as event_at,
        {{ try_cast(payload_field['customer-id'], dbt.type_bigint()) }} as customer_id,
        {{ try_cast(payload_field['product'], dbt.type_bigint()) }} as product_id,
        {{ try_cast(payload_field['quantity'], dbt.type_bigint()) }} as raw_quantity,
    from extracted_fields
),

checked_events as (
    select
        *,
        case
            when load_error is not null then load_error
            when not is_json_object then 'malformed_json'
            when event_id is null then 'missing_id'
            -- `event` present but neither an object nor a string holding one
            when payload is null then 'malformed_json'
            when event_at is null then 'unparseable_time'
            when raw_quantity < 0 then 'negative_quantity'
        end as reason
    from typed_fields
)

select
    raw_id,
    source_file,
    file_hash,
    line_number,
    ingested_at,
    case when reason is not null then raw_record end as raw_record,
    event_id,
    event_type,
    event_at,
    customer_id,
    nullif(trim({{ payload_field['page'] }}), '') as page,
    nullif(trim({{ payload_field['referrer'] }}), '') as referrer,
    product_id,
    case
        when event_type in ('add_product_to_cart', 'remove_product_from_cart')
            then coalesce(raw_quantity, 1)
        else raw_quantity
    end as quantity,
    {{ try_cast(payload_field['position'], dbt.type_bigint()) }} as position,
    {{ payload_field['query'] }} as search_query,
    {{ payload_field['ip'] }} as ip,
    {{ payload_field['user-agent'] }} as user_agent,
    reason
from checked_events
