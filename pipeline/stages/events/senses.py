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
* threatened or plotted only: the infinitive of "threats to" / "a plot to" ("threats to
  injure", "a plot to kill") is what was threatened or plotted, not an act (a threat is
  coded from its verb, "threatened to").
"""

from __future__ import annotations

import re

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


def reported_only(norm: str, sent_start: int, source_start: int) -> str | None:
    """Why the clause of a subject at *source_start* only reports an allegation or evidence."""
    lo = max(sent_start, source_start - 120)
    if _REPORTED.search(norm, lo, source_start):
        return "dropped: the content of an allegation or evidence, not an asserted act"
    return None


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
    if _INTENDED.search(norm, max(0, start - 60), start):
        return "dropped: what a threat or a plot is to do, not an act"
    if target is None:
        return None
    between = norm[head_end : target[0]]
    if code.startswith("09") and _VICTIM_OF.search(between):
        return "dropped: the target is the victim of the incident investigated"
    if code == "0841" and _TOPICAL.search(between):
        return "dropped: released a text or recording, not persons"
    if code[:2] in ("02", "13", "16") and (
        _OWN_PEOPLE.search(between) or _AGAINST_TRAVEL.match(norm, target[1])
    ):
        return "dropped: advice to its own people (a travel advisory), no act toward the target"
    return None
