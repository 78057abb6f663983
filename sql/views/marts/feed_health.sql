-- Mart: per feed, the latest poll, the last 24 hours of polling (error rate) and the last 7 days
-- of articles (lag from publication to storage).
create view feed_health as
with feeds as (
    select * from stg_feeds
)
select
    feeds.feed_name,
    feeds.outlet,
    feeds.enabled,
    feeds.consecutive_failures,
    feeds.last_success_at,
    last_poll.started_at as last_polled_at,
    last_poll.outcome as last_outcome,
    last_poll.http_status as last_http_status,
    last_poll.error as last_error,
    recent.polls_24h,
    recent.failed_24h,
    recent.unchanged_24h,
    recent.new_entries_24h,
    round(recent.failed_24h::numeric / nullif(recent.polls_24h, 0), 4) as error_rate_24h,
    lag.articles_7d,
    lag.lag_p50_minutes_7d,
    lag.lag_p90_minutes_7d
from feeds
left join lateral (
    select started_at, outcome, http_status, error
    from stg_feed_polls as polls
    where polls.feed_id = feeds.feed_id
    order by started_at desc
    limit 1
) as last_poll on true
cross join lateral (
    select
        count(*) as polls_24h,
        count(*) filter (where outcome = 'failed') as failed_24h,
        count(*) filter (where outcome = 'unchanged') as unchanged_24h,
        coalesce(sum(entries_new), 0) as new_entries_24h
    from stg_feed_polls as polls
    where polls.feed_id = feeds.feed_id and polls.started_at > now() - interval '24 hours'
) as recent
cross join lateral (
    select
        count(*) as articles_7d,
        round((percentile_cont(0.5) within group (
            order by extract(epoch from extracted_at - published_at) / 60.0))::numeric, 1)
            as lag_p50_minutes_7d,
        round((percentile_cont(0.9) within group (
            order by extract(epoch from extracted_at - published_at) / 60.0))::numeric, 1)
            as lag_p90_minutes_7d
    from stg_articles as articles
    where articles.feed_id = feeds.feed_id
      and articles.status = 'extracted'
      and articles.extracted_at is not null
      and articles.published_at > now() - interval '7 days'
) as lag;
