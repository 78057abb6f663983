-- Mart (live): how fresh the last 24 hours are, per feed and overall. For every article
-- discovered in the last 24 h: seconds from publication to discovery (a poll saw it), to storage
-- (text extracted) and to coding (events coded), p50 and p95; plus discovery -> storage, the
-- pipeline's own latency once polling has done its part. Per feed, discovery is when that feed
-- first listed the article (feed_entries.first_seen_at) and publication is the feed's date for
-- it; overall (feed_id null, feed_name '(all)') it is the article's first discovery. A
-- publication date after discovery (clock skew) counts as lag 0. Reads feed_entries and
-- event_codings directly: no staging view carries first_seen_at or coded_at.
create view freshness as
with per_feed as (
    select
        fe.feed_id,
        coalesce(fe.published_at, a.feed_published_at, a.published_at) as published_at,
        fe.first_seen_at as discovered_at,
        a.extracted_at as stored_at,
        ec.coded_at
    from feed_entries fe
    join articles a on a.id = fe.article_id
    left join event_codings ec on ec.article_id = a.id
    where fe.first_seen_at > now() - interval '24 hours'
),
overall as (
    select
        null::integer as feed_id,
        coalesce(a.feed_published_at, a.published_at) as published_at,
        a.discovered_at,
        a.extracted_at as stored_at,
        ec.coded_at
    from articles a
    left join event_codings ec on ec.article_id = a.id
    where a.discovered_at > now() - interval '24 hours'
),
lags as (
    select
        feed_id,
        -- greatest() skips nulls: test them first so a missing step stays missing
        case when discovered_at - published_at is not null
            then greatest(extract(epoch from discovered_at - published_at), 0) end as discovered_s,
        case when stored_at - published_at is not null
            then greatest(extract(epoch from stored_at - published_at), 0) end as stored_s,
        case when coded_at - published_at is not null
            then greatest(extract(epoch from coded_at - published_at), 0) end as coded_s,
        case when stored_at - discovered_at is not null
            then greatest(extract(epoch from stored_at - discovered_at), 0) end as processing_s
    from (select * from per_feed union all select * from overall) as x
)
select
    l.feed_id,
    coalesce(f.name, '(all)') as feed_name,
    count(*) as articles,
    count(l.stored_s) as stored,
    count(l.coded_s) as coded,
    round(percentile_cont(0.5) within group (order by l.discovered_s)::numeric, 1) as discovered_p50_s,
    round(percentile_cont(0.95) within group (order by l.discovered_s)::numeric, 1) as discovered_p95_s,
    round(percentile_cont(0.5) within group (order by l.stored_s)::numeric, 1) as stored_p50_s,
    round(percentile_cont(0.95) within group (order by l.stored_s)::numeric, 1) as stored_p95_s,
    round(percentile_cont(0.5) within group (order by l.coded_s)::numeric, 1) as coded_p50_s,
    round(percentile_cont(0.95) within group (order by l.coded_s)::numeric, 1) as coded_p95_s,
    round(percentile_cont(0.5) within group (order by l.processing_s)::numeric, 1) as processing_p50_s,
    round(percentile_cont(0.95) within group (order by l.processing_s)::numeric, 1) as processing_p95_s
from lags l
left join feeds f on f.id = l.feed_id
group by l.feed_id, f.name;
