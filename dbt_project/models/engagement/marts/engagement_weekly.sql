-- Contract table: the daily fact rolled up to ISO weeks (Monday to Sunday, `week_start` = the
-- Monday; a week may span two months or two years: the week of Monday 2020-12-28 holds
-- 2021-01-01..03). Same dimensions and additive measures, plus completion_rate and
-- avg_duration_seconds. It reads the daily-partitioned asset engagement_daily.


{{ engagement_rollup(iso_week_start('date'), 'week_start', 'date') }}
