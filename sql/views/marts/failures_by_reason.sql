-- Mart: failed articles by reason: how many, across how many outlets, and when last seen.
create view failures_by_reason as
with failed as (
    select * from stg_articles where status = 'failed'
)
select
    coalesce(failure_reason, 'unknown') as failure_reason,
    count(*) as articles,
    count(distinct outlet) as outlets,
    max(coalesce(fetched_at, discovered_at)) as last_failed_at
from failed
group by coalesce(failure_reason, 'unknown');
