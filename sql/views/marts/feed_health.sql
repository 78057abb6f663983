-- Mart: per feed, the latest poll and the last 24 hours of polling.
create view feed_health as
with polls as (
    select * from stg_feed_polls
),
last_poll as (
    select distinct on (feed_name) feed_name, started_at, outcome, http_status, error
    from polls
    order by feed_name, started_at desc
),
recent as (
    select
        feed_name,
        count(*) as polls_24h,
        count(*) filter (where outcome = 'failed') as failed_24h,
        count(*) filter (where outcome = 'unchanged') as unchanged_24h,
        sum(entries_new) as new_entries_24h
    from polls
    where started_at > now() - interval '24 hours'
    group by feed_name
)
select
    feeds.name as feed_name,
    feeds.outlet,
    feeds.enabled,
    feeds.consecutive_failures,
    feeds.last_success_at,
    last_poll.started_at as last_polled_at,
    last_poll.outcome as last_outcome,
    last_poll.http_status as last_http_status,
    last_poll.error as last_error,
    coalesce(recent.polls_24h, 0) as polls_24h,
    coalesce(recent.failed_24h, 0) as failed_24h,
    coalesce(recent.unchanged_24h, 0) as unchanged_24h,
    coalesce(recent.new_entries_24h, 0) as new_entries_24h
from feeds
left join last_poll on last_poll.feed_name = feeds.name
left join recent on recent.feed_name = feeds.name;
