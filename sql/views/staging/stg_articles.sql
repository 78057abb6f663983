-- Staging: articles renamed and cast for dashboards; one row per canonical article URL.
create view stg_articles as
with source as (
    select * from articles
),
renamed as (
    select
        id as article_id,
        canonical_url,
        url as first_seen_url,
        feed_id,
        outlet,
        coalesce(title, feed_title) as title,
        authors,
        published_at,
        (published_at at time zone 'UTC')::date as published_date,
        date_source,
        language,
        sitename,
        word_count,
        status,
        failure_reason,
        failure_detail,
        http_status,
        story_id,
        duplicate_of_id,
        duplicate_of_id is null and status = 'extracted' as is_canonical,
        dedup_method,
        dedup_score,
        wire_source,
        discovered_at,
        fetched_at,
        extracted_at
    from source
)
select * from renamed;
