-- Mart: failed articles by outlet and reason, with an example URL and the latest detail.
create view fetch_failures as
with failed as (
    select * from stg_articles where status = 'failed'
)
select
    outlet,
    failure_reason,
    count(*) as articles,
    min(canonical_url) as example_url,
    (array_agg(failure_detail order by discovered_at desc))[1] as latest_detail
from failed
group by outlet, failure_reason;
