"""The clause-structure subject rules of round 7, mixed into the slots (``slots.py``).

The rules themselves are stated in ``clauses.py``; this mixin applies them to a trigger's actor
groups before the ordinary nearest-actor search: a passive without "be", the antecedent of a
subject relative clause, and the first conjunct's subject of a subjectless coordinated
predicate. It also finds the antecedent of "they" (``_plural_antecedent``), which needs the
same clause structure: which noun phrases are subjects, and of which number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.stages.events.actors import _Group, _Memory, _Mention
from pipeline.stages.events.clauses import (
    Subject,
    clause_opens,
    coordinated_predicate,
    first_conjunct_subject,
    reduced_passive,
    relative_subject,
    subjects_before,
    verb_after,
)
from pipeline.stages.events.event import Actor
from pipeline.stages.events.sentences import Sentence
from pipeline.stages.events.syntax import Parse, Token
from pipeline.stages.events.triggers import _Trigger


class _ClauseSubjects:
    """Subjects decided by clause structure; the slots class provides the parse and tests."""

    norm: str
    memory: _Memory

    def _syntax(self, sent: Sentence) -> Parse:  # pragma: no cover - provided by _Slots
        raise NotImplementedError

    def _groups(self, mentions: list[_Mention]) -> list[_Group]:  # pragma: no cover - coder
        raise NotImplementedError

    def _preceded_by_preposition(  # pragma: no cover - provided by _Slots
        self, sent: Sentence, group: _Group
    ) -> bool:
        raise NotImplementedError

    def _clause_break(self, start: int, end: int) -> bool:  # pragma: no cover - by _Slots
        raise NotImplementedError

    def _reduced_passive(self, sent: Sentence, groups: list[_Group], trig: _Trigger) -> bool:
        """ "Ukraine, attacked by Russia in 2022, asked ...", "a man accused of ...": a passive
        without "be"."""
        after = next((g for g in groups if g.start >= trig.end), None)
        return reduced_passive(
            self.norm,
            sent.start,
            trig.start,
            trig.head_end,
            self.norm[trig.end : after.start] if after is not None else None,
        )

    def _clause_subject(
        self, sent: Sentence, groups: list[_Group], trig: _Trigger, inherited: dict[int, _Group]
    ) -> tuple[bool, _Group | None]:
        """(True, subject) when clause structure decides the subject (None: no actor is),
        (False, None) when the ordinary search should."""
        parsed = self._syntax(sent)
        rel = relative_subject(self.norm, sent.start, trig.start, parsed.tag_at)
        if rel is not None:
            # "X, which considers Y hostile and has rejected Z, called for ...": the subject
            # of the relative clause's verbs, and of the verb after it, is its antecedent
            return True, self._antecedent(sent, groups, rel.opener)
        conj = coordinated_predicate(self.norm, sent.start, trig.start)
        last = next((g for g in reversed(groups) if g.end <= trig.start), None)
        if conj is None or last is None or id(last) in inherited:
            return False, None
        # "The US has technology inside Ukraine and is warning Russia": the subject of a
        # subjectless coordinated predicate is the first conjunct's, not the nearest actor
        subject = first_conjunct_subject(
            groups,
            conj,
            lambda g: parsed.heads_clause(g.end) and not self._preceded_by_preposition(sent, g),
        )
        if (
            subject is not None
            and not self._clause_break(subject.end, conj)
            and not clause_opens(self.norm, subject.end, conj)
        ):
            return True, subject
        return False, None

    def _antecedent(self, sent: Sentence, groups: list[_Group], opener: int) -> _Group | None:
        """The actor a relative clause opening at *opener* hangs on: the noun phrase right
        before it, when that is an actor and not a preposition's object ("the attacks on
        Israel, which ...": the attacks) other than a passive's "by" agent."""
        for group in reversed(groups):
            if group.end > opener:
                continue
            if self.norm[group.end : opener].strip():
                return None  # a noun that is no actor ("the deal, which ...")
            if _BY_BEFORE.search(self.norm, max(sent.start, group.start - 8), group.start):
                # "attacked by Russian forces, which later shelled ...": a passive's agent
                # is an agent, and the clause's subject
                return group
            return None if self._preceded_by_preposition(sent, group) else group
        return None

    def _plural_antecedent(
        self, sent: Sentence, groups: list[_Group], at: int
    ) -> list[Actor] | None:
        """The actors "they" at *at* stands for: the nearest plural subject before it in its
        sentence ("The rebels said that they had attacked ...", "Serbia and Croatia signed
        the deal after they ..."), else the nearest plural subject of the sentence right
        before (*self.memory.previous*). None when that subject is no actor, or when no
        subject agrees in number ("Minister X said they ..." names who "they" are nowhere):
        a pronoun resolved wrongly codes a wrong event, an unresolved one codes nothing."""
        found = self._plural_subject(sent, groups, at)
        if found is not None:
            return found or None
        previous = self.memory.previous
        if previous is None or previous[0].index != sent.index - 1:
            return None  # the antecedent must be in the sentence right before: the horizon
        return self._plural_subject(previous[0], self._groups(previous[1]), previous[0].end) or None

    def _singular_antecedent(
        self, sent: Sentence, groups: list[_Group], at: int
    ) -> list[Actor] | None:
        """The actor "it" at *at* stands for when its sentence has a subject before it: the
        nearest singular subject ("Russia attacked Ukraine, and it bombed Georgia": Russia),
        [] when that subject is a person or no actor ("the deal, it said, ..."); None when
        the sentence has no singular subject before the pronoun (the older rule decides)."""
        parsed = self._syntax(sent)
        tokens = parsed.chunked()
        if _object_position(tokens, parsed.index(at)):
            # "accused it of", "attacked it.": the patient of the verb before it, never that
            # verb's own subject (an actor acting on itself is no event)
            return self._object_antecedent(sent, groups, at, plural=False) or []
        for subject in subjects_before(tokens, parsed.heads_clause, at):
            if subject.plural:
                continue
            group = self._group_of(groups, subject)
            if group is not None and self._collective(tokens, group, subject):
                continue
            if (
                group is None
                or group.person
                or (
                    subject.head_start == subject.start
                    and self._preceded_by_preposition(sent, group)
                )
            ):
                return []
            return list(group.actors)
        return None

    def _object_antecedent(
        self, sent: Sentence, groups: list[_Group], at: int, *, plural: bool = True
    ) -> list[Actor] | None:
        """The actors "them" at *at* stands for: the nearest plural noun phrase before it in
        its sentence that heads no clause of its own ("Kenyan police arrested Ugandan
        protesters and later released them": the protesters, not the police, who act). An
        object pronoun names the patient of its verb, and a subject is the agent of its own
        verb, so the subjects are passed over. None (unresolved) when that nearest plural
        phrase is no actor or a place ("imposed sanctions on Iran and lifted them" are the
        sanctions), and when the sentence has none before the pronoun: "them" in a sentence
        of its own is too far from its antecedent to guess. With *plural* False the same for an
        object "it": the nearest singular phrase that is no subject ("Turkey shelled the PKK and
        accused it of ...": the PKK)."""
        parsed = self._syntax(sent)
        tokens = parsed.chunked()
        subjects = subjects_before(tokens, parsed.heads_clause, at)
        runs: list[tuple[int, int]] = []
        i, n = 0, len(tokens)
        while i < n and tokens[i].end <= at:
            if tokens[i].kind != "NP" or tokens[i].start < sent.start:
                i += 1
                continue
            j = i + 1
            while j < n and tokens[j].chunk == "I-NP" and tokens[j].end <= at:
                j += 1
            runs.append((i, j))
            i = j
        for i, j in reversed(runs):
            start, end = tokens[i].start, tokens[j - 1].end
            if any(s.start <= start < s.end or start <= s.head_start < end for s in subjects):
                continue  # a clause's subject: the agent of its own verb
            nouns = [t for t in tokens[i:j] if t.tag.startswith("NN")]
            if not nouns:
                continue  # a pronoun or a number: no antecedent of its own
            group = next(
                (g for g in groups if not g.coreferent and g.start < end and g.end > start),
                None,
            )
            joined = any(t.tag == "CC" for t in tokens[i:j])
            many = joined or nouns[-1].tag in ("NNS", "NNPS")
            many = many or (group is not None and len(group.actors) > 1)
            if many != plural:
                continue  # the other number: the pronoun is someone else
            if group is None or group.place:
                return None
            return list(group.actors)
        return None

    @staticmethod
    def _group_of(groups: list[_Group], subject: Subject) -> _Group | None:
        """The (named, not coreferent) actor group that names *subject*, if any."""
        return next(
            (
                g
                for g in groups
                if not g.coreferent and g.start < subject.head_end and g.end > subject.head_start
            ),
            None,
        )

    @staticmethod
    def _collective(tokens: Sequence[Token], group: _Group, subject: Subject) -> bool:
        """A compound, or a rebel, opposition or armed group whose verb is not singular."""
        return len(group.actors) > 1 or (
            all(a.role in _COLLECTIVE_ROLES for a in group.actors)
            and verb_after(tokens, subject.end) != "VBZ"
        )

    def _plural_subject(
        self, sent: Sentence, groups: list[_Group], before: int
    ) -> list[Actor] | None:
        """The actors of the nearest plural subject before *before* in *sent*; [] when that
        subject is no actor (or a preposition's object), None when no subject there is
        plural. A compound actor ("Serbia and Croatia") is plural, and so is a rebel,
        opposition or armed group whose verb is not singular ("the Taliban claimed", not
        "Hamas says")."""
        parsed = self._syntax(sent)
        tokens = parsed.chunked()
        for subject in subjects_before(tokens, parsed.heads_clause, before):
            group = self._group_of(groups, subject)
            collective = group is not None and self._collective(tokens, group, subject)
            if not (subject.plural or collective):
                continue  # a singular subject: "they" is someone else
            if group is None or (
                subject.head_start == subject.start and self._preceded_by_preposition(sent, group)
            ):
                return []
            return list(group.actors)
        return None


def _object_position(tokens: Sequence[Token], i: int | None) -> bool:
    """Whether the pronoun token *i* is its verb's object: right after a verb form, and
    followed by the end of its clause, a preposition, "to" or a conjunction ("accused it
    of", "urged it to", "attacked it."). Anything else may be the verb of a clause the
    pronoun opens, even when the tagger calls it a noun ("claimed it shot down")."""
    if i is None or i == 0 or not tokens[i - 1].verb:
        return False
    if i + 1 >= len(tokens):
        return True
    return tokens[i + 1].tag in _AFTER_OBJECT


# the tags that may follow an object pronoun: a preposition, "to", a conjunction, punctuation
_AFTER_OBJECT = frozenset(("IN", "TO", "CC", ".", ",", ":", ")", "''"))


_BY_BEFORE = re.compile(r"\bby\s+(?:the\s+)?$")

# roles of groups often named as plurals ("the Taliban ... they", "the FARC ... they")
_COLLECTIVE_ROLES = frozenset(("REB", "OPP", "UAF", "INS", "SEP", "RAD"))
