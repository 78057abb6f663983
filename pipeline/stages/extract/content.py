"""trafilatura's content extraction run on our own parse of the page.

``bare_extraction`` deep-copies a tree it is given before pruning it (a millisecond a page),
because the caller may still need it; we usually do not, so the steps of ``bare_extraction``
that our options use run here on the tree itself. These are private trafilatura functions:
``pyproject.toml`` pins the version and ``tests/unit/test_extract_trafilatura_api.py`` fails
loudly if a release changes them. The text is NFC-normalised, as ``trafilatura.extract`` returns it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

import trafilatura
import trafilatura.core
from lxml.etree import strip_tags
from trafilatura.settings import Extractor
from trafilatura.utils import normalize_unicode
from trafilatura.xml import xmltotxt

__all__ = ["content_text"]

# trafilatura's cascade of content extractors (see _content_text); None if it moved
_SEQUENCE: Callable[..., tuple[Any, str, Any, str]] | None = getattr(
    trafilatura.core, "trafilatura_sequence", None
)

# our option names → trafilatura's Extractor's; other options go through bare_extraction
_EXTRACTOR_ARGS: Final[dict[str, str]] = {
    "include_comments": "comments",
    "include_tables": "tables",
    "favor_precision": "precision",
    "favor_recall": "recall",
    "deduplicate": "dedup",
    "fast": "fast",
}


def content_text(tree: Any, url: str | None, options: Mapping[str, Any]) -> tuple[str, bool]:
    """The article text of a parsed page, as ``bare_extraction(tree, **options).text`` gives it.

    ``bare_extraction`` copies a tree it is given before pruning it (a millisecond a page, 6 %
    of the extraction), because the caller may still need it. We do not, except on short
    pages, which are rare and simply parsed again; so the steps of ``bare_extraction`` that our
    options use run here on the tree itself. The second value says whether the tree was left
    intact (it was not when the steps ran here). With options those steps do not cover
    (deduplication, comments), or if trafilatura's internals moved, ``bare_extraction`` is
    called. Either way the text is NFC-normalised, as ``trafilatura.extract`` returns it.
    """
    if (
        _SEQUENCE is None
        or options.get("deduplicate")
        or options.get("include_comments", True)
        or not set(options) <= set(_EXTRACTOR_ARGS)
    ):
        doc = trafilatura.bare_extraction(tree, url=url, with_metadata=False, **options)
        text = getattr(doc, "text", None) or ""
        comments = getattr(doc, "comments", None) or ""
        if comments:  # as trafilatura.extract's text output
            text = f"{text}\n{comments}".strip()
        return normalize_unicode(text), True
    extractor = Extractor(
        output_format="python", url=url, **{_EXTRACTOR_ARGS[k]: v for k, v in options.items()}
    )
    try:
        body, text, _, comments = _SEQUENCE(tree, extractor, url)
        if extractor.max_tree_size:  # as bare_extraction: strip highlighting, then give up
            if len(body) > extractor.max_tree_size:
                strip_tags(body, "hi")
            if len(body) > extractor.max_tree_size:
                return "", False
        if len(text) < extractor.min_output_size and len(comments) < extractor.min_output_comm_size:
            return "", False
    except (TypeError, ValueError):  # bare_extraction discards the page on these
        return "", False
    # trafilatura.extract ends with NFC normalisation (determine_returnstring); so must we, or
    # decomposed accents differ from the same text typed or extracted elsewhere
    return normalize_unicode(xmltotxt(body, extractor.formatting) or ""), False
