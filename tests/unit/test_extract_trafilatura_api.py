"""Fails loudly when a trafilatura release changes what ``pipeline.stages.extract.page`` relies on.

``pipeline.stages.extract.page`` runs trafilatura's extractor cascade and metadata steps itself (one
parse per page, no deep copies), so it imports private functions whose signatures trafilatura does
not promise to keep. pyproject.toml pins the minor version; these tests say what to re-check when
the pin is moved: the names and signatures we import, and that our shortcuts still give exactly
what the public API gives on our fixture pages.
"""

from __future__ import annotations

import inspect
import re
import tomllib
from pathlib import Path

import pytest
import trafilatura
import trafilatura.core
from packaging.requirements import Requirement
from packaging.version import Version
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Extractor
from trafilatura.utils import load_html, normalize_unicode, trim
from trafilatura.xml import xmltotxt

import pipeline.stages.extract.content as content
import pipeline.stages.extract.metadata as metadata
from pipeline.stages.extract.page import TRAFILATURA_OPTIONS, decode_html, page_metadata

ROOT = Path(__file__).resolve().parents[2]
PAGES = Path(__file__).parents[1] / "fixtures" / "pages"
HTML_FIXTURES = sorted(p for p in PAGES.glob("*.html") if p.name != "empty.html")


def params(fn: object) -> list[str]:
    return list(inspect.signature(fn).parameters)  # type: ignore[arg-type]


def test_installed_trafilatura_matches_the_pin() -> None:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    (spec,) = [Requirement(d) for d in deps if Requirement(d).name == "trafilatura"]
    assert spec.specifier, (
        "trafilatura must be pinned: pipeline.stages.extract.page imports its internals"
    )
    assert Version(trafilatura.__version__) in spec.specifier, (
        f"trafilatura {trafilatura.__version__} is outside the pin {spec}: re-run this file and "
        "bench/bench_extract.py before moving the pin"
    )


def test_private_signatures_are_the_ones_we_call() -> None:
    assert content._SEQUENCE is trafilatura.core.trafilatura_sequence
    assert params(trafilatura.core.trafilatura_sequence) == ["tree", "options", "url"]
    assert len(params(xmltotxt)) == 2  # called positionally: (body, formatting)
    assert params(normalize_authors) == ["current_authors", "author_string"]
    assert len(params(trim)) == 1
    assert params(load_html)[0] == "htmlobject"
    assert params(normalize_unicode)[0] == "string"
    assert normalize_unicode("e\u0301") == "\u00e9"
    for fn in (examine_meta, extract_title, extract_sitename, extract_author):
        assert params(fn) == ["tree"], fn
    assert params(extract_meta_json) == ["tree", "metadata"]
    assert params(extract_url)[:2] == ["tree", "default_url"]
    assert isinstance(META_URL, re.Pattern)
    extractor_args = set(params(Extractor.__init__))
    wanted = {"output_format", "url", *content._EXTRACTOR_ARGS.values()}
    assert wanted <= extractor_args, wanted - extractor_args
    extractor = Extractor(output_format="python", precision=True)
    for attr in ("max_tree_size", "min_output_size", "min_output_comm_size", "formatting"):
        assert hasattr(extractor, attr), attr
    assert set(TRAFILATURA_OPTIONS) <= set(params(trafilatura.extract))


def test_author_shortcut_is_still_enabled() -> None:
    # the discard XPaths keep the two-expression shape _page_author reads; otherwise the
    # shortcut silently turns itself off (correct, but a third slower)
    assert metadata._FAST_AUTHOR


@pytest.mark.parametrize("page", HTML_FIXTURES, ids=lambda p: p.name)
def test_our_cascade_gives_trafilatura_extract_text(page: Path) -> None:
    _, decoded = decode_html(page.read_bytes())
    url = f"https://meridian.example/{page.stem}"
    expected = trafilatura.extract(decoded, url=url, **TRAFILATURA_OPTIONS) or ""
    text, _ = content.content_text(load_html(decoded), url, TRAFILATURA_OPTIONS)
    assert text == expected


@pytest.mark.parametrize("page", HTML_FIXTURES, ids=lambda p: p.name)
def test_our_metadata_steps_give_trafilatura_metadata(page: Path) -> None:
    _, decoded = decode_html(page.read_bytes())
    url = f"https://meridian.example/{page.stem}"
    doc = trafilatura.bare_extraction(decoded, url=url, with_metadata=True)
    meta = page_metadata(load_html(decoded), url, {"extensive_search": False})
    if doc is None:  # no text on the page: trafilatura gives no document at all
        return
    for key in ("title", "author", "sitename", "description", "url"):
        assert getattr(meta, key) == getattr(doc, key), key
