-- Mart (materialized): the lag from publication to storage (extraction) per publication day:
-- quantiles in minutes over the extracted articles with a publication date.
create materialized view ingestion_lag as
with lags as (
    select
        published_date as day,
        extract(epoch from extracted_at - published_at) / 60.0 as lag_minutes
    from stg_articles
    where status = 'extracted' and published_at is not null and extracted_at is not null
)
select
    day,
    count(*) as articles,
    round(percentile_cont(0.5) within group (order by lag_minutes)::numeric, 1) as p50_minutes,
    round(percentile_cont(0.9) within group (order by lag_minutes)::numeric, 1) as p90_minutes,
    round(percentile_cont(0.99) within group (order by lag_minutes)::numeric, 1) as p99_minutes,
    round(max(lag_minutes)::numeric, 1) as max_minutes
from lags
group by day;
create unique index ingestion_lag_key on ingestion_lag (day);
