"""Clause-aware frames for slot filling: what may stand between a subject and its verb, which
verb a participle or a second conjunct shares its subject with, and where a verb-object phrase
names its recipient.

``Parse.subject_frame`` asks that only the verb phrase (auxiliaries, adverbs, PP adjuncts)
separate the subject's noun phrase from its verb. Clause structure allows more, and these
rules say what, in grammatical terms rather than per sentence:

* *bridges* between a subject and its verb: an appositive name (``the Foreign Minister, Ann
  Lee, has welcomed``), a parenthetical abbreviation (``the Air Force (NAF) has``), a
  non-restrictive relative clause (``the ministry, which runs the prisons, refused``) and a bare
  temporal noun (``the army yesterday gave``, ``the court Tuesday freed``);
* *shared subjects*: a participle clause after a comma (``stormed a base, killing``) and the
  second of two coordinated verbs (``hit the positions and destroyed them``) have the subject of
  the finite verb they hang on, so the subject test is made against that verb;
* *recipient PPs*: a pattern made of a verb and its object noun (``sent a message``, ``carried
  out attacks``) names whom it concerns in a PP right after that object (``to``, ``with``,
  ``against``, ``on``), as PETRARCH-2's parse reads a verb phrase's PP complement;
* a *relative pronoun subject*: in ``farmers who stormed a court`` the antecedent right before
  ``who`` / ``which`` / ``that`` is the subject of the relative clause's verb;
* an *apposition as subject*: ``Ann Lee, the Kenyan minister, rejected`` (the actor renames
  the noun phrase that opens the sentence, and the closing comma ends the subject);
* *quantities and amounts* in the object and the recipient PP (``held around 20,000``,
  ``provided 3.5 million in funding to``, ``attacks on a number of``).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from pipeline.stages.events.syntax import BE, CLAUSE_TAGS, COMPLEMENTIZERS, HAVE, Parse

# an appositive name set off by commas, a parenthetical abbreviation or a short aside, a
# non-restrictive relative clause, or a bare temporal noun or phrase ("last week") between
# subject and verb
_BRIDGE = re.compile(
    r"\s*,\s+(?:[A-Z][\w'’.-]*\s+){0,5}[A-Z][\w'’.-]*\s*,"
    r"|\s*\([^()]{1,40}\)"
    r"|\s*,\s*(?:who|which)\b[^,;()“”\"]{1,80},"
    r"|\s+(?:yesterday|today|tonight|on|last|this|next)?\s*(?:Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday)\b"
    r"|\s+(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|\d+)\s+"
    r"(?:hours?|days?|weeks?|months?|years?)\s+ago\b"
    r"|\s+(?:yesterday|today|tonight|recently|earlier|also)\b"
    r"|\s+(?:(?:earlier|later|late|early)\s+)?(?:this|last|next)\s+(?:week|weekend|month|year|"
    r"morning|afternoon|evening|night|spring|summer|autumn|fall|winter)\b"
)

_FINITE = frozenset(("VBD", "VBZ", "VBP", "VBN", "MD"))

# a preposition right after a verb-object phrase that names whom the action concerns
RECIPIENT_PREPOSITIONS = frozenset(("to", "with", "against", "on", "upon", "toward", "towards"))

# right after the event noun itself: its patient ("the release of", "control of"), whom it is
# for ("an appeal for"), or what it is about when an actor directly follows ("concern over")
_NOUN_PREPOSITIONS = frozenset(("of", "for", "over", "about"))

# nouns for a person or a body of an organisation or a country, whose "of" PP names it
_MEMBER_NOUNS = frozenset(
    (
        "head", "heads", "leader", "leaders", "chief", "chiefs", "president", "members",
        "representatives", "envoy", "envoys", "ambassador", "people", "citizens",
        "government", "embassy", "officials", "delegation", "families",
    )
)  # fmt: skip

_RECIPIENT_AFTER_PP = frozenset(("to", "with", "against", "toward", "towards"))

# the prepositions of a PP that modifies the object of a verb-object phrase before its
# recipient PP ("aid in cash to", "a team of doctors to", "concerns about the delay to")
_OBJECT_PREPOSITIONS = frozenset(("in", "of", "about", "over", "for"))

_RELATIVE_PRONOUN = re.compile(r"\s*,?\s*(?:who|which|that)\s+(?:\w+ly\s+)?$", re.IGNORECASE)

_PARTICIPLE_TARGET = re.compile(
    r"\s*,\s+(?:(?:mainly|mostly|largely|mainly|often|chiefly|primarily|apparently)\s+)?"
    r"(?:targeting|targetting|aimed\s+at|directed\s+at|against|hitting|striking)\s+(?:the\s+)?$"
)


def bridged_end(text: str, source_end: int, trigger_start: int) -> int:
    """Where the subject's material ends once bridges after *source_end* are passed: the end
    of the last bridge that follows it without a gap (*source_end* itself when none does)."""
    end = source_end
    while end < trigger_start:
        m = _BRIDGE.match(text, end, trigger_start)
        if m is None or m.end() == end:
            break
        end = m.end()
    if _RELATIVE_PRONOUN.fullmatch(text, end, trigger_start):
        return trigger_start  # "farmers who stormed": the antecedent is the subject
    return end


# the tags of a noun phrase (a title, a name, a possessor) and of its short PP modifiers
_NP_TAGS = ("DT", "JJ", "NN", "POS", "PRP$", "CD")
_TITLE_PREPOSITIONS = frozenset(("of", "for", "in", "at", "on"))


def apposition_end(parsed: Parse, source_start: int, source_end: int) -> int | None:
    """Where an apposition that is the source ends, when it renames the clause's opening noun
    phrase: ``Pakistan's military ruler, Gen. Ann Lee, has given`` (the name renames the
    title) and ``Tom Lee, undersecretary of state for political affairs, paid`` (the title
    renames the name): the end of the comma that closes it, from where the verb phrase
    follows. None when the material before the opening comma is not a bare noun phrase at
    the start of the sentence (a fronted PP or clause: ``In March, Iran, ...``), or the
    apposition holds a verb or runs on without a closing comma."""
    tokens = parsed.tokens
    first = parsed.index(source_start)
    if first is None:
        return None
    b = first  # back over the rest of the apposition's noun phrase ("the [Kenyan minister]")
    while b > 0 and first - b < 4 and tokens[b - 1].tag.startswith(_NP_TAGS):
        b -= 1
    if b < 2 or tokens[b - 1].word != ",":
        return None
    first = b
    opening = tokens[: first - 1]
    if len(opening) > 8 or not all(
        t.tag.startswith(_NP_TAGS) or (t.word == "." and n > 0 and len(opening[n - 1].word) <= 4)
        for n, t in enumerate(opening)
    ):
        return None  # ("Gen." is "Gen" and "."): only a noun phrase opens the sentence
    last = parsed.index(max(0, source_end - 1))
    if last is None:
        return None
    k = last + 1
    while k < len(tokens) and k - last <= 10 and tokens[k].word != ",":
        tok = tokens[k]
        if not (tok.tag.startswith(_NP_TAGS) or tok.word.lower() in _TITLE_PREPOSITIONS):
            return None
        k += 1
    if k >= len(tokens) or tokens[k].word != ",":
        return None
    return tokens[k].end


def aside_end(parsed: Parse, source_end: int) -> int | None:
    """Where a noun phrase set off by commas right after the source ends (the end of its
    closing comma): a description or an abbreviation (``the Kenyan army, the largest in the
    region, rejected``, ``the People in Diaspora, PID, has called``), after at most one PP of
    the source's own. None when the material between the commas holds a verb, a WH-word or
    anything but a noun phrase with its PPs, or when no closing comma follows."""
    tokens = parsed.chunked()
    last = parsed.index(max(0, source_end - 1))
    if last is None:
        return None
    k = last + 1
    while k < len(tokens) and tokens[k].chunk == "I-NP":
        k += 1  # the rest of the source's noun phrase
    if k < len(tokens) and tokens[k].word.lower() in _TITLE_PREPOSITIONS:
        k += 1  # "in Diaspora": one PP of the source's, a noun phrase in it
        start = k
        while k < len(tokens) and k - start < 5 and tokens[k].tag.startswith(_NP_TAGS):
            k += 1
        if k == start:
            return None
    if k >= len(tokens) or tokens[k].word != ",":
        return None
    k += 1
    start = k
    while k < len(tokens) and k - start <= 10 and tokens[k].word != ",":
        tok = tokens[k]
        if not (
            tok.tag.startswith((*_NP_TAGS, "RB"))
            or tok.word.lower() in _TITLE_PREPOSITIONS
            or (tok.tag == "CC" and k > start)
        ):
            return None
        k += 1
    if k == start or k >= len(tokens) or tokens[k].word != ",":
        return None
    return tokens[k].end


def head_verb(parsed: Parse, trigger_start: int, *, coordinated: bool = False) -> int | None:
    """The start of the finite verb whose subject the verb at *trigger_start* shares: the
    main clause's verb before a participle clause (``, killing``) or the first of two
    coordinated verbs (``hit ... and destroyed``). None when the trigger is neither, or the
    material between crosses a clause (a comma that is not the participle's, a WH-word, a
    complementizer) or another finite verb."""
    tokens = parsed.chunked()
    i = parsed.index(trigger_start)
    if i is None or i == 0:
        return None
    j = i - 1
    while j >= 0 and tokens[j].tag.startswith("RB"):
        j -= 1
    if j < 0:
        return None
    if tokens[j].word == "," and tokens[i].tag == "VBG" and not coordinated:
        j -= 1
    elif tokens[j].tag == "CC" and tokens[j].word.lower() == "and" and tokens[i].tag in _FINITE:
        j -= 1
        if j >= 0 and tokens[j].word == ",":
            j -= 1
    else:
        return None
    # back over the first clause's objects and adjuncts to its verb phrase
    while j >= 0:
        tok = tokens[j]
        if tok.kind == "VP" or tok.verb or tok.tag == "MD":
            break
        if tok.word in (",", ";", ":", '"', "“", "”") or tok.tag in ("WDT", "WP", "WRB"):
            return None
        if tok.tag == "IN" and tok.word.lower() in ("that", "whether", "if", "because"):
            return None
        j -= 1
    if j < 0:
        return None
    # to the first word of that verb phrase ("have hit", "has carried out")
    while j > 0 and tokens[j - 1].kind == "VP" and tokens[j].chunk.startswith("I-"):
        j -= 1
    if tokens[j].tag == "VBG" or tokens[j].tag == "TO":
        return None  # a participle or an infinitive itself: not a finite clause
    if coordinated and j > 0 and tokens[j - 1].word.lower() in ("who", "which", "that"):
        return None  # "arrested men who had crossed ... and accused them": which verb is
        # coordinated (the relative clause's or the main clause's) is not known
    return tokens[j].start


def purpose_head(parsed: Parse, trigger_start: int) -> int | None:
    """The start of the finite verb whose subject controls the purpose infinitive at
    *trigger_start*: in "Norway sent aid to help Haiti" / "Japan earmarked funds in emergency
    aid to help" the infinitive's understood subject is the clause's subject (subject
    control). Only after the verb's own object (at least one noun phrase between the verb and
    "to": "wants to help" is an intent, which the modality cues read); None across a clause
    (a comma, a WH-word, a complementizer) or another verb. Whether that object is itself an
    actor (object control: "allowed Kenya to attack", whose subject is Kenya) the caller
    checks, since only it knows the actors."""
    tokens = parsed.chunked()
    i = parsed.index(trigger_start)
    if i is None or i < 3 or tokens[i].tag != "VB" or tokens[i - 1].tag != "TO":
        return None
    j = i - 2
    nouns = 0
    while j >= 0:
        tok = tokens[j]
        if tok.kind == "VP" or tok.verb or tok.tag == "MD":
            break
        # (a bracketed aside inside the object is no boundary: "1.5 million euros ($2
        # million) in aid")
        if tok.word in (",", ";", ":", '"', "“", "”") or tok.tag in CLAUSE_TAGS:
            return None
        if tok.tag == "IN" and tok.word.lower() in COMPLEMENTIZERS:
            return None
        nouns += tok.tag.startswith("NN") or tok.tag == "CD"
        j -= 1
    if j < 0 or not nouns:
        return None
    # the verb of the object must head a clause of its own: not a gerund or an infinitive
    # under another verb ("is considering sending aid to help", "plans to send"), whose
    # event is at most as real as that verb's; a progressive or a modal's verb is
    prev = tokens[j - 1] if j > 0 else None
    if tokens[j].tag == "VBG" and not (prev is not None and prev.word.lower() in BE):
        return None
    if tokens[j].tag == "VB" and not (prev is not None and prev.tag == "MD"):
        return None
    if tokens[j].word.lower() in HAVE or tokens[j].word.lower() in BE:
        return None  # "has the right to help", "is the first to help": no act of the subject
    if tokens[j].word.lower() in _OBJECT_CONTROL:
        return None  # "urged the army to help": the object, even a country-less one, helps
    return tokens[j].start  # (the verb itself: the subject test walks back over "will")


# verbs whose object is the subject of the infinitive after it ("urged Iran to", "asked
# the army to help"): no purpose clause of the subject's
_OBJECT_CONTROL = frozenset(
    (
        "urged", "urges", "urge", "urging", "asked", "asks", "ask", "asking", "allowed",
        "allows", "allow", "forced", "forces", "force", "invited", "invites", "invite",
        "encouraged", "encourages", "encourage", "persuaded", "told", "tells", "tell",
        "ordered", "orders", "order", "wants", "want", "wanted", "permitted", "enabled",
        "called", "calls", "call", "pressed", "pressured", "requested", "requests", "helped",
        "helps", "help", "expect", "expects", "expected", "authorized", "authorised",
    )
)  # fmt: skip


def purpose_target(parsed: Parse, trigger_end: int, target_start: int) -> bool:
    """Whether the target is the first actor inside a purpose infinitive right after the
    verb-object phrase that ends at *trigger_end*: "provided 20 million euros to support
    refugees in Sudan", "gave $5 million this year to rebuild schools in Haiti" name whom the
    aid is for there, as the recipient PP does in "gave $5 million to Haiti". Between them:
    the rest of the object's noun phrase, a time noun phrase or one PP of the object, "to"
    and the infinitive's verb, then its object's noun phrase and PPs only (no comma, clause
    opener or finite verb)."""
    tokens = parsed.chunked()
    i = _after_noun_phrase(parsed, trigger_end)
    if i is None:
        return False
    # one PP or a time noun phrase of the object ("in emergency aid", "this year")
    if i < len(tokens) and tokens[i].tag == "IN" and tokens[i].word.lower() in _OBJECT_PREPOSITIONS:
        i += 1
        while i < len(tokens) and tokens[i].kind == "NP":
            i += 1
    if i < len(tokens) and tokens[i].word.lower() in ("this", "last", "next"):
        i += 1
        while i < len(tokens) and tokens[i].chunk == "I-NP":
            i += 1
    if i + 1 >= len(tokens) or tokens[i].word.lower() != "to":
        return False
    verb = tokens[i + 1]
    after = tokens[i + 2] if i + 2 < len(tokens) else None
    # the tagger may call the infinitive's verb a noun ("to support displaced families"):
    # a noun that ends its own chunk there is read as the verb
    if not (
        verb.tag in ("VB", "VBP")
        or (verb.tag == "NN" and after is not None and not after.chunk.startswith("I-"))
    ):
        return False
    j = i + 2
    while j < len(tokens) and tokens[j].start < target_start:
        tok = tokens[j]
        if tok.word in (",", ";", ":", "(", ")", '"', "“", "”") or tok.tag in CLAUSE_TAGS:
            return False
        if tok.tag in ("VBD", "VBZ", "MD", "TO") or (
            tok.tag == "IN" and tok.word.lower() in COMPLEMENTIZERS
        ):
            return False
        j += 1
    return j < len(tokens) and j - i <= 14


def coordinated_head(parsed: Parse, trigger_start: int) -> int | None:
    """The first verb of a coordinated verb phrase whose second verb is at *trigger_start*
    ("entered Syria and attacked"): the two share its subject (see ``head_verb``)."""
    i = parsed.index(trigger_start)
    if i is None or parsed.tokens[i].tag not in _FINITE:
        return None
    j = i - 1
    while j >= 0 and parsed.tokens[j].tag.startswith("RB"):
        j -= 1
    if j < 0 or parsed.tokens[j].word.lower() != "and":
        return None  # (tags only: the chunker runs only for a coordinated verb)
    return head_verb(parsed, trigger_start, coordinated=True)


def recipient_pp(parsed: Parse, trigger_end: int, target_start: int) -> bool:
    """The target is the object of a recipient PP right after the verb-object phrase that
    ends at *trigger_end* (``sent a message to``, ``carried out attacks on``): between them
    only the rest of the object's noun phrase, the preposition and a determiner."""
    tokens = parsed.chunked()
    last = parsed.index(max(0, trigger_end - 1))
    i = parsed.index(target_start)
    if last is None or i is None:
        return False
    j = last + 1
    while j < i and tokens[j].chunk == "I-NP":
        j += 1
    if not (tokens[j - 1].tag.startswith("NN") or tokens[j - 1].tag == "CD"):
        # the phrase must end in its object noun, or in the middle of its noun phrase
        # ("sending a military [platoon] to"), or in an amount ("provided $4 million to")
        return False
    k = j
    for _ in range(2):
        # "provided $4 million in aid to", "sent a team of doctors to", "conveyed concerns
        # about the delay to": up to two PPs of the object before the recipient's PP (not
        # "on": "concern about the attacks on Iran" is about the attacks)
        if not (
            k < i and tokens[k].word.lower() in _OBJECT_PREPOSITIONS and tokens[k].kind == "PP"
        ):
            break
        k += 1
        while k < i and tokens[k].in_pnp and tokens[k].kind == "NP":
            k += 1
        if k < i and tokens[k].word.lower() in _RECIPIENT_AFTER_PP:
            j = k
            break
    if j >= i or tokens[j].word.lower() not in RECIPIENT_PREPOSITIONS | _NOUN_PREPOSITIONS:
        return False
    j += 1
    if j < i and parsed.quantity_before(i - 1) < i - 1:
        i = parsed.quantity_before(i - 1) + 1  # "on a number of", "to 1.5 million people"
    while j < i and tokens[j].tag in ("DT", "PRP$", "JJ", "VBN", "CD"):
        j += 1
    if j + 1 < i and tokens[j].word.lower() in _MEMBER_NOUNS and tokens[j + 1].word == "of":
        # "sent a letter to the head of the WHO": a person or body of the target's
        j += 2
        while j < i and tokens[j].tag in ("DT", "PRP$", "JJ"):
            j += 1
    return j == i


def object_recipient(parsed: Parse, trigger_end: int, target_start: int) -> bool:
    """The target is the recipient PP after the direct object of a bare verb of giving
    (*trigger_end* is the verb's end): "provided their annual donations to Kenya", "supplied
    arms and ammunition to the army". The verbs of the dative alternation (Levin's give,
    send and contribute classes) name whom they give to in a "to" PP after the object, as a
    phrase pattern does ("sent a message to", ``recipient_pp``); the object must be a noun
    phrase right after the verb."""
    tokens = parsed.chunked()
    k = parsed.index(trigger_end)
    if k is None:
        k = next((n for n, t in enumerate(tokens) if t.start >= trigger_end), None)
    if k is None or tokens[k].chunk != "B-NP" or tokens[k].tag == "PRP":
        return False
    if tokens[k].start >= target_start:
        return False
    return recipient_pp(parsed, tokens[k].end, target_start)


def dative_verb(head: str) -> bool:
    """Whether the verb form *head* is a verb of giving that takes its recipient in a "to"
    PP after the object (give, provide, send, deliver, supply, grant, sell, ...)."""
    return bool(_DATIVE.match(head))


# the give / send / contribute verbs of the dative alternation (Levin 1993, 13.1, 11.1,
# 13.2) that code material cooperation or aid, by the forms a trigger's head takes
_DATIVE = re.compile(
    r"(?:gives?|gave|given|giving|provid(?:e|es|ed|ing)|sen(?:d|ds|t|ding)|"
    r"deliver(?:s|ed|ing)?|suppl(?:y|ies|ied|ying)|grant(?:s|ed|ing)?|sell(?:s|ing)?|sold|"
    r"transfer(?:s|red|ring)?|donat(?:e|es|ed|ing)|len(?:d|ds|t|ding)|ship(?:s|ped|ping)?|"
    r"allocat(?:e|es|ed|ing)|contribut(?:e|es|ed|ing))$"
)


def pp_object(parsed: Parse, target_start: int) -> bool:
    """Whether the target is the object of a preposition (its noun phrase inside a PP)."""
    return parsed.preposition(target_start) is not None


def _after_noun_phrase(parsed: Parse, end: int) -> int | None:
    """The index of the first token after the noun phrase that ends at *end* (its chunk may
    run on past the actor's text: "Ukraine's forces"), or None where *end* is no token."""
    tokens = parsed.chunked()
    i = parsed.index(max(0, end - 1))
    if i is None:
        return None
    i += 1
    while i < len(tokens) and tokens[i].chunk == "I-NP":
        i += 1
    return i


def infinitive_after(parsed: Parse, end: int) -> bool:
    """Whether "to" and a verb follow the noun phrase ending at *end* (and no finite verb)."""
    tokens = parsed.chunked()
    i = _after_noun_phrase(parsed, end)
    if i is None:
        return False
    return i + 1 < len(tokens) and tokens[i].tag == "TO" and tokens[i + 1].tag in ("VB", "NN")


def reduced_relative_after(parsed: Parse, end: int) -> bool:
    """Whether a participle with no object of its own follows the noun phrase ending at
    *end*: a reduced relative clause ("a militant wanted in France", "soldiers held by the
    rebels"), which the tagger may call a past tense (VBD) as if the noun were its subject."""
    tokens = parsed.chunked()
    i = _after_noun_phrase(parsed, end)
    if i is None or i + 1 >= len(tokens) or tokens[i].tag not in ("VBN", "VBD"):
        return False
    nxt = tokens[i + 1]
    return (nxt.tag == "IN" and nxt.word.lower() not in COMPLEMENTIZERS) or nxt.word in ",."


def only_bridges(text: str, source_end: int, trigger_start: int) -> bool:
    """Whether nothing but bridges (see ``bridged_end``) stands between a subject and its
    verb: "the army, which controls the region, yesterday deported"."""
    end = bridged_end(text, source_end, trigger_start)
    return end > source_end and not text[end:trigger_start].strip()


def relative_subject(norm: str, antecedent_end: int, trigger_start: int) -> bool:
    """Whether only a relative pronoun stands between an antecedent and the verb: "farmers
    who stormed", "the group which claimed": the antecedent is the verb's subject."""
    return _RELATIVE_PRONOUN.fullmatch(norm, antecedent_end, trigger_start) is not None


def participle_target(norm: str, after: int, target_start: int) -> bool:
    """Whether a participle clause that carries the target opens between the end of an
    event noun phrase and the target: ``carried out attacks, mainly targeting the army``."""
    return _PARTICIPLE_TARGET.fullmatch(norm, after, target_start) is not None


def ends_in_noun(parsed: Parse, end: int) -> bool:
    """Whether the pattern ending at *end* ends in a noun (a verb and its object noun)."""
    i = parsed.index(max(0, end - 1))
    return i is not None and parsed.tokens[i].tag.startswith("NN")


_CONJUNCTION = re.compile(r"\b(?:and|but)\s")


def conjoined_clause(parsed: Parse, between: str, group_end: int) -> bool:
    """Whether an actor after "and" / "but" is the subject of a conjoined clause (its own
    finite verb follows: "condemned the attack and Ethiopia welcomed it"), not an object."""
    return _CONJUNCTION.search(between) is not None and parsed.heads_clause(group_end)


def restrictive_relative(parsed: Parse, antecedent_end: int, trigger_start: int) -> bool:
    """Whether a restrictive relative clause, and nothing else, separates an antecedent from
    the main verb: "refugees who fled the fighting thanked the government". The clause is a
    relative pronoun right after the antecedent, one verb and its objects (no comma, no
    second verb, no clause opener); the trigger is a finite verb after that object."""
    tokens = parsed.tokens
    i = parsed.index(trigger_start)
    if i is None or tokens[i].tag not in ("VBD", "VBZ", "VBP"):
        return False
    j = bisect_left(parsed._starts, antecedent_end)  # the first token after the antecedent
    if j >= i - 2 or tokens[j].tag not in ("WP", "WDT") or tokens[j].start - antecedent_end > 1:
        return False
    k = j + 1
    while k < i and (tokens[k].tag.startswith(("RB", "MD")) or tokens[k].word.lower() in BE):
        k += 1
    if k >= i or not tokens[k].verb:
        return False
    k += 1

    def nominal(n: int) -> bool:  # a noun, or a gerund after a determiner ("the fighting")
        tag = tokens[n].tag
        return tag.startswith(("NN", "PRP", "CD")) or (
            tag in ("VBG", "VBN") and tokens[n - 1].tag in ("DT", "PRP$", "JJ", "POS")
        )

    if k >= i or not nominal(i - 1):
        return False  # the relative clause ends in its object's noun
    for n in range(k, i):
        tok = tokens[n]
        if (tok.verb and not nominal(n)) or tok.tag in ("WP", "WDT", "WRB", "MD", "CC"):
            return False
        if tok.word in ',:;()"“”' or (tok.tag == "IN" and tok.word.lower() in COMPLEMENTIZERS):
            return False
    return True
