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


def _unit_rows(m) -> np.ndarray:
    m = np.asarray(m, dtype=np.float64)
    return m / (np.linalg.norm(m, axis=1, keepdims=True) + 1e-12)


def content_words(ws) -> list[str]:
    """Surface words without stop words: the classifier's view of a text or a question."""
    stop = stop_words()
    return [w for w in ws if w not in stop]


def raw_text(ws) -> str:
    """:func:`content_words` joined into one training text."""
    return " ".join(content_words(ws))


class Projection:
    """Linear maps from a question's word features to every signal, stacked for speed.

    Each block maps some features (a fitted vectorizer's vocabulary: stems and
    stem bigrams) to some columns, IDF folded into its rows, so a question
    costs one row gather and one dot product whatever the number of signals.
    A block that needs the question's norm in its space (a cosine) also
    records ``idf ** 2`` per feature: one more small product gives it.
    """

    def __init__(self):
        self.vocabulary: dict[str, int] = {}
        self.blocks: list[tuple[str, np.ndarray, object, np.ndarray | None, bool]] = []

    def _add(self, name, features, m, sq, binary):
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

    def _project(self, ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
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
            q = np.sqrt((w * w) @ self.norms[idx]) if self.norm_index else np.zeros(0)
        else:
            out, q = np.zeros(self.width), np.zeros(len(self.norm_index))
        return out, q

    def add(self, name: str, features: list[str], matrix, idf: np.ndarray | None = None,
            norm: bool = False, binary: bool = False) -> None:
        """Register ``matrix`` (len(features) x columns) under ``name``; ``idf`` scales its rows.

        ``norm``: the question's norm in this space is needed; ``binary``: the
        block counts a repeated feature once, not ``1 + log tf``.
        """
        m = sp.csr_matrix(matrix, dtype=np.float64)
        if idf is not None:
            m = sp.diags(idf) @ m
        self._add(name, features, m, (idf ** 2) if norm else None, binary)

    def project(self, terms: list[str]) -> tuple[dict, dict]:
        """Every block's columns for the question (its stems), and its norm in each normed space."""
        vocab = self.vocabulary
        ids = [j for j in map(vocab.get, terms) if j is not None]
        ids += [j for j in map(vocab.get, [f"{a} {b}" for a, b in zip(terms, terms[1:])]) if j is not None]
        values: dict[str, np.ndarray] = {}
        norms: dict[str, float] = {}
        out, q = self._project(ids)
        for name, c in self.columns.items():
            values[name] = out[c]
        for name, k in self.norm_index.items():
            norms[name] = float(q[k])
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
        are surface words for the character-level classifier.
        """
        n = len(keys)
        self.n_families_ = n
        pooled = [sum(b, []) for b in bodies]
        full = [k + p for k, p in zip(keys, pooled)]
        self.signals_ = [s for s in self.SIGNALS if n >= 3 or s == "bm25f"]

        if "svc" in self.signals_:
            texts, labels, weights = [], [], []
            for j in range(n):
                texts.append(key_raw[j]), labels.append(j), weights.append(self.key_weight)
                for t in body_raw[j]:
                    texts.append(t), labels.append(j), weights.append(1.0)
            self._fit_svc(texts, labels, weights)

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
        return self

    # ---------------------------------------------------------------- svc
    def _fit_svc(self, texts: list[str], labels: list[int], weights: list[float]) -> None:
        """Train the classifier on word-additive character features.

        A text's vector is the sum of its words' vectors (each word's char_wb
        n-grams, ``1 + log tf`` within the word, times IDF), divided by the
        root of the sum of their squared norms. A question is read the same
        way, so each word's share of the decision is computed once and kept.
        """
        docs = [t.split() for t in texts]
        words = sorted({w for d in docs for w in d})
        position = {w: i for i, w in enumerate(words)}
        grams = CountVectorizer(analyzer="char_wb", ngram_range=self.char_ngrams, lowercase=False).fit(words)
        per_word = grams.transform(words).astype(np.float64).tocsr()         # words x n-grams
        per_word.data = 1.0 + np.log(per_word.data)
        rows = [position[w] for d in docs for w in d]
        cols = [i for i, d in enumerate(docs) for _ in d]
        bow = sp.csr_matrix((np.ones(len(rows)), (cols, rows)), shape=(len(docs), len(words)))
        df = np.asarray(((bow @ per_word) > 0).sum(axis=0)).ravel()
        idf = np.log((1 + len(docs)) / (1 + df)) + 1.0
        weighted = per_word @ sp.diags(idf)                                   # words x n-grams
        sq = np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel()
        norm = np.sqrt(bow @ sq)
        x = sp.diags(1.0 / np.where(norm > 0, norm, 1.0)) @ (bow @ weighted)
        clf = LinearSVC(C=self.svc_c, class_weight="balanced").fit(x, labels, sample_weight=weights)
        coef = clf.coef_ if clf.coef_.shape[0] > 1 else np.vstack([-clf.coef_, clf.coef_])
        self.svc_b_ = clf.intercept_.copy() if len(clf.intercept_) > 1 else \
            np.array([-clf.intercept_[0], clf.intercept_[0]])
        self.svc_grams_ = grams.vocabulary_
        self.svc_analyzer_ = grams.build_analyzer()
        self.svc_idf_ = idf
        self.svc_w_ = np.ascontiguousarray(coef.T)                            # n-grams x families
        self._svc_words: dict[str, tuple[np.ndarray, float] | None] = {}

    WORD_CACHE = 50_000

    def _svc_word(self, w: str):
        """One word's share of the decision and its squared norm (cached)."""
        got = self._svc_words.get(w, False)
        if got is False:
            if len(self._svc_words) >= self.WORD_CACHE:
                self._svc_words.clear()
            counts: dict[int, int] = {}
            for j in map(self.svc_grams_.get, self.svc_analyzer_(w)):
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

    def svc(self, raw_words: list[str]) -> np.ndarray:
        """The classifier's decision for every family."""
        total, sq = None, 0.0
        for w in raw_words:
            got = self._svc_word(w)
            if got is not None:
                total = got[0] if total is None else total + got[0]
                sq += got[1]
        return self.svc_b_ if total is None else self.svc_b_ + total / math.sqrt(sq)

    # ------------------------------------------------------------ signals
    def signals(self, values: dict, raw_words: list[str]) -> dict[str, np.ndarray]:
        """Every signal's score for every family, from the projected question and its words."""
        out = {}
        if "svc" in self.signals_:
            out["svc"] = self.svc(raw_words)
        if "esa" in self.signals_:
            qc = values["esa"]
            out["esa"] = (qc @ self.esa_keys_) / (math.sqrt(float(qc @ qc)) + 1e-12)
        if "lsa" in self.signals_:
            z = values["lsa"]
            out["lsa"] = (z @ self.lsa_docs_) / (math.sqrt(float(z @ z)) + 1e-12)
        out["bm25f"] = values["bm25f"]
        return out

    def score(self, values: dict, raw_words: list[str]) -> np.ndarray:
        """The fused family scores: the sum of the z-scored signals."""
        m = np.array(list(self.signals(values, raw_words).values()))   # signals x families
        d = m - (m.sum(axis=1) / m.shape[1])[:, None]
        sd = np.sqrt(np.einsum("ij,ij->i", d, d) / m.shape[1])
        sd[sd == 0] = 1.0
        return (d / sd[:, None]).sum(axis=0)
