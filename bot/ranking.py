"""Ranking: four lexical views of a question, fused without tuned weights.

The unit ranked is a *family*: the entries that answer one question (an FAQ
file may hold several answers to the same question; in a guide every entry is
its own family). Each family has a key (its title, heading path and alternate
questions) and a body (its answers). Four signals score every family:

``svc``
    A linear SVM (scikit-learn ``LinearSVC``), trained at load time on the
    knowledge base itself: one class per family, samples are the key
    (weighted 2) and each answer; features are ``char_wb`` 2-4-grams of the
    surface words without stop words. It learns which fragments tell one
    family from another.
``esa``
    Explicit semantic analysis over the knowledge base's own entries: the
    question and every key become vectors of their TF-IDF similarity to each
    entry, compared by cosine. A question and a key that share no word still
    meet through answers that use both vocabularies.
``lsa``
    Latent semantic analysis (``TruncatedSVD``) of stem TF-IDF over the
    families' key + answers; cosine in the latent space.
``bm25f``
    BM25F over two fields: key (weight 5, b 0.5) and pooled answers
    (weight 0.5, b 0.6), k1 5, the question's terms counted once.

Each signal is z-scored across families for the question and the four are
summed with equal weights, so there is nothing to tune per knowledge base.
Measured on StackFAQ (125 threads, 625 dev queries): thread P@1 0.81, nested
5-fold cross-validation 0.81, against 0.63 for BM25 and 0.67 for TF-IDF
char_wb alone; each signal alone scores 0.62-0.78.

Speed: every signal is linear in the question's features up to a
normalisation, so :class:`Projection` stacks them into one matrix (features x
all signal columns, IDF folded in). A question costs one row gather and one
dot product, whatever the number of signals.
"""
from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.svm import LinearSVC

from .text import stop_words

#: Below this many cells the stacked matrix is kept dense: slicing it is far cheaper.
DENSE_CELLS = 6_000_000


def _same(x):
    return x


def zscore(x: np.ndarray) -> np.ndarray:
    """``(x - mean) / std`` (numpy's own std costs ~10 µs of overhead on small arrays)."""
    d = x - x.sum() / x.size
    s = math.sqrt(float(d @ d) / x.size)
    return d / s if s > 0 else d


def _unit_rows(m) -> np.ndarray:
    m = np.asarray(m, dtype=np.float64)
    return m / (np.linalg.norm(m, axis=1, keepdims=True) + 1e-12)


def raw_text(ws) -> str:
    """Surface words without stop words: the classifier's view of a text."""
    stop = stop_words()
    return " ".join(w for w in ws if w not in stop)


class _Group:
    """The blocks that read one kind of feature (words, or characters), stacked."""

    def __init__(self):
        self.vocabulary: dict[str, int] = {}
        self.blocks: list[tuple[str, np.ndarray, object, np.ndarray | None, bool]] = []

    def add(self, name, features, m, sq, binary):
        vocab = self.vocabulary
        rows = np.array([vocab.setdefault(f, len(vocab)) for f in features], dtype=np.int64)
        self.blocks.append((name, rows, m, sq, binary))

    def build(self):
        n = len(self.vocabulary)
        self.columns: dict[str, slice] = {}
        self.norm_index: dict[str, int] = {}
        self.binary = []
        parts, norms, start = [], [], 0
        for name, rows, m, sq, binary in self.blocks:
            placed = sp.csr_matrix((np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(n, len(rows)))
            parts.append(placed @ m)
            self.columns[name] = slice(start, start + m.shape[1])
            start += m.shape[1]
            if binary:
                self.binary.append(self.columns[name])
            if sq is not None:
                self.norm_index[name] = len(norms)
                col = np.zeros(n)
                col[rows] = sq
                norms.append(col)
        stacked = sp.hstack(parts, format="csr") if parts else sp.csr_matrix((n, 0))
        self.matrix = stacked.toarray() if n * stacked.shape[1] <= DENSE_CELLS else stacked
        self.norms = np.stack(norms, axis=1) if norms else np.zeros((n, 0))
        self.width = stacked.shape[1]

    def project(self, ids: list[int], values: dict, norms: dict) -> None:
        if ids:
            counts: dict[int, int] = {}
            for j in ids:
                counts[j] = counts.get(j, 0) + 1
            idx = np.fromiter(counts, np.int64, len(counts))
            repeated = len(counts) < len(ids)
            w = 1.0 + np.log(np.fromiter(counts.values(), np.float64, len(counts))) if repeated \
                else np.ones(len(counts))
            rows = self.matrix[idx]
            dense = isinstance(rows, np.ndarray)
            out = w @ rows if dense else np.asarray(rows.T @ w).ravel()
            for c in self.binary if repeated else ():  # binary blocks count a repeated word once
                ones = np.ones(len(idx))
                out[c] = ones @ rows[:, c] if dense else np.asarray(rows[:, c].T @ ones).ravel()
            q = np.sqrt((w * w) @ self.norms[idx]) if self.norm_index else ()
        else:
            out, q = np.zeros(self.width), np.zeros(len(self.norm_index))
        for name, c in self.columns.items():
            values[name] = out[c]
        for name, k in self.norm_index.items():
            norms[name] = float(q[k])


class Projection:
    """Linear maps from a question's features to every signal, stacked for speed.

    Each block maps some features (a fitted vectorizer's vocabulary) to some
    columns, IDF folded into its rows. Word features (stems, stem bigrams) and
    character n-grams are stacked apart, so each costs one row gather and one
    dot product over only the columns that read it. A block that needs the
    question's norm in its space (a cosine, a classifier on l2-normalised
    input) also records ``idf ** 2`` per feature: one more small product.
    """

    WORD_CACHE = 50_000

    def __init__(self):
        self.words = _Group()
        self.chars = _Group()
        self._cache: dict[str, tuple[int, ...]] = {}
        self.char_analyzer = None

    def add(self, name: str, features: list[str], matrix, idf: np.ndarray | None = None,
            norm: bool = False, binary: bool = False, chars: bool = False) -> None:
        """Register ``matrix`` (len(features) x columns) under ``name``; ``idf`` scales its rows.

        ``norm``: the question's norm in this space is needed; ``binary``: the
        block counts a repeated feature once, not ``1 + log tf``; ``chars``:
        the features are character n-grams of words.
        """
        m = sp.csr_matrix(matrix, dtype=np.float64)
        if idf is not None:
            m = sp.diags(idf) @ m
        group = self.chars if chars else self.words
        group.add(name, features, m, (idf ** 2) if norm else None, binary)

    def build(self, char_analyzer=None) -> "Projection":
        """Stack the blocks; ``char_analyzer`` turns one word into its character n-grams."""
        self.char_analyzer = char_analyzer
        self.words.build()
        self.chars.build()
        return self

    def project(self, terms: list[str], raw_words: list[str]) -> tuple[dict, dict]:
        """Every block's columns for the question, and its norm in each normed space.

        ``terms`` are the question's stems; ``raw_words`` its surface words.
        """
        vocab = self.words.vocabulary
        ids = [j for j in map(vocab.get, terms) if j is not None]
        ids += [j for j in map(vocab.get, [f"{a} {b}" for a, b in zip(terms, terms[1:])]) if j is not None]
        values: dict[str, np.ndarray] = {}
        norms: dict[str, float] = {}
        self.words.project(ids, values, norms)
        if self.char_analyzer is not None:
            cvocab, cache, chars = self.chars.vocabulary, self._cache, []
            for w in raw_words:
                got = cache.get(w)
                if got is None:
                    if len(cache) >= self.WORD_CACHE:
                        cache.clear()
                    got = cache[w] = tuple(j for j in map(cvocab.get, self.char_analyzer(w)) if j is not None)
                chars.extend(got)
            self.chars.project(chars, values, norms)
        return values, norms


class FamilyRanker:
    """Scores the families of a knowledge base for a question (see module docstring).

    Parameters are fixed by measurement; they are arguments so experiments can vary them.
    """

    SIGNALS = ("svc", "esa", "lsa", "bm25f")

    def __init__(self, *, key_weight: float = 2.0, svc_c: float = 1.0, char_ngrams=(2, 4),
                 lsa_components: int = 50, bm25f=(5.0, 0.5, 0.5, 0.6, 5.0)):
        self.key_weight = key_weight
        self.svc_c = svc_c
        self.char_ngrams = char_ngrams
        self.lsa_components = lsa_components
        self.bm25f = bm25f

    def fit(self, projection: Projection, keys: list[list[str]], key_raw: list[str],
            bodies: list[list[list[str]]], body_raw: list[list[str]]):
        """Learn from families and register the signals' maps in ``projection``.

        ``keys``/``bodies`` are stems (one list per answer); ``key_raw``/``body_raw``
        are surface words for the character-level classifier. Returns the
        analyzer that turns one word into its character n-grams.
        """
        n = len(keys)
        self.n_families_ = n
        pooled = [sum(b, []) for b in bodies]
        full = [k + p for k, p in zip(keys, pooled)]
        self.signals_ = [s for s in self.SIGNALS if n >= 3 or s == "bm25f"]
        char_analyzer = None

        if "svc" in self.signals_:
            texts, labels, weights = [], [], []
            for j in range(n):
                texts.append(key_raw[j]), labels.append(j), weights.append(self.key_weight)
                for t in body_raw[j]:
                    texts.append(t), labels.append(j), weights.append(1.0)
            cv = TfidfVectorizer(analyzer="char_wb", ngram_range=self.char_ngrams, sublinear_tf=True,
                                 dtype=np.float64).fit(texts)
            clf = LinearSVC(C=self.svc_c, class_weight="balanced").fit(cv.transform(texts), labels,
                                                                      sample_weight=weights)
            names = sorted(cv.vocabulary_, key=cv.vocabulary_.get)
            projection.add("svc", names, clf.coef_.T, idf=cv.idf_, norm=True, chars=True)
            self.svc_b_ = clf.intercept_.copy()
            char_analyzer = cv.build_analyzer()

        if "esa" in self.signals_:
            concepts = [keys[j] + b for j in range(n) for b in (bodies[j] or [[]])]
            v = TfidfVectorizer(analyzer=_same, sublinear_tf=True, dtype=np.float64).fit(concepts)
            xc = v.transform(concepts)                                  # concepts x terms
            names = sorted(v.vocabulary_, key=v.vocabulary_.get)
            projection.add("esa", names, xc.T, idf=v.idf_)              # scale-free: no norm needed
            self.esa_keys_ = np.ascontiguousarray(_unit_rows((v.transform(keys) @ xc.T).toarray()).T)

        if "lsa" in self.signals_:
            v = TfidfVectorizer(analyzer=_same, sublinear_tf=True, dtype=np.float64).fit(full)
            xf = v.transform(full)
            k = max(1, min(self.lsa_components, n - 1, xf.shape[1] - 1))
            svd = TruncatedSVD(k, random_state=0).fit(xf)
            names = sorted(v.vocabulary_, key=v.vocabulary_.get)
            projection.add("lsa", names, svd.components_.T, idf=v.idf_)  # scale-free: no norm needed
            self.lsa_docs_ = np.ascontiguousarray(_unit_rows(svd.transform(xf)).T)

        wk, wa, bk, ba, k1 = self.bm25f
        cv = CountVectorizer(analyzer=_same).fit(full)
        ck = cv.transform(keys).astype(np.float64).toarray()
        ca = cv.transform(pooled).astype(np.float64).toarray()
        lk, la = ck.sum(1), ca.sum(1)
        norm_k = 1 - bk + bk * lk / max(lk.mean(), 1e-9)
        norm_a = 1 - ba + ba * la / max(la.mean(), 1e-9)
        tf = wk * ck / norm_k[:, None] + wa * ca / norm_a[:, None]
        df = ((ck + ca) > 0).sum(0)
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        names = sorted(cv.vocabulary_, key=cv.vocabulary_.get)
        projection.add("bm25f", names, (idf * tf / (k1 + tf)).T, binary=True)
        return char_analyzer

    def signals(self, values: dict, norms: dict) -> dict[str, np.ndarray]:
        """Every signal's score for every family, from the projected question."""
        out = {}
        if "svc" in self.signals_:
            norm = norms["svc"]
            out["svc"] = self.svc_b_ + values["svc"] / norm if norm > 0 else self.svc_b_
        if "esa" in self.signals_:
            qc = values["esa"]
            out["esa"] = (qc @ self.esa_keys_) / (math.sqrt(float(qc @ qc)) + 1e-12)
        if "lsa" in self.signals_:
            z = values["lsa"]
            out["lsa"] = (z @ self.lsa_docs_) / (math.sqrt(float(z @ z)) + 1e-12)
        out["bm25f"] = values["bm25f"]
        return out

    def score(self, values: dict, norms: dict) -> np.ndarray:
        """The fused family scores: the sum of the z-scored signals."""
        total = None
        for s in self.signals(values, norms).values():
            z = zscore(s)
            total = z if total is None else total + z
        return total
