-- Mart (materialized): events per day, root code and quad class, for timelines over any range.
-- Negated, hypothetical and claimed events are left out: they did not happen. Mentions count
-- every stored article carrying the event's story (syndicated copies included).
create materialized view events_timeline as
with events as (
    select * from events_gdelt
    where modality not in ('negated', 'hypothetical', 'claimed') and day is not null
)
select
    day,
    event_root_code as root_code,
    quad_class,
    count(*) as events,
    sum(num_articles)::bigint as mentions,
    round(sum(goldstein_scale)::numeric, 2) as goldstein_sum,
    round(avg(goldstein_scale)::numeric, 2) as goldstein_mean
from events
group by day, event_root_code, quad_class;
create unique index events_timeline_key on events_timeline (day, root_code, quad_class);
create index events_timeline_root on events_timeline (root_code, day);
