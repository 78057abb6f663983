-- Staging: one row per feed poll, renamed (join stg_feeds on feed_id for the feed's name).
create view stg_feed_polls as
with source as (
    select * from feed_polls
)
select
    id as poll_id,
    feed_id,
    started_at,
    finished_at,
    extract(epoch from finished_at - started_at) as duration_s,
    http_status,
    outcome,
    entries_seen,
    entries_new,
    error,
    warning
from source;
