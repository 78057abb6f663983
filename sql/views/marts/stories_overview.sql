-- Mart: one row per story (a wire story and all its syndicated copies) with its canonical article
-- and how many events were coded from it (once, on the canonical article).
create view stories_overview as
with counts as (
    select * from story_counts
),
canonical as (
    select article_id, title, outlet, wire_source, published_date, canonical_url
    from stg_articles
),
coded as (
    select article_id, count(*) as event_count from stg_events group by article_id
)
select
    counts.story_id,
    canonical.title,
    canonical.outlet as canonical_outlet,
    canonical.wire_source,
    canonical.published_date,
    canonical.canonical_url,
    counts.article_count,
    counts.outlet_count,
    coalesce(coded.event_count, 0) as event_count,
    counts.first_seen_at,
    counts.last_seen_at
from counts
left join canonical on canonical.article_id = counts.canonical_article_id
left join coded on coded.article_id = counts.canonical_article_id;
