-- Mart (materialized): per day and actor (CAMEO actor code), how often it acted or was acted on.
-- An event counts for its source and for its target; negated, hypothetical and
-- claimed events are left out.
create materialized view top_actors_daily as
with events as (
    select * from events_gdelt
    where modality not in ('negated', 'hypothetical', 'claimed') and day is not null
),
roles as (
    select day, actor1_code as actor_code, actor1_country_code as actor_country,
           true as is_source, num_articles, goldstein_scale
    from events where actor1_code is not null
    union all
    select day, actor2_code, actor2_country_code, false, num_articles, goldstein_scale
    from events where actor2_code is not null
)
select
    day,
    actor_code,
    min(actor_country) as actor_country,
    count(*) as events,
    count(*) filter (where is_source) as as_source,
    count(*) filter (where not is_source) as as_target,
    sum(num_articles)::bigint as mentions,
    round(avg(goldstein_scale)::numeric, 2) as goldstein_mean
from roles
group by day, actor_code;
create unique index top_actors_daily_key on top_actors_daily (day, actor_code);
