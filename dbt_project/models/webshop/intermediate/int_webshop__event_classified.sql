-- Every raw event row exactly once with one status: 'rejected' (staging's reason), 'duplicate'
-- (a later delivery of a version already received) or 'valid' (the first delivery of each
-- version); a version is an event id (event ids are deduplicated: the first delivery wins).
-- Incremental: a row's status never changes once judged, so a run judges only the new rows
-- (raw_id beyond the stored ones) against the stored versions of their keys.

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='raw_id',
    on_schema_change='fail'
) }}

with

rows_in_scope as (
    select *
    from {{ ref('stg_webshop__events') }}
    {%- if is_incremental() %}
    where {{ raw_id_beyond_stored() }}
    {%- endif %}
)

{{ classify_appended_versions('rows_in_scope', ['event_id']) }}
