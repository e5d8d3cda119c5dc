-- Contract table: the quarantine. Every rejected raw row with its reason and what it carried,
-- so nothing that arrived is silently lost (exact duplicates are counted, not listed here).
-- A view over the incremental `int_schools__rejected_events`.

{{ config(materialized='view') }}

with

rejected_events as (
    select * from {{ ref('int_schools__rejected_events') }}
    -- rows without reason stand for rows that are no longer rejected
    where reason is not null
)

select
    cast(source_file as {{ dbt.type_string() }}) as source_file,
    cast(line_number as {{ dbt.type_bigint() }}) as line_number,
    cast(file_hash as {{ dbt.type_string() }}) as file_hash,
    cast(reason as {{ dbt.type_string() }}) as reason,
    cast(event_type as {{ dbt.type_string() }}) as event_type,
    cast(event_time as {{ dbt.type_string() }}) as event_time,
    cast(log_id as {{ dbt.type_string() }}) as log_id,
    cast(raw_record as {{ dbt.type_string() }}) as raw_record,
    cast(ingested_at as {{ dbt.type_timestamp() }}) as ingested_at
from rejected_events
