-- The wire stories carried by the most outlets this week.
select story_id, title, wire_source, canonical_outlet, outlet_count, article_count
from stories_overview
where last_seen_at >= now() - interval '7 days'
order by outlet_count desc, article_count desc
limit 20;
