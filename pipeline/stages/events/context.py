"""The country of a country-less agent from its article, when the article names one country.

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
South African civilians).
"""

from __future__ import annotations

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
