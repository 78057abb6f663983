-- Mart: articles per outlet and publication day: discovered, extracted, failed, canonical.
create view articles_daily as
with articles as (
    select * from stg_articles
)
select
    published_date,
    outlet,
    count(*) as articles,
    count(*) filter (where status = 'extracted') as extracted,
    count(*) filter (where status = 'failed') as failed,
    count(*) filter (where is_canonical) as canonical
from articles
group by published_date, outlet;
