"""How a question leans on what came before it: the previous answer, or the story before its asking sentence.

:class:`Conversing`, mixed into :class:`bot.answering.Bot` (which provides ``tuning``, ``min_confidence``,
``_searchers`` and ``_rank``), reads a follow-up against the previous answer (:meth:`Conversing._follow_up`,
see :mod:`bot.followup`), and a question of several sentences by the one that asks, with the others as its
story (:meth:`Conversing._asking_sentence`, :meth:`Conversing._story_context`).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from .decision import _Searcher
from .followup import read_turn, subject_words
from .knowledge import Entry
from .reading import Query
from .text import asking_sentence


class Conversing:
    """Follow-ups and stories (see the module's docstring for what the bot provides)."""

    def _story_context(self, q: str, searchers, top: int, reads: dict):
        """``(ranked, corrections)`` when a declined question of several sentences asks in its last one about
        what the others name, as a follow-up would ("My uncle is a Principal Python Developer. What are the
        main responsibilities at that level?"); else None.

        The other sentences (the story) give the topic: the entry they are answered with, else the one entry
        whose whole title they name (:func:`_named_in`). The asking sentence is then read as a follow-up of
        that entry (:meth:`_follow_up`), so a question the topic cannot answer ("My sister works in
        healthcare. How much do they pay there?") is still declined.
        """
        sentence = asking_sentence(q)
        if sentence is None or not read_turn(sentence).marked:
            return None
        story = q[:q.rfind(sentence)].strip()
        if not story or story.endswith(","):  # a clause after a comma ("..., is there a way around this?") is
            return None                       # read with its sentence's opening, not as its follow-up
        told, _ = self._rank(story, searchers, top, reads=reads)
        topic = told[0][3] if told and told[0][0] >= self.min_confidence else _named_in(story, searchers, reads)
        if topic is None:
            return None
        alone, corrections = self._rank(sentence, searchers, top, reads=reads)
        ranked, corrections = self._follow_up(sentence, topic, alone, corrections, searchers, top, reads)
        return (ranked, corrections) if ranked and ranked[0][0] >= self.min_confidence else None

    def _asking_sentence(self, q: str, searchers, top: int, reads: dict, ranked: list, corrections,
                         fresh: bool = False):
        """``(ranked, corrections)`` of the question's asking sentence alone (:func:`bot.text.asking_sentence`),
        when that is answered; else those given. The other sentences often tell who asks and why, in words
        the document never uses, and cost the question its coverage. A ``fresh`` question's sentence may ask
        for the end of a series as a question of its own does ("the very top level, what's that about? my
        uncle is one")."""
        sentence = asking_sentence(q)
        if sentence is None:
            return ranked, corrections
        ranked2, corrections2 = self._rank(sentence, searchers, top, reads=reads)
        if fresh and ranked2 and self.tuning.steps:
            ranked2 = self._series_end(sentence, ranked2)
        # ... and the whole question ranks that entry near the top too: the story only cost it confidence
        near = {id(r[3]) for r in ranked[:self.tuning.asking_sentence_near]}
        if ranked2 and ranked2[0][0] >= self.min_confidence and (id(ranked2[0][3]) in near or _end_of_near(
                ranked2[0], ranked[:self.tuning.asking_sentence_near])):
            return ranked2, corrections2
        # else the whole question with the story's words weighing less: the story may name the subject
        # ("I just got an offer as a junior! what tasks will I get?"), and what it asks the document lacks
        # ("I have an interview next week. what do they ask?") still counts against it
        told = f"{sentence} \x00story"  # a key of its own among this ask's reads
        for s in searchers:
            reads[(s.kb.name, told)] = _with_story(_read(s, sentence, reads), _read(s, q, reads),
                                                    self.tuning.story_weight)
        ranked3, corrections3 = self._rank(told, searchers, top, reads=reads)
        if ranked3 and ranked3[0][0] >= self.min_confidence and id(ranked3[0][3]) in near:
            return ranked3, corrections3
        return ranked, corrections

    def _follow_up(self, q: str, prev: Entry, ranked: list, corrections, searchers, top: int, reads: dict):
        """``(ranked, corrections)`` for a question asked after an answer with ``prev``.

        The question is read without the reaction or interjections before it
        (:func:`bot.followup.core`). A fresh question that the knowledge base
        answers on its own keeps its answer, and so does one that announces a
        new topic; a follow-up (or a question that finds nothing alone) is read
        against ``prev`` (:meth:`_Searcher.follow_up`), and failing that with
        ``prev``'s subject added, favouring ``prev``'s section.
        """
        turn = read_turn(q)
        alone = bool(ranked) and ranked[0][0] >= self.min_confidence
        if turn.text != q and not alone:  # read without the reaction before it ("neat. and where ...?")
            ranked, corrections = self._rank(turn.text, searchers, top, reads=reads)
            alone = bool(ranked) and ranked[0][0] >= self.min_confidence
        if turn.fresh and not alone and self.tuning.asking_sentence:  # a new topic, its story after it
            ranked, corrections = self._asking_sentence(turn.text, searchers, top, reads, ranked, corrections, True)
        if (alone and not turn.marked) or turn.fresh:  # a new topic announced is never read against ``prev``
            return ranked, corrections
        q = turn.text
        s = self._searchers[prev.kb]
        row = s.follow_up(q, prev, turn, _read(s, q, reads))
        if row is not None and row[0] >= self.min_confidence:
            return [row] + [r for r in ranked if r[3] is not row[3]], corrections
        if turn.pronoun and s.beyond(_read(s, q, reads), prev, q):  # "how much does it cost?" when it has no price
            return [], corrections
        subject = f"{q} {subject_words(prev, s.title_words.get(prev.id))}"
        if turn.pronoun:  # "what do they do?" leans on the previous subject, unless it names a surer one
            ranked2, corrections2 = self._rank(subject, searchers, top, near=prev, reads=reads)
            if ranked2 and ranked2[0][0] >= self.min_confidence and (not alone or ranked2[0][0] >= ranked[0][0]) \
                    and self._fits(q, ranked2[0][3], reads):
                return ranked2, corrections2
            if alone:
                return ranked, corrections
        if _only_rare_unknowns(s, _read(s, q, reads)):  # "and what about gaming?": the previous subject cannot
            return [], corrections                       # supply what the whole knowledge base lacks
        if not turn.marked and _read(s, q, reads).kinds:
            return ranked, corrections  # a fresh question of its own kind (a comparison, a price) keeps its reading
        for text in ((q, subject) if turn.marked else (subject,)):
            ranked2, corrections2 = self._rank(text, searchers, top, near=prev, reads=reads)
            if ranked2 and ranked2[0][0] >= self.min_confidence and (text is q or self._fits(q, ranked2[0][3], reads)):
                return ranked2, corrections2
        return ranked, corrections

    def _fits(self, q: str, e: Entry, reads: dict) -> bool:
        """Whether ``e``, found for follow-up ``q`` with the previous subject's words added, answers ``q`` itself:
        it holds each of the question's own words that the knowledge base uses ("is healthcare among them?"
        after an answer that lists other industries is not that answer), and it can answer the kind asked,
        read alone ("which is better, AWS or Azure?" + "Recommended Certifications" must not make a list of
        names look like the comparison asked)."""
        s = self._searchers[e.kb]
        read, i = _read(s, q, reads), s.position[e.id]
        if not all(s.index.holds(t, i) for t in dict.fromkeys(read.terms) if t in s.index.term_idf_):
            return False
        return s._can_answer(read, i)

    def _previous(self, context: Mapping | None, searchers: list[_Searcher]) -> Entry | None:
        if not isinstance(context, Mapping):
            return None
        prev_id = context.get("previous")
        if not isinstance(prev_id, str):
            return None
        kb = context.get("kb")
        for s in searchers:
            if kb in (None, s.kb.name):
                e = s.kb.get(prev_id)
                if e is not None:
                    return e
        return None


def _only_rare_unknowns(s: _Searcher, q: Query) -> bool:
    """Whether every term of ``q`` is one the knowledge base never uses and rare in general language: it weighs
    at least ``Tuning.follow_up_rare`` of an unknown word's full weight ("gaming", "kubernetes", "canada";
    not "day" in "what do they do all day?"), not counting everyday words that weigh less than
    ``Tuning.follow_up_frame`` of the rarest term ("specifically" in "and in Canada specifically?")."""
    share = s.tuning.follow_up_rare
    if not share or not q.terms:
        return False
    idf, top = s.index.term_idf_, s.index.max_idf_ * s.tuning.unknown_weight
    weights = list(zip(dict.fromkeys(q.terms), q.weights))
    if any(t in idf for t, _ in weights):
        return False
    # everyday words that only frame it ("specifically", "exactly") say nothing either way
    said = [w for _, w in weights if w >= s.tuning.follow_up_frame * s.index.max_idf_]
    return bool(said) and all(w >= share * top for w in said)


def _end_of_near(row: tuple, near: list) -> bool:
    """Whether ``row`` is a series' end that a step reached (its rank infinite) from a series one of ``near``
    (rows of the whole question's best) is a stage of: "the very top of the ladder" ranks stages below the top."""
    return row[1] == float("inf") and any(r[3].path[:-1] == row[3].path[:-1] for r in near)


def _named_in(text: str, searchers, reads: dict) -> Entry | None:
    """The entry whose whole title (two terms or more) ``text`` names, the longest when several are; None when
    none is, or several of that length are ("I'm a Python Developer, not junior nor senior")."""
    named = []
    for s in searchers:
        have = set(_read(s, text, reads).terms)
        named += [(len(t), e) for e in s.kb.entries if len(t := s._title_terms(e)) >= 2 and t <= have]
    longest = max((n for n, _ in named), default=0)
    found = [e for n, e in named if n == longest]
    return found[0] if len(found) == 1 else None


def _with_story(asking: Query, whole: Query, weight: float) -> Query:
    """``asking`` (a question's asking sentence, as read) with the rest of the question's terms (from ``whole``)
    added at ``weight`` times their weight (``Tuning.story_weight``)."""
    have = dict(zip(dict.fromkeys(asking.terms), asking.weights))
    story = {t: w * weight for t, w in zip(dict.fromkeys(whole.terms), whole.weights) if t not in have}
    return replace(asking, terms=asking.terms + tuple(story), weights=tuple(have.values()) + tuple(story.values()),
                   corrections=whole.corrections)


def _read(s: _Searcher, text: str, reads: dict | None):
    """``text`` as ``s``'s index reads it, read once per ask (``reads``: what this ask has read)."""
    if reads is None:
        return s.index.read(text)
    key = (s.kb.name, text)
    got = reads.get(key)
    if got is None:
        got = reads[key] = s.index.read(text)
    return got
