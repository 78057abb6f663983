"""The feed stage: the feeds file (:mod:`.feedfile`), polling (:mod:`.poll`) and sitemap
discovery for backfills (:mod:`.backfill`)."""
