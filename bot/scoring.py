"""Question-time scoring of the family ranker: the signals a question gets for each candidate family.

:class:`FamilyScoring` is the half of :class:`bot.ranking.FamilyRanker` that
reads questions (the other half fits and saves, see :mod:`bot.ranking` for the
signals): it picks the candidate families (every family, or the ``pool`` that
BM25F ranks best), computes each signal for them, and fuses the z-scored
signals into one score.
"""
from __future__ import annotations

import math
import re

import numpy as np

from .arrays import for_questions, row_sum, rows_dot

_WHITE = re.compile(r"\s\s+")


def char_wb_ngrams(text: str, lo: int, hi: int) -> list[str]:
    """Character n-grams inside word boundaries, as scikit-learn's ``char_wb`` analyzer makes them."""
    out: list[str] = []
    for w in _WHITE.sub(" ", text).split():
        w = f" {w} "
        size = len(w)
        for n in range(lo, hi + 1):
            offset = 0
            out.append(w[offset:offset + n])
            while offset + n < size:
                offset += 1
                out.append(w[offset:offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
    return out



class FamilyScoring:
    """Question-time scoring, mixed into :class:`bot.ranking.FamilyRanker` (which fits the
    matrices and settings it reads: ``signals_``, ``n_families_``, ``pool``, ``char_ngrams``,
    ``bm25f_terms_``, ``esa_*``, ``lsa_*``, ``chars_*``, ``svc_*``)."""

    def _for_questions(self) -> None:
        """The learned matrices as questions read them (dense when small; see bot.arrays)."""
        self._q_bm25f = for_questions(self.bm25f_terms_)
        if "esa" in self.signals_:
            self._q_esa_terms = for_questions(self.esa_terms_)
            self._q_esa_keys = for_questions(self.esa_keys_)
        if "chars" in self.signals_:
            self._q_chars = for_questions(self.chars_keys_)

    def _chars(self, text: str, families: np.ndarray | None) -> np.ndarray:
        lo, hi = self.char_ngrams
        counts: dict[int, int] = {}
        for j in map(self.chars_grams_.get, char_wb_ngrams(text, lo, hi)):
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            return np.zeros(self.n_families_ if families is None else len(families))
        idx = np.fromiter(counts, np.int64, len(counts))
        v = np.zeros(self.chars_keys_.shape[1])
        v[idx] = (1.0 + np.log(np.fromiter(counts.values(), np.float64, len(counts)))) * self.chars_idf_[idx]
        return rows_dot(self._q_chars, families, v) / float(np.sqrt(v @ v))

    WORD_CACHE = 50_000

    def _svc_word(self, w: str):
        """One word's share of the decision and its squared norm (cached)."""
        got = self._svc_words.get(w, False)
        if got is False:
            if len(self._svc_words) >= self.WORD_CACHE:
                self._svc_words.clear()
            counts: dict[int, int] = {}
            for j in map(self.svc_grams_.get, char_wb_ngrams(w, *self.char_ngrams)):
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if counts:
                idx = np.fromiter(counts, np.int64, len(counts))
                v = (1.0 + np.log(np.fromiter(counts.values(), np.float64, len(counts)))) * self.svc_idf_[idx]
                got = (v @ self.svc_w_[idx], float(v @ v))
            else:
                got = None
            self._svc_words[w] = got
        return got

    def _svc(self, raw_words: list[str]) -> np.ndarray:
        total, sq = None, 0.0
        for w in raw_words:
            got = self._svc_word(w)
            if got is not None:
                total = got[0] if total is None else total + got[0]
                sq += got[1]
        return np.array(self.svc_b_) if total is None else self.svc_b_ + total / math.sqrt(sq)

    # ------------------------------------------------------------ signals
    def candidates(self, ids: np.ndarray, pre: dict | None = None) -> tuple[np.ndarray | None, np.ndarray]:
        """``(families, bm25f)``: the families to score (None: all) and their BM25F scores.

        ``ids`` are the question's distinct term ids; ``pre`` the sums a small knowledge base read at once
        (:class:`bot.stacked.Stacked`).
        """
        bm = pre["bm25f"] if pre is not None else row_sum(self._q_bm25f, ids, np.ones(len(ids)))
        if self.n_families_ <= self.pool:
            return None, bm
        top = np.argpartition(-bm, self.pool - 1)[:self.pool]
        top.sort()
        return top, bm[top]

    def signals_for(self, ids: np.ndarray, w: np.ndarray, raw_words: list[str],
                    text: str = "", pre: dict | None = None) -> tuple[np.ndarray | None, dict]:
        """The candidate families and every signal's score for each.

        ``ids``/``w``: the question's distinct term ids and their weights (``1 + log tf``);
        ``raw_words`` its content words, ``text`` its folded text; ``pre``: see :meth:`candidates`.
        """
        families, bm = self.candidates(ids, pre)  # ids are distinct already
        out: dict[str, np.ndarray] = {}
        if self.svc_:
            s = self._svc(raw_words)
            out["svc"] = s if families is None else s[families]
        if "chars" in self.signals_:
            out["chars"] = self._chars(text, families)
        if "esa" in self.signals_:
            qc = pre["esa"] if pre is not None else row_sum(self._q_esa_terms, ids, w)
            out["esa"] = rows_dot(self._q_esa_keys, families, qc) / (math.sqrt(float(qc @ qc)) + 1e-12)
        if "lsa" in self.signals_:
            z = (pre["lsa"] if pre is not None else
                 w @ self.lsa_terms_[ids] if len(ids) else np.zeros(self.lsa_terms_.shape[1]))
            docs = self.lsa_docs_ if families is None else self.lsa_docs_[families]
            out["lsa"] = (docs @ z) / (math.sqrt(float(z @ z)) + 1e-12)
        if families is None:  # within a pool BM25F chose, its scores would count the choice twice
            out["bm25f"] = bm
        return families, out

    def score(self, ids: np.ndarray, w: np.ndarray, raw_words: list[str],
              text: str = "", pre: dict | None = None) -> tuple[np.ndarray | None, np.ndarray]:
        """The candidate families (None: all) and their fused scores: the sum of the z-scored signals."""
        families, signals = self.signals_for(ids, w, raw_words, text, pre)
        m = np.array(list(signals.values()))   # signals x families
        n = m.shape[1]
        d = m - np.add.reduce(m, axis=1, keepdims=True) / n  # (ufuncs: ndarray.sum's wrapper costs more here)
        sd = np.sqrt(np.add.reduce(d * d, axis=1, keepdims=True) / n)
        return families, np.add.reduce(d / np.where(sd > 0, sd, 1.0), axis=0)

