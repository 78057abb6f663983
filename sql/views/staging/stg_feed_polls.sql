-- Staging: one row per feed poll, with the feed's name and outlet.
create view stg_feed_polls as
with polls as (
    select * from feed_polls
),
feeds as (
    select id, name, outlet from feeds
)
select
    polls.id as poll_id,
    polls.feed_id,
    feeds.name as feed_name,
    feeds.outlet,
    polls.started_at,
    polls.finished_at,
    extract(epoch from polls.finished_at - polls.started_at) as duration_s,
    polls.http_status,
    polls.outcome,
    polls.entries_seen,
    polls.entries_new,
    polls.error,
    polls.warning
from polls
join feeds on feeds.id = polls.feed_id;
