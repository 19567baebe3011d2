"""Deciding: the candidates of one knowledge base re-ranked, their confidence, steps and preferences.

Ranking and the decision to answer are separate:

1. The index ranks entries (:mod:`bot.ranking`: four lexical signals,
   z-scored and summed) and gives each a *similarity* in [0, 1] (word TF-IDF
   cosine with its key and answer).
2. *Coverage* is the share of the question's informative weight that an
   entry contains. A term's weight is its IDF in the knowledge base; a term
   the knowledge base never uses weighs more than any term it does
   ("salary", "netflix"), less if it is everyday English ("make", "long"),
   and words that occur everywhere ("python", "developer") weigh little.
   Coverage is a proportion, so it means the same whatever the knowledge base.
3. The ranker's best ``Tuning.candidates`` are re-ranked by their rank score above
   the pool's lowest, times ``rerank_floor + (1 - rerank_floor) * coverage``,
   and favoured when the question is exactly their title or question
   (``exact_boost``) or one of the items they list (``item_boost``).
4. ``raw = coverage ** coverage_power * strength`` where ``strength`` grows
   with the similarity (``1 - exp(-similarity / strength_scale)``, floored at
   ``strength_floor``), and ``confidence = raw ** calibration``, a power
   chosen so that 0.5 is the cut that best separates right answers from
   out-of-scope questions on our question sets (``tests/data/``). A question
   whose informative words are all found in one entry scores near 1; one
   that shares only common words with the guide scores near 0.

The values named here are fields of :class:`bot.tuning.Tuning`.

A question is answered (:mod:`bot.answering`) when the best entry's
``confidence >= min_confidence``.

The confidence itself is :mod:`bot.confidence`; follow-ups, steps along a
series and the preferences among near ties are :mod:`bot.moves`.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from . import kinds, saved
from .analyzer import Analyzer
from .confidence import confidences
from .followup import Outline, without
from .index import Index
from .knowledge import Entry, KnowledgeBase, load_source, synonyms_for
from .moves import SearcherMoves
from .reading import Query
from .tuning import DEFAULT_TUNING, Tuning




class _Searcher(SearcherMoves):
    """One knowledge base with its fitted index.

    ``index`` and ``masks`` come from a saved index (:meth:`load`); otherwise they are fitted here.
    """

    _MASKS = ("not_procedural", "no_amount", "no_duration", "no_percent", "no_count")

    def __init__(self, kb: KnowledgeBase, index_options: dict | None = None, *, index: Index | None = None,
                 masks: dict | None = None, progress=None, tuning: Tuning = DEFAULT_TUNING):
        self.kb = kb
        self.tuning = tuning
        self.index = index if index is not None else \
            Index(Analyzer(synonyms_for(kb, tuning)), tuning=tuning,
                  **(index_options or {})).fit(kb.entries, progress=progress)
        self.position = {e.id: i for i, e in enumerate(kb.entries)}
        self.group_factor = np.array([tuning.group_factor if e.kind == "group" else 1.0 for e in kb.entries])
        # in a knowledge base too large to rank whole, many entries share a subject and differ by
        # the kind of question their keys name: there the key weighs in the re-ranking
        ranker = self.index.ranker_
        self.key_weight = tuning.key_weight if ranker.n_families_ > ranker.pool else 0.0
        if masks is None:  # what each entry can answer: how-tos, amounts, durations, percentages
            lang = kb.language
            masks = {"not_procedural": np.array([not any(kinds.is_procedural(t, lang) for t in (e.title, *e.questions))
                                                 for e in kb.entries], dtype=bool),
                     "no_amount": np.array([not (kinds.states_amount(e.text, lang) or kinds.is_about_money(e.title, lang))
                                            for e in kb.entries], dtype=bool),
                     # ... a duration, or its own question asks how long ("why does syncing take so long?")
                     "no_duration": np.array([not (kinds.states_duration(e.text, lang)
                                                   or kinds.is_about_duration(e.title, lang)) for e in kb.entries],
                                             dtype=bool),
                     "no_percent": np.array([not kinds.states_percent(e.text, lang) for e in kb.entries], dtype=bool),
                     "no_count": np.array([not kinds.states_count(e.text, lang) for e in kb.entries], dtype=bool)}
        self.not_procedural, self.no_amount, self.no_duration, self.no_percent, self.no_count = (
            np.asarray(masks[m]) for m in self._MASKS)
        self.series, self.title_words = self._series()
        #: the terms of the nouns that say a stage is one ("level", "stage", "step"), in the knowledge base's language
        self._stage_nouns = frozenset(self.index.analyzer_.terms(" ".join(_STAGE_NOUNS.get(kb.language, ()))))
        self._free_terms = frozenset(self.index.analyzer_.terms("free"))  # a plan titled free (moves._priced)
        self.outline = Outline(kb.entries, self.series)
        self._titles: dict[str, frozenset] = {}
        self._title_surface: dict[int, tuple] = {}  # an entry's title's words, filled as questions come
        self._plain: dict[str, bool] = {}  # whether a stage is named as the document's subject (moves._plain_stage)
        self.starters = self._starters()
        if kb.entries and kb.entries[0].kind == "intro":  # a document's subject: its title's words but "career guide"
            an = self.index.analyzer_
            self.index.subject_ = frozenset(an.terms(kb.title)) - frozenset(an.terms(" ".join(_TITLE_FRAME)))
        # a knowledge base that is mostly questions and answers (an FAQ page or file), not a document
        self._faq_collection = sum(e.kind == "faq" for e in kb.entries) >= tuning.faq_collection * len(kb.entries)
        self.rank(self.index.read(kb.entries[0].title), 3)  # warm caches: the first visitor waits for nothing

    def save(self, folder) -> None:
        """Write the knowledge base and its fitted index (see :mod:`bot.saved`)."""
        saved.save_knowledge_base(folder, self.kb)
        self.index.save(folder)
        for m in self._MASKS:
            folder.put(f"mask.{m}", getattr(self, m))

    @classmethod
    def load(cls, folder, source: Path, tuning: Tuning = DEFAULT_TUNING) -> "_Searcher":
        kb = saved.load_knowledge_base(folder, source)
        index = Index.load(folder, kb.entries, Analyzer(synonyms_for(kb, tuning)), tuning)
        return cls(kb, index=index, masks={m: folder.get(f"mask.{m}") for m in cls._MASKS}, tuning=tuning)

    def _starters(self, n: int = 4) -> tuple[str, ...]:
        """Questions to suggest: the FAQ's own questions first, then section titles."""
        qs = [e.questions[0] for e in self.kb.entries if e.questions]
        if len(qs) < n:
            qs += [e.title for e in self.kb.entries if e.kind in ("group", "section") and not e.questions]
        return tuple(dict.fromkeys(qs))[:n]

    def _asks_as_own(self, asks: frozenset, ids: np.ndarray) -> np.ndarray:
        """Whether each entry's own title or questions ask each kind in ``asks`` (read once per entry)."""
        own = self.__dict__.setdefault("_own_kinds", {})
        entries, lang = self.kb.entries, self.kb.language
        out = []
        for i in ids.tolist():
            got = own.get(i)
            if got is None:
                e = entries[i]
                got = own[i] = kinds.kinds_of(" ".join((e.title,) + tuple(e.questions)), lang)
            out.append(asks <= got)
        return np.array(out, dtype=bool)

    def _priced_otherwise(self, i: int, period: str) -> bool:
        """Whether entry ``i`` states its prices per some period, and not per ``period`` (worked out when asked)."""
        cache = self.__dict__.setdefault("_periods", {})
        got = cache.get(i)
        if got is None:
            got = cache[i] = kinds.periods_stated(self.kb.entries[i].text, self.kb.language)
        return bool(got) and period not in got

    def _can_answer(self, q: Query, i: int) -> bool:
        """Whether entry ``i`` can answer the kind of question asked (a how-to, an amount, a duration)."""
        asks = q.kinds
        return not ((kinds.HOW_TO in asks and self.not_procedural[i])
                    or (kinds.MONEY in asks and self.no_amount[i])
                    or (kinds.DURATION in asks and self.no_duration[i])
                    or (kinds.PERCENT in asks and self.no_percent[i])
                    or (kinds.COUNT in asks and self.no_count[i])
                    or (kinds.DEFINITION in asks and self.index.only_lists(q, i)))

    def _lift_by_key(self, q: Query, ids: np.ndarray, conf: np.ndarray) -> np.ndarray:
        """In an FAQ collection, an FAQ entry among the best is at least ``Tuning.faq_key_weight`` times as sure
        as the share of the question's weight its own questions hold ("my password needs a reset" and "How do I
        reset my password?"): its answer may be long and say it in other words; the question is its own."""
        entries = self.kb.entries
        faq = [p for p, i in enumerate(ids[:self.tuning.faq_key_top].tolist()) if entries[i].kind == "faq"]
        if not faq:
            return conf
        conf = conf.copy()
        lifted = np.minimum(1.0, self.tuning.faq_key_weight * self.index._key_cover(q, ids[faq]))
        conf[faq] = np.maximum(conf[faq], lifted)
        return conf

    def _stage_cover(self, q: Query, ids: np.ndarray, cov: np.ndarray) -> np.ndarray:
        """``cov`` where a stage of a series counts as holding the words that say it is one ("the principal
        level", "the junior stage"): a stage of the career path is a level whether or not its text says so."""
        generic = self._stage_nouns & set(q.terms) if self.tuning.stage_nouns else ()
        if not generic:
            return cov
        rest = without(q, frozenset(generic))
        out = cov.copy()
        for pos, i in enumerate(ids.tolist()):
            if self.kb.entries[i].id in self.series:
                out[pos] = max(out[pos], self.index.coverage(rest, i))
        return out

    def rank(self, q: Query, k: int, near: Entry | None = None) -> list[tuple[float, float, float, int]]:
        """The best ``k`` candidates as ``(confidence, rank score, similarity, index)``.

        ``near`` (the previous answer, in a follow-up) favours its own section.
        """
        t = self.tuning
        c = self.index.candidates(q, max(t.candidates, k), key_cover=bool(self.key_weight), by_family=bool(self.key_weight))
        top = c.ids
        cov, sim, s, repeats, group = c.coverage, c.similarity, c.rank, c.repeats, self.group_factor[top]
        if q.kinds and np.logical_or.reduce(repeats):  # its own question asks what it asks ("how do I get X?"
            repeats = repeats & self._asks_as_own(q.kinds, top)  # does not repeat "What is X?")
        rank_score = (s - np.minimum.reduce(s) + 1e-6) * (t.rerank_floor + (1 - t.rerank_floor) * cov) * group
        if self.key_weight:  # a large knowledge base: titles follow templates, the frame tells them apart
            rank_score = rank_score * (1 - self.key_weight + self.key_weight * c.key_cover)
            share, same = self._surface(q, top)
            rank_score = rank_score * (1 + t.frame_weight * share)
            repeats = repeats & same  # its own question: the same words, "what", "are", "of" too
        if np.logical_or.reduce(repeats):  # (ufuncs: the array methods' wrappers cost more here)
            rank_score *= np.where(repeats, t.exact_boost, 1.0)  # the visitor typed its own question
        if np.logical_or.reduce(c.lists):
            rank_score *= np.where(c.lists, t.item_boost, 1.0)  # ... or an item it lists
        asks = q.kinds
        if kinds.DURATION in asks:
            rank_score *= np.where(~self.no_duration[top], t.duration_preference, 1.0)
        if near is not None:
            for pos in range(len(rank_score)):
                e = self.kb.entries[top[pos]]
                if e is near:
                    rank_score[pos] *= t.context_boost_same
                elif e.path[:1] == near.path[:1]:
                    rank_score[pos] *= t.context_boost_section
        order = (-rank_score).argsort(kind="stable")[:k + 2]
        ids = top[order]
        conf = confidences(self._stage_cover(q, ids, cov[order]), sim[order], t)
        if t.faq_key_weight and self._faq_collection:  # a visitor's question in other words than an FAQ's own
            conf = self._lift_by_key(q, ids, conf)
        if self.key_weight:  # ... and an answer there is only as sure as its key holds the question
            conf = conf * (1 - self.key_weight + self.key_weight * c.key_cover[order])
        # a kind of question that only some entries can answer (how-to, money, duration)
        for kind, cannot, factor in ((kinds.HOW_TO, self.not_procedural, t.procedural_mismatch),
                                     (kinds.MONEY, self.no_amount, t.money_mismatch),
                                     (kinds.DURATION, self.no_duration, t.duration_mismatch),
                                     (kinds.PERCENT, self.no_percent, t.percent_mismatch),
                                     (kinds.COUNT, self.no_count, t.count_mismatch)):
            if kind in asks:  # ... unless the question is the entry's own (its title, an owner's alternate)
                own = repeats[order] if t.own_question_any_kind else np.zeros(len(order), dtype=bool)
                conf = np.where(cannot[ids] & ~own, conf * factor, conf)
        if kinds.DEFINITION in asks:
            conf = conf * np.where(c.only_lists(ids), t.definition_mismatch, 1.0)
        period = kinds.period_asked(q.text, self.kb.language) if kinds.MONEY in asks else None
        if period is not None:  # "plus yearly price" of a plan priced per month: the document lacks it
            conf = conf * np.array([t.money_mismatch if self._priced_otherwise(i, period) else 1.0 for i in ids.tolist()])
        conf, ids = conf.tolist(), ids.tolist()
        out = list(zip(conf, rank_score[order].tolist(), sim[order].tolist(), ids))
        out = self._prefer_able(q, self._prefer_namesake(q, self._prefer_specific(out, c.covers_itself, q)))
        out = self._step(q, self._prefer_overview(self._pass_plain_stage(q, out), q))
        out = self._compared(q, self._span(q, out))
        return (self._priced(q, out) if near is None else out)[:k]  # (a follow-up's words carry the previous title)


#: the words of a document's title that say what kind of document it is, not what it is about
_TITLE_FRAME = ("career", "guide", "handbook", "faq", "faqs", "help", "centre", "center", "manual", "introduction")
#: nouns that say what a stage of a series is ("the senior level", "the title above lead"), by language
_STAGE_NOUNS = {"en": ("level", "levels", "stage", "stages", "step", "steps", "tier", "tiers", "grade", "title", "titles")}


def _searcher_for(source: Path, root: Path | None, progress=None, tuning: Tuning = DEFAULT_TUNING) -> _Searcher:
    """``source``'s searcher from its saved index, or fitted (and saved) when there is none current."""
    folder = saved.open_saved(source, root)
    if folder is not None:
        try:
            return _Searcher.load(folder, source, tuning)
        except (OSError, ValueError, KeyError) as e:  # damaged: fit it again
            saved.log.warning("faqbot: the saved index of %s is unreadable (%s); rebuilding it", source, e)
    kb = load_source(source)
    report = (lambda phase, done, total: progress(kb.name, phase, done, total)) if progress else None
    searcher = _Searcher(kb, progress=report, tuning=tuning)
    saved.write(source, searcher.save, root)
    return searcher
