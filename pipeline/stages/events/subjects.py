"""The clause-structure subject rules of round 7, mixed into the slots (``slots.py``).

The rules themselves are stated in ``clauses.py``; this mixin applies them to a trigger's actor
groups before the ordinary nearest-actor search: a passive without "be", the antecedent of a
subject relative clause, and the first conjunct's subject of a subjectless coordinated
predicate.
"""

from __future__ import annotations

from pipeline.stages.events.actors import _Group
from pipeline.stages.events.clauses import (
    clause_opens,
    coordinated_predicate,
    first_conjunct_subject,
    reduced_passive,
    relative_subject,
)
from pipeline.stages.events.sentences import Sentence
from pipeline.stages.events.syntax import Parse
from pipeline.stages.events.triggers import _Trigger


class _ClauseSubjects:
    """Subjects decided by clause structure; the slots class provides the parse and tests."""

    norm: str

    def _syntax(self, sent: Sentence) -> Parse:  # pragma: no cover - provided by _Slots
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
        Israel, which ...": the attacks)."""
        for group in reversed(groups):
            if group.end > opener:
                continue
            if self.norm[group.end : opener].strip():
                return None  # a noun that is no actor ("the deal, which ...")
            return None if self._preceded_by_preposition(sent, group) else group
        return None
