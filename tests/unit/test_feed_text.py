"""Feed titles and summaries are stored as plain text, safe without feedparser's sanitiser.

feedparser runs with ``sanitize_html`` and ``resolve_relative_uris`` off (half of its time, on
markup we never keep); ``parse_feed`` makes titles and summaries plain text itself. On hostile
feeds of our own: no markup, script or handler survives, and what we store is exactly what
we would store with feedparser's sanitiser and URI resolution on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import feedparser
import pytest

from pipeline.config import get_settings
from pipeline.stages.feeds import parsing
from pipeline.stages.feeds.parsing import parse_feed

URL = "https://desk.example/feeds/world.xml"

HOSTILE_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Desk</title>
<item><title>Port &lt;b&gt;reopens&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>
  <link>/world/port</link>
  <description>&lt;p&gt;Ferries run again.&lt;/p&gt;&lt;p&gt;Crews &lt;a href="javascript:alert(2)"
  onclick="steal()"&gt;cheer&lt;/a&gt;.&lt;img src="x" onerror="alert(3)"&gt;&lt;/p&gt;
  </description></item>
<item><title>Storm &amp; surge</title><link>https://desk.example/world/storm</link>
  <description><![CDATA[<style>p{color:red}</style><div>Waves <i>hit</i> the pier<iframe
  src="https://evil.example/"></iframe></div><svg><script>alert(4)</script></svg>Calm now.]]>
  </description></item>
<item><title>Literal markup</title><link>https://desk.example/world/literal</link>
  <description>Use &amp;lt;b&amp;gt; for bold &amp;amp; more</description></item>
<item><title>Bad link</title><link>javascript:alert(5)</link></item>
</channel></rss>
"""

HOSTILE_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title><id>urn:desk</id>
<entry><id>urn:desk:1</id><title type="html">Talks &lt;em&gt;resume&lt;/em&gt;</title>
  <link href="/world/talks"/>
  <summary type="html">&lt;p onmouseover="x()"&gt;Envoys meet.&lt;/p&gt;
  &lt;script&gt;bad()&lt;/script&gt;</summary></entry>
<entry><id>urn:desk:2</id><title>Plain</title><link href="https://desk.example/world/plain"/>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Ships <b>sail</b>.</p>
  <script>alert(6)</script></div></content></entry>
</feed>
"""


def _stored(body: str) -> dict[str, tuple[str | None, str | None]]:
    parsed = parse_feed(body.encode(), URL, get_settings())
    return {e.link: (e.title, e.summary) for e in parsed.entries}


def test_hostile_rss_becomes_plain_text() -> None:
    assert _stored(HOSTILE_RSS) == {
        "https://desk.example/world/port": (
            "Port reopens",
            "Ferries run again. Crews cheer.",
        ),
        "https://desk.example/world/storm": ("Storm & surge", "Waves hit the pier Calm now."),
        "https://desk.example/world/literal": (
            "Literal markup",
            "Use <b> for bold & more",  # the publisher's text, escaped twice: literal, as text
        ),
    }  # and the javascript: link is no entry at all


def test_hostile_atom_becomes_plain_text() -> None:
    assert _stored(HOSTILE_ATOM) == {
        "https://desk.example/world/talks": ("Talks resume", "Envoys meet."),
        "https://desk.example/world/plain": ("Plain", "Ships sail."),
    }


@pytest.mark.parametrize("body", [HOSTILE_RSS, HOSTILE_ATOM])
def test_no_markup_survives(body: str) -> None:
    for title, summary in _stored(body).values():
        for text in (title or "", summary or ""):
            lowered = text.lower()
            assert "<script" not in lowered
            assert "alert(" not in lowered
            assert "onerror" not in lowered
            assert "javascript:" not in lowered


@pytest.mark.parametrize("body", [HOSTILE_RSS, HOSTILE_ATOM])
def test_same_text_as_with_feedparsers_sanitiser(
    body: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Turning feedparser's sanitiser and URI resolution off changes nothing we store."""
    ours = _stored(body)
    real_parse = feedparser.parse

    def sanitising(data: Any, **kwargs: Any) -> Any:
        kwargs.update(sanitize_html=True, resolve_relative_uris=True)
        return real_parse(data, **kwargs)

    monkeypatch.setattr(parsing.feedparser, "parse", sanitising)
    assert _stored(body) == ours


def test_plain_titles_are_kept_as_they_are() -> None:
    assert parsing._text("Minister visits Nairobi") == "Minister visits Nairobi"
    assert parsing._text("  a < b  ") == "a < b"
    assert parsing._text("<style>p{}</style>") is None


@pytest.mark.timeout(30)
def test_a_body_naming_a_file_is_not_read(tmp_path: Path) -> None:
    """feedparser opens a bytes argument that is a file name; a body is never one."""
    local = tmp_path / "local.xml"
    local.write_text(
        '<rss version="2.0"><channel><item><title>Local secret</title>'
        "<link>https://desk.example/local</link></item></channel></rss>"
    )
    for body in (str(local).encode(), b"/dev/zero"):
        parsed = parse_feed(body, URL, get_settings())
        assert parsed.outcome.value == "failed"
        assert parsed.entries == []
