-- Mart (materialized): events per day and country pair (source -> target), with Goldstein sum
-- and mean and mentions. Events without both countries are left out (no dyad).
create materialized view dyad_timeline as
with events as (
    select * from events_gdelt
    where modality not in ('negated', 'hypothetical', 'claimed') and day is not null
      and actor1_country_code is not null and actor2_country_code is not null
)
select
    day,
    actor1_country_code as source_country,
    actor2_country_code as target_country,
    count(*) as events,
    sum(num_articles)::bigint as mentions,
    count(*) filter (where quad_class in (1, 2)) as cooperation_events,
    count(*) filter (where quad_class in (3, 4)) as conflict_events,
    round(sum(goldstein_scale)::numeric, 2) as goldstein_sum,
    round(avg(goldstein_scale)::numeric, 2) as goldstein_mean
from events
group by day, actor1_country_code, actor2_country_code;
create unique index dyad_timeline_key on dyad_timeline (day, source_country, target_country);
create index dyad_timeline_dyad on dyad_timeline (source_country, target_country, day);
