-- Mart: a GDELT-2.0-shaped event table. Counts come from the story, not frozen at first sight:
-- num_articles is how many stored articles carry the story, num_sources how many outlets.
create view events_gdelt as
with events as (
    select * from stg_events
),
stories as (
    select story_id, article_count, outlet_count from story_counts
)
select
    events.event_id as global_event_id,
    events.event_date as day,
    events.date_precision,
    events.source_code as actor1_code,
    events.source_text as actor1_name,
    events.source_country as actor1_country_code,
    events.source_role as actor1_type1_code,
    events.target_code as actor2_code,
    events.target_text as actor2_name,
    events.target_country as actor2_country_code,
    events.target_role as actor2_type1_code,
    events.modality = 'asserted' as is_root_event,
    events.cameo_code as event_code,
    events.base_code as event_base_code,
    events.root_code as event_root_code,
    events.quad_class,
    events.goldstein as goldstein_scale,
    events.modality,
    coalesce(stories.article_count, 1) as num_articles,
    coalesce(stories.outlet_count, 1) as num_sources,
    events.location_name as action_geo_fullname,
    events.location_country as action_geo_country_code,
    events.source_url,
    events.published_at as date_added,
    events.confidence
from events
left join stories on stories.story_id = events.story_id;
