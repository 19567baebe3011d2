"""Question-time retrieval of the index: a question's candidate entries and what the decision needs of each.

:meth:`CandidateSearch.candidates` gives the best entries by a *rank* (the
family ranker of :mod:`bot.ranking`, which reads only the postings of the
question's terms) as :class:`Candidates`, with for each of them a
*similarity*, a *coverage*, whether the question *repeats* a title or a listed
item, and how much of it the entry's key holds. :class:`CandidateSearch` is
mixed into :class:`bot.index.Index`, which fits and saves what it reads.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import scipy.sparse as sp

from .arrays import row, row_sum, rows_holding, set_key
from .ranking import content_words
from .reading import Query
from .text import fold


#: a term in an entry's prose counts this much in a small knowledge base's marks (one in its own text counts 1):
#: more than a question has terms
PROSE = 4096

#: weights of features that come once (read-only: shared by every question)
_ONES = np.ones(64)
_ONES.flags.writeable = False


@dataclass(frozen=True)
class Candidates:
    """The ranker's best entries for a question, with what the decision needs of each."""

    ids: np.ndarray         # entry positions (every entry, in order, for a small knowledge base)
    rank: np.ndarray        # the family ranker's fused score (unbounded; higher ranks first)
    similarity: np.ndarray  # word TF-IDF cosine with key + answer, in [0, 1]
    coverage: np.ndarray    # share of the question's informative weight each entry holds
    repeats: np.ndarray     # True where the question's terms are exactly a title's or question's
    lists: np.ndarray       # True where they are exactly one of the entry's listed items
    key_cover: np.ndarray   # share of the question's weight the entry's key (title, questions) holds
    masks: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] = field(repr=False, compare=False, default=None)

    def covers_itself(self, ids: np.ndarray) -> np.ndarray:
        """For each of ``ids`` (entries among the candidates): whether its own title, questions and text hold every
        term of the question. Worked out when asked, for the entries asked about: a summary that wins."""
        return self.masks(ids)[0]

    def only_lists(self, ids: np.ndarray) -> np.ndarray:
        """For each of ``ids``: whether it names the question's subject only as an item of a list (asked by a
        definition question): the question's terms it holds, it holds in listed items only."""
        return self.masks(ids)[1]


class CandidateSearch:
    """Question-time retrieval, mixed into :class:`bot.index.Index` (which provides the learned attributes:
    ``terms_``, ``term_id_``, ``bigrams_``, ``feature_idf_``, ``ranker_``, ``exact_``, ``items_``, ``own_``,
    ``prose_``, ``key_``, ... and, from :class:`bot.reading.Reader`, ``_relatives``; ``tuning``, a :class:`bot.tuning.Tuning`)."""

    # -------------------------------------------------------------- queries
    def _features(self, q: Query) -> tuple[np.ndarray, np.ndarray]:
        """The question's distinct features (term ids, then bigram ids) and ``1 + log tf`` of each."""
        tid = self.term_id_
        ids = [tid.get(t) for t in q.terms]
        v = len(self.terms_)
        feats = [i for i in ids if i is not None]
        pairs = [a * v + b for a, b in zip(ids, ids[1:]) if a is not None and b is not None]
        if pairs and len(self.bigrams_):
            feats += self._bigram_ids(pairs)
        counts: dict[int, int] = {}
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
        idx = np.fromiter(counts, np.int64, len(counts))
        if len(counts) == len(feats) <= len(_ONES):  # every feature once (most questions): 1 + log 1
            return idx, _ONES[:len(counts)]
        return idx, 1.0 + np.log(np.fromiter(counts.values(), np.float64, len(counts)))

    #: up to this many word pairs are looked up in a dict; more in the sorted array
    BIGRAM_DICT = 100_000

    def _bigram_ids(self, pairs: list[int]) -> list[int]:
        """The feature ids of the word pairs (``a * n_terms + b``) the knowledge base has."""
        v = len(self.terms_)
        if self._bigram_pos is not None:
            return [v + p for p in map(self._bigram_pos.get, pairs) if p is not None]
        pairs = np.array(pairs, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.bigrams_, pairs), len(self.bigrams_) - 1)
        return (v + pos[self.bigrams_[pos] == pairs]).tolist()

    def _similarity(self, feats: np.ndarray, w: np.ndarray, sums: dict | None = None) -> np.ndarray:
        """Every entry's similarity to the question (``feats``/``w`` from :meth:`_features`; ``sums`` from
        :meth:`_sums`, when the knowledge base is small)."""
        if not len(feats):
            return np.zeros(self.n_entries_)
        qw = w * self.feature_idf_[feats]
        dot = sums["similarity"] if sums is not None else row_sum(self._q_similarity, feats, qw)
        return dot / float(np.sqrt(qw @ qw))

    def _coverage(self, q: Query, sums: dict | None = None) -> np.ndarray:
        """Every entry's coverage (see :meth:`coverage`)."""
        idf, tid = self.term_idf_, self.term_id_
        distinct = list(dict.fromkeys(q.terms))
        cost = self.tuning.missing_known_cost  # a term the knowledge base never uses costs all of its weight
        lacking = sum(w * cost if t in idf else w for t, w in zip(distinct, q.weights))
        if sums is not None:
            held = sums["held"]
        else:
            known = np.array([tid[t] for t in distinct if t in tid], dtype=np.int64)
            held = row_sum(self._q_held, known, self.feature_idf_[known])
        total = lacking + (1 - cost) * held
        if lacking > 0:  # every total is positive
            return held / total
        return np.divide(held, total, out=np.zeros(len(total)), where=total > 0)

    def holds(self, term: str, i: int) -> bool:
        """Whether entry ``i`` holds ``term`` (one lookup in the held matrix, not a coverage pass)."""
        j = self.term_id_.get(term)
        return j is not None and bool(np.any(row(self.held_, j) == i))

    def coverage(self, q: Query, i: int) -> float:
        """Share of the question's informative weight (``Query.weights``) entry ``i`` contains.

        A term an entry holds counts fully on both sides of the ratio; a term it
        lacks costs its weight, or ``Tuning.missing_known_cost`` of it when the knowledge
        base uses the term elsewhere.
        """
        return float(self._coverage(q)[i])

    def similarity(self, q: Query, i: int) -> float:
        """Entry ``i``'s similarity to the question."""
        return float(self._similarity(*self._features(q))[i])

    def _sums(self, feats: np.ndarray, w: np.ndarray) -> dict | None:
        """A small knowledge base's question sums, read at once (:class:`bot.stacked.Stacked`); None otherwise."""
        if self._stack is None or not len(feats):
            return None
        return self._stack.sums(feats, w, w.base is _ONES)

    def _family_rank(self, q: Query, feats: np.ndarray, w: np.ndarray, sums: dict | None = None) -> np.ndarray:
        """The fused rank of every family: -inf outside the ranker's candidates."""
        v = len(self.terms_)
        uni = feats < v
        ranker = self.ranker_
        text = fold(q.text) if "chars" in ranker.signals_ else ""  # only the character signal reads it
        families, fused = ranker.score(feats[uni], w[uni], content_words(q.words, self.analyzer_.stop_words), text,
                                       pre=sums)
        if families is None:
            return fused
        per_family = np.full(self.ranker_.n_families_, -np.inf)
        per_family[families] = fused
        return per_family

    def _best_entries(self, family_rank: np.ndarray, pool: int, by_family: bool) -> np.ndarray:
        """The ``pool`` entries of best rank, or with ``by_family`` every entry of the ``pool`` families of best
        rank (a family's answers count as one: a family of ten answers does not fill the pool alone)."""
        if self.one_per_family_ or not by_family:
            rank = family_rank if self.one_per_family_ else family_rank[self.family_of_]
            return (-rank).argpartition(pool - 1)[:pool] if len(rank) > pool else np.arange(len(rank))
        n = len(family_rank)
        top = np.argpartition(-family_rank, pool - 1)[:pool] if n > pool else np.arange(n)
        top = top[np.isfinite(family_rank[top])] if np.isfinite(family_rank).any() else top
        start, stop = self._family_start[top], self._family_start[top + 1]
        return np.sort(self._by_family[np.concatenate([np.arange(a, b) for a, b in zip(start.tolist(), stop.tolist())])])

    def _key_cover(self, q: Query, ids: np.ndarray) -> np.ndarray:
        """For each entry of ``ids``: the share of the question's weight its key holds (another form of
        a term counting ``Tuning.key_relative``)."""
        distinct = list(dict.fromkeys(q.terms))
        total = sum(q.weights)
        out = np.zeros(len(ids))
        if not distinct or total <= 0:
            return out
        tid, relative = self.term_id_, self.tuning.key_relative
        for pos, i in enumerate(ids.tolist()):
            key = set(self._row(self.key_, i).tolist())
            got = 0.0
            for t, w in zip(distinct, q.weights):
                j = tid.get(t)
                if j is not None and j in key:
                    got += w
                elif self._relatives(t) & key:
                    got += relative * w
            out[pos] = got / total
        return out

    def candidates(self, q: Query, pool: int, key_cover: bool = True, by_family: bool = False) -> Candidates:
        """The ``pool`` entries of best rank (every entry, in order, when there are no more); ``by_family``: every
        entry of the ``pool`` families of best rank.

        ``key_cover=False`` leaves :attr:`Candidates.key_cover` at zero (it costs a loop in Python).
        """
        feats, w = self._features(q)
        sums = self._sums(feats, w)
        family_rank = self._family_rank(q, feats, w, sums)
        ids = self._best_entries(family_rank, pool, by_family)
        rank = family_rank[ids] if self.one_per_family_ else family_rank[self.family_of_[ids]]
        similarity = self._similarity(feats, w, sums)[ids]
        coverage = self._coverage(q, sums)[ids]
        terms = frozenset(q.terms)
        key = set_key(terms) if terms else None
        repeats, lists = (self._marked(ids, hit) for hit in (self.exact_.get(terms, key), self.items_.get(terms, key)))
        return Candidates(ids, rank, similarity, coverage, repeats, lists,
                          self._key_cover(q, ids) if key_cover else np.zeros(len(ids)),
                          masks=lambda some: self._masks(q, some))  # only a definition or a summary's win needs them

    def _masks(self, q: Query, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each entry of ``ids``: whether its own title, questions and text hold every term of the question;
        whether it names the question's subject only as an item of a list ("• Django/Flask/FastAPI"): such an
        entry can say that the subject matters, not what it is."""
        tid = self.term_id_
        known = {tid[t] for t in q.terms if t in tid}  # what the knowledge base can speak of
        if not known:
            return np.zeros(len(ids), dtype=bool), np.zeros(len(ids), dtype=bool)
        n = len(known)
        if self._q_marks is not None:  # small: own and prose terms counted in one pass (prose in the high part)
            counts = np.add.reduce(self._q_marks[ids][:, np.fromiter(known, np.int64, n)], axis=1)
            held = counts % PROSE
            own, listed = held == n, (held > 0) & (counts < PROSE)
        else:
            held = rows_holding(self.own_, ids, known)
            own, listed = held == n, (held > 0) & (rows_holding(self.prose_, ids, known) == 0)
        return (own if all(t in tid for t in q.terms) else np.zeros(len(ids), dtype=bool)), listed

    def _marked(self, ids: np.ndarray, hit: np.ndarray | None) -> np.ndarray:
        """Which of ``ids`` are in ``hit``."""
        if hit is None:
            return np.zeros(len(ids), dtype=bool)
        mask = np.zeros(self.n_entries_, dtype=bool)
        mask[hit] = True
        return mask[ids]

    def _row(self, m: sp.csr_matrix, i: int) -> np.ndarray:
        return row(m, i)

    def only_lists(self, q: Query, i: int) -> bool:
        """Whether entry ``i`` names the question's subject only as an item of a list (:attr:`Candidates.only_lists`,
        for an entry that is not a candidate: a follow-up's)."""
        tid = self.term_id_
        known = {tid[t] for t in q.terms if t in tid}  # what the knowledge base can speak of
        return (not known.isdisjoint(self._row(self.own_, i).tolist())
                and known.isdisjoint(self._row(self.prose_, i).tolist()))

    def signals(self, q: Query) -> dict[str, np.ndarray]:
        """Every signal's value for every entry (NaN outside the ranker's candidates), for ``--explain``."""
        feats, w = self._features(q)
        uni = feats < len(self.terms_)
        families, sig = self.ranker_.signals_for(feats[uni], w[uni], content_words(q.words, self.analyzer_.stop_words), fold(q.text))
        out = {}
        for name, values in sig.items():
            per_family = np.full(self.ranker_.n_families_, np.nan)
            per_family[slice(None) if families is None else families] = values
            out[name] = per_family[self.family_of_]
        out["similarity"] = self._similarity(feats, w)
        return out
