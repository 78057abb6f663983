-- Which outlets published the most extracted articles over the last seven days?
select outlet, sum(extracted) as extracted, sum(failed) as failed
from articles_daily
where published_date >= current_date - 7
group by outlet
order by extracted desc
limit 20;
