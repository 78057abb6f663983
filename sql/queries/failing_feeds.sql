-- Feeds that failed their last poll or keep failing: what to fix first.
select feed_name, outlet, consecutive_failures, last_outcome, last_http_status, last_error
from feed_health
where last_outcome = 'failed' or consecutive_failures > 0
order by consecutive_failures desc, feed_name;
