"""Parts of :mod:`pipeline.extract` split by concern: page decoding and wall detection."""
