-- Contract table: the quarantine. Every rejected raw row of the domain with its reason and what
-- it carried, so nothing that arrived is silently lost (duplicates are counted in the
-- classified models, not listed): web events and heartbeats whose own text is no valid record,
-- and the heartbeats the stream processor refused against the watermark (late_event,
-- stream_closed). Each raw row once: the processor reads only heartbeats dbt judged valid.
-- `source_file` is the file's path under landing/webapp/ (`events/...`, `playback/...`).
-- Columns by `quarantine_select`.
--
-- The processor's table is a source mapped to the processor's asset, so a Dagster run builds
-- this model after the processor. It does not exist before the processor's first run (a dbt
-- build on a new warehouse, or the models materialized alone): then nothing has been judged.

with

rejected_events as (
    select
        {{ dbt.concat(["'events/'", 'source_file']) }} as source_file,
        line_number,
        file_hash,
        reason,
        raw_record,
        ingested_at,
        user_id,
        device_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        cast(null as {{ dbt.type_string() }}) as program_id,
        event_time_text as event_time
    from {{ ref('int_webapp__events_classified') }}
    where status = 'rejected'
),

rejected_heartbeats as (
    select
        {{ dbt.concat(["'playback/'", 'source_file']) }} as source_file,
        line_number,
        file_hash,
        reason,
        raw_record,
        ingested_at,
        user_id,
        cast(null as {{ dbt.type_string() }}) as device_id,
        session_id,
        program_id,
        event_time_text as event_time
    from {{ ref('int_webapp__playback_classified') }}
    where status = 'rejected'
),

{#- source() is called on every parse, so the lineage holds even when the table is missing #}
{%- set judged = source('webapp', 'int_webapp__playback_rejected_heartbeats') %}
{%- set judged_exists = true %}
{%- if execute %}{% set judged_exists = load_relation(judged) is not none %}{% endif %}
{%- if judged_exists %}

judged_heartbeats as (
    select
        source_file,
        line_number,
        file_hash,
        reason,
        raw_record,
        ingested_at,
        user_id,
        cast(null as {{ dbt.type_string() }}) as device_id,
        session_id,
        program_id,
        event_time
    from {{ judged }}
),
{%- endif %}

rejected_rows as (
    select * from rejected_events
    union all
    select * from rejected_heartbeats
    {%- if judged_exists %}
    union all
    select * from judged_heartbeats
    {%- endif %}
)

{{ quarantine_select(
    'rejected_rows',
    ['user_id', 'device_id', 'session_id', 'program_id', 'event_time']
) }}
