"""Actors in a sentence: dictionary mentions, noun-phrase groups, bare agents, coreference.

One Aho-Corasick pass finds every dictionary phrase; adjacent mentions join into one noun phrase
("Kazakh Foreign Minister Murat Nurtleu"), compounds ("China and Russia") into one group with a
member per country. Country-less agents ("police") take the country that qualifies them in the
sentence; pronouns and "the two countries" resolve against what earlier sentences named.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import ahocorasick

from pipeline.stages.events.event import Actor, Event
from pipeline.stages.events.lexicon import (
    CAPITAL,
    COUNTRY,
    IGNORE,
    IGO,
    NAMED,
    ROLE,
    ActorEntry,
    Lexicon,
    Term,
)
from pipeline.stages.events.sentences import Sentence

_TAG = re.compile(r"<[^<>]{0,300}>")


_NAME_WORDS = re.compile(r"[ \t]+((?:[A-Z][\w'’.-]*[ \t]?){1,3})")


_NAME_GAP = re.compile(r"^(?:[ \t]+[A-Z][\w'’.-]*){1,3}[ \t]+$")


_COMPOUND_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)(?:the\s+)?$", re.IGNORECASE)
# "Syria and its ally Iran", "the rebels and their foreign backers": the second conjunct
# with an apposed noun of alliance that names its relation to the first (whose "its" it is);
# a conjunct all the same, so both are the verb's actors
_ALLY_GAP = re.compile(
    r"^\s*,?\s*and\s+(?:its|their)\s+(?:[a-z-]+\s+)?"
    r"(?:ally|allies|partner|partners|backer|backers|patron|patrons|proxy|proxies)\s+(?:the\s+)?$",
)


_OWN_QUALIFIER_BEFORE = re.compile(
    r"(?:[’']s(?:\s+(?!(?!armed\b)[\w'’-]*ed\b)[\w'’-]+){0,4}"
    r"|(?:\s+(?!(?!armed\b)[\w'’-]*ed\b)[\w'’-]+){0,2}"
    # "the Taliban-led government", "Hamas-run ministry": who leads or runs the agent is its
    # own country's ("-backed" is not: a sponsor abroad)
    r"|-(?:led|run|ruled|controlled|dominated)(?:\s+(?!(?!armed\b)[\w'’-]*ed\b)[\w'’-]+){0,1})\s+"
)


_OF_GAP = re.compile(r"^\s+(?:of|in|from)\s+(?:the\s+)?$", re.IGNORECASE)


# "opposition groups in Zimbabwe", "police officers from Kenya": the agent's head noun, then
# the country it belongs to
_OWN_QUALIFIER_AFTER = re.compile(
    r"(?:\s+(?:groups?|members?|officers?|units?|leaders?|officials?|forces|fighters))?"
    r"\s+(?:of|in|from)\s+(?:the\s+)?"
    # "protesters in the eastern Kosovan town": a compass point before the country's name or
    # demonym (the place noun after it is no actor)
    r"(?:(?:north|south|east|west|central)(?:-?(?:east|west))?(?:ern)?\s+)?$",
    re.IGNORECASE,
)


# role nouns that name one person ("the Kenyan president ... he"), not an organisation ("the
# Kenyan government ... it"): a noun phrase headed by one is a person for "he"/"she"
PERSON_TITLES = frozenset(
    (
        "president", "vice president", "prime minister", "premier", "deputy prime minister",
        "chancellor", "king", "queen", "crown prince", "emir", "supreme leader", "leader",
        "head of state", "minister", "foreign minister", "foreign secretary",
        "secretary of state", "secretary", "state secretary", "deputy foreign minister",
        "trade minister", "finance minister", "interior minister", "economy minister",
        "defence minister", "defense minister", "spokesperson", "spokesman", "spokeswoman",
        "press secretary", "ambassador", "envoy", "special envoy", "diplomat", "negotiator",
        "national security adviser", "national security advisor", "governor", "mayor",
        "senator", "general", "commander", "army chief",
    )
)  # fmt: skip


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    entry: ActorEntry
    term: Term | None
    # resolved on no date (a text without a publication date): its term is the most recent
    # one, which proves no office now ("former president X" is out of office)
    undated: bool = False


@dataclass(slots=True)
class _Group:
    """Adjacent mentions forming one noun phrase, or a compound ("China and Russia")."""

    start: int
    end: int
    actors: list[Actor]
    place: bool = False
    person: bool = False
    coreferent: bool = False
    bare: bool = False  # an agent with no country named ("police", "rebels"), maybe resolved


@dataclass
class _Memory:
    """What cheap coreference needs from the sentences already read."""

    person: Actor | None = None
    organisation: Actor | None = None
    person_at: int = -1  # where the antecedents were named (offsets into the text)
    organisation_at: int = -1
    pair: list[Actor] = field(default_factory=list)
    countries: list[Actor] = field(default_factory=list)
    # the last sentence read and its mentions: "they" may be its plural subject
    previous: tuple[Sentence, list[_Mention]] | None = None


def _mask_html(text: str) -> str:
    """HTML tags left in the text become spaces of the same length, so offsets stay valid."""
    if "<" not in text:
        return text
    return _TAG.sub(lambda m: " " * len(m.group(0)), text)


def _word_bounded(norm: str, start: int, end: int) -> bool:
    before = norm[start - 1] if start > 0 else " "
    after = norm[end] if end < len(norm) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


# the Arabic article and its assimilated forms, lower case in English copy before a capitalised
# name ("al-Qaeda", "al Shabaab", "ash-Sham"): the name is capitalised, the particle is not
_NAME_PARTICLE = re.compile(r"(?:(?:al|el)[- ]|(?:ad|ar|as|ash|at|az|an|ul)-)(?=[A-Z])")


def _case_ok(entry: ActorEntry, surface: str) -> bool:
    if entry.case_sensitive:
        letters = [c for c in surface if c.isalpha()]
        return bool(letters) and all(c.isupper() for c in letters)
    if entry.proper:
        if surface[:1].isupper() or surface[:1].isdigit():
            return True
        # "al-Qaeda", "al-Shabaab": a lower-case Arabic article before a capitalised name
        return _NAME_PARTICLE.match(surface) is not None
    return True


_HELD = re.compile(r"-(?:held|controlled|occupied|dominated)\b")
# "a former Soviet republic", "the ex-Yugoslav states": a country that was part of the one
# named, which is no actor (the country it is now is named elsewhere, or not at all)
_FORMER_PART_BEFORE = re.compile(r"\b(?:former|ex)[ \t]*-?[ \t]*$", re.IGNORECASE)
_FORMER_PART_AFTER = re.compile(
    r"[ \t]+(?:republics?|states?|colon(?:y|ies)|satellites?|bloc|territor(?:y|ies))\b",
    re.IGNORECASE,
)
# "Iranian-backed forces", "a Saudi-funded school", "US-brokered talks", "a Russian-born
# banker": the name modifies the noun after it, saying who stands behind it or where it comes
# from; the noun phrase is that noun, and the named party is no actor of the event (CAMEO codes
# the forces, not their sponsor). Unlike "-held" this holds for every kind of actor.
_BACKER = re.compile(
    r"-(?:backed|sponsored|funded|financed|supported|armed|trained|equipped|inspired|"
    r"brokered|mediated|born|made|built|style)\b"
)
_BACKED_BEFORE = re.compile(_BACKER.pattern + r"\s+(?:[a-z-]+\s+){0,2}$", re.IGNORECASE)


# a capitalised facility, street or prize noun after a name: the name is part of a place's or
# an institution's name ("Hamid Karzai International Airport", "King Fahd Stadium", "the
# Clinton Foundation"), not a mention of the person
_FACILITY_AFTER = re.compile(
    r"[ \t]+(?:International[ \t]+)?(?:Airport|Air[ \t]?[Bb]ase|University|Hospital|Stadium|"
    r"Street|Avenue|Road|Boulevard|Square|Bridge|Dam|Mosque|Cathedral|School|College|"
    r"Institute|Museum|Library|Park|Highway|Expressway|Centre|Center|Memorial|Mausoleum|"
    r"Foundation|Prize|Award|Medal|Station|Canal|Tunnel|Hotel)\b"
)


def sponsored(text: str, group: _Group) -> bool:
    """Whether an agent follows a sponsor ("Iranian-backed militias"): its country is not
    said, and is neither the sponsor's nor that of whatever else the sentence names (the
    militias are no more Jordanian in "Jordan struck Iranian-backed militias")."""
    return _BACKED_BEFORE.search(text, max(0, group.start - 40), group.start) is not None


def _find_mentions(
    text: str, norm: str, lx: Lexicon, day: date | None, spaced: str | None = None
) -> list[_Mention]:
    """Dictionary phrases at word boundaries, case-checked, resolved on *day*, longest first
    (*spaced*: the document's ``entries.spell_bounded(norm)``, if the caller has it)."""
    candidates: list[_Mention] = []
    if len(lx.resolved) > 4096:  # a backfill over many dates: keep the cache bounded
        lx.resolved.clear()
    resolved = lx.resolved.setdefault(day, {})  # entries resolve the same way all day
    for start, end, entries in lx.actors.bounded(norm, spaced):  # (no word character next)
        surface = text[start:end]
        hyphen = norm.startswith("-", end)
        if hyphen and _BACKER.match(norm, end):
            continue  # "Iranian-backed forces": the sponsor of the noun after it
        held = hyphen and _HELD.match(norm, end) is not None
        if _FORMER_PART_AFTER.match(text, end) and _FORMER_PART_BEFORE.search(
            text, max(0, start - 12), start
        ):
            continue  # "a former Soviet republic"
        for entry in entries:
            if held and entry.kind == ROLE:
                # "the rebel-held city", "opposition-controlled areas": a territory named by
                # who holds it, not an actor (whose country would only be guessed)
                break
            if entry.kind == IGNORE:  # "South China Sea": a longer phrase that is no actor
                candidates.append(_Mention(start, end, entry, None))
                break
            if entry.kind == NAMED and _FACILITY_AFTER.match(text, end):
                break  # "Hamid Karzai International Airport": a place named after the person
            if _case_ok(entry, surface):
                key = id(entry)
                if key in resolved:
                    term = resolved[key]
                else:
                    term = resolved[key] = (
                        entry.resolve(day) if entry.kind != ROLE else entry.terms[0]
                    )
                if term is not None:
                    candidates.append(_Mention(start, end, entry, term, day is None))
                break
    if lx.first_names:
        candidates = _titled_first_names(norm, candidates, lx.first_names)
    candidates.sort(key=lambda m: (m.start, m.start - m.end))
    chosen: list[_Mention] = []
    last_end = -1
    for mention in candidates:
        if mention.start >= last_end:
            chosen.append(mention)
            last_end = mention.end
    return [m for m in chosen if m.entry.kind != IGNORE]


# the nouns of a person who speaks for someone: "a spokesman for the Taliban" is the Taliban's
# voice, so the phrase is one actor with the code of whom it speaks for
SPOKESPERSONS = frozenset(
    ("spokesman", "spokeswoman", "spokesperson", "spokesmen", "spokeswomen", "spokespeople")
)
_SPOKESPERSON_GAP = re.compile(r"^[ \t]+(?:for|of)[ \t]+(?:the[ \t]+)?$", re.IGNORECASE)


def _speaks_for(text: str, prev: _Mention, gap: str) -> bool:
    """*prev* is a spokesperson noun whose "for"/"of" phrase names whom it speaks for."""
    return (
        prev.entry.kind == ROLE
        and text[prev.start : prev.end].lower() in SPOKESPERSONS
        and bool(_SPOKESPERSON_GAP.match(gap))
    )


def _titled_first_names(
    norm: str, candidates: list[_Mention], names: frozenset[str]
) -> list[_Mention]:
    """The mentions without a lone common first name (``Lexicon.first_names``): "Abdullah"
    alone is anyone's first name; after a title ("King Abdullah", "Crown Prince Hassan": a
    role noun right before it) it stays the ruler of the dictionary."""
    lone = [m for m in candidates if m.entry.kind == NAMED and norm[m.start : m.end] in names]
    if not lone:
        return candidates
    role_ends = {m.end for m in candidates if m.entry.kind == ROLE}
    dropped = set()
    for m in lone:
        before = norm[max(0, m.start - 8) : m.start]
        ends = (len(before.rstrip(" ")), len(before.rstrip(" .")))  # "Gen. Khalid", "King X"
        if all(m.start - len(before) + end not in role_ends for end in ends):
            dropped.add(id(m))
    return [m for m in candidates if id(m) not in dropped]


def _joinable(prev: _Mention, nxt: _Mention, gap: str) -> bool:
    if "\n" in gap:
        return False
    stripped = gap.strip()
    if stripped in ("", "'s", "’s") or gap == "-":
        # two country names in a row are two actors unless joined by a possessive or hyphen;
        # a spaced dash is punctuation ("Reuters - Kenyan police": a dateline), no hyphen
        return not (
            prev.entry.kind in (COUNTRY, CAPITAL, IGO)
            and nxt.entry.kind in (COUNTRY, CAPITAL, IGO)
            and stripped == ""
            and gap != ""
        )
    if prev.entry.kind == ROLE and _OF_GAP.match(gap):
        return True  # "the foreign minister of Japan", "opposition groups in Zimbabwe"
    return bool(
        _NAME_GAP.match(gap)
        and prev.entry.kind in (ROLE, COUNTRY, IGO)
        and nxt.entry.kind in (NAMED, ROLE)
    )


# "former", "ex-", "one-time", "erstwhile" right before a role noun (or before the country
# adjective in front of it: "former Polish president", "Japan's former foreign minister")
_FORMER = re.compile(r"\b(?:former|ex|one-?time|erstwhile)[ \t]*-?[ \t]*$", re.IGNORECASE)
# the organs of a state, whose holders are the political elite (ELI) once out of office; the
# other roles stay ("a former presidential candidate" is still a party politician)
OFFICE_ROLES = frozenset(("GOV", "MIL", "LEG", "JUD", "COP", "SPY"))


def _role_of(text: str, role_m: _Mention, place: _Mention | None) -> str | None:
    """The role a role noun gives, ELI when it is a former office ("ex-president")."""
    role = role_m.term.role if role_m.term is not None else None
    cut = role_m.start
    if place is not None and place.end <= cut and not text[place.end : cut].strip():
        cut = place.start  # "former Polish president": look before the country adjective
    if role and _FORMER.search(text, max(0, cut - 16), cut):
        return "ELI" if role in OFFICE_ROLES else role
    return role


# the head noun of an institution that may be named after its leader ("the Assad regime",
# "the Maduro government", "the Obama administration"): the institution, not the person
INSTITUTIONS = frozenset(("regime", "government", "administration", "cabinet", "junta"))


def _group_actor(text: str, members: list[_Mention], start: int, end: int) -> _Group | None:
    named = place = role_m = None
    spokesperson = (
        len(members) > 1
        and members[0].entry.kind == ROLE
        and text[members[0].start : members[0].end].lower() in SPOKESPERSONS
        and members[1].start > members[0].end
        and bool(_SPOKESPERSON_GAP.match(text[members[0].end : members[1].start]))
    )
    if spokesperson:
        # "a spokesman for the Kenyan army": the role of whom it speaks for (the spokesman's
        # own only when that names none: "a spokeswoman for Turkey")
        speaker, *spoken_for = members
        members = [*spoken_for, speaker]
    institution = (
        len(members) > 1
        and members[-1].entry.kind == ROLE
        and members[-2].entry.kind == NAMED
        and text[members[-1].start : members[-1].end].lower() in INSTITUTIONS
        and not text[members[-2].end : members[-1].start].strip()
    )
    # (or one phrase of the lists that ends in the noun: "ASSAD REGIME", dated as its leader)
    named_institution = (
        members[-1].entry.kind == NAMED
        and text[members[-1].start : members[-1].end].rsplit(None, 1)[-1].lower() in INSTITUTIONS
    )
    for m in members:  # the first of each kind
        kind = m.entry.kind
        if kind == NAMED:
            named = named or m
        elif kind == ROLE:
            role_m = role_m or m
        else:
            place = place or m
    country: str | None = None
    role: str | None = None
    if named is not None and named.term is not None:
        country, role = named.term.country, named.term.role
        if institution and role is None and members[-1].term is not None:
            # a name the lists give no role ("the Kuwaiti government"): the noun's (a
            # leader's own role stays: out of office on the date, his administration is ELI,
            # as the lists' "OBAMA ADMINISTRATION")
            role = members[-1].term.role
        elif role == "ELI" and role_m is not None and role_m.term is not None:
            # out of office on the date: the title adds the role only if it is not a former
            # one ("former President Obama" stays ELI)
            role = _role_of(text, role_m, place) or "ELI"
        if place is not None and place.term is not None and place.start < named.start:
            country = place.term.country  # "Pakistan's Foreign Office": the country named wins
    elif place is not None and place.term is not None:
        country = place.term.country
        if role_m is not None and role_m.term is not None:
            role = _role_of(text, role_m, place)
        elif place.entry.kind == CAPITAL:
            role = place.term.role
    if not country:
        if place is None and named is None and role_m is not None and role_m.term is not None:
            # "police", "the rebels": PETRARCH's country-less agent ("---COP"), given the
            # country of its sentence or article by _resolve_bare
            role = _role_of(text, role_m, None) or ""
            actor = Actor(text[start:end], "---" + role, None, role or None, start, end)
            return _Group(start, end, [actor], person=end > members[-1].end, bare=True)
        return None
    # "former US President Barack Obama": a title phrase of the lists ("US President") proves
    # no office; only a dated term of the person named, live on the date, does ("former
    # Foreign Minister Fumio Kishida", prime minister since)
    # (on no date the term is only the most recent one: it proves nothing, and "former"
    # says the person is out of office)
    proven = any(
        m.entry.kind == NAMED
        and m.term is not None
        and m.term.start is not None
        and m.term.role in OFFICE_ROLES
        and not m.undated
        for m in members
    )
    if (
        role in OFFICE_ROLES
        and not proven
        and (
            _FORMER.search(text, max(0, start - 16), start)
            # a title phrase of the lists that is a former office itself ("former president")
            or any(
                m.entry.kind == ROLE and m.term is not None and m.term.role == "ELI"
                for m in members
            )
        )
    ):
        role = "ELI"
    code = country if country.startswith("IGO") or not role else country + role
    if country.startswith("IGO"):
        role = None
    actor = Actor(text[start:end], code, country, role, start, end)
    only_place = len(members) == 1 and members[0].entry.kind in (COUNTRY, CAPITAL)
    is_person = (
        spokesperson
        # a person's name, unless an institution's noun after it heads the phrase: "the Trump
        # administration", "the Assad regime" are "it" ("Trump's ambassador" is a person)
        or (
            named is not None
            and _personal(named)
            and not (
                institution
                or named_institution
                or (
                    members[-1] is not named
                    and text[members[-1].start : members[-1].end].lower() in _INSTITUTION_HEADS
                )
            )
        )
        or (role_m is not None and end > members[-1].end)
        # "the Kenyan president", "Britain's foreign minister": a person's title heads it
        or (members[-1] is role_m and text[role_m.start : role_m.end].lower() in PERSON_TITLES)
    )
    return _Group(start, end, [actor], place=only_place, person=is_person)


def _personal(named: _Mention) -> bool:
    """Whether a named actor is a person, as the lists tell: a person's entry is dated (the
    terms of their offices) and its term on the date has a role. An undated entry is an
    institution, a party or an armed group ("the Pentagon", "Hamas", "Human Rights Watch");
    a dated one whose term has no role is a country the lists date by its statehood
    ("Tajikistan", "Serbia"). Either is "it", never "he" or "she" ("The Pentagon said it
    hit ...", "Tajikistan says it will ...")."""
    term = named.term
    if term is None or term.role is None:
        return False
    return any(t.start is not None or t.end is not None for t in named.entry.terms)


# a nationality adjective on its own ("Kenyan", "Chinese", "British", "Israeli", "Dutch"),
# and the country names that share those endings ("Iran", "Sudan", "Pakistan", "Mali")
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:an|ese|ish|i|ch)\b")
_NAME_NOT_ADJECTIVE = re.compile(
    r"[A-Z][a-z]+stan|Iran|Sudan|Japan|Oman|Taiwan|Bhutan|Azerbaijan|Jordan|Vatican|Mali|"
    r"Haiti|Fiji|Malawi|Burundi|Djibouti"
)


def _demonym(word: str) -> bool:
    """Whether *word* reads as a nationality adjective, not a country's name."""
    return _DEMONYM.fullmatch(word) is not None and _NAME_NOT_ADJECTIVE.fullmatch(word) is None


def _share_head(text: str, first: _Group, second: _Group) -> None:
    """Give coordinated nationality adjectives the role of the noun they share: in "Kenyan
    and Ugandan authorities" (and "British, French and German troops") the adjectives before
    "and" modify "authorities" too, so they are governments, not bare countries; only bare
    adjectives (no role, no noun of their own) take it, from a group that opens with one."""
    head = second.actors[0]
    if head.role is None or head.country is None or head.country.startswith("IGO"):
        return
    first_word = text[second.start : second.end].split(None, 1)[0]
    if not _demonym(first_word) or second.end - second.start <= len(first_word):
        return  # the second conjunct must be "<adjective> <noun>" itself
    if not all(
        a.role is None and a.country and not a.country.startswith("IGO") and _demonym(a.text)
        for a in first.actors
    ):
        return
    first.actors[:] = [
        Actor(a.text, a.country + head.role, a.country, head.role, a.start, a.end)  # type: ignore[operator]
        for a in first.actors
    ]
    first.place = False


def _build_groups(text: str, mentions: list[_Mention]) -> list[_Group]:
    runs: list[list[_Mention]] = []
    for mention in mentions:
        gap = text[runs[-1][-1].end : mention.start] if runs else ""
        if runs and (
            _joinable(runs[-1][-1], mention, gap)
            or (len(runs[-1]) == 1 and _speaks_for(text, runs[-1][-1], gap))
        ):
            runs[-1].append(mention)
        else:
            runs.append([mention])
    groups: list[_Group] = []
    for run in runs:
        start, end = run[0].start, run[-1].end
        if run[-1].entry.kind == ROLE:  # a title before a name absent from the dictionaries
            name = _NAME_WORDS.match(text, end)
            if name:
                end = name.end(1)
                while end > start and text[end - 1] in " \t.,":
                    end -= 1
        group = _group_actor(text, run, start, end)
        if group is not None:
            named = _BRACKETED_NAME.search(text, max(0, group.start - 80), group.start)
            if (
                named is not None
                and _CLOSE_BRACKET.match(text, group.end)
                and (not groups or groups[-1].end <= named.start())
            ):
                # "the Eurasia Economic Union (EAEU)": the abbreviation names the words before
                # it, which the lists lack, so the actor is the whole phrase
                group.start = named.start()
            if groups and _restates(text, groups[-1], group):
                groups[-1].end = text.index(")", group.end) + 1
                continue
            groups.append(group)
    # compounds: "China and Russia", "Britain, France and Germany"
    merged: list[_Group] = []
    # the groups each compound was joined from, and whether a conjunction joined any: a list
    # is closed by "and" ("Britain, France and Germany"); actors of one country joined by
    # commas alone are an apposition or meet at a clause boundary ("According to Rouhani's
    # website, the Iranian president called"), and stay apart
    pieces: dict[int, list[_Group]] = {}
    joined: set[int] = set()
    for group in groups:
        if merged and _COMPOUND_GAP.match(text[merged[-1].end : group.start]):
            _share_head(text, merged[-1], group)
        if (
            merged
            and (
                _COMPOUND_GAP.match(text[merged[-1].end : group.start])
                or _ALLY_GAP.match(text[merged[-1].end : group.start])
            )
            and merged[-1].actors[-1].role == group.actors[0].role
        ):
            last = merged[-1]
            pieces.setdefault(id(last), [replace(last, actors=list(last.actors))]).append(group)
            if not re.fullmatch(r"\s*,\s*(?:the\s+)?", text[last.end : group.start], re.I):
                joined.add(id(last))
            last.actors.extend(group.actors)
            last.end = group.end
            last.place = False
            last.person = last.person and group.person
            last.bare = last.bare and group.bare
        else:
            merged.append(group)
    apart = {
        k
        for k, ps in pieces.items()
        if k not in joined and len({a.country for p in ps for a in p.actors}) == 1
    }
    if not apart:
        return merged
    return [p for g in merged for p in (pieces[id(g)] if id(g) in apart else [g])]


# the nouns of an institution named after a person ("the Trump administration")
_INSTITUTION_HEADS = frozenset(
    ("administration", "regime", "government", "cabinet", "campaign", "camp", "team", "office")
)
# "the Eurasian Economic Union (EAEU)": a name, then the same actor's abbreviation in brackets
_OPEN_BRACKET = re.compile(r"\s*\(\s*")
_CLOSE_BRACKET = re.compile(r"\s*\)")
# a capitalised name of two to six words (with "of", "for", "and", "the" inside) right before
# an opening bracket
_BRACKETED_NAME = re.compile(
    r"(?<![\w'’-])[A-Z][\w'’-]*(?:\s+(?:(?:of|for|and|the|on|in)\s+)?[A-Z][\w'’-]*){1,5}"
    r"\s*\(\s*$"
)


def _restates(text: str, name: _Group, bracketed: _Group) -> bool:
    """Whether *bracketed* is *name*'s abbreviation in brackets right after it, naming the
    same actor ("the Libyan National Army (LNA)"): one noun phrase, not a second actor, so a
    compound before it ("China and the Eurasian Economic Union (EAEU) signed") stays whole.
    The codes must agree (one the other or a prefix of it); "the Armed Forces (FARC)", two
    different actors, stays two."""
    if not (
        _OPEN_BRACKET.fullmatch(text, name.end, bracketed.start)
        and _CLOSE_BRACKET.match(text, bracketed.end)
        and len(name.actors) >= 1
        and len(bracketed.actors) == 1
    ):
        return False
    a, b = name.actors[-1].code, bracketed.actors[0].code
    return bool(a and b and (a.startswith(b) or b.startswith(a)))


def _qualifies(text: str, known: _Group, agent: _Group) -> bool:
    """Whether *known* names the agent's own country: "Kenyan riot police", "Pakistan's
    military leaders", "police in Nairobi", "opposition groups in Zimbabwe"."""
    if known.end <= agent.start:
        return bool(_OWN_QUALIFIER_BEFORE.fullmatch(text, known.end, agent.start))
    return agent.end <= known.start and bool(
        _OWN_QUALIFIER_AFTER.fullmatch(text, agent.end, known.start)
    )


def _resolve_bare(text: str, groups: list[_Group]) -> list[_Group]:
    """Country-less agents take the country of their context, as PETRARCH codes them.

    The nearest actor or place with a country in the same sentence wins ("Kenyan officials
    said police ..."); failing that the agent stays "---" + role. The article's most named
    country is no longer a fallback: on real pages it made "officials" of whichever country the
    page had named most (a story about China made Chinese officials of American ones). Such
    actors are marked ``inferred``: the gate lets them be targets, never sources.
    """
    if not any(g.bare for g in groups):
        return groups
    known = [
        g
        for g in groups
        if not g.bare and g.actors[0].country and not g.actors[0].country.startswith("IGO")
    ]
    out: list[_Group] = []
    for group in groups:
        if not group.bare or group.actors[0].country:
            out.append(group)
            continue
        # "Nigerian junior foreign minister", "Bangladeshi peacekeeping troops arrived in
        # Sierra Leone", "Opposition groups in Zimbabwe": a country that qualifies the agent
        # itself wins over a nearer one; otherwise the nearest is only a guess
        near = next((g for g in known if _qualifies(text, g, group)), None)
        own = near is not None
        if near is None and sponsored(text, group):
            out.append(group)
            continue
        if near is None:
            near = min(
                known,
                key=lambda g: min(abs(g.start - group.end), abs(group.start - g.end)),
                default=None,
            )
        country = near.actors[0].country if near is not None else None
        if country is None or near is None:
            out.append(group)
            continue
        # one country in the whole sentence, and the agent no titled person ("Prime Minister
        # X" is often a visitor from elsewhere): the agent's country is the sentence's
        countries = {a.country for g in known for a in g.actors}
        sole = not own and not group.person and len(countries) == 1
        placed = sole and all(a.role is None for g in known for a in g.actors)
        actors = [
            _of_country(a, country, inferred=not own, sole=sole, placed=placed)
            for a in group.actors
        ]
        out.append(_Group(group.start, group.end, actors, person=group.person, bare=True))
    return out


def _of_country(
    actor: Actor, country: str, *, inferred: bool, sole: bool = False, placed: bool = False
) -> Actor:
    """A country-less agent placed in *country*: its code becomes the country plus its role.

    Both ways an agent gets a country (its sentence's, its article's) mark how sure that is.
    """
    return Actor(
        actor.text,
        country + (actor.role or ""),
        country,
        actor.role,
        actor.start,
        actor.end,
        inferred=inferred,
        sole=sole,
        placed=placed,
    )


def _first_chars(words: Iterable[str]) -> str:
    """A lookahead for the characters the *words* start with ("" when one is empty).

    It states what any match must begin with, so it changes no match; the regex engine then
    rejects most positions on one character instead of trying every alternative behind a
    lookbehind there (the cue patterns are searched in every sentence with a trigger).
    """
    words = list(words)
    if not words or not all(words):
        return ""
    return "(?=[" + "".join(sorted({re.escape(w[0]) for w in words})) + "])"


def _word_start(words: Iterable[str]) -> str:
    """``\\b`` when every match of ``_cue_source(words)`` starts at a word boundary (no word
    is a contraction, each starts with a word character: then its ``(?<![\\w'])`` holds
    only where a word starts), else "". Like ``_first_chars`` it changes no match; the
    engine then rejects the positions inside words (most) on one test instead of entering
    the alternatives (the coreference cues are searched in every sentence read)."""
    words = list(words)
    if not words or not all(_WORD_CHAR.match(w) and not _CLITIC.match(w) for w in words):
        return ""
    return r"\b"


_WORD_CHAR = re.compile(r"\w")


def _cue_source(words: Iterable[str]) -> str:
    # a contraction ("n't", "'ll") is the end of the word it is written into ("won't",
    # "didn't", "it'll"), so it needs no word boundary before it
    words = list(words)
    alts = sorted((re.escape(w) for w in words if not _CLITIC.match(w)), key=len, reverse=True)
    clitics = sorted((re.escape(w) for w in words if _CLITIC.match(w)), key=len, reverse=True)
    source = r"(?<![\w'])(?:" + "|".join(alts) + r")(?![\w])" if alts else ""
    if clitics:
        source += ("|" if source else "") + r"(?<=\w)(?:" + "|".join(clitics) + r")(?![\w])"
    return "(?:" + source + ")"


_CLITIC = re.compile(r"^(?:n't|'\w+)$")


# needed strings from which one automaton pass beats a substring test per string (about
# 0.8 µs a 150-character span against 2 µs for 17 substring tests)
AUTOMATON_MIN = 6


class CueRegex:
    """A cue expression whose every match holds one of *needs* as a substring: its
    ``search`` tells a text holding none of them without running the expression.

    The cue lists are long alternations behind look-arounds (the future list has some 50
    phrases), which the regex engine tries at nearly every character of the window: tens
    of µs a search, asked for every trigger; a substring test per needed string is a small
    fraction of that. Only strings no other needed string is inside of are kept (a text
    holding "are expected to" holds "expected to"). With an empty string among them (or
    none) the expression is always run. ``pattern`` and ``finditer`` are the expression's.
    From ``AUTOMATON_MIN`` needed strings on, ``holds`` asks one Aho-Corasick automaton
    over them (one pass over the span) instead of one substring test per string.
    """

    __slots__ = ("_automaton", "_needs", "finditer", "pattern", "regex")

    def __init__(self, regex: re.Pattern[str], needs: Iterable[str]) -> None:
        self.regex = regex
        self.pattern = regex.pattern
        self.finditer = regex.finditer
        strings = set(needs)
        self._needs: tuple[str, ...] | None = (
            tuple(sorted(w for w in strings if not any(o != w and o in w for o in strings)))
            if strings and "" not in strings
            else None
        )
        self._automaton: Any = None
        if self._needs is not None and len(self._needs) >= AUTOMATON_MIN:
            self._automaton = ahocorasick.Automaton()
            for need in self._needs:
                self._automaton.add_word(need, None)
            self._automaton.make_automaton()

    def holds(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> bool:
        """Whether ``text[pos:endpos]`` holds a needed string (False: ``search`` finds
        nothing there); True when the expression has no needed strings."""
        needs = self._needs
        if needs is None:
            return True
        automaton = self._automaton
        if automaton is not None and pos >= 0 and endpos >= 0:  # (negative: sliced from the end)
            end = min(endpos, len(text))
            if pos >= end:
                return False
            for _hit in automaton.iter(text, pos, end):
                return True
            return False
        span = text[pos:endpos] if pos or endpos < len(text) else text
        return any(need in span for need in needs)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """``re.Pattern.search``, None at once when the span holds no needed string
        (``holds`` spelled out: it is asked for every trigger)."""
        needs = self._needs
        if needs is not None:
            automaton = self._automaton
            if automaton is not None and pos >= 0 and endpos >= 0:
                end = min(endpos, len(text))
                if pos >= end:
                    return None
                for _hit in automaton.iter(text, pos, end):
                    break
                else:
                    return None
            else:
                span = text[pos:endpos] if pos or endpos < len(text) else text
                for need in needs:
                    if need in span:
                        break
                else:
                    return None
        return self.regex.search(text, pos, endpos)


def _cue_regex(words: Iterable[str]) -> CueRegex:
    words = list(words)
    return CueRegex(re.compile(_first_chars(words) + _cue_source(words)), words)


@dataclass
class _Cues:
    negation: CueRegex
    future: CueRegex
    hypothetical: CueRegex
    speech: CueRegex
    speaker: CueRegex  # speech or claim verbs: whoever says or claims a clause
    # a claim verb's complement clause ending where its subject starts: "claimed (that) ..."
    claim_before: re.Pattern[str]
    preposition_before: re.Pattern[str]
    partitive_of: re.Pattern[str]  # "thousands of", "a member of": no preposition for slots
    partitive_gap: re.Pattern[str]  # "a batch of 200 Nigeria ...": numbers or names between
    clause_break: CueRegex
    deny_that: CueRegex
    coreference: re.Pattern[str]  # groups: the kinds of _COREF_KINDS


_CUE_CACHE: dict[str, _Cues] = {}

# the coreference cue kinds of cues.yaml, in the order of the cue regex's named groups
_COREF_KINDS = (
    "pair", "person", "person_object", "organisation", "plural", "plural_object", "first"
)  # fmt: skip

# "her" is an object pronoun (not a possessive determiner) only before the end of its
# clause, a preposition, a conjunction or an adverb of time: "released her.", "accused her
# of", "told her that"; "her government", "her visit" are possessives, no actor of their own
_OBJECT_HER = re.compile(
    r"\s*(?:$|[,.;:!?)\"\u201d\u2019'-]|(?:to|of|for|with|on|in|at|from|over|about|against|"
    r"into|after|before|during|and|or|but|as|that|because|since|while|when|if|last|this|"
    r"by|again|later|earlier|yesterday|today|tomorrow|twice)\b)"
)


def _claim_before(words: Iterable[str]) -> re.Pattern[str]:
    """A claim verb whose complement clause starts at the end of the searched text.

    The clause is the one the verb introduces: after "that" (with at most a few words of the
    verb's own phrase before it: "claimed on Tuesday that"), or, for a verb that takes its
    clause without "that", right after the verb ("claimed Israeli forces had ..."); the
    clause's subject may open with up to four words before the actor ("that the army of").
    A cue of the form "insisted that" needs its "that". Nothing punctuated stands between.
    """
    words = list(words)
    bare = [w for w in words if not w.endswith(" that")]
    with_that = sorted({w.removesuffix(" that") for w in words if w.endswith(" that")} | set(bare))
    if not with_that:
        return re.compile(r"(?!x)x")
    gap = r"(?:[^\s,;:.!?\"“”]+\s+){0,4}"
    that = _cue_source(with_that) + r"(?:\s+[^\s,;:.!?\"“”]+){0,4}?\s+that\s+" + gap + "$"
    parts = [that]
    if bare:
        parts.append(_cue_source(bare) + r"\s+(?:(?:the|a|an)\s+)?$")
    return re.compile("(?:" + "|".join(parts) + ")")


def _cues(lx: Lexicon) -> _Cues:
    cached = _CUE_CACHE.get(lx.fingerprint)
    if cached is not None:
        return cached
    c = lx.cues
    preps = "|".join(re.escape(p) for p in c.get("prepositions", []))
    breaks = "|".join(re.escape(b) for b in c.get("clause_breaks", [";"]))
    coref = [lx.coreference.get(kind, []) or ["\x00"] for kind in _COREF_KINDS]
    cues = _Cues(
        negation=_cue_regex(c.get("negation", ["not"])),
        future=_cue_regex(c.get("future", ["will"])),
        hypothetical=_cue_regex(c.get("hypothetical", ["if"])),
        speech=_cue_regex(c.get("speech", ["said"])),
        speaker=_cue_regex(
            list(c.get("speech", ["said"])) + [w.removesuffix(" that") for w in c.get("claim", [])]
        ),
        claim_before=_claim_before(c.get("claim", [])),
        preposition_before=re.compile(r"\b(?:" + preps + r")\s+(?:the\s+)?$"),
        partitive_of=re.compile(
            r"(?<![\w'])(?:"
            + "|".join(re.escape(p) for p in c.get("partitives", []) or ["\x00"])
            + r")\s+of\s+(?:the\s+)?$"
        ),
        # one or two modifiers between "of" and the actor, none a preposition, a conjunction
        # or a relative pronoun ("a batch of 200 Nigeria Police", not "thousands of
        # protesters in Kurdistan")
        partitive_gap=re.compile(
            r"(?<![\w'])(?:"
            + "|".join(re.escape(p) for p in c.get("partitives", []) or ["\x00"])
            + r")\s+of\s+(?:the\s+)?(?:(?!(?:"
            + preps
            + r"|and|or|but|who|which|that|whose)\s)[\w'.-]+\s+){1,2}$"
        ),
        clause_break=CueRegex(re.compile(breaks), c.get("clause_breaks", [";"])),
        deny_that=CueRegex(
            re.compile(
                r"\b(?:denied|denies|deny|denying|(?:rejected|rejects|dismissed|dismisses)\s+"
                r"(?:the\s+)?(?:claims?|accusations?|allegations?|charges|reports?))\s+"
                r"(?:that\s+)?"
            ),
            ("den", "reject", "dismiss"),  # in every alternative
        ),
        coreference=re.compile(
            _word_start(w for ws in coref for w in ws)
            + _first_chars(w for ws in coref for w in ws)
            + "(?:"
            + "|".join(
                f"(?P<{kind}>" + _cue_source(words) + ")"
                for kind, words in zip(_COREF_KINDS, coref, strict=True)
            )
            + ")"
        ),
    )
    _CUE_CACHE[lx.fingerprint] = cues
    return cues


# a pair cue that names countries ("both countries", "the two nations")
_COUNTRY_NOUN = re.compile(r"countr|nation|neighbo")


def _coref_groups(
    text: str,
    norm: str,
    sent: Sentence,
    *,
    memory: _Memory,
    cues: _Cues,
    groups: list[_Group],
    horizon: int = 0,
    governed: Callable[[_Group], bool] | None = None,
    plural: Callable[[int], list[Actor] | None] | None = None,
    plural_object: Callable[[int], list[Actor] | None] | None = None,
    singular: Callable[[int], list[Actor] | None] | None = None,
    speaker: Callable[[int], list[Actor] | None] | None = None,
) -> list[_Group]:
    """Pronouns and "the two countries" as actor groups, resolved cheaply.

    "he"/"she" is the nearest person earlier in the sentence, else the subject (first person)
    of the last sentence that had one; "it" likewise with countries and organisations, but
    never one named as a preposition's object (*governed*: "talks in Paris", "fighting in
    Sudan" name places, not agents); "the two countries" is the last compound actor, or the
    last two countries named. An antecedent from memory named before *horizon* (the start
    of the sentence two before this one) is too far back: the pronoun stays unresolved.
    "they" needs the clause structure (*plural*, given the pronoun's offset: the nearest
    plural subject before it in the sentence, else in the sentence right before; None when
    that subject is no actor, or none agrees in number): without it "they" stays unresolved.
    "it" is likewise the nearest singular subject before it in its sentence when there is
    one (*singular*; [] when that subject is no organisation or country: "the deal said it"),
    and only otherwise the nearest organisation or the remembered one. "we" is the speaker
    of the quotation it stands in (*speaker*), else unresolved. "them" is the nearest plural
    noun phrase before it in its sentence that is no clause's subject (*plural_object*), when
    that phrase is an actor; without it "them" stays unresolved.
    """
    out: list[_Group] = []
    segment = norm[sent.start : sent.end]

    def alias(actors: list[Actor], s: int, e: int) -> list[Actor]:
        return [Actor(text[s:e], a.code, a.country, a.role, s, e, coreferent=True) for a in actors]

    for m in cues.coreference.finditer(segment):
        s, e = sent.start + m.start(), sent.start + m.end()
        if m.lastgroup == "pair":
            if len(memory.pair) >= 2:
                pair = memory.pair
                if _COUNTRY_NOUN.search(m.group(0)):
                    # "both countries" after "Pakistan's military ... Indian forces": the
                    # countries themselves, not the agents that named them
                    pair = [_as_place(a) or a for a in pair]
                out.append(_Group(s, e, alias(pair, s, e), coreferent=True))
            continue
        if m.lastgroup in ("plural", "plural_object", "first"):
            resolve = {"plural": plural, "plural_object": plural_object}.get(m.lastgroup, speaker)
            found = resolve(s) if resolve is not None else None
            if found:
                # (an agent whose country was only inferred stays so: the gate decides)
                they = [replace(a, text=text[s:e], start=s, end=e, coreferent=True) for a in found]
                out.append(_Group(s, e, they, coreferent=True))
            continue
        if (
            m.lastgroup == "person_object"
            and m.group(0) == "her"
            and not _OBJECT_HER.match(segment, m.end())
        ):
            continue  # a possessive: "her government"
        person = m.lastgroup in ("person", "person_object")
        if not person and singular is not None:
            decided = singular(s)
            if decided is not None:
                # "Russia attacked Ukraine, and it later bombed Georgia": the subject, not the
                # nearest organisation; [] when the nearest singular subject is no actor
                if decided:
                    out.append(_Group(s, e, alias(decided, s, e), coreferent=True))
                continue
        local = [
            g
            for g in groups
            if g.end <= s
            and g.person == person
            and len(g.actors) == 1
            and not g.coreferent
            and (person or governed is None or not governed(g))
        ]
        at = memory.person_at if person else memory.organisation_at
        antecedent = (
            local[-1].actors[0]
            if local
            else (memory.person if person else memory.organisation)
            if at >= horizon
            else None
        )
        if antecedent is not None:
            out.append(_Group(s, e, alias([antecedent], s, e), person=person, coreferent=True))
    return out


def _remember(
    memory: _Memory, groups: list[_Group], governed: Callable[[_Group], bool] | None = None
) -> None:
    real = [g for g in groups if not g.coreferent and not g.bare]
    person = next((g for g in real if g.person and len(g.actors) == 1), None)
    if person is not None:
        memory.person = person.actors[0]
        memory.person_at = person.start
    organisation = next(
        (
            g
            for g in real
            if not g.person and len(g.actors) == 1 and (governed is None or not governed(g))
        ),
        None,
    )
    if organisation is not None:
        memory.organisation = organisation.actors[0]
        memory.organisation_at = organisation.start
    compounds = [g for g in real if len(g.actors) >= 2]
    if compounds:
        memory.pair = list(compounds[-1].actors)
        return
    for group in real:
        actor = group.actors[0]
        if not memory.countries or memory.countries[-1].country != actor.country:
            memory.countries.append(actor)
            memory.countries = memory.countries[-2:]
    if (
        len(memory.pair) < 2
        and len(memory.countries) == 2
        and memory.countries[0].country != memory.countries[1].country
    ):
        memory.pair = list(memory.countries)


def _quoted(actor: Actor, raw: str) -> Actor:
    """The actor with its words as the original text has them (tags included)."""
    from dataclasses import replace

    return replace(actor, text=raw[actor.start : actor.end])


def _domestic(src: Actor, tgt: Actor) -> bool:
    """A source acting on itself: same code, the same country with no distinct role, or an
    agent whose only country is the source's ("Israel mobilized the army": its own means)."""
    return tgt.code == src.code or (
        src.country == tgt.country and (src.role == tgt.role or not tgt.role or tgt.inferred)
    )


def _as_place(actor: Actor | None) -> Actor | None:
    """A place as the target of a visit: the country, not its government."""
    if actor is None:
        return None
    return Actor(
        actor.text, actor.country or actor.code, actor.country, None, actor.start, actor.end
    )


def _with_location(event: Event, name: str, country: str | None) -> Event:
    from dataclasses import replace

    return replace(event, location_name=name, location_country=country)
