-- Contract table: the daily fact rolled up to calendar years (`year` of the UTC day). Same
-- dimensions and additive measures, plus completion_rate and avg_duration_seconds. It reads the
-- daily-partitioned asset engagement_daily.


{{ engagement_rollup("cast(extract(year from date) as " ~ dbt.type_int() ~ ")", 'year', dbt.type_int()) }}
