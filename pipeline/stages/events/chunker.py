"""TextBlob's phrase chunker (``Parser.find_chunks``: chunks, then PNP flags), done faster.

The same rules (``CHUNKS[0]`` of ``textblob/_text.py``, the Germanic set English uses) in the
same order over the same tag string, with the same post-corrections: only the bookkeeping
differs. TextBlob counts the separators before every rule match (``tags[:i].count("/")``, a
scan of the string per match) and tests the length of each token's list to know whether a
chunk took it; here the separators' offsets are known once (a binary search per match) and
a token's chunk is one slot of a list. The chunker reads the tags only, never the words. A
test checks the answers against TextBlob's on our own sentences and on random tag sequences.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate
from typing import Any

_CONJUNCTIONS = ("CC", "CJ", "KON", "Conj(neven)")  # no chunk starts with one
_PNP_NEXT = ("NP", "PP")
_PARTICIPLES = ("VBG", "VBN")


def find_chunks(tags: list[str], rules: list[tuple[str, Any]], separator: str) -> list[str] | None:
    """Per token, its chunk tag (``B-NP``, ``I-VP``, ``O`` ...), as TextBlob's
    ``find_chunks`` gives it for tokens with *tags* (*rules*: its ``CHUNKS[0]``); None for
    a tag holding the separator (or a separator of more than one character), which the
    tagger never gives (TextBlob's own bookkeeping then goes wrong: leave it to TextBlob)."""
    string = separator.join(tags) + separator
    if string.count(separator) != len(tags) or len(separator) != 1:
        return None
    # each token's separator: the matches' token indices by binary search
    seps = [end - 1 for end in accumulate(len(tag) + len(separator) for tag in tags)]
    chunk: list[str | None] = [None] * len(tags)
    for name, rule in rules:
        begin, inside = "B-" + name, "I-" + name
        for m in rule.finditer(string):
            j = bisect_left(seps, m.start())
            n = bisect_left(seps, m.end()) - j
            for k in range(j, j + n):
                if chunk[k] is not None:
                    continue
                if k == j and tags[k] in _CONJUNCTIONS:
                    j += 1
                elif k == j:
                    chunk[k] = begin
                else:
                    chunk[k] = inside
    out = [c or "O" for c in chunk]
    if "RB" in string:  # (the correction is about RB* tags only)
        last = len(out) - 1
        for i, tag in enumerate(tags):
            # "Very nice work" (NP) <=> "Perhaps" (ADVP) + "you" (NP)
            if (
                out[i] == "B-NP"
                and tag.startswith("RB")
                and i < last
                and not tags[i + 1].startswith("JJ")
            ):
                out[i] = "B-ADVP"
                out[i + 1] = "B-NP"
    return out


def find_pnp(tags: list[str], chunks: list[str]) -> list[bool]:
    """Per token, whether TextBlob's ``find_prepositions`` puts it in a PNP chunk (a PP chunk
    followed by NP/PP chunks or participles)."""
    n = len(tags)
    pnp = [False] * n
    for i in [i for i, chunk in enumerate(chunks) if chunk.endswith("PP")]:
        if pnp[i] or i == n - 1:
            continue
        if not (chunks[i + 1].endswith(_PNP_NEXT) or tags[i + 1] in _PARTICIPLES):
            continue
        pnp[i] = True
        pp = True
        for c in range(i + 1, n):
            chunk = chunks[c]
            if not (chunk.endswith(_PNP_NEXT) or tags[c] in _PARTICIPLES):
                break
            if chunk.endswith("PP"):
                if pp:
                    pnp[c] = True
            else:
                pnp[c] = True
                pp = False
    return pnp
