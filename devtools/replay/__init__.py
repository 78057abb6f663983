"""A loopback HTTP server for recorded feeds and pages, so demos, tests and benchmarks stay offline
(see :mod:`devtools.replay.server`)."""

from devtools.replay.content import (
    FEED_TYPES,
    RESPONSES_FILE,
    ReplayConfigError,
    SpecialResponse,
    load_special_responses,
    sniff_xml_kind,
)
from devtools.replay.server import ReplayServer

__all__ = [
    "FEED_TYPES",
    "RESPONSES_FILE",
    "ReplayConfigError",
    "ReplayServer",
    "SpecialResponse",
    "load_special_responses",
    "sniff_xml_kind",
]
