"""CAMEO event coding (issue 4): who did what to whom, where and when, from article text.

``code_text`` is the pure coder; ``code_pending`` the pipeline stage that stores its rows.
"""

from __future__ import annotations

import logging

from pipeline.stages.events.coder import CODER_VERSION, Actor, Event, code_text
from pipeline.stages.events.lexicon import DictionaryError, Lexicon, load_lexicon
from pipeline.stages.events.stage import EventsSummary, code_pending, coder_version

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "CODER_VERSION",
    "Actor",
    "DictionaryError",
    "Event",
    "EventsSummary",
    "Lexicon",
    "code_pending",
    "code_text",
    "coder_version",
    "load_lexicon",
]
