-- Mart (materialized): per outlet and publication day, how many extracted articles were copies
-- of another (same URL, same text or near-duplicate) and the share they make.
create materialized view duplicate_rate_by_outlet as
with articles as (
    select * from stg_articles
    where status = 'extracted' and published_date is not null
)
select
    published_date,
    coalesce(outlet, '') as outlet,
    count(*) as articles,
    count(*) filter (where duplicate_of_id is not null) as duplicates,
    count(*) filter (where dedup_method = 'text') as exact_copies,
    count(*) filter (where dedup_method = 'near') as near_copies,
    round(count(*) filter (where duplicate_of_id is not null)::numeric / count(*), 4)
        as duplicate_rate
from articles
group by published_date, coalesce(outlet, '');
create unique index duplicate_rate_by_outlet_key
    on duplicate_rate_by_outlet (published_date, outlet);
