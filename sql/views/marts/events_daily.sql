-- Mart: events per day, dyad and root code, weighted by how many articles carried each story.
-- Negated, hypothetical and claimed events are left out: they did not happen (a claimed one is
-- what someone claims or alleges another did).
create view events_daily as
with events as (
    select * from events_gdelt
    where modality not in ('negated', 'hypothetical', 'claimed')
)
select
    day,
    actor1_country_code as source_country,
    actor2_country_code as target_country,
    event_root_code as root_code,
    quad_class,
    count(*) as events,
    sum(num_articles)::bigint as mentions,
    round(avg(goldstein_scale)::numeric, 2) as avg_goldstein
from events
group by day, actor1_country_code, actor2_country_code, event_root_code, quad_class;
