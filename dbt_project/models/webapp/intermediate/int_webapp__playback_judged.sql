-- Every raw heartbeat exactly once with its final status: dbt's (int_webapp__playback_classified)
-- except for the valid heartbeats the stream processor refused against the watermark, which are
-- 'rejected' with its reason (late_event, stream_closed). The reconciliation of
-- raw_webapp_playback reads it (received = valid + rejected + duplicates, the late and
-- closed-stream heartbeats counted as rejected) and webapp_rejected_events lists its rejected
-- rows, so the two agree by construction.
--
-- The processor's table is a source mapped to the processor's asset: a Dagster run builds this
-- view (and the quarantine) after the processor. Before the processor's first run the table
-- does not exist and nothing has been judged: the view is then dbt's statuses. A view: nothing
-- to rewrite per run; DuckDB binds it when dbt creates it, every build.

{{ config(materialized='view') }}

{#- source() on every parse, so the lineage holds even when the table is missing #}
{%- set judged = source('webapp', 'int_webapp__playback_rejected_heartbeats') %}
{%- set judged_exists = true %}
{#- (in a unit test the source is a fixture CTE: it exists) #}
{%- if execute and not judged.is_cte %}
    {%- set judged_exists = load_relation(judged) is not none %}
{%- endif %}

select
    classified.raw_id,
    classified.source_file,
    classified.file_hash,
    classified.line_number,
    classified.ingested_at,
    {%- if judged_exists %}
    case when judged.reason is not null then 'rejected' else classified.status end as status,
    coalesce(classified.reason, judged.reason) as reason,
    -- the classification keeps the text of its own rejects only; the processor of its own
    coalesce(classified.raw_record, judged.raw_record) as raw_record,
    {%- else %}
    classified.status,
    classified.reason,
    classified.raw_record,
    {%- endif %}
    classified.user_id,
    classified.session_id,
    classified.program_id,
    classified.event_time_text
from {{ ref('int_webapp__playback_classified') }} as classified
{%- if judged_exists %}
left join {{ judged }} as judged
    on judged.source_file = {{ dbt.concat(["'playback/'", 'classified.source_file']) }}
    and judged.file_hash = classified.file_hash
    and judged.line_number = classified.line_number
{%- endif %}
