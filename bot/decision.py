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
   ``strength_floor``), and ``confidence = raw ** CALIBRATION``, a power
   chosen so that 0.5 is the cut that best separates right answers from
   out-of-scope questions on our question sets (``tests/data/``). A question
   whose informative words are all found in one entry scores near 1; one
   that shares only common words with the guide scores near 0.

The values named here are fields of :class:`bot.tuning.Tuning`.

A question is answered (:mod:`bot.answering`) when the best entry's
``confidence >= min_confidence``.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from . import kinds, saved
from .analyzer import Analyzer
from .followup import STRUCTURAL_CONFIDENCE, Outline, Turn
from .index import Index
from .knowledge import Entry, KnowledgeBase, load_source, synonyms_for
from .reading import Query
from .text import words
from .tuning import DEFAULT_TUNING, Tuning

#: "after senior", "next after junior", "above lead": a step along a series (see _Searcher._step)
_STEPS = {"after": 1, "above": 1, "beyond": 1, "past": 1, "following": 1,
          "before": -1, "below": -1, "under": -1, "preceding": -1}
_STEP_FILLER = frozenset({"the", "a", "an", "being", "my", "level", "stage", "role", "position"})


#: raw confidence is raised to this power so that the cut that best separates
#: right answers from out-of-scope questions on our question sets (raw 0.35)
#: falls at 0.5: log(0.5) / log(0.35).
CALIBRATION = math.log(0.5) / math.log(0.35)


class _Searcher:
    """One knowledge base with its fitted index.

    ``index`` and ``masks`` come from a saved index (:meth:`load`); otherwise they are fitted here.
    """

    _MASKS = ("not_procedural", "no_amount", "no_duration")

    def __init__(self, kb: KnowledgeBase, index_options: dict | None = None, *, index: Index | None = None,
                 masks: dict | None = None, progress=None, tuning: Tuning = DEFAULT_TUNING):
        self.kb = kb
        self.tuning = tuning
        self.index = index if index is not None else \
            Index(Analyzer(synonyms_for(kb, tuning)), tuning=tuning,
                  **(index_options or {})).fit(kb.entries, progress=progress)
        self.position = {e.id: i for i, e in enumerate(kb.entries)}
        self.group_factor = np.array([0.97 if e.kind == "group" else 1.0 for e in kb.entries])
        # in a knowledge base too large to rank whole, many entries share a subject and differ by
        # the kind of question their keys name: there the key weighs in the re-ranking
        ranker = self.index.ranker_
        self.key_weight = tuning.key_weight if ranker.n_families_ > ranker.pool else 0.0
        if masks is None:  # what each entry can answer: how-tos, amounts, durations
            lang = kb.language
            masks = {"not_procedural": np.array([not any(kinds.is_procedural(t, lang) for t in (e.title, *e.questions))
                                                 for e in kb.entries], dtype=bool),
                     "no_amount": np.array([not kinds.states_amount(e.text, lang) for e in kb.entries], dtype=bool),
                     "no_duration": np.array([not kinds.states_duration(e.text, lang) for e in kb.entries],
                                             dtype=bool)}
        self.not_procedural, self.no_amount, self.no_duration = (np.asarray(masks[m]) for m in self._MASKS)
        self.series, self.title_words = self._series()
        self.outline = Outline(kb.entries, self.series)
        self._titles: dict[str, frozenset] = {}
        self._title_surface: dict[int, tuple] = {}  # an entry's title's words, filled as questions come
        self.starters = self._starters()
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

    def _series(self) -> tuple[dict[str, list[str]], dict[str, frozenset]]:
        """Entries that are stages of a series (see :meth:`_step`): id -> the series' ids in order."""
        siblings: dict[tuple, list[Entry]] = {}
        for e in self.kb.entries:
            if len(e.path) >= 2 and e.kind != "faq":
                siblings.setdefault((e.path[:-1], e.kind), []).append(e)
        title_words = {e.id: frozenset(words(e.title)) for e in self.kb.entries}
        series: dict[str, list[str]] = {}
        for group in siblings.values():
            if len(group) < 3:
                continue
            shared = frozenset.intersection(*(title_words[e.id] for e in group))
            if shared:
                # a stage is named by its own words: "senior" in "Senior Python Developer"
                ids = [e.id for e in group]
                for e in group:
                    series[e.id] = ids
                    title_words[e.id] = title_words[e.id] - shared
        return series, title_words

    def _starters(self, n: int = 4) -> tuple[str, ...]:
        """Questions to suggest: the FAQ's own questions first, then section titles."""
        qs = [e.questions[0] for e in self.kb.entries if e.questions]
        if len(qs) < n:
            qs += [e.title for e in self.kb.entries if e.kind in ("group", "section") and not e.questions]
        return tuple(dict.fromkeys(qs))[:n]

    #: In a follow-up, the previous answer and the entries of its top-level
    #: section rank this much higher.
    CONTEXT_BOOST_SAME = 2.5
    CONTEXT_BOOST_SECTION = 2.0

    def follow_up(self, question: str, prev: Entry, turn: Turn):
        """A ranked row for a follow-up read against ``prev``'s place in the document, or None.

        In order: a step along ``prev``'s series; the relative (sibling, parent,
        child) whose key holds the question's new words; ``prev`` itself when
        it holds (nearly) all of them. See :mod:`bot.followup`.
        """
        if turn.step:
            target = self.outline.step(prev, turn.step)
            if target is None and turn.step in (1, -1):
                target = self._step_across(prev, turn.step)
            if target is not None:
                return (STRUCTURAL_CONFIDENCE, float("inf"), 1.0, target)
        q = self.index.read(question)
        named = self._named_relative(q, prev)
        if named is not None:
            i = self.position[named.id]
            sim = self.index.similarity(q, i)
            conf = max(STRUCTURAL_CONFIDENCE, confidence(self.index.coverage(q, i), max(sim, self.tuning.strength_scale),
                                                          self.tuning))
            return (conf, float("inf"), sim, named)
        i = self.position[prev.id]
        cov = self.index.coverage(q, i)
        if cov < 0.9 or not self._can_answer(q, i):
            return None
        sim = self.index.similarity(q, i)
        return (confidence(cov, max(sim, self.tuning.strength_scale), self.tuning), sim, sim, prev)

    def _step_across(self, prev: Entry, step: int) -> Entry | None:
        """A step past the end of ``prev``'s series taken in another series that has a stage of that name.

        "and the one after that?" after Senior Level (the last of Junior, Middle and
        Senior Level) steps from Senior Python Developer to Lead Python Developer.
        """
        name = self.title_words.get(prev.id)
        if prev.id not in self.series or not name:
            return None
        for ids in {tuple(v) for v in self.series.values()}:
            if prev.id in ids:
                continue
            for pos, entry_id in enumerate(ids):
                if name <= self.title_words[entry_id] and 0 <= pos + step < len(ids):
                    return self.outline.by_id[ids[pos + step]]
        return None

    def _title_terms(self, e: Entry) -> frozenset:
        got = self._titles.get(e.id)
        if got is None:
            got = self._titles[e.id] = frozenset(self.index.analyzer.terms(e.title))
        return got

    def _named_relative(self, q: Query, prev: Entry) -> Entry | None:
        """The sibling (else the parent, else the child) of ``prev`` whose title names a new word of the question.

        "and the free plan?" after Plus names Free; "and which certifications?"
        after Required Education names Recommended Certifications (the parent,
        Education & Certification, names it too, but a sibling comes first).
        """
        new = set(q.terms) - self._title_terms(prev)
        if not new:
            return None
        parent = self.outline.parent(prev)
        for group in (self.outline.siblings(prev), [parent] if parent else [], self.outline.kids(prev)):
            hits = [e for e in group if new & self._title_terms(e)]
            if len(hits) == 1 and self._can_answer(q, self.position[hits[0].id]):
                return hits[0]
            if len(hits) > 1:
                return None
        # "and a regular python developer?" after Junior Python Developer: the one sibling the question names whole
        asked = set(q.terms)
        whole = [e for e in self.outline.siblings(prev) if self._title_terms(e) and self._title_terms(e) <= asked]
        if len(whole) == 1 and self._can_answer(q, self.position[whole[0].id]):
            return whole[0]
        return None

    def _can_answer(self, q: Query, i: int) -> bool:
        """Whether entry ``i`` can answer the kind of question asked (a how-to, an amount, a duration)."""
        asks = q.kinds
        return not ((kinds.HOW_TO in asks and self.not_procedural[i])
                    or (kinds.MONEY in asks and self.no_amount[i])
                    or (kinds.DURATION in asks and self.no_duration[i])
                    or (kinds.DEFINITION in asks and self.index.only_lists(q, i)))

    def rank(self, q: Query, k: int, near: Entry | None = None) -> list[tuple[float, float, float, int]]:
        """The best ``k`` candidates as ``(confidence, rank score, similarity, index)``.

        ``near`` (the previous answer, in a follow-up) favours its own section.
        """
        t = self.tuning
        c = self.index.candidates(q, max(t.candidates, k), key_cover=bool(self.key_weight), by_family=bool(self.key_weight))
        top = c.ids
        cov, sim, s, repeats, group = c.coverage, c.similarity, c.rank, c.repeats, self.group_factor[top]
        rank_score = ((s - s.min() + 1e-6) * (t.rerank_floor + (1 - t.rerank_floor) * cov) * group
                      * (1 - self.key_weight + self.key_weight * c.key_cover))
        if self.key_weight:  # a large knowledge base: titles follow templates, the frame tells them apart
            share, same = self._surface(q, top)
            rank_score = rank_score * (1 + t.frame_weight * share)
            repeats = repeats & same  # its own question: the same words, "what", "are", "of" too
        if repeats.any():
            rank_score *= np.where(repeats, t.exact_boost, 1.0)  # the visitor typed its own question
        if c.lists.any():
            rank_score *= np.where(c.lists, t.item_boost, 1.0)  # ... or an item it lists
        asks = q.kinds
        if kinds.DURATION in asks:
            rank_score *= np.where(~self.no_duration[top], t.duration_preference, 1.0)
        if near is not None:
            for pos in range(len(rank_score)):
                e = self.kb.entries[top[pos]]
                if e is near:
                    rank_score[pos] *= self.CONTEXT_BOOST_SAME
                elif e.path[:1] == near.path[:1]:
                    rank_score[pos] *= self.CONTEXT_BOOST_SECTION
        order = np.argsort(-rank_score, kind="stable")[:k + 2]
        ids = top[order]
        conf = confidences(cov[order], sim[order], t)
        if self.key_weight:  # ... and an answer there is only as sure as its key holds the question
            conf = conf * (1 - self.key_weight + self.key_weight * c.key_cover[order])
        # a kind of question that only some entries can answer (how-to, money, duration)
        for kind, cannot, factor in ((kinds.HOW_TO, self.not_procedural, t.procedural_mismatch),
                                     (kinds.MONEY, self.no_amount, t.money_mismatch),
                                     (kinds.DURATION, self.no_duration, t.duration_mismatch)):
            if kind in asks:
                conf = np.where(cannot[ids], conf * factor, conf)
        if kinds.DEFINITION in asks:
            conf = conf * np.array([t.definition_mismatch if self.index.only_lists(q, i) else 1.0 for i in ids.tolist()])
        conf, ids = conf.tolist(), ids.tolist()
        out = list(zip(conf, rank_score[order].tolist(), sim[order].tolist(), ids))
        out = self._prefer_specific(q, out)
        return self._step(q, self._prefer_overview(out))[:k]

    def _surface(self, q: Query, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each entry of ``ids``: how its title agrees with the question's frame, in [0, 1], and
        whether the title has exactly the question's words.

        The frame counts every word, stop words too: the share of the question's words
        and word pairs the title has, and (weighing ``Tuning.frame_lead`` times as much)
        the share of the question's words that start the title in the same order.
        "What are the of Sialadenitis" agrees with "What are the symptoms of Sialadenitis ?"
        more than with "What is (are) Sialadenitis ?", whose terms it holds alike: in a
        knowledge base of templated questions the frame is what is left to tell them apart.
        """
        asked = words(q.text)
        frame, same = np.zeros(len(ids)), np.zeros(len(ids), dtype=bool)
        if not asked:
            return frame, same
        asked_set, lead = _surface_of(asked), self.tuning.frame_lead
        cache, entries = self._title_surface, self.kb.entries
        for pos, i in enumerate(ids.tolist()):
            got = cache.get(i)
            if got is None:
                title = words(entries[i].title)
                got = cache[i] = (title, _surface_of(title))
            title, title_set = got
            k = 0
            while k < min(len(asked), len(title)) and asked[k] == title[k]:
                k += 1
            frame[pos] = (len(asked_set & title_set) / len(asked_set) + lead * k / len(asked)) / (1 + lead)
            same[pos] = asked_set == title_set
        return frame, same

    def _step(self, q: Query, out: list) -> list:
        """"What comes after senior?": the stage after (or before) the best entry, when it is one of a series.

        A series is three or more sibling entries whose titles share a word
        ("Junior Python Developer" ... "Principal Python Developer"; "Junior
        Level" ... "Senior Level"). The step is taken only when the word right
        after "after"/"above" (or "before"/"below") names the best entry
        ("senior"). When that entry's series ends there (Senior Level), another
        candidate of that name steps instead (Senior Python Developer -> Lead).
        Not at all when ``Tuning.steps`` is off.
        """
        if not self.tuning.steps:
            return out
        words_ = list(q.words)
        for i, w in enumerate(words_):
            step = _STEPS.get(w)
            after = [x for x in words_[i + 1:i + 4] if x not in _STEP_FILLER] if step else None
            if not after or not out or after[0] not in self.title_words[self.kb.entries[out[0][3]].id]:
                continue  # the best entry must be the stage the question steps from
            # ... or, when its series has no stage that way, another series' entry of that name
            for row in out:
                e = self.kb.entries[row[3]]
                series = self.series.get(e.id)
                if series is None or after[0] not in self.title_words[e.id]:
                    continue
                pos = series.index(e.id) + step
                if 0 <= pos < len(series):
                    target = self.position[series[pos]]
                    return [(row[0], row[1], row[2], target)] + [r for r in out if r[3] != target]
        return out

    def _prefer_specific(self, q: Query, out: list) -> list:
        """When a summary wins but one of its sections says all the question asks, answer with that section.

        "what does a python developer with 2-4 years do" finds Career Progression
        (which lists every level's years) and Python Developer alike; the section
        is the better answer. "career progression" stays with the summary: no
        section's own text holds those words.
        """
        if not out:
            return out
        entries = self.kb.entries
        best = entries[out[0][3]]
        if best.kind != "group":
            return out
        for pos, row in enumerate(out[1:], 1):
            e = entries[row[3]]
            if (e.path[:-1] == best.path and row[0] >= out[0][0] - 0.05
                    and self.index.covers_itself(q, row[3])):
                return [row] + out[:pos] + out[pos + 1:]
        return out

    def _prefer_overview(self, out: list) -> list:
        """When the question fits two sibling sections equally, answer with their parent's overview.

        "what skills do I need" matches Technical Skills and Soft Skills alike;
        Required Skills, which summarises both, is the better answer.
        """
        if len(out) < 2:
            return out
        entries = self.kb.entries
        a, b = entries[out[0][3]], entries[out[1][3]]
        if (len(a.path) < 2 or a.path[:-1] != b.path[:-1] or a.kind == "faq"
                or abs(out[0][0] - out[1][0]) > 0.02 or out[1][1] < 0.85 * out[0][1]):
            return out
        for pos, row in enumerate(out[2:], 2):
            e = entries[row[3]]
            if e.kind == "group" and e.path == a.path[:-1] and row[0] >= out[0][0] - 0.05:
                return [row] + out[:pos] + out[pos + 1:]
        return out


def _surface_of(ws: list[str]) -> frozenset:
    """Words and their pairs of neighbours."""
    return frozenset(ws) | frozenset(zip(ws, ws[1:]))


def confidence(coverage: float, similarity: float, tuning: Tuning = DEFAULT_TUNING) -> float:
    """Calibrated confidence from coverage and similarity (see the module docstring)."""
    return float(confidences(np.array([coverage]), np.array([similarity]), tuning)[0])


def confidences(coverage: np.ndarray, similarity: np.ndarray, tuning: Tuning = DEFAULT_TUNING) -> np.ndarray:
    """:func:`confidence` for arrays."""
    t = tuning
    strength = t.strength_floor + (1 - t.strength_floor) * (1 - np.exp(-similarity / t.strength_scale))
    raw = coverage ** t.coverage_power * strength
    return np.clip(raw, 0.0, 1.0) ** CALIBRATION


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
