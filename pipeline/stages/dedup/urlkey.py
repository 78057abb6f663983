"""The dedup-side URL key: one key for every address the same page is served under.

:func:`pipeline.urls.canonicalize_url` already folds scheme, ``www.``, default ports, tracking
parameters, fragments, trailing slashes and ``/amp`` or ``.amp`` suffixes. Dedup also needs the
variants a canonical key must not fold for fetching but that are the same article for counting:
an ``/amp/`` path prefix, ``m.``/``mobile.``/``amp.`` hosts and ``amp=1``-style parameters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pipeline.urls import InvalidURLError, canonicalize_url

__all__ = ["url_host", "url_key", "url_keys"]

_MOBILE_HOST = re.compile(r"^(?:m|mobile|amp|www)\.", re.IGNORECASE)
_AMP_PREFIX = re.compile(r"^/amp(?=/)", re.IGNORECASE)
_AMP_PARAMS = frozenset({"amp", "amp_js_v", "usqp", "outputtype"})


def url_key(url: str | None) -> str | None:
    """The dedup key of *url*, or None when it is not an http(s) URL (no key, no match)."""
    if not url:
        return None
    try:
        canonical = canonicalize_url(url)
    except InvalidURLError:
        return None
    parts = urlsplit(canonical)
    host = parts.netloc.lower()
    while _MOBILE_HOST.match(host) and host.count(".") > 1:
        host = _MOBILE_HOST.sub("", host, count=1)
    path = _AMP_PREFIX.sub("", parts.path)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in _AMP_PARAMS])
    return urlunsplit(("https", host, path.rstrip("/"), query, ""))


def url_keys(urls: Iterable[str | None]) -> list[str]:
    """Distinct keys of all the addresses an article was seen under (canonical, final, original)."""
    keys = {key for key in (url_key(u) for u in urls) if key}
    return sorted(keys)


def url_host(url: str | None) -> str:
    """The host that published *url* (from its key), or '' — the unit of learned boilerplate."""
    key = url_key(url)
    return urlsplit(key).netloc if key else ""
