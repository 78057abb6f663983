-- Mart: per-story counts for SQL (GDELT-style mentions): articles, distinct outlets (the outlet
-- name, else the host the dedup index recorded), first and last time seen.
create view story_counts as
with stories as (
    select story_id, canonical_article_id from stg_stories
),
articles as (
    select article_id, story_id, outlet, published_at, discovered_at from stg_articles
),
docs as (
    select article_id, host from stg_dedup_docs
)
select
    stories.story_id,
    stories.canonical_article_id,
    count(articles.article_id) as article_count,
    count(distinct coalesce(articles.outlet, docs.host)) as outlet_count,
    min(coalesce(articles.published_at, articles.discovered_at)) as first_seen_at,
    max(coalesce(articles.published_at, articles.discovered_at)) as last_seen_at
from stories
join articles on articles.story_id = stories.story_id
left join docs on docs.article_id = articles.article_id
group by stories.story_id, stories.canonical_article_id;
