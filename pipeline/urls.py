"""URL canonicalisation: one key per article, whatever tracking decoration a feed adds.

The canonical URL is a *key*, never what we fetch: the original URL is kept (``articles.url``,
``articles.original_urls``) and is what the fetcher requests. That is why the key may take
liberties a browser could not (``http`` → ``https``, dropping ``www.``): two URLs that differ only
in those ways are, for news sites, the same article.

courlan does the generic normalisation of host and path (case, default ports,
percent-encoding) and supplies its list of tracker parameters; this module owns the query and
adds the news-specific rules (AMP variants, the tracking parameters news sites use that courlan
does not know, trailing slashes).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from courlan import normalize_url
from courlan.clean import TRACKERS_RE

__all__ = ["InvalidURLError", "canonicalize_url"]

# Parameters that only say where a click came from; matched on the lower-cased name.
# courlan already removes utm_*, fbclid, gclid, mc_* and friends; these are the ones news sites
# add on top (NYT smid, MSN ocid, CNN/BBC cmpid, Guardian CMP, BBC at_*, …); only names that
# never carry content are listed, since dropping a real parameter would merge two articles.
_TRACKING_PARAMS = frozenset(
    {
        "cmp",
        "cmpid",
        "ocid",
        "taid",
        "smid",
        "smtyp",
        "ito",
        "s_cid",
        "icid",
        "mbid",
        "dicbo",
        "wt.mc_id",
        "_ga",
        "_gl",
        "igshid",
        "mkt_tok",
    }
)
_TRACKING_PREFIXES = ("utm_", "mc_", "at_", "ns_", "pk_", "mtm_", "itm_", "__twitter", "_hs")
_AMP_SUFFIX = re.compile(r"(?:/amp|\.amp)/?$", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}


class InvalidURLError(ValueError):
    """The string is not an absolute http(s) URL we could fetch; the message says why."""


def _is_tracking(name: str, value: str) -> bool:
    lowered = name.lower()
    if lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES):
        return True
    if TRACKERS_RE.search(lowered):  # courlan's list: fbclid, gclid, utm_*, mc_*, ...
        return True
    # the AMP rendition of a page is the same article
    return lowered == "outputtype" and value.lower() == "amp"


def _clean_query(query: str) -> list[tuple[str, str]]:
    """Query parameters that identify content: trimmed, non-blank, no tracking decoration.

    Whitespace around keys and values is never meaningful (the URL's own ends are stripped
    too), and a blank parameter must not make a key differ, wherever it stands.
    """
    pairs = ((k.strip(), v.strip()) for k, v in parse_qsl(query, keep_blank_values=True))
    return [(k, v) for k, v in pairs if k and v and not _is_tracking(k, v)]


def canonicalize_url(url: str, base: str | None = None) -> str:
    """The canonical key of *url* (resolved against *base* when relative).

    Idempotent: ``canonicalize_url(canonicalize_url(u)) == canonicalize_url(u)``. Raises
    :class:`InvalidURLError` for anything that is not an http(s) URL with a host, so callers can
    record a clear error instead of storing garbage.
    """
    if not isinstance(url, str) or not url.strip():
        raise InvalidURLError("empty URL")
    candidate = url.strip()
    if base:
        candidate = urljoin(base.strip(), candidate)
    try:
        parts = urlsplit(candidate)
        port = parts.port
    except ValueError as exc:
        raise InvalidURLError(f"unparseable URL {url!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise InvalidURLError(f"not an http(s) URL: {url!r}")
    host = (parts.hostname or "").rstrip(".")
    if not host or any(ch.isspace() for ch in host):
        raise InvalidURLError(f"URL has no host: {url!r}")
    # every leading "www." goes, but never the last label before the TLD ("www.com" stays a
    # domain): stripping one at a time would make the key change again when re-canonicalised
    while host.startswith("www.") and "." in host[4:]:
        host = host[4:]
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    # one scheme for the key: the http and https copies of an article are the same article
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    # courlan normalises host and path only: on a query it would unescape HTML entities a second
    # time (`&lt=0` becomes `<=0`), which breaks idempotence, so the query is ours alone
    rebuilt = urlunsplit(("https", netloc, parts.path or "/", "", ""))
    try:
        normalised = normalize_url(rebuilt, strict=False, trailing_slash=False)
    except ValueError as exc:  # courlan raises on a few malformed inputs
        raise InvalidURLError(f"unparseable URL {url!r}: {exc}") from None
    result = urlsplit(normalised)
    path = _AMP_SUFFIX.sub("", result.path).rstrip("/")
    query = urlencode(sorted(_clean_query(parts.query)))
    return urlunsplit(("https", result.netloc, path, query, ""))
