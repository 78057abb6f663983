-- Staging: one row per configured feed, renamed for dashboards.
create view stg_feeds as
with source as (
    select * from feeds
)
select
    id as feed_id,
    name as feed_name,
    outlet,
    url as feed_url,
    language,
    enabled,
    poll_interval_minutes,
    last_polled_at,
    last_success_at,
    consecutive_failures
from source;
