-- Staging: coded events with their article's story and outlet; one row per stored event.
create view stg_events as
with events as (
    select * from events
),
articles as (
    select id, story_id, outlet, canonical_url, published_at from articles
)
select
    events.id as event_id,
    events.article_id,
    articles.story_id,
    articles.outlet,
    articles.canonical_url as source_url,
    articles.published_at,
    events.sentence_index,
    events.event_date,
    events.date_precision,
    events.source_text,
    events.source_code,
    events.source_country,
    events.source_role,
    events.target_text,
    events.target_code,
    events.target_country,
    events.target_role,
    events.cameo_code,
    events.base_code,
    events.root_code,
    events.quad_class,
    events.goldstein,
    events.modality,
    events.location_name,
    events.location_country,
    events.trigger,
    events.confidence,
    events.coder_version
from events
join articles on articles.id = events.article_id;
