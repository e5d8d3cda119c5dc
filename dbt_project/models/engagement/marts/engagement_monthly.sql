-- Contract table: the daily fact rolled up to calendar months (`month_start` = the first day).
-- Same dimensions and additive measures, plus completion_rate and avg_duration_seconds. It
-- reads the daily-partitioned asset engagement_daily.


{{ engagement_rollup("cast(" ~ dbt.date_trunc('month', 'date') ~ " as date)", 'month_start', 'date') }}
