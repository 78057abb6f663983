-- Mart: one real-world event counted once, ICEWS-style. Events coded on the same day with the
-- same source, target and CAMEO code are one event however many articles reported it: this
-- row says how many coded events, stories (independent write-ups), articles (syndicated copies
-- included) and outlets carried it. Negated, hypothetical and claimed
-- events are left out.
create view real_world_events as
with mentions as (
    select * from article_events
    where modality not in ('negated', 'hypothetical', 'claimed') and event_date is not null
)
select
    event_date as day,
    source_code,
    target_code,
    cameo_code,
    min(source_country)::text as source_country,
    min(target_country) as target_country,
    min(root_code) as root_code,
    min(quad_class) as quad_class,
    round(avg(goldstein)::numeric, 2) as goldstein,
    count(distinct event_id) as n_coded_events,
    count(distinct story_id) as n_stories,
    count(distinct article_id) as n_articles,
    count(distinct outlet) as n_outlets,
    min(published_at) as first_reported_at
from mentions
group by event_date, source_code, target_code, cameo_code;
