"""Parts of :mod:`pipeline.stages.extract.page` split by concern: decoding, wall detection."""
