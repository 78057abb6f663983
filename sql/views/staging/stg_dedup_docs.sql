-- Staging: one row per article in the dedup index, with the host it was indexed under.
create view stg_dedup_docs as
with source as (
    select * from dedup_docs
)
select
    article_id,
    host,
    seen_at,
    complete,
    wire_origin
from source;
