-- Mart (materialized): top_actors_daily rolled up to ISO weeks (week = the Monday it starts on).
create materialized view top_actors_weekly as
with events as (
    select * from events_gdelt
    where modality not in ('negated', 'hypothetical', 'claimed') and day is not null
),
roles as (
    select date_trunc('week', day)::date as week, actor1_code as actor_code,
           actor1_country_code as actor_country, true as is_source, num_articles, goldstein_scale
    from events where actor1_code is not null
    union all
    select date_trunc('week', day)::date, actor2_code, actor2_country_code, false,
           num_articles, goldstein_scale
    from events where actor2_code is not null
)
select
    week,
    actor_code,
    min(actor_country) as actor_country,
    count(*) as events,
    count(*) filter (where is_source) as as_source,
    count(*) filter (where not is_source) as as_target,
    sum(num_articles)::bigint as mentions,
    round(avg(goldstein_scale)::numeric, 2) as goldstein_mean
from roles
group by week, actor_code;
create unique index top_actors_weekly_key on top_actors_weekly (week, actor_code);
create index top_actors_weekly_rank on top_actors_weekly (week, events desc);
