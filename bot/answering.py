"""Answering: the best entry, a confidence, related entries, follow-ups and small talk.

A question is ranked and decided per knowledge base by :mod:`bot.decision` (how
coverage, similarity and the kinds of question make a confidence); here the
knowledge bases' candidates are merged, follow-ups read against the previous
answer, and the reply is made.

A question is answered when the best entry's ``confidence >= min_confidence``
(default ``DEFAULT_MIN_CONFIDENCE``; ``FAQBOT_MIN_CONFIDENCE`` in the service).
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Mapping

from . import replies
from .answer import Answer, Match
from .contract import DEFAULT_TOP, MAX_QUESTION_CHARS, check_top
from .decision import _Searcher, _searcher_for
from .errors import InvalidQuestion, UnknownKnowledgeBase
from .followup import prompts, read_turn, subject_words
from .knowledge import Entry, KnowledgeBase, load, sources
from .reading import Query
from .settings import DEFAULT_MIN_CONFIDENCE
from .text import asking_sentence
from .tuning import DEFAULT_TUNING, Tuning


# --------------------------------------------------------------------------
# the bot

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def validate_question(question) -> str:
    """The trimmed question, or InvalidQuestion."""
    if not isinstance(question, str):
        raise InvalidQuestion("question must be a string")
    q = _CONTROL.sub(" ", question).strip()  # control characters count as spaces
    if not q or len(q) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(f"question must be 1-{MAX_QUESTION_CHARS} characters")
    return q


class Bot:
    """Answers questions from one or more knowledge bases.

    Build it once (fitting happens here); :meth:`ask` does no fitting and no I/O.

    >>> bot = Bot.from_path("knowledge")            # doctest: +SKIP
    >>> bot.ask("how many years until senior?").entry.title   # doctest: +SKIP
    'Senior Python Developer'
    """

    def __init__(self, knowledge_bases: Iterable[KnowledgeBase], *,
                 min_confidence: float = DEFAULT_MIN_CONFIDENCE, index_options: dict | None = None,
                 tuning: Tuning = DEFAULT_TUNING, _searchers: Iterable[_Searcher] = ()):
        self.min_confidence = float(min_confidence)
        self.tuning = tuning
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError("min_confidence must be between 0 and 1")
        self._searchers = {s.kb.name: s for s in _searchers}
        self._searchers.update({kb.name: _Searcher(kb, index_options, tuning=tuning) for kb in knowledge_bases})
        if not self._searchers:
            raise ValueError("a Bot needs at least one knowledge base")

    @classmethod
    def from_path(cls, path, *, saved_index: bool | str = True, progress=None, **options) -> "Bot":
        """Load a source file or a directory of sources, from their saved index when it is current.

        ``saved_index``: True keeps each knowledge base's fitted index beside its
        source (:mod:`bot.saved`), loading it when current and fitting and saving
        it when not; a folder path keeps them there instead; False always fits in
        memory and saves nothing. ``progress(kb, phase, done, total)`` hears about
        long fits. ``tuning`` (a :class:`bot.tuning.Tuning`) is passed on to every knowledge base; one that
        builds differently from the default (:meth:`bot.tuning.Tuning.builds_default`) uses no saved index.
        """
        tuning = options.get("tuning", DEFAULT_TUNING)
        if saved_index is False or options.get("index_options") or not tuning.builds_default():
            return cls(load(path), **options)
        root = None if saved_index is True else Path(saved_index)
        return cls((), _searchers=[_searcher_for(p, root, progress, tuning) for p in sources(path)], **options)

    @property
    def knowledge_bases(self) -> dict[str, KnowledgeBase]:
        return {name: s.kb for name, s in self._searchers.items()}

    def entry(self, kb: str, entry_id: str) -> Entry | None:
        s = self._searchers.get(kb)
        return s.kb.get(entry_id) if s else None

    def starters(self, kb: str | None = None) -> tuple[str, ...]:
        searchers = [self._searcher(kb)] if kb else list(self._searchers.values())
        out: list[str] = []
        for s in searchers:
            out.extend(s.starters)
        return tuple(dict.fromkeys(out))[:4]

    def _searcher(self, kb: str) -> _Searcher:
        try:
            return self._searchers[kb]
        except KeyError:
            raise UnknownKnowledgeBase(kb, self._searchers) from None

    def _title(self, kb: str | None) -> str:
        if kb:
            return self._searcher(kb).kb.title
        titles = [s.kb.title for s in self._searchers.values()]
        return titles[0] if len(titles) == 1 else replies.message("all_documents", self._language(None))

    def _language(self, kb: str | None) -> str:
        """The language replies speak: the knowledge base's, or the one all share (English if they differ)."""
        langs = {self._searcher(kb).kb.language} if kb else {s.kb.language for s in self._searchers.values()}
        return langs.pop() if len(langs) == 1 else "en"

    # ---------------------------------------------------------------- ask
    def ask(self, question: str, kb: str | None = None, top: int = DEFAULT_TOP,
            context: Mapping | None = None) -> Answer:
        """Answer ``question``; ``top`` entries come back in ``answer`` plus ``related``."""
        q = validate_question(question)
        check_top(top)
        searchers = [self._searcher(kb)] if kb is not None else list(self._searchers.values())
        talk = replies.smalltalk_intent(q, self._language(kb))
        if talk:
            return self._small_talk(q, kb, talk[1], context)
        reads: dict = {}  # each knowledge base reads the question once, however often a follow-up ranks it
        ranked, corrections = self._rank(q, searchers, top, reads=reads)
        prev = self._previous(context, searchers) if self.tuning.follow_ups else None
        if prev is not None:  # a follow-up is read against the previous answer (bot.followup)
            ranked, corrections = self._follow_up(q, prev, ranked, corrections, searchers, top, reads)
        if prev is None and self.tuning.story_context and not (ranked and ranked[0][0] >= self.min_confidence):
            got = self._story_context(q, searchers, top, reads)
            if got is not None:
                ranked, corrections = got
        if self.tuning.asking_sentence and not (ranked and ranked[0][0] >= self.min_confidence):
            ranked, corrections = self._asking_sentence(q, searchers, top, reads, ranked, corrections)
        matches = _distinct(ranked, top)
        if ranked and ranked[0][0] >= self.min_confidence:
            return self._answered(q, matches, top, corrections)
        return self._declined(q, kb, ranked[0][0] if ranked else 0.0, matches, top, corrections, context)

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
        if not story:
            return None
        told, _ = self._rank(story, searchers, top, reads=reads)
        topic = told[0][3] if told and told[0][0] >= self.min_confidence else _named_in(story, searchers, reads)
        if topic is None:
            return None
        alone, corrections = self._rank(sentence, searchers, top, reads=reads)
        ranked, corrections = self._follow_up(sentence, topic, alone, corrections, searchers, top, reads)
        return (ranked, corrections) if ranked and ranked[0][0] >= self.min_confidence else None

    def _asking_sentence(self, q: str, searchers, top: int, reads: dict, ranked: list, corrections):
        """``(ranked, corrections)`` of the question's asking sentence alone (:func:`bot.text.asking_sentence`),
        when that is answered; else those given. The other sentences often tell who asks and why, in words
        the document never uses, and cost the question its coverage."""
        sentence = asking_sentence(q)
        if sentence is None:
            return ranked, corrections
        ranked2, corrections2 = self._rank(sentence, searchers, top, reads=reads)
        # ... and the whole question ranks that entry near the top too: the story only cost it confidence
        near = {id(r[3]) for r in ranked[:self.tuning.asking_sentence_near]}
        if ranked2 and ranked2[0][0] >= self.min_confidence and id(ranked2[0][3]) in near:
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

    def _small_talk(self, q: str, kb: str | None, reply: str, context: Mapping | None) -> Answer:
        """The reply to a greeting, thanks or a question about the bot itself."""
        return Answer(question=q, answered=False, confidence=0.0, intent="smalltalk",
                      message=reply.format(title=self._title(kb)),
                      suggestions=self.starters(kb), context=dict(context or {}))

    def _answered(self, q: str, matches: list[Match], top: int, corrections) -> Answer:
        """The reply with the best match, ``top - 1`` related ones and the natural next questions."""
        match, related = matches[0], tuple(m for m in matches[1:top] if m.confidence > 0)
        ctx = {"previous": match.entry.id, "kb": match.entry.kb}
        return Answer(question=q, answered=True, confidence=match.confidence, match=match,
                      related=related, corrections=corrections, context=ctx,
                      prompts=prompts(match.entry, self._searchers[match.entry.kb].outline))

    def _declined(self, q: str, kb: str | None, best: float, matches: list[Match], top: int, corrections,
                  context: Mapping | None) -> Answer:
        """The reply when no entry is sure enough (``best``: the best confidence): the nearest entries, and one
        offered first when it stands out, else the starter questions."""
        lang = self._language(kb)
        related = tuple(m for m in matches[:top] if m.confidence > 0)
        message = replies.unknown_message(self._title(kb), lang, bool(related))
        guess = _stands_out(related, self.tuning)
        if guess is not None:  # unsure, but one entry stands out: offer it first
            message = replies.message("not_sure", lang).format(title=guess.entry.title)
        # the conversation goes on from the entry it offered ("what do they do?"), else as it was; with nothing
        # before, from the nearest entry (the topic as near as it can tell: "and the next stage up?" has a stage)
        topic = guess
        if topic is None and not (isinstance(context, Mapping) and context.get("previous")):
            topic = related[0] if related and related[0].confidence >= self.tuning.suggest_floor else None
        return Answer(question=q, answered=False, confidence=best,
                      related=related, message=message, intent="unknown", did_you_mean=guess,
                      suggestions=() if related else self.starters(kb),
                      corrections=corrections,
                      context=({"previous": topic.entry.id, "kb": topic.entry.kb} if topic is not None
                               else dict(context or {})))

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
        if not turn.marked and _read(s, q, reads).kinds:
            return ranked, corrections  # a fresh question of its own kind (a comparison, a price) keeps its reading
        for text in ((q, subject) if turn.marked else (subject,)):
            ranked2, corrections2 = self._rank(text, searchers, top, near=prev, reads=reads)
            if ranked2 and ranked2[0][0] >= self.min_confidence and (text is q or self._fits(q, ranked2[0][3], reads)):
                return ranked2, corrections2
        return ranked, corrections

    def _fits(self, q: str, e: Entry, reads: dict) -> bool:
        """Whether ``e`` can answer the kind of question ``q`` asks, read alone: the previous subject's words
        added to a follow-up ("which is better, AWS or Azure?" + "Recommended Certifications") must not make
        a list of names look like the comparison asked."""
        s = self._searchers[e.kb]
        return s._can_answer(_read(s, q, reads), s.position[e.id])

    def explain(self, question: str, kb: str | None = None, k: int = 5) -> list[dict]:
        """The best ``k`` candidates with every signal behind their ranking (for tuning)."""
        q = validate_question(question)
        rows = []
        for s in ([self._searcher(kb)] if kb else self._searchers.values()):
            query = s.index.read(q)
            sig = s.index.signals(query)
            for conf, rank_score, _, i in s.rank(query, k):
                rows.append({"kb": s.kb.name, "id": s.kb.entries[i].id, "confidence": conf,
                             "rank": rank_score, "coverage": s.index.coverage(query, i),
                             **{name: float(v[i]) for name, v in sig.items()},
                             "terms": dict(zip(dict.fromkeys(query.terms), query.weights)),
                             "corrections": query.corrections})
        rows.sort(key=lambda r: -r["rank"])
        return rows[:k]

    def _rank(self, q: str, searchers: list[_Searcher], top: int, near: Entry | None = None,
              reads: dict | None = None):
        k = top + self.tuning.related_room  # room for duplicates of one question among related entries
        rows, corrections = [], []
        for s in searchers:
            query = _read(s, q, reads)
            corrections.extend(query.corrections)
            for conf, rank_score, score, i in s.rank(query, k, near if near and near.kb == s.kb.name else None):
                rows.append((conf, rank_score, score, s.kb.entries[i]))
        if len(searchers) > 1:
            rows.sort(key=lambda r: (-round(r[0], 2), -r[1]))  # across bases only confidence is comparable
        return rows, tuple(dict.fromkeys(corrections))

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


def _stands_out(related: tuple[Match, ...], tuning: Tuning = DEFAULT_TUNING) -> Match | None:
    """The one entry a declined question most likely meant, if one stands out (``Tuning.suggest_floor``,
    ``Tuning.stands_out``)."""
    if not related or related[0].confidence < tuning.suggest_floor:
        return None
    if len(related) > 1 and related[0].confidence < tuning.stands_out * related[1].confidence:
        return None
    return related[0]


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


def _distinct(ranked: list, top: int) -> list[Match]:
    """The first ``top`` matches of ``ranked`` (rows ``(confidence, rank, similarity, entry)``), skipping a row
    that repeats an earlier one's title (several answers to one question)."""
    seen, out = set(), []
    for conf, _, score, entry in ranked:
        key = (entry.kb, entry.title.casefold())
        if key not in seen:
            seen.add(key)
            out.append(Match(entry, conf, score))
            if len(out) == top:
                break
    return out
