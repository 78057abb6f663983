"""Non-events and other senses: candidates whose verb matched but whose clause reports no act.

Each rule is a class of reading, stated in CAMEO terms, never a sentence:

* reported only: an action marked "allegedly" / "alleged", or a clause that is the content of
  an allegation or of evidence ("allegations that ...", "evidence shows that ...", "documents
  suggest ...") asserts no act of the accused;
  CAMEO codes the accusation (112) when someone makes it, not the act alleged;
* the victim of an investigated incident: investigating "the death of" / "the killing of" an
  actor investigates the incident, and that actor is its victim, not the investigated party
  (CAMEO 09 needs the one investigated as target);
* release of a thing: "return, release person(s)" (0841) needs persons as what is released; an
  object with a topic ("a report on", "a video showing", "a statement about") is a text or
  recording, and the actor after it is its subject matter, not a party to a release;
* advice to one's own people: an appeal or warning to "its citizens" / "their nationals" about
  a country (a travel advisory), or against travel there, is no act toward that country;
* a thing where a person is meant: the codes that act on persons by definition (releasing
  persons, 0841 and 1243; arrest, 173; expulsion, 174; the assaults of 18 but hijacking, 181;
  mass expulsion and killing, 201 and 202) read another sense of their verb when the object
  right after it is a thing: a text, a recording, a product, a plan or figures ("released a
  new album", "released the transcript of the call with X", "shot a documentary in X"). The
  thing nouns are a word class (``THING_NOUNS`` and a rule on media word endings), never a
  person noun of the Phoenix agents dictionary;
* travel advice and a cancelled visit: travel-advice words ("advised against travel to",
  "issued a travel advisory for") say nothing done to the country, and a visit that was
  boycotted, cancelled, called off or postponed did not happen (no 04x);
* threatened or plotted only: the infinitive of "threats to" / "a plot to" ("threats to
  injure", "a plot to kill") is what was threatened or plotted, not an act (a threat is
  coded from its verb, "threatened to").
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

# nouns whose "that"-clause is an allegation or a piece of evidence, not an asserted act
_CONTENT_NOUN = (
    r"(?:allegations?|accusations?|claim|evidence|suspicions?|rumou?rs?|indications?|"
    r"proof|signs?)"
)
# subjects that carry evidence, and the verbs with which they report its content
_EVIDENCE_SUBJECT = (
    r"(?:evidence|documents?|records?|footage|images?|photos?|photographs?|videos?|data|"
    r"files?|e-?mails?|messages?|lawsuit|complaint|indictment|allegations?|findings?|"
    r"papers?|leaks?|intercepts?|recordings?|satellite imagery)"
)
_SHOW_VERB = (
    r"(?:show(?:s|ed|n)?|suggest(?:s|ed)?|indicate(?:s|d)?|prove(?:s|d)?|allege(?:s|d)?|"
    r"claim(?:s|ed)?|point(?:s|ed)? to|appear(?:s|ed)? to show|reveal(?:s|ed)?)"
)
_REPORTED = re.compile(
    rf"\b(?:{_CONTENT_NOUN}\s+that|{_EVIDENCE_SUBJECT}(?:\s+\w+){{0,3}}?\s+{_SHOW_VERB}"
    rf"(?:\s+that)?)\s+(?:\S+\s+){{0,6}}$"
)

# incidents an investigation is about; "of"/"on"/"against" after them names the victim
_INCIDENT = (
    r"(?:deaths?|killings?|murders?|shootings?|disappearances?|kidnappings?|abductions?|"
    r"assassinations?|attacks?|bombings?|crash(?:es)?|burglar(?:y|ies)|robber(?:y|ies)|"
    r"rapes?|assaults?|poisonings?|explosions?|stabbings?|beatings?|drownings?|thefts?|"
    r"arson|fire|injur(?:y|ies)|torture)"
)
_VICTIM_OF = re.compile(rf"\b{_INCIDENT}\s+(?:of|on|against)\b(?!.*\bby\b)")

# what marks an object with a topic or content: a text or a recording, not a person
_TOPICAL = re.compile(
    r"\b(?:on|about|over|regarding|concerning|showing|detailing|describing|depicting|"
    r"criticizing|criticising|accusing|calling|urging|outlining)\b"
)

_OWN_PEOPLE = re.compile(
    r"\b(?:its|their|his|her|our)\s+(?:own\s+)?(?:citizens|nationals|people|residents|"
    r"travell?ers|tourists|expatriates|diplomats|staff|embassy staff|students)\b"
)
_AGAINST_TRAVEL = re.compile(
    r"\s*(?:against|not to)\s+(?:\w+[- ]){0,2}?(?:travel|travelling|traveling|trips?|"
    r"visits?|visiting|go|going)\b"
)


# an adverb or adjective that marks the action as alleged, not established
_ALLEGED = re.compile(
    r"\b(?:allegedly|purportedly|supposedly|alleged|purported)\s+(?:[\w'’-]+\s+){0,2}$"
)


# a threat or a plot whose "to"-infinitive names what is threatened or plotted: "threats to
# injure", "a plot to kill" (a plan is another matter: "the government's plans to impose
# restrictions" is an intent, which the coder codes from its "plans to" cue)
_INTENDED = re.compile(r"\b(?:threats?|plots?|conspiracy)\s+to\s+$")


# what may follow the person called in a telephone call (041, "called Putin on Tuesday",
# "called him to discuss"); anything else after "called X" is what X was called ("called
# Denmark's prime minister nasty", "called the strike an act of war"): a characterisation
_CALL_HEAD = re.compile(r"call(?:s|ed|ing)?$")
_AFTER_CALLED = re.compile(
    r"\s*(?:$|[^\w\s]|(?:on|to|about|over|for|and|or|in|at|after|before|during|from|with|"
    r"late|early|last|this|yesterday|today|tonight|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|twice|again|back|amid|as|ahead|following|by|when|while|since|but|"
    r"shortly|soon|hours?|days?|minutes?)\b)"
)


# the codes whose object is a person by definition (CAMEO 0841 "release persons", 1243
# "refuse to release persons", 173 "arrest", 174 "expel or deport individuals", 18 "assault"
# but 181 "abduct, hijack" whose object may be a plane or a ship, 201/202 "mass expulsion",
# "mass killings"); 0842 (property) is released things by definition, but not texts or
# products, which the thing class below names
def acts_on_persons(code: str) -> bool:
    """Whether CAMEO's definition of *code* makes its object a person (or property held)."""
    return (
        code.startswith("084")
        or code == "1243"
        or code[:3] in ("173", "174", "201", "202")
        or (code[:2] == "18" and not code.startswith("181"))
    )


# things that are released, shot, expelled or attacked in another sense: texts, recordings,
# products, plans and figures (their plurals by rule)
THING_NOUNS = frozenset(
    (
        "text", "transcript", "recording", "video", "footage", "tape", "audio", "image",
        "picture", "photo", "ad", "advert", "advertisement", "commercial", "statement",
        "report", "document", "dossier", "letter", "memo", "list", "record", "book", "novel",
        "memoir", "album", "song", "track", "single", "film", "movie", "documentary",
        "trailer", "episode", "series", "game", "app", "software", "update", "version",
        "edition", "product", "phone", "device", "drug", "vaccine", "bill", "draft",
        "data", "figures", "statistics", "numbers", "results", "findings", "details",
        "information", "names", "plan", "budget", "proposal", "guidelines", "rules",
        "policy", "strategy", "map", "schedule", "forecast", "estimate", "survey", "poll",
        "study", "paper", "minutes", "content", "music", "clip", "collection", "brand",
        "illness", "disease", "virus", "infection",
    )
)  # fmt: skip
# the rule: a word ending in a media morpheme ("manuscript", "photograph", "programme",
# "podcast", "firmware", "handbook", "e-mail", "banknote", "spreadsheet", "blueprint"; not
# "-line", which ends "hardline")
_MEDIA_ENDING = re.compile(
    r"\w{2,}(?:script|graph|gram|gramme|cast|ware|book|tape|mail|note|sheet|paper|print|"
    r"card|clip|log)s?"
)
# a noun the thing class must not take: a person noun of the agents dictionary
_AGENTS = Path(__file__).with_name("data") / "phoenix_agents.tsv"


@lru_cache(maxsize=1)
def person_nouns() -> frozenset[str]:
    """The one-word person nouns of the Phoenix agents dictionary, with plain plurals."""
    words: set[str] = set()
    if _AGENTS.is_file():
        for line in _AGENTS.read_text(encoding="utf-8").splitlines():
            phrase = line.split("\t", 1)[0].strip().lower()
            if phrase and not phrase.startswith("#") and " " not in phrase and phrase.isalpha():
                words.update((phrase, phrase + "s", phrase + "es"))
    return frozenset(words)


def is_thing(word: str) -> bool:
    """Whether *word* (lower case) is a thing noun: a text, recording, product, plan, figures."""
    if word in person_nouns():
        return False
    if word in THING_NOUNS or (word.endswith("s") and word[:-1] in THING_NOUNS):
        return True
    return _MEDIA_ENDING.fullmatch(word) is not None


# where the object's head ends: a preposition, a conjunction, a relative or a participle
_HEAD_END = re.compile(
    r"\b(?:of|on|about|by|with|from|for|to|in|at|over|against|into|and|or|that|which|who|"
    r"showing|detailing|featuring|called|titled|entitled)\b|[,;:(\"“”]"
)
_WORD = re.compile(r"[a-z][a-z'’-]*")


def thing_object(norm: str, head_end: int, target: tuple[int, int]) -> bool:
    """Whether the object right after the verb (ending at *head_end*) is headed by a thing
    noun: the last word before its first preposition ("released a new album", "released the
    transcript of ... X"), or the noun right after a target that modifies it ("released the
    Kenyan album")."""
    lo, hi = head_end, target[0]
    if hi >= lo and hi - lo <= 60:
        stop = _HEAD_END.search(norm, lo, hi)
        words = _WORD.findall(norm[lo : stop.start() if stop else hi].lower())
        if words and is_thing(words[-1]):
            return True
    after = _WORD.match(norm[target[1] : target[1] + 30].lower(), 1)
    return after is not None and norm.startswith(" ", target[1]) and is_thing(after.group(0))


# travel advice: what a government tells its own people about a country
_TRAVEL_ADVICE = re.compile(
    r"\b(?:travel|trips?)\s+(?:advi[cs]e|advisor(?:y|ies)|warnings?|alerts?|guidance|"
    r"notices?)\b|\b(?:against|not\s+to)\s+(?:\w+[- ]){0,2}?(?:travel|travell?ing|trips?|"
    r"visits?|visiting)\b"
)
# a visit that was boycotted, cancelled, called off or postponed: none took place
_CALLED_OFF = re.compile(
    r"\b(?:boycott|cancel|postpon|scrap|shelv|abandon)\w*\s+(?:[\w'’-]+\s+){0,4}?$"
    r"|\b(?:call|put)(?:s|ed|ing)?\s+off\s+(?:[\w'’-]+\s+){0,4}?$"
)


def reported_only(norm: str, sent_start: int, source_start: int) -> str | None:
    """Why the clause of a subject at *source_start* only reports an allegation or evidence."""
    lo = max(sent_start, source_start - 120)
    if _REPORTED.search(norm, lo, source_start):
        return "dropped: the content of an allegation or evidence, not an asserted act"
    return None


# what one leaves that is no position of armed forces: an agreement, a negotiation, an
# organisation's programme or a contest ("pulled out of the nuclear deal", "withdrew from the
# talks", "pulled out of the race"); CAMEO 0874 is a military retreat or surrender
_NOT_A_POSITION = re.compile(
    r"\s+(?:out\s+)?(?:of|from)\s+(?:[\w'’-]+\s+){0,4}?(?:deals?|agreements?|accords?|"
    r"treat(?:y|ies)|pacts?|talks|negotiations|contracts?|summits?|conventions?|protocol|"
    r"programs?|programmes?|races?|elections?|contests?|competitions?|tournaments?|"
    r"projects?|plans?|initiatives?|coalition\s+government)\b"
)

# the verbs of leaving: whatever code a dictionary gives them ("pulled out" is 040 in one
# PETRARCH-2 block), leaving an agreement is neither a retreat nor a meeting
_LEAVE_VERB = re.compile(r"(?:pull|withdr[ae]w|retreat|exit|quit)\w*")


# "resigned himself to defeat": the reflexive sense of resigning, no office given up
_REFLEXIVE = re.compile(r"\s+(?:himself|herself|themselves|itself|oneself|myself|ourselves)\b")


def sense_veto(
    norm: str,
    code: str,
    trigger: tuple[int, int],
    target: tuple[int, int] | None,
) -> str | None:
    """Why a candidate of *code* whose verb spans *trigger* (start, end of its first word) and
    whose target spans *target* reads another sense of its verb or no act (no event), or None."""
    start, head_end = trigger
    if _ALLEGED.search(norm, max(0, start - 60), start):
        return "dropped: an alleged action, not an asserted one"
    if (
        # (a match ends the window with "to" and whitespace: most windows don't)
        norm[max(0, start - 60) : start].rstrip().endswith("to")
        and _INTENDED.search(norm, max(0, start - 60), start)
    ):
        return "dropped: what a threat or a plot is to do, not an act"
    if (code == "0874" or _LEAVE_VERB.fullmatch(norm, start, head_end)) and _NOT_A_POSITION.match(
        norm, head_end
    ):
        return "dropped: left an agreement, a negotiation or a contest, not a military retreat"
    if code == "0831" and _REFLEXIVE.match(norm, head_end):
        return "dropped: resigned oneself to something, not an office given up"
    if code.startswith("04") and _CALLED_OFF.search(norm, max(0, start - 50), start):
        return "dropped: a visit boycotted, cancelled or postponed, none took place"
    if target is None:
        return None
    between = norm[head_end : target[0]]
    if acts_on_persons(code) and thing_object(norm, head_end, target):
        return "dropped: a thing (a text, a recording, a product), not a person, is its object"
    lo = max(0, start - 50) if code.startswith("04") else start  # "against a visit to X"
    if code[:2] in ("02", "04", "13", "16") and _TRAVEL_ADVICE.search(norm, lo, target[0]):
        return "dropped: travel advice to its own people, no act toward the country"
    if (
        code == "041"
        and _CALL_HEAD.fullmatch(norm, start, head_end)
        and not _AFTER_CALLED.match(norm, target[1])
    ):
        return "dropped: called the target something (a characterisation), not a call"
    if code.startswith("09") and _VICTIM_OF.search(between):
        return "dropped: the target is the victim of the incident investigated"
    if code == "0841" and _TOPICAL.search(between):
        return "dropped: released a text or recording, not persons"
    if code[:2] in ("02", "13", "16") and (
        _OWN_PEOPLE.search(between) or _AGAINST_TRAVEL.match(norm, target[1])
    ):
        return "dropped: advice to its own people (a travel advisory), no act toward the target"
    return None


# PETRARCH-2 verb blocks whose verb is itself a joint act: meeting, negotiating, agreeing,
# cooperating, signing, joining, mending or upgrading ties. The other blocks that carry a
# symmetric code are done by one side to (or for) the other: "sent a letter to", "opened its
# borders to", "is training Iraqi pilots", "invited", "hosted" (040, 050, 0312 by the code,
# but nothing was done by the addressee)
_MUTUAL_BLOCKS = frozenset(
    [
        "MEET_PEOPLE",
        "COORDINATE",
        "COLLABORATE",
        "AGREE",
        "BARGAIN",
        "CONFER",
        "MERGE",
        "LINK",
        "TRADE",
        "COMPROMISE",
        "ENGAGE",
        "ASSEMBLE",
        "SIGN",
        "RE_ESTABLISH",
        "CLINCH",
        "IRON_OUT",
        "REACH",
        "WARM",
        "BOOST",
        "RESTART",
        "REVIVE",
        "UPGRADE",
        "MAINTAIN",
        "REPAIR",
        "CONTINUE",
        "ENJOY",
        "RETURN",
    ]
)
# object nouns of a joint act, whatever verb carries them ("began talks with", "opened
# negotiations with", "set up a joint commission with")
_MUTUAL_NOUN = re.compile(
    r"\b(?:talks|negotiations?|dialogue|consultations?|meetings?|summit|relations|"
    r"relationship|ties|agreements?|accords?|deals?|treaty|pact|cooperation|partnership|"
    r"alliance|exercises?|drills|contacts|memorandum|joint|together|mutual|bilateral)\b"
)


# Verbs of giving and handing over: the verbs of CAMEO's one-way codes of material help (07x
# "provide aid", whose intents are 033x, in ``verbs.yaml``) and of PETRARCH-2's GRANT, SELL,
# SEND, SHARE, ARM, BRING, DESPATCH and EXTRADITE blocks. What such a verb codes under a code
# that CAMEO codes both ways (062 "sold fighter jets to", "is training Iraqi soldiers"; 063
# "extradited"; 064 "shared intelligence with"; their intents 0312/0313/0314) is still a
# transfer from its subject to its object, one-way like 07x: the recipient did nothing.
GIVING_VERBS = frozenset(
    [
        # 07x in verbs.yaml
        "send",
        "supply",
        "provide",
        "deliver",
        "give",
        "ship",
        "grant",
        "donate",
        "extend",
        "lend",
        "airlift",
        "contribute",
        "deploy",
        "disburse",
        "allocate",
        "earmark",
        "distribute",
        # PETRARCH-2's blocks of giving and handing over
        "accord",
        "award",
        "bestow",
        "endow",
        "entrust",
        "loan",
        "sell",
        "export",
        "transfer",
        "dispatch",
        "despatch",
        "share",
        "arm",
        "equip",
        "furnish",
        "extradite",
        "hand",
        "train",
    ]
)
_LEMMA = re.compile(r"<([a-z_-]+)>")


def giving_pattern(source: str) -> bool:
    """Whether a pattern's head (its first word) is only verbs of giving (``GIVING_VERBS``):
    "<share> ... intelligence", "<send>|<supply> ... arms", "<hand> over ... suspects"."""
    alternatives = source.split(maxsplit=1)[0].split("|")
    lemmas = [m.group(1) for a in alternatives if (m := _LEMMA.fullmatch(a)) is not None]
    return len(lemmas) == len(alternatives) and all(lemma in GIVING_VERBS for lemma in lemmas)


def mutual_act(pattern_id: str, trigger_text: str, source: str = "") -> bool:
    """Whether a symmetric code's pattern names an act of both sides, so that CAMEO's two
    directions apply. Curated patterns (``verbs.yaml``) are written for it and do, unless
    their verb is one of giving (``giving_pattern`` on the pattern's *source*), which is
    one-way whatever its code: "X sold arms to Y" is no sale by Y.

    A converted one-way verb ("sent a condolence message", "opened its borders to") coded
    040/050 both ways made the addressee an actor of something it did not do."""
    if source and giving_pattern(source):
        return False
    if not pattern_id.startswith("petrarch:"):
        return True
    block = pattern_id.split(":")[1]
    return block in _MUTUAL_BLOCKS or _MUTUAL_NOUN.search(trigger_text.lower()) is not None
