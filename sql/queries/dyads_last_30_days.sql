-- Who did what to whom over the last 30 days: the busiest dyads by root code, with mentions.
select source_country, target_country, root_code, sum(events) as events, sum(mentions) as mentions,
       round(avg(avg_goldstein), 2) as avg_goldstein
from events_daily
where day >= current_date - 30
group by source_country, target_country, root_code
order by mentions desc
limit 25;
