"""Paywall, consent-wall and bot-wall signs, and the stub test that decides what they mean.

Wall signs are only looked for on short extractions, and a sign fails a page
(``blocked_or_paywall``) only when the text beside the wall lines is a stub; a real article
that mentions subscribers, or sits under a cookie banner's text, is kept and marked instead.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

# Below this many words an extraction is "short": only then do wall/paywall markers count, so a
# full article that merely mentions subscriptions or cookies is never classified as blocked.
BLOCK_MAX_WORDS: Final[int] = 150
# Below this many words the extraction has essentially failed; only then do weaker signals (wall
# markup, a wall phrase somewhere on the page, JSON-LD paywall flags) decide between
# ``blocked_or_paywall`` and ``empty_extraction``. It is also the stub size: a page with a wall
# marker fails as ``blocked_or_paywall`` only when its text, without the lines that carry wall
# phrases, is shorter than this; otherwise the text is kept and only flagged (``wall_marker``).
WALL_ONLY_MAX_WORDS: Final[int] = 40

# characters of scripts written without spaces between words: Han (CJK ideographs, extensions
# and compatibility forms), Hiragana/Katakana, Thai, Lao, Myanmar, Khmer
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
)
# average characters per word in those scripts (Chinese words are 1-2 characters, Japanese a
# little longer): rounding to 2 keeps short-article thresholds comparable with English ones
CHARS_PER_UNSPACED_WORD: Final[int] = 2

BLOCK_TEXT = re.compile(
    r"|".join(
        [
            # paywalls
            r"subscribe (now )?to (continue|keep) reading",
            r"continue reading,? (please )?(subscribe|log ?in|sign ?in)",
            r"this (article|content|story) is (only )?(available|reserved|exclusive) (to|for) "
            r"(paying )?(subscribers|members)",
            r"already (a subscriber|have an account)\?",
            r"for subscribers only",
            r"you('ve| have) (reached|used) (your|all your|the) (free )?(article|story) limit",
            r"(create|register for) a free account to (continue|read)",
            r"subscribe to (read|unlock|access) (the full|this|more)",
            # consent walls
            r"we (and our (\d+ )?partners )?(use|store) cookies",
            r"(store|access) (and(/or)? access )?information on (a|your) device",
            r"personali[sz]ed? ads and content",
            r"we value your privacy",
            r"\b(accept|reject|refuse) all( cookies)?\b",
            r"manage (cookie |privacy )?(preferences|consent|settings|options)",
            r"before you continue\b",
            # bot walls and error pages
            r"\baccess (is )?denied\b",
            r"are you a (robot|human)\?",
            r"verify (that )?you are (a )?human",
            r"\bcaptcha\b",
            r"checking (if the site connection is secure|your browser)",
            r"enable (javascript|cookies)( and cookies)?( in your browser)? to continue",
            r"(your )?request (has been|was) blocked",
            r"unusual traffic from your (computer|network)",
            r"attention required!? \| cloudflare",
            r"just a moment\.\.\.",
        ]
    ),
    re.IGNORECASE,
)

# Markup that only walls carry (class/id tokens of common paywall, consent and challenge kits).
BLOCK_MARKUP = (
    "//*[contains(@class, 'paywall') or contains(@id, 'paywall')"
    " or @id = 'challenge-form' or contains(@class, 'cf-challenge')"
    " or contains(@id, 'cf-wrapper') or contains(@class, 'consent-wall')"
    " or contains(@id, 'consent-wall') or contains(@class, 'cookie-wall')]"
)


def words_beside_walls(text: str) -> int:
    """Words of the text outside the lines that carry a wall phrase (the teaser's own size)."""
    return sum(count_words(line) for line in text.splitlines() if not BLOCK_TEXT.search(line))


def block_marker(tree: Any, text: str, words: int) -> str | None:
    """The first sign of a consent wall, paywall or bot check, or None.

    Only called for short extractions, and graded so that real short stories are not flagged:
    a wall phrase in the title, a headline or the extracted text counts below
    ``BLOCK_MAX_WORDS``; a wall phrase elsewhere on the page, wall markup, or
    ``isAccessibleForFree: false`` only counts when almost nothing was extracted (footers
    mention cookies, comment forms carry captchas).
    """
    title = " ".join(str(t) for t in tree.xpath("//title/text() | //h1//text()"))
    for haystack in (title, text):
        match = BLOCK_TEXT.search(haystack)
        if match:
            return match[0]
    if words >= WALL_ONLY_MAX_WORDS:
        return None
    visible = " ".join(
        str(t)
        for t in tree.xpath(
            "//body//text()[not(ancestor::script) and not(ancestor::style)"
            " and not(ancestor::noscript) and not(ancestor::template)]"
        )
    )[:50_000]
    match = BLOCK_TEXT.search(visible)
    if match:
        return match[0]
    found = tree.xpath(BLOCK_MARKUP)
    if found:
        node = found[0]
        return f"<{node.tag} class={node.get('class')!r} id={node.get('id')!r}>"
    for script in tree.xpath("//script[@type = 'application/ld+json']/text()")[:5]:
        if _not_free(str(script)):
            return "isAccessibleForFree: false"
    return None


def _not_free(script: str) -> bool:
    try:
        data = json.loads(script)
    except ValueError:
        return bool(re.search(r'"isAccessibleForFree"\s*:\s*"?false', script, re.IGNORECASE))
    items = data if isinstance(data, list) else [data]
    for item in items:
        if isinstance(item, dict):
            flag = item.get("isAccessibleForFree")
            if flag is False or str(flag).lower() == "false":
                return True
    return False


def count_words(text: str) -> int:
    """Words in ``text``: whitespace-separated tokens, where scripts written without spaces
    (Han, kana, Thai, Lao, Khmer, Myanmar) count one word per :data:`CHARS_PER_UNSPACED_WORD`
    characters.

    ``len(text.split())`` calls a 300-character Japanese article three words, which made every
    threshold here (too short to be an article, stub behind a wall) misfire on such pages.
    """
    unspaced = len(_UNSPACED.findall(text))
    if not unspaced:
        return len(text.split())
    spaced = len(_UNSPACED.sub(" ", text).split())
    return spaced + -(-unspaced // CHARS_PER_UNSPACED_WORD)
