"""The country of a country-less agent from its article: its one country, or its dateline's.

PETRARCH gives an agent noun ("the government", "police", "protesters") the country that
qualifies it in its sentence; ``actors._resolve_bare`` does that. A sentence that names no
country at all leaves the agent "---GOV", which the gate cannot code. CAMEO coders read such an
agent as the country the story is about ("the government" in an article about Kenya is
KENGOV), which is only safe when the article is about one country: the old fallback to the
article's *most named* country made American officials Chinese in a story that named China
more often. So the fallback here takes a country only when every country the article's
dictionary mentions name is the same one, and never for a titled person missing from the
dictionaries ("Prime Minister X" may be a visitor). Such agents stay ``inferred``: the gate
lets them be a source only against another agent of that country ("police arrested the
protesters"), not in a one-sided event ("communities report blocked drains" is no blockade by
South African civilians). An article naming several countries still gives its agents one when
its wire dateline ("NAIROBI (Reuters) -") is the country it names most (``dateline_country``):
neither the dateline nor the count alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from pipeline.stages.events.actors import _Group, _Mention, _of_country, _resolve_bare, sponsored
from pipeline.stages.events.lexicon import ROLE


def _state_code(country: str | None) -> bool:
    """A plain ISO country code (not an IGO, a company, an international militant group)."""
    return bool(country) and len(country or "") == 3 and (country or "").isalpha()


def article_country(mentions: Iterable[_Mention]) -> str | None:
    """The one country an article's dictionary mentions name, or None (none, or several)."""
    seen: set[str] = set()
    for mention in mentions:
        term = mention.term
        if mention.entry.kind == ROLE or term is None:
            continue
        if _state_code(term.country):
            seen.add(term.country)
            if len(seen) > 1:
                return None
    return next(iter(seen)) if seen else None


# a wire dateline: the place in capitals that opens the story, an optional region or date and
# news agency, then a dash ("NAIROBI, Kenya (Reuters) -", "VIENNA —")
_DATELINE = re.compile(
    r"\s*[A-Z][A-Z.'’ -]{2,40}?(?:,\s*[A-Z][\w. ]{0,30})?"
    r"\s*(?:\([A-Za-z. ]{2,12}\))?\s*[—–-]{1,2}\s"
)


def dateline_country(text: str, mentions: Iterable[_Mention]) -> str | None:
    """The country of the story's dateline, when it is also the country the story names most.

    A dateline alone is where the reporter files from (a Washington bureau covers Iran), and
    the most named country alone made American officials Chinese (round 7); both together say
    whose story it is."""
    head = _DATELINE.match(text)
    if head is None:
        return None
    counts: Counter[str] = Counter()
    place: str | None = None
    for mention in mentions:
        term = mention.term
        if mention.entry.kind == ROLE or term is None or not _state_code(term.country):
            continue
        counts[term.country] += 1
        if mention.start < head.end() and place is None:
            place = term.country
    if place is None:
        return None
    top = counts.most_common(2)
    if top[0][0] != place or (len(top) > 1 and top[1][1] == top[0][1]):
        return None
    return place


def resolve_agents(text: str, groups: list[_Group], country: str | None) -> list[_Group]:
    """``_resolve_bare``, then agents still without a country take the article's one country."""
    groups = _resolve_bare(text, groups)
    if country is None or not any(g.bare and not g.actors[0].country for g in groups):
        return groups
    out: list[_Group] = []
    for group in groups:
        if not group.bare or group.actors[0].country or group.person or sponsored(text, group):
            out.append(group)
            continue
        actors = [_of_country(a, country, inferred=True) for a in group.actors]
        out.append(_Group(group.start, group.end, actors, bare=True))
    return out
