-- Mart: every article (canonical or duplicate) with the events of its canonical article: a
-- duplicate is coded once, through the article it duplicates.
create view article_events as
with articles as (
    select article_id, story_id, duplicate_of_id, outlet, published_at from stg_articles
),
events as (
    select * from stg_events
)
select
    articles.article_id,
    articles.story_id,
    coalesce(articles.duplicate_of_id, articles.article_id) as canonical_article_id,
    articles.duplicate_of_id is not null as is_duplicate,
    articles.outlet,
    articles.published_at,
    events.event_id,
    events.sentence_index,
    events.event_date,
    events.date_precision,
    events.source_code,
    events.source_country,
    events.target_code,
    events.target_country,
    events.cameo_code,
    events.base_code,
    events.root_code,
    events.quad_class,
    events.goldstein,
    events.modality,
    events.location_name,
    events.location_country,
    events.confidence
from articles
join events on events.article_id = coalesce(articles.duplicate_of_id, articles.article_id);
