"""Moves among plans and other sibling options: a plan described as paid or free ("how much is the premium
plan?", "and if I upgrade?"), "the other plan", the sibling a word describes ("and the paid one?"), and two
siblings compared where one states how it differs ("Plus vs Free").

:class:`PlanMoves` is mixed into :class:`bot.moves.SearcherMoves` (which provides ``kb``, ``index``,
``tuning``, ``position``, ``outline``, ``no_amount`` and :meth:`_title_terms`).
"""
from __future__ import annotations

import re

import numpy as np

from .confidence import confidences
from .followup import DESCRIBED, without
from .frames import compared_words, paid_or_free, price_words
from .kinds import states_amount, states_duration
from .knowledge import Entry
from .reading import Query
from .text import words


#: "the other plan", "the other one": the one sibling besides the previous answer
_THE_OTHER = re.compile(r"\bthe\s+other\b(?:\s+([^\W\d_]+))?", re.I)


class PlanMoves:
    """Plans and sibling options (see the module's docstring)."""

    def _the_other(self, q: Query, prev: Entry, question: str) -> Entry | None:
        """"The other plan" after Plus: the one sibling besides ``prev`` that can answer the question; of several,
        the one that holds what the question asks about, or (when it asks about nothing more) the one that
        states what ``prev`` states (an amount, a duration)."""
        other = _THE_OTHER.search(question)
        if other is None:
            return None
        fits = [e for e in self.outline.siblings(prev) if self._can_answer(q, self.position[e.id])]
        rest = without(q, frozenset(self.index.analyzer_.terms_of_words(words(other.group(1) or ""))))
        if len(fits) > 1 and rest.terms:
            fits = [e for e in fits if self.index.coverage(rest, self.position[e.id]) >= self.tuning.follow_up_cover]
        elif len(fits) > 1:
            fits = [e for e in fits if _states(e, self.kb.language) == _states(prev, self.kb.language)]
        return fits[0] if len(fits) == 1 else None

    def _described_sibling(self, q: Query, prev: Entry, question: str) -> Entry | None:
        """"What about the paid one?" after Free: the one other sibling that answers the kind of question asked
        (an amount), when ``prev`` does not hold the word describing it ("paid"). Only a turn that turns to
        another ("what about the ...", "and the ...") picks so: "how much is the paid one?" may mean ``prev``."""
        m = DESCRIBED.search(question)
        said = frozenset(self.index.analyzer_.terms_of_words([(m.group(1) or m.group(2)).lower()])) & set(q.terms) if m else None
        if not said or self.index.coverage(without(q, frozenset(q.terms) - said),
                                           self.position[prev.id]) >= self.tuning.follow_up_cover:
            return None
        fits = [e for e in self.outline.siblings(prev) if self._can_answer(q, self.position[e.id])]
        return fits[0] if len(fits) == 1 else None

    def _priced(self, q: Query, out: list) -> list:
        """A plan described as paid or as free ("how much is the paid tier?", "the premium plan", "on the no-cost
        plan, how many alerts?") among siblings one of which is titled free (:meth:`_free_siblings`): the best
        ranked of those it describes answers, as sure as the best entry."""
        said = paid_or_free(q.text, self.kb.language) if self.tuning.priced_siblings and out else None
        if said is None:
            return out
        for row in out[:3]:
            group = self._free_siblings(self.kb.entries[row[3]])
            if group is None:
                continue
            free, paid = group
            if any(self._names_apart(q, e) for e in (free if said == "paid" else paid)):
                return out  # "a free trial of the Plus plan" names Plus
            wanted = {self.position[e.id] for e in (paid if said == "paid" else free)}
            # a plan states its price ("how much is the premium plan?" is not the section's opening words)
            wanted = {i for i in wanted if not self.no_amount[i]} or wanted
            target = next((r for r in out if r[3] in wanted), None)
            j = target[3] if target else min(wanted)
            best = max(out[0][0], target[0] if target else 0.0, self._priced_cover(q, j, (target or out[0])[2]))
            return [(best, out[0][1], (target or out[0])[2], j)] + [r for r in out if r[3] != j]
        return out

    def _compared(self, q: Query, out: list) -> list:
        """Two siblings compared ("whats in plus vs free", "what does Plus add on top of the Free plan?") where
        the best ranked states how it differs from the other (Plus: "Everything in Free, and: ..."): it answers,
        as sure as its share of the question besides the words of comparing (``Tuning.compared_siblings``)."""
        said = compared_words(q.text, self.kb.language) if self.tuning.compared_siblings and out else ()
        if not said:
            return out
        best = self.kb.entries[out[0][3]]
        if not self._names_apart(q, best):  # (so the question has terms)
            return out
        text = f" {' '.join(words(best.text))} "
        others = [e for e in self.outline.siblings(best) if self._names_apart(q, e)
                  and f" {' '.join(words(e.title))} " in text]
        if len(others) != 1:
            return out
        rest = without(q, frozenset(self.index.analyzer_.terms_of_words(list(said))))
        cov = self.index.coverage(rest, out[0][3]) if rest.terms else 0.0
        if cov < self.tuning.compared_siblings:
            return out
        conf = float(confidences(np.array([cov]), np.array([max(out[0][2], self.tuning.strength_scale)]),
                                 self.tuning)[0])
        return [(max(out[0][0], conf),) + tuple(out[0][1:])] + out[1:]

    def _priced_cover(self, q: Query, i: int, similarity: float) -> float:
        """The confidence of plan ``i`` when it holds the words that describe it as paid or free ("what does the
        premium membership cost?": Plus is the premium one whether or not its text says so), as
        :meth:`_stage_cover` lets a stage hold "level"."""
        lang = self.kb.language  # ... and the words comparing it to the other ("what extra do I get if I upgrade?")
        said = frozenset(self.index.analyzer_.terms_of_words(list(price_words(q.text, lang) + compared_words(q.text, lang))))
        rest = without(q, said)
        if rest is q or not rest.terms:
            return 0.0
        # ... when it holds the rest of what the knowledge base knows ("a LinkedIn Premium subscription" is not
        # Jobicy's; "run at once" asks nothing the document could lack)
        known = without(rest, frozenset(t for t in rest.terms if t not in self.index.term_idf_))
        if not known.terms or self.index.coverage(known, i) < 1.0 - 1e-9:
            return 0.0
        cov = self.index.coverage(rest, i)
        return float(confidences(np.array([cov]), np.array([similarity]), self.tuning)[0])

    def _priced_sibling(self, question: str, q: Query, prev: Entry) -> Entry | None:
        """"And if I upgrade?" after Free, "and without paying?" after Plus: the one sibling of ``prev`` that the
        question describes as paid or free, when ``prev`` is not one (a plan states a price), and that holds the
        rest of the question's words the knowledge base knows ("does LinkedIn Premium help more?" asks about
        another product); not a question about ``prev`` itself ("is that free?")."""
        said = paid_or_free(question, self.kb.language)
        kids = self.outline.kids(prev) if said else ()  # ... or one of its plans ("and the paid one?" after them)
        group = (self._free_siblings(prev) or (self._free_siblings(kids[0]) if kids else None)) if said else None
        if group is None:
            return None
        free, paid = group
        wanted = [e for e in (free if said == "free" else paid) if not self.no_amount[self.position[e.id]]]
        if len(wanted) != 1 or prev in wanted:
            return None
        said = frozenset(self.index.analyzer_.terms_of_words(list(price_words(question, self.kb.language))))
        rest = without(q, said | frozenset(t for t in q.terms if t not in self.index.term_idf_))  # words it knows
        if rest.terms and self.index.coverage(rest, self.position[wanted[0].id]) < self.tuning.follow_up_cover:
            return None
        return wanted[0]

    def _free_siblings(self, e) -> tuple[list, list] | None:
        """``(free, paid)``: ``e`` and its siblings split by whether their title says free ("Free" and "Plus"),
        when both are there; None otherwise."""
        group = [e] + self.outline.siblings(e)
        free_terms = self._free_terms
        free = [g for g in group if self._title_terms(g) & free_terms]
        paid = [g for g in group if g not in free]
        return (free, paid) if free and paid and len(group) <= 6 else None

    def _names_apart(self, q: Query, e) -> bool:
        """Whether ``q`` holds every word of ``e``'s title that its parent's title lacks (and there is one)."""
        parent = self.outline.parent(e)
        apart = self._title_terms(e) - (self._title_terms(parent) if parent is not None else frozenset())
        return bool(apart) and apart <= set(q.terms)


def _states(e: Entry, lang: str) -> tuple[bool, bool]:
    """Whether entry ``e`` states an amount, and a duration."""
    return states_amount(e.text, lang), states_duration(e.text, lang)
