"""Ranking: which families of entries best fit a question, from four lexical signals.

The unit ranked is a *family*: the entries that answer one question (an FAQ
file may hold several answers to the same question; in a guide every entry is
its own family). Each family has a key (its title, heading path and alternate
questions) and a body (its answers). Four signals score a family:

``svc``
    A linear SVM (scikit-learn ``LinearSVC``) trained at build time on the
    knowledge base itself: one class per family, samples are the key
    (weighted 2) and each answer; features are ``char_wb`` 2-4-grams of the
    surface words without stop words. It learns which fragments tell one
    family from another. One-vs-rest training grows with families x samples,
    so it is trained only while that product stays under ``svc_budget``
    (small knowledge bases such as a guide or a few hundred FAQ pairs).
``chars``
    In knowledge bases too large for the classifier: the cosine of character
    2-4-gram TF-IDF (``char_wb``) of the question's folded text and of each
    family's title. It joins word forms ("treated", "treatments") and reads
    misspellings, as the classifier does, at the cost of one sparse product
    over the candidates.
``esa``
    Explicit semantic analysis over the knowledge base's own entries: the
    question and every key become vectors of their TF-IDF similarity to each
    entry (a key keeps its ``esa_concepts`` strongest entries), compared by
    cosine. A question and a key that share no word still meet through
    answers that use both vocabularies.
``lsa``
    Latent semantic analysis (``TruncatedSVD``) of stem TF-IDF over the
    families' key + answers; cosine in the latent space. Fifty dimensions
    stop telling families apart beyond ``lsa_families`` of them (measured on
    MedQuAD: P@1 0.05 alone at 16,000 families), so larger knowledge bases
    leave it out.
``bm25f``
    BM25F over two fields: key (weight 5, b 0.5) and pooled answers
    (weight 0.5, b 0.6), k1 5, the question's terms counted once.

Each signal is z-scored across the candidate families for the question and
the signals are summed with equal weights, so there is nothing to tune per
knowledge base. The candidates are every family of a knowledge base of up to
``pool`` families, and otherwise the ``pool`` families BM25F ranks best (it
reads only the postings of the question's terms): per-question work grows
with those postings and the pool, not with the knowledge base. Within such a
pool BM25F is not fused again: it chose the pool, and its scores there favour
long answers over the title that names the question (MedQuAD, 18,122 pairs:
P@1 0.797 / 0.66 on drop-a-word / reworded without it, 0.776 / 0.613 with).

Every learned structure is sparse or bounded (terms x families, families x
``esa_concepts``, terms x ``lsa_components``) and saved as arrays
(:meth:`FamilyRanker.save`).

The signals are computed for a question by :class:`bot.scoring.FamilyScoring`,
the question-time half of :class:`FamilyRanker`; this module fits them.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .languages import stop_words
from .scoring import FamilyScoring

_SIGNALS = ("svc", "chars", "esa", "lsa", "bm25f")


def content_words(ws, stop=None) -> list[str]:
    """Surface words without stop words (English ones unless ``stop`` is given): the classifier's
    view of a text or a question."""
    stop = stop_words() if stop is None else stop
    return [w for w in ws if w not in stop]


def raw_text(ws, stop=None) -> str:
    """:func:`content_words` joined into one training text."""
    return " ".join(content_words(ws, stop))


def _unit_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    return sp.csr_matrix(sp.diags(1.0 / (norms + 1e-12)) @ m)


def _counts(docs: list[np.ndarray], n_terms: int) -> sp.csr_matrix:
    """A documents x terms count matrix from arrays of term ids."""
    lengths = np.fromiter((len(d) for d in docs), np.int64, len(docs))
    cols = np.concatenate(docs) if docs else np.zeros(0, np.int64)
    rows = np.repeat(np.arange(len(docs)), lengths)
    m = sp.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(docs), n_terms))
    m.sum_duplicates()
    return m


def _top_per_row(m: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Keep each row's ``k`` largest cells."""
    m = sp.csr_matrix(m)
    if k <= 0 or m.shape[1] <= k:
        return m
    data, indices, indptr = [], [], [0]
    for r in range(m.shape[0]):
        lo, hi = m.indptr[r], m.indptr[r + 1]
        d, i = m.data[lo:hi], m.indices[lo:hi]
        if hi - lo > k:
            keep = np.argpartition(-d, k - 1)[:k]
            keep.sort()
            d, i = d[keep], i[keep]
        data.append(d)
        indices.append(i)
        indptr.append(indptr[-1] + len(d))
    return sp.csr_matrix((np.concatenate(data), np.concatenate(indices), np.array(indptr)), shape=m.shape)


class FamilyRanker(FamilyScoring):
    """Scores the families of a knowledge base for a question (see the module docstring).

    Parameters are fixed by measurement; they are arguments so experiments can vary them.
    """

    SIGNALS = _SIGNALS

    def __init__(self, *, key_weight: float = 2.0, svc_c: float = 1.0, char_ngrams=(2, 4),
                 lsa_components: int = 50, bm25f=(5.0, 0.5, 0.5, 0.6, 5.0), esa_concepts: int = 256,
                 svc_budget: float = 7e7, pool: int = 1000, lsa_families: int = 2000, signals=_SIGNALS):
        self.key_weight = key_weight
        self.svc_c = svc_c
        self.char_ngrams = char_ngrams
        self.lsa_components = lsa_components
        self.bm25f = bm25f
        self.esa_concepts = esa_concepts
        self.svc_budget = svc_budget
        self.pool = pool
        self.lsa_families = lsa_families
        self.signals = tuple(signals)

    # ---------------------------------------------------------------- fit
    def fit(self, n_terms: int, keys: list[np.ndarray], bodies: list[list[np.ndarray]],
            raw, titles: list[str], text_chars: int = 0) -> "FamilyRanker":
        """Learn from families: ``keys``/``bodies`` are arrays of term ids (one per answer),
        ``raw()`` gives ``(key_raw, body_raw)``, the surface words the character-level classifier
        reads (only called when it is trained: ``text_chars``, about their length, is within its
        budget), ``titles`` each family's folded title."""
        n = len(keys)
        self.n_families_ = n
        self.n_terms_ = n_terms
        pooled = [np.concatenate(b) if b else np.zeros(0, np.int64) for b in bodies]
        full = [np.concatenate((k, p)) for k, p in zip(keys, pooled)]
        self.signals_ = tuple(s for s in self.signals if n >= 3 or s == "bm25f")
        if n > self.lsa_families:
            self.signals_ = tuple(s for s in self.signals_ if s != "lsa")
        self.svc_ = False

        if "svc" in self.signals_ and n * text_chars <= self.svc_budget:
            self._fit_svc(*raw())
        if self.svc_ or "chars" not in self.signals_:
            self.signals_ = tuple(s for s in self.signals_ if s != "chars")
        else:
            self._fit_chars(titles)
        if "esa" in self.signals_:
            self._fit_esa(n_terms, keys, bodies)
        if "lsa" in self.signals_:
            self._fit_lsa(n_terms, full)
        self._fit_bm25f(keys, pooled, n_terms)
        self._svc_words: dict = {}
        self._for_questions()
        return self

    def _fit_esa(self, n_terms: int, keys: list[np.ndarray], bodies: list[list[np.ndarray]]) -> None:
        """Explicit semantic analysis: terms x concepts (every answer with its key) and each key's strongest concepts."""
        from sklearn.feature_extraction.text import TfidfTransformer

        n = len(keys)
        concept_docs = [np.concatenate((keys[j], b)) for j in range(n) for b in (bodies[j] or [np.zeros(0, np.int64)])]
        tf = TfidfTransformer(sublinear_tf=True).fit(_counts(concept_docs, n_terms))
        xc = tf.transform(_counts(concept_docs, n_terms))                    # concepts x terms, unit rows
        self.esa_terms_ = sp.csr_matrix(sp.diags(tf.idf_) @ xc.T.tocsr())   # terms x concepts, IDF folded in
        k = tf.transform(_counts(keys, n_terms))
        blocks = []
        for lo in range(0, n, 256):   # a block of keys at a time: never families x concepts at once
            blocks.append(_top_per_row(k[lo:lo + 256] @ xc.T, self.esa_concepts))
        self.esa_keys_ = _unit_rows(sp.vstack(blocks, format="csr"))        # families x concepts

    def _fit_lsa(self, n_terms: int, full: list[np.ndarray]) -> None:
        """Latent semantic analysis of the families' key + answers: terms x components and unit family rows."""
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfTransformer

        n = len(full)
        tf = TfidfTransformer(sublinear_tf=True).fit(_counts(full, n_terms))
        xf = tf.transform(_counts(full, n_terms))
        k = max(1, min(self.lsa_components, n - 1, xf.shape[1] - 1))
        svd = TruncatedSVD(k, random_state=0).fit(xf)
        self.lsa_terms_ = np.ascontiguousarray((svd.components_ * tf.idf_).T)  # terms x components
        docs = svd.transform(xf)
        self.lsa_docs_ = np.ascontiguousarray(docs / (np.linalg.norm(docs, axis=1, keepdims=True) + 1e-12))

    def _fit_bm25f(self, keys, pooled, n_terms: int) -> None:
        wk, wa, bk, ba, k1 = self.bm25f
        n = len(keys)
        ck, ca = _counts(keys, n_terms), _counts(pooled, n_terms)
        lk, la = np.asarray(ck.sum(1)).ravel(), np.asarray(ca.sum(1)).ravel()
        norm_k = 1 - bk + bk * lk / max(lk.mean(), 1e-9)
        norm_a = 1 - ba + ba * la / max(la.mean(), 1e-9)
        tf = sp.csr_matrix(sp.diags(wk / norm_k) @ ck + sp.diags(wa / norm_a) @ ca)
        df = np.bincount(tf.indices, minlength=n_terms)
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        tf.data = idf[tf.indices] * tf.data / (k1 + tf.data)
        self.bm25f_terms_ = sp.csr_matrix(tf.T)                                 # terms x families

    # ---------------------------------------------------------------- svc
    def _fit_svc(self, key_raw: list[str], body_raw: list[list[str]]) -> None:
        """Train the classifier on word-additive character features, within ``svc_budget``.

        A text's vector is the sum of its words' vectors (each word's char_wb
        n-grams, ``1 + log tf`` within the word, times IDF), divided by the
        root of the sum of their squared norms. A question is read the same
        way, so each word's share of the decision is computed once and kept.
        """
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.svm import LinearSVC

        texts, labels, weights = [], [], []
        for j, key in enumerate(key_raw):
            texts.append(key), labels.append(j), weights.append(self.key_weight)
            for t in body_raw[j]:
                texts.append(t), labels.append(j), weights.append(1.0)
        if self.n_families_ * sum(map(len, texts)) > self.svc_budget:
            return  # one-vs-rest would cost families x samples: too large a knowledge base
        docs = [t.split() for t in texts]
        vocab = sorted({w for d in docs for w in d})
        position = {w: i for i, w in enumerate(vocab)}
        grams = CountVectorizer(analyzer="char_wb", ngram_range=self.char_ngrams, lowercase=False).fit(vocab)
        per_word = grams.transform(vocab).astype(np.float64).tocsr()         # words x n-grams
        per_word.data = 1.0 + np.log(per_word.data)
        rows = [position[w] for d in docs for w in d]
        cols = [i for i, d in enumerate(docs) for _ in d]
        bow = sp.csr_matrix((np.ones(len(rows)), (cols, rows)), shape=(len(docs), len(vocab)))
        x_words = bow @ per_word
        df = np.asarray((x_words > 0).sum(axis=0)).ravel()
        idf = np.log((1 + len(docs)) / (1 + df)) + 1.0
        weighted = per_word @ sp.diags(idf)                                   # words x n-grams
        sq = np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel()
        norm = np.sqrt(bow @ sq)
        x = sp.diags(1.0 / np.where(norm > 0, norm, 1.0)) @ (bow @ weighted)
        clf = LinearSVC(C=self.svc_c, class_weight="balanced", random_state=0).fit(x, labels, sample_weight=weights)
        coef = clf.coef_ if clf.coef_.shape[0] > 1 else np.vstack([-clf.coef_, clf.coef_])
        self.svc_b_ = clf.intercept_.copy() if len(clf.intercept_) > 1 else \
            np.array([-clf.intercept_[0], clf.intercept_[0]])
        self.svc_grams_ = {g: int(i) for g, i in grams.vocabulary_.items()}
        self.svc_idf_ = idf
        self.svc_w_ = np.ascontiguousarray(coef.T)                            # n-grams x families
        self.svc_ = True

    def _fit_chars(self, titles: list[str]) -> None:
        """Character n-gram TF-IDF of the families' titles (unit rows), for the ``chars`` signal."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        v = TfidfVectorizer(analyzer="char_wb", ngram_range=self.char_ngrams, lowercase=False, sublinear_tf=True)
        self.chars_keys_ = sp.csr_matrix(v.fit_transform(titles))            # families x n-grams, unit rows
        self.chars_grams_ = {g: int(i) for g, i in v.vocabulary_.items()}
        self.chars_idf_ = v.idf_

    # ----------------------------------------------------------- save/load
    def save(self, folder, prefix: str = "ranker") -> None:
        folder.meta[prefix] = {"n_families": self.n_families_, "n_terms": self.n_terms_,
                               "signals": list(self.signals_), "svc": self.svc_,
                               "settings": {"key_weight": self.key_weight, "svc_c": self.svc_c,
                                            "char_ngrams": list(self.char_ngrams),
                                            "lsa_components": self.lsa_components, "bm25f": list(self.bm25f),
                                            "esa_concepts": self.esa_concepts, "svc_budget": self.svc_budget,
                                            "pool": self.pool, "lsa_families": self.lsa_families,
                                            "signals": list(self.signals)}}
        folder.put_sparse(f"{prefix}.bm25f", self.bm25f_terms_)
        if "esa" in self.signals_:
            folder.put_sparse(f"{prefix}.esa_terms", self.esa_terms_)
            folder.put_sparse(f"{prefix}.esa_keys", self.esa_keys_)
        if "lsa" in self.signals_:
            folder.put(f"{prefix}.lsa_terms", self.lsa_terms_)
            folder.put(f"{prefix}.lsa_docs", self.lsa_docs_)
        if "chars" in self.signals_:
            folder.meta[prefix]["chars_grams"] = sorted(self.chars_grams_, key=self.chars_grams_.get)
            folder.put(f"{prefix}.chars_idf", self.chars_idf_)
            folder.put_sparse(f"{prefix}.chars_keys", self.chars_keys_)
        if self.svc_:
            folder.meta[prefix]["svc_grams"] = sorted(self.svc_grams_, key=self.svc_grams_.get)
            folder.put(f"{prefix}.svc_idf", self.svc_idf_)
            folder.put(f"{prefix}.svc_w", self.svc_w_)
            folder.put(f"{prefix}.svc_b", self.svc_b_)

    @classmethod
    def load(cls, folder, prefix: str = "ranker") -> "FamilyRanker":
        meta = folder.meta[prefix]
        s = meta["settings"]
        self = cls(key_weight=s["key_weight"], svc_c=s["svc_c"], char_ngrams=tuple(s["char_ngrams"]),
                   lsa_components=s["lsa_components"], bm25f=tuple(s["bm25f"]), esa_concepts=s["esa_concepts"],
                   svc_budget=s["svc_budget"], pool=s["pool"], lsa_families=s["lsa_families"],
                   signals=s["signals"])
        self.n_families_, self.n_terms_ = meta["n_families"], meta["n_terms"]
        self.signals_, self.svc_ = tuple(meta["signals"]), meta["svc"]
        self.bm25f_terms_ = folder.get_sparse(f"{prefix}.bm25f")
        if "esa" in self.signals_:
            self.esa_terms_ = folder.get_sparse(f"{prefix}.esa_terms")
            self.esa_keys_ = folder.get_sparse(f"{prefix}.esa_keys")
        if "lsa" in self.signals_:
            self.lsa_terms_ = folder.get(f"{prefix}.lsa_terms")
            self.lsa_docs_ = folder.get(f"{prefix}.lsa_docs")
        if "chars" in self.signals_:
            self.chars_grams_ = {g: i for i, g in enumerate(meta["chars_grams"])}
            self.chars_idf_ = folder.get(f"{prefix}.chars_idf")
            self.chars_keys_ = folder.get_sparse(f"{prefix}.chars_keys")
        if self.svc_:
            self.svc_grams_ = {g: i for i, g in enumerate(meta["svc_grams"])}
            self.svc_idf_ = folder.get(f"{prefix}.svc_idf")
            self.svc_w_ = folder.get(f"{prefix}.svc_w")
            self.svc_b_ = folder.get(f"{prefix}.svc_b")
        self._svc_words = {}
        self._for_questions()
        return self
