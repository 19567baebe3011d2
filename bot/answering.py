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
from pathlib import Path
from typing import Iterable, Mapping

from . import replies
from .answer import Answer, Match
from .contract import DEFAULT_TOP, MAX_QUESTION_CHARS, check_top
from .conversing import Conversing, _read
from .decision import _Searcher, _searcher_for
from .errors import InvalidQuestion, UnknownKnowledgeBase
from .followup import core, end_asked
from .frames import asks_about_document, names_series, span_frame
from .kinds import DEFINITION
from .knowledge import Entry, KnowledgeBase, load, sources
from .prompts import prompts
from .settings import DEFAULT_MIN_CONFIDENCE
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


class Bot(Conversing):
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
        if prev is None and ranked and self.tuning.steps:
            ranked = self._series_end(q, ranked)
        if prev is None and self.tuning.story_context and not (ranked and ranked[0][0] >= self.min_confidence):
            got = self._story_context(q, searchers, top, reads)
            if got is not None:
                ranked, corrections = got
        if prev is None and self.tuning.follow_ups and not (ranked and ranked[0][0] >= self.min_confidence):
            ranked, corrections = self._without_reaction(q, searchers, top, reads, ranked, corrections)
        if self.tuning.asking_sentence and not (ranked and ranked[0][0] >= self.min_confidence):
            ranked, corrections = self._asking_sentence(q, searchers, top, reads, ranked, corrections,
                                                        fresh=prev is None)
        if prev is None and ranked and ranked[0][0] < self.min_confidence:
            ranked = self._sure_runner_up(q, ranked, reads)
        if not (ranked and ranked[0][0] >= self.min_confidence) and len(searchers) == 1:
            ranked = self._about_document(q, searchers[0], ranked)
        matches = _distinct(ranked, top)
        if ranked and ranked[0][0] >= self.min_confidence:
            return self._answered(q, matches, top, corrections)
        return self._declined(q, kb, ranked[0][0] if ranked else 0.0, matches, top, corrections, context)

    def _series_end(self, q: str, ranked: list) -> list:
        """``ranked`` led by the first or last stage of a series when a fresh question asks for it ("what is the
        first level?", "the highest level in this career?") and its best entry, at least ``Tuning.suggest_floor``
        sure, is a stage of a series or the section (or FAQ entry about it) that holds one; not when it asks
        from one end to the other ("from the first job to the very top": :meth:`_Searcher._span`)."""
        # a series named as such ("the very top of the ladder", "the first level") is asked for at a lower floor
        floor = self.tuning.series_end_floor if names_series(q) else self.tuning.suggest_floor
        turn = end_asked(q) if ranked[0][0] >= floor and not span_frame(q) else None
        if turn is None:
            return ranked
        for conf, _, _, e in ranked[:self.tuning.series_end_room]:  # "the very top of the ladder": "top" may rank
            if conf < floor:                                            # Top Industries above the career path
                continue
            s = self._searchers[e.kb]
            origin = s._section_of(e) if e.kind == "faq" else e
            if origin.id in s.series or any(k.id in s.series for k in s.outline.kids(origin)):
                row = s.follow_up(turn.text, e, turn)
                return ranked if row is None else [row] + [r for r in ranked if r[3] is not row[3]]
        return ranked

    def _without_reaction(self, q: str, searchers, top: int, reads: dict, ranked: list, corrections):
        """``(ranked, corrections)`` of a first question read without the reaction or the announcement of a new
        topic before it ("Totally different topic, but is working remotely realistic?"), when that is answered."""
        text, _ = core(q)
        if text == q:
            return ranked, corrections
        ranked2, corrections2 = self._rank(text, searchers, top, reads=reads)
        return (ranked2, corrections2) if ranked2 and ranked2[0][0] >= self.min_confidence else (ranked, corrections)

    def _about_document(self, q: str, s: _Searcher, ranked: list) -> list:
        """``ranked`` led by the document's introduction when the question asks what the document itself is
        about ("what's this guide even about?"), and it has one."""
        intro = s.kb.entries[0] if s.kb.entries and s.kb.entries[0].kind == "intro" else None
        if intro is None or not asks_about_document(q, s.kb.language):
            return ranked
        return [(self.tuning.structural_confidence, 0.0, 0.0, intro)] + [r for r in ranked if r[3] is not intro]

    def _sure_runner_up(self, q: str, ranked: list, reads: dict) -> list:
        """``ranked`` with a sure runner-up first when the best is unsure: one of the next two, ranked at least
        ``Tuning.sure_runner_up`` as high, answered on its own (its confidence at the threshold) and not a summary
        of sections ("which soft skills matter for python backend developers" ranks Soft Skills first, unsure
        of the rest; the FAQ "What skills are required for a Python Backend Developer role?" holds it all).
        Never for a comparison or definition: a runner-up that names both sides in passing does not compare them
        ("which is better for backend, Django or Flask?")."""
        share = self.tuning.sure_runner_up
        e = ranked[0][3]
        if share and DEFINITION in _read(self._searchers[e.kb], q, reads).kinds:
            return ranked
        for pos in range(1, min(len(ranked), 3)) if share else ():
            row = ranked[pos]
            if row[1] < share * ranked[0][1]:
                break
            if row[0] >= self.min_confidence and row[3].kind != "group":
                return [row] + ranked[:pos] + ranked[pos + 1:]
        return ranked

    def _small_talk(self, q: str, kb: str | None, reply: str, context: Mapping | None) -> Answer:
        """The reply to a greeting, thanks or a question about the bot itself."""
        return Answer(question=q, answered=False, confidence=0.0, intent="smalltalk",
                      message=reply.format(title=self._title(kb)),
                      suggestions=self.starters(kb), context=dict(context or {}))

    def _answered(self, q: str, matches: list[Match], top: int, corrections) -> Answer:
        """The reply with the best match, ``top - 1`` related ones and the natural next questions."""
        match = matches[0]
        whole = match.entry.metadata.get("whole")  # the rest of a long section is "Read more", not a related topic
        related = tuple(m for m in matches[1:] if m.confidence > 0
                        and (whole is None or m.entry.metadata.get("whole") != whole))[:top - 1]
        ctx = {"previous": match.entry.id, "kb": match.entry.kb}
        return Answer(question=q, answered=True, confidence=match.confidence, match=match,
                      related=related, corrections=corrections, context=ctx,
                      prompts=prompts(match.entry, self._searchers[match.entry.kb].outline,
                                      lang=self._searchers[match.entry.kb].kb.language))

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



def _stands_out(related: tuple[Match, ...], tuning: Tuning = DEFAULT_TUNING) -> Match | None:
    """The one entry a declined question most likely meant, if one stands out (``Tuning.suggest_floor``,
    ``Tuning.stands_out``)."""
    if not related or related[0].confidence < tuning.suggest_floor:
        return None
    if len(related) > 1 and related[0].confidence < tuning.stands_out * related[1].confidence:
        return None
    return related[0]


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
