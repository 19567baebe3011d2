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
    (weight 0.5, b 0.6), k1 5, binary query terms.

Each signal is z-scored across families for the question and the four are
summed with equal weights, so there is nothing to tune per knowledge base.
Measured on StackFAQ (125 threads, 625 dev queries): thread P@1 0.81, nested
5-fold cross-validation 0.81, against 0.63 for BM25 and 0.67 for TF-IDF
char_wb alone; each signal alone scores 0.62-0.78.
"""
from __future__ import annotations

import math

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.svm import LinearSVC

from .text import fold, stop_words


def _same(x):
    return x


class _QueryVectorizer:
    """Vectorise one query with what a fitted ``TfidfVectorizer`` learned (sublinear tf, l2).

    ``transform`` costs ~0.6 ms a call in input validation; this costs microseconds.
    """

    def __init__(self, fitted: TfidfVectorizer, analyze=None):
        self.vocabulary = fitted.vocabulary_
        self.idf = fitted.idf_.astype(np.float64)
        self.analyze = analyze or fitted.build_analyzer()

    def __call__(self, doc):
        vocab = self.vocabulary
        counts: dict[int, int] = {}
        for f in self.analyze(doc):
            j = vocab.get(f)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            return None
        idx = np.fromiter(counts.keys(), np.int64, len(counts))
        w = (1.0 + np.log(np.fromiter(counts.values(), np.float64, len(counts)))) * self.idf[idx]
        return idx, w / math.sqrt(float(w @ w))


def _unit_rows(m) -> np.ndarray:
    m = np.asarray(m, dtype=np.float64)
    return m / (np.linalg.norm(m, axis=1, keepdims=True) + 1e-12)


def zscore(x: np.ndarray) -> np.ndarray:
    s = x.std()
    return (x - x.mean()) / s if s > 0 else x - x.mean()


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

    def fit(self, keys: list[list[str]], key_raw: list[str], bodies: list[list[list[str]]],
            body_raw: list[list[str]]) -> "FamilyRanker":
        """Learn from families: key terms, key text, and per answer its terms and text.

        Terms are the analyzer's stems; texts are the surface words (spelling
        repaired on the query side) for the character-level classifier.
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
            cv = TfidfVectorizer(analyzer="char_wb", ngram_range=self.char_ngrams, sublinear_tf=True,
                                 dtype=np.float64).fit(texts)
            clf = LinearSVC(C=self.svc_c, class_weight="balanced").fit(cv.transform(texts), labels,
                                                                      sample_weight=weights)
            self.svc_vec_ = _QueryVectorizer(cv)
            self.svc_w_ = np.ascontiguousarray(clf.coef_.T if n > 2 else np.hstack([-clf.coef_.T, clf.coef_.T]))
            self.svc_b_ = clf.intercept_.copy() if n > 2 else np.array([-clf.intercept_[0], clf.intercept_[0]])

        if "esa" in self.signals_:
            concepts = [keys[j] + b for j in range(n) for b in (bodies[j] or [[]])]
            v = TfidfVectorizer(analyzer=_same, sublinear_tf=True, dtype=np.float64).fit(concepts)
            xc = v.transform(concepts)                                  # concepts x terms
            self.esa_vec_ = _QueryVectorizer(v, _same)
            self.esa_xt_ = xc.T.tocsr()                                 # terms x concepts
            key_concepts = (v.transform(keys) @ xc.T).toarray()         # families x concepts
            self.esa_keys_ = np.ascontiguousarray(_unit_rows(key_concepts).T)

        if "lsa" in self.signals_:
            v = TfidfVectorizer(analyzer=_same, sublinear_tf=True, dtype=np.float64).fit(full)
            xf = v.transform(full)
            k = max(1, min(self.lsa_components, n - 1, xf.shape[1] - 1))
            svd = TruncatedSVD(k, random_state=0).fit(xf)
            self.lsa_vec_ = _QueryVectorizer(v, _same)
            self.lsa_terms_ = np.ascontiguousarray(svd.components_.T)  # terms x k
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
        self.bm25_vocabulary_ = cv.vocabulary_
        self.bm25_w_ = np.ascontiguousarray((idf * tf / (k1 + tf)).T)  # terms x families
        return self

    def signals(self, terms: list[str], raw: str) -> dict[str, np.ndarray]:
        """Every signal's score for every family."""
        n = self.n_families_
        out = {}
        if "svc" in self.signals_:
            v = self.svc_vec_(raw)
            out["svc"] = self.svc_b_ + (v[1] @ self.svc_w_[v[0]] if v else 0.0)
        if "esa" in self.signals_:
            v = self.esa_vec_(terms)
            if v is None:
                out["esa"] = np.zeros(n)
            else:
                qc = np.asarray(self.esa_xt_[v[0]].T @ v[1]).ravel()
                out["esa"] = (qc @ self.esa_keys_) / (np.linalg.norm(qc) + 1e-12)
        if "lsa" in self.signals_:
            v = self.lsa_vec_(terms)
            if v is None:
                out["lsa"] = np.zeros(n)
            else:
                z = v[1] @ self.lsa_terms_[v[0]]
                out["lsa"] = (z @ self.lsa_docs_) / (np.linalg.norm(z) + 1e-12)
        ids = sorted({self.bm25_vocabulary_.get(t) for t in terms} - {None})
        out["bm25f"] = self.bm25_w_[ids].sum(0) if ids else np.zeros(n)
        return out

    def score(self, terms: list[str], raw: str) -> np.ndarray:
        """The fused family scores: the sum of the z-scored signals."""
        return sum(zscore(s) for s in self.signals(terms, raw).values())


def raw_text(ws) -> str:
    """Surface words without stop words: the classifier's view of a text."""
    stop = stop_words()
    return " ".join(w for w in ws if w not in stop)


def family_key(title: str) -> str:
    return fold(title)
