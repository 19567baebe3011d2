"""Lexical retrieval over one knowledge base: TF-IDF (words and characters) and fuzzy matching.

:class:`Index` follows scikit-learn's conventions: settings in ``__init__``,
learning in :meth:`Index.fit` (returns self), learned attributes end in ``_``.
Fitting uses scikit-learn's ``TfidfVectorizer``; queries are then vectorised
with what it learned (its analyzer, ``vocabulary_`` and ``idf_``) rather than
``transform``, whose input validation alone costs ~0.6 ms a call.

An index gives each entry two scores for a question:

* :meth:`Index.score` *ranks*: the family ranker of :mod:`bot.ranking`
  (a classifier, explicit and latent semantic analysis and BM25F, z-scored
  and summed);
* :meth:`Index.similarity` measures *how closely* the question matches, in
  [0, 1], for the confidence: a fixed-weight fusion of word TF-IDF (stems and
  stem bigrams, synonyms applied) against the entry's *key* field (title,
  heading path, questions) and against key + answer text, character TF-IDF
  (``char_wb`` 3-5-grams of the same stems, which forgives typos and word
  forms), and rapidfuzz ``token_sort_ratio`` against titles and questions.

The index also knows which query terms each entry contains, which the
answering layer uses to decide whether the knowledge base covers a question
at all (see :mod:`bot.answering`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from sklearn.feature_extraction.text import TfidfVectorizer

from .knowledge import Entry
from .ranking import FamilyRanker, raw_text, zscore
from .text import Analyzer, commonness, english_words, fold, stem, stop_words, words

#: Above this many cells a TF-IDF matrix stays sparse; below, dense is faster to slice.
DENSE_CELLS = 4_000_000


def key_text(e: Entry) -> str:
    """The fields that say what an entry is about: title, heading path, questions.

    An introduction's title is the document's title, whose words are in every
    entry's context; it says nothing about what the introduction covers.
    """
    if e.kind == "intro":
        return "\n".join(e.questions)
    return "\n".join(dict.fromkeys((e.title, *e.path, *e.questions)))


def _bigrams(terms: list[str]) -> list[str]:
    return terms + [f"{a} {b}" for a, b in zip(terms, terms[1:])]


@dataclass(frozen=True)
class Query:
    """A question as the index reads it."""

    text: str
    words: tuple[str, ...]        # surface words after spelling repair
    corrections: tuple[tuple[str, str], ...]
    terms: tuple[str, ...]        # stemmed content terms (synonyms applied)
    weights: tuple[float, ...] = ()  # how much each distinct term says (see Index.read)


class _Space:
    """One TF-IDF space: a fitted vectorizer and the fields projected into it."""

    def __init__(self, vectorizer: TfidfVectorizer, analyze, fields: dict[str, list[str]]):
        self.vocabulary = vectorizer.vocabulary_
        self.idf = vectorizer.idf_.astype(np.float64)
        self.analyze = analyze
        self.matrices = {}
        for name, texts in fields.items():
            m = vectorizer.transform(texts).T.tocsr()  # features x entries
            if m.shape[0] * m.shape[1] <= DENSE_CELLS:
                m = np.asarray(m.todense())
            self.matrices[name] = m

    def vector(self, features: list[str]):
        vocab = self.vocabulary
        counts: dict[int, int] = {}
        for f in features:
            j = vocab.get(f)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            return None
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        w = (1.0 + np.log(tf)) * self.idf[idx]
        w /= math.sqrt(float(w @ w))
        return idx, w

    def cosine(self, name: str, vec, n: int) -> np.ndarray:
        if vec is None:
            return np.zeros(n)
        idx, w = vec
        m = self.matrices[name]
        rows = m[idx]
        if sp.issparse(rows):
            return np.asarray(rows.T @ w).ravel()
        return w @ rows


class Index:
    """Fitted retrieval structures for one knowledge base.

    Parameters
    ----------
    analyzer : Analyzer
        Turns text into stemmed content terms (the knowledge base's synonyms).
    weights : dict
        Fusion weights of the five signals ``key_word``, ``full_word``,
        ``key_char``, ``full_char`` and ``fuzz``.
    char_ngrams : tuple
        ``ngram_range`` of the ``char_wb`` vectorizer.
    """

    FUZZ_FLOOR = 0.5
    DEFAULT_WEIGHTS = {"key_word": 0.30, "full_word": 0.25, "key_char": 0.15,
                       "full_char": 0.15, "fuzz": 0.15}

    def __init__(self, analyzer: Analyzer | None = None, *, weights: dict | None = None,
                 char_ngrams: tuple[int, int] = (3, 5)):
        self.analyzer = analyzer or Analyzer()
        self.weights = dict(self.DEFAULT_WEIGHTS, **(weights or {}))
        self.char_ngrams = char_ngrams

    # ------------------------------------------------------------------ fit
    def fit(self, entries) -> "Index":
        entries = list(entries)
        if not entries:
            raise ValueError("cannot index an empty knowledge base")
        self.entries_ = entries
        keys = [key_text(e) for e in entries]
        fulls = [f"{k}\n{e.text}" for k, e in zip(keys, entries)]
        key_terms = [self.analyzer.terms(t) for t in keys]
        full_terms = [self.analyzer.terms(t) for t in fulls]

        def word_features(terms):
            return _bigrams(terms)

        wv = TfidfVectorizer(analyzer=word_features, sublinear_tf=True, dtype=np.float64)
        wv.fit(full_terms)
        self.word_ = _Space(wv, word_features, {"key": key_terms, "full": full_terms})

        cv = TfidfVectorizer(analyzer="char_wb", ngram_range=self.char_ngrams, sublinear_tf=True,
                             lowercase=False, dtype=np.float64)
        key_str = [" ".join(t) for t in key_terms]
        full_str = [" ".join(t) for t in full_terms]
        cv.fit(full_str)
        self.char_ = _Space(cv, cv.build_analyzer(), {"key": key_str, "full": full_str})

        # fuzzy matching: every distinct title/question, mapped to its entries
        fuzz_keys: dict[str, list[int]] = {}
        for i, e in enumerate(entries):
            for q in dict.fromkeys((e.title, *e.questions)):
                s = " ".join(self.analyzer.terms(q))
                if s:
                    fuzz_keys.setdefault(s, []).append(i)
        self.fuzz_strings_ = list(fuzz_keys)
        owners = [(k, i) for k, (s, ids) in enumerate(fuzz_keys.items()) for i in ids]
        self.fuzz_key_ = np.array([k for k, _ in owners], dtype=np.int64)
        self.fuzz_owner_ = np.array([i for _, i in owners], dtype=np.int64)

        # the ranker works on families: the entries that answer one question
        families: dict[str, list[int]] = {}
        for i, e in enumerate(entries):
            families.setdefault(fold(e.title), []).append(i)
        members = list(families.values())
        self.family_of_ = np.zeros(len(entries), dtype=np.int64)
        for j, ids in enumerate(members):
            self.family_of_[ids] = j
        fam_keys = [list(dict.fromkeys(t for i in ids for t in key_terms[i])) for ids in members]
        fam_key_raw = [raw_text(words("\n".join(dict.fromkeys(keys[i] for i in ids)))) for ids in members]
        body_terms = [self.analyzer.terms(e.text) for e in entries]
        self.ranker_ = FamilyRanker().fit(
            fam_keys, fam_key_raw, [[body_terms[i] for i in ids] for ids in members],
            [[raw_text(words(entries[i].text)) for i in ids] for ids in members])

        # which terms each entry holds, and how informative each term is
        self.entry_terms_ = [frozenset(t) for t in full_terms]
        self.key_terms_ = [frozenset(t) for t in key_terms]
        vocab = self.word_.vocabulary
        idf = self.word_.idf
        self.term_idf_ = {t: float(idf[j]) for t, j in vocab.items() if " " not in t}
        self.max_idf_ = float(idf.max())
        by_prefix: dict[str, list[str]] = {}
        for t in sorted(self.term_idf_):
            if len(t) >= 5 and t.isalpha():
                by_prefix.setdefault(t[:5], []).append(t)
        self.term_prefixes_ = by_prefix
        self._near_term = lru_cache(maxsize=20_000)(self._near_term_of)

        # spelling repair: the surface words this knowledge base (and the
        # shared tables) know, bucketed by first letter
        known = {w for t in fulls for w in words(t)}
        known |= stop_words() | self.analyzer.synonyms.vocabulary()
        self.known_words_ = frozenset(known)
        english_words()  # load the English word list now: ask() must do no I/O
        buckets: dict[str, list[str]] = {}
        for w in known:
            if w.isalpha() and len(w) >= 3:
                buckets.setdefault(w[0], []).append(w)
        self.word_buckets_ = {k: sorted(v) for k, v in buckets.items()}  # sorted: ties break the same way every run
        self._correct = lru_cache(maxsize=20_000)(self._correct_word)
        return self

    # -------------------------------------------------------------- queries
    def _correct_word(self, w: str) -> str:
        """The knowledge base's word for a misspelt ``w`` (or ``w`` itself)."""
        n = len(w)
        if n < 4 or not w.isalpha() or w in english_words():
            return w
        cutoff = 1 if n <= 8 else 2
        best = process.extractOne(w, self.word_buckets_.get(w[0], ()), scorer=OSA.distance,
                                  score_cutoff=cutoff)
        if best is None:
            return w
        cand = best[0]
        if n <= 4 and sorted(cand) != sorted(w):  # short words: only swapped letters
            return w
        return cand

    def _near_term_of(self, term: str) -> str:
        """A knowledge-base term that ``term`` is a variant of ("verif" -> "verifi"), or itself.

        Stemmers leave some pairs apart (verification/verified, principle/
        principal); a shared prefix of 5+ letters covering 80% of the longer
        stem joins them (but not scientist/science).
        """
        best, best_len = term, 0
        for cand in self.term_prefixes_.get(term[:5], ()):
            n = 5
            limit = min(len(cand), len(term))
            while n < limit and cand[n] == term[n]:
                n += 1
            if n >= 0.8 * max(len(cand), len(term)) and (n > best_len or (n == best_len and
                                                     self.term_idf_[cand] < self.term_idf_[best])):
                best, best_len = cand, n
        return best

    #: An unknown term weighs UNKNOWN_WEIGHT x (1 - COMMON_DISCOUNT x commonness)
    #: of the rarest known term: "netflix" counts fully, "make" far less.
    UNKNOWN_WEIGHT = 1.3
    COMMON_DISCOUNT = 0.9
    COMMON_POWER = 2.0

    def read(self, text: str) -> Query:
        """Split, spell-repair and analyse a question, and weigh its terms.

        A term the knowledge base uses weighs its IDF; one it never uses weighs
        at least as much as its rarest term, less for everyday English words
        (:func:`bot.text.commonness`), since those often only frame a question.
        """
        raw = words(text)
        fixed, corrections = [], []
        known = self.known_words_
        for w in raw:
            if w in known:
                fixed.append(w)
                continue
            c = self._correct(w)
            if c != w:
                corrections.append((w, c))
            fixed.append(c)
        idf = self.term_idf_
        terms = []
        for t in self.analyzer.terms_of_words(fixed):
            if t not in idf and len(t) >= 5:
                t = self._near_term(t)
            terms.append(t)
        common = {stem(w): commonness(w) for w in fixed}
        top = self.max_idf_ * self.UNKNOWN_WEIGHT
        weights = tuple(idf[t] if t in idf else top * (1 - self.COMMON_DISCOUNT * common.get(t, 0.0) ** self.COMMON_POWER)
                        for t in dict.fromkeys(terms))
        return Query(text, tuple(fixed), tuple(corrections), tuple(terms), weights)

    def _match_signals(self, q: Query) -> dict[str, np.ndarray]:
        n = len(self.entries_)
        terms = list(q.terms)
        wvec = self.word_.vector(_bigrams(terms))
        s = " ".join(terms)
        cvec = self.char_.vector(self.char_.analyze(s)) if s else None
        fz = np.zeros(n)
        if s:
            ks = process.cdist([s], self.fuzz_strings_, scorer=fuzz.token_sort_ratio,
                               dtype=np.float64)[0] / 100.0
            # unrelated short strings already share ~40% of their letters:
            # only the part of the ratio above FUZZ_FLOOR is evidence
            ks = np.clip((ks - self.FUZZ_FLOOR) / (1.0 - self.FUZZ_FLOOR), 0.0, 1.0)
            np.maximum.at(fz, self.fuzz_owner_, ks[self.fuzz_key_])
        return {
            "key_word": self.word_.cosine("key", wvec, n),
            "full_word": self.word_.cosine("full", wvec, n),
            "key_char": self.char_.cosine("key", cvec, n),
            "full_char": self.char_.cosine("full", cvec, n),
            "fuzz": fz,
        }

    def signals(self, q: Query) -> dict[str, np.ndarray]:
        """Every signal's value for every entry (for ``faqbot ask --explain``)."""
        out = self._match_signals(q)
        fam = self.ranker_.signals(list(q.terms), raw_text(q.words))
        out.update({name: v[self.family_of_] for name, v in fam.items()})
        return out

    def similarity(self, q: Query) -> tuple[np.ndarray, np.ndarray]:
        """How closely the question matches each entry, in [0, 1] (the confidence's strength),
        and how nearly it repeats the entry's title or one of its questions (gated rapidfuzz)."""
        sig = self._match_signals(q)
        w = self.weights
        return sum(w[k] * v for k, v in sig.items() if w.get(k)), sig["fuzz"]

    def score(self, q: Query) -> np.ndarray:
        """Ranking score of every entry: its family's fused ranker score (unbounded)."""
        return self.ranker_.score(list(q.terms), raw_text(q.words))[self.family_of_]

    #: A query term the knowledge base knows but this entry lacks costs this
    #: share of its weight (a term the knowledge base never uses costs all of it).
    MISSING_KNOWN_COST = 0.5

    def coverage(self, q: Query, i: int) -> float:
        """Share of the query's informative weight (``Query.weights``) that entry ``i`` contains."""
        if not q.terms:
            return 0.0
        held = self.entry_terms_[i]
        idf = self.term_idf_
        total = got = 0.0
        for t, w in zip(dict.fromkeys(q.terms), q.weights):
            if t in held:
                got += w
                total += w
            else:
                total += w * self.MISSING_KNOWN_COST if t in idf else w
        return got / total if total else 0.0
