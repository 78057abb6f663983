-- Staging: one row per feed poll, renamed (join stg_feeds on feed_id for the feed's name).
-- No CTE here, unlike the other staging views: inside feed_health's LATERAL "latest poll" lookup
-- the planner could not flatten the CTE form, and read every poll of every feed (6.9 s at 4.4 M
-- polls) instead of one index entry per feed.
create view stg_feed_polls as
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
from feed_polls;
