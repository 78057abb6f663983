-- Staging: one row per story (a wire story and its syndicated copies).
create view stg_stories as
with source as (
    select * from stories
)
select
    id as story_id,
    canonical_article_id,
    created_at,
    updated_at
from source;
