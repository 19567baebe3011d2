"""A small knowledge base's question sums, side by side in one dense matrix.

Five of a question's signals are weighted sums of rows picked by its
features: BM25F and the coverage's held weight (each feature once), and ESA,
LSA and the word similarity (each feature ``1 + log tf``). Computed one by one,
each costs a gather and a product, and in a knowledge base of a few dozen
entries those calls, not the arithmetic, are the question's cost. When every
part is dense (small; see :func:`bot.arrays.for_questions`), :class:`Stacked`
holds them as the column blocks of one matrix: a question gathers its rows
once and sums them once (twice when a feature repeats). A large knowledge base
keeps its sparse parts and reads them one by one.
"""
from __future__ import annotations

import numpy as np

from .arrays import DENSE_CELLS


class Stacked:
    """Column blocks of one dense matrix with a row per feature (terms, then word pairs)."""

    def __init__(self, once: dict[str, np.ndarray], by_tf: dict[str, np.ndarray], n_rows: int):
        blocks, self._slices, start = [], {}, 0
        for name, m in list(once.items()) + list(by_tf.items()):
            block = np.zeros((n_rows, m.shape[1]))
            block[:m.shape[0]] = m  # term-only parts have no rows for word pairs
            blocks.append(block)
            self._slices[name] = slice(start, start + m.shape[1])
            start += m.shape[1]
        self.matrix = np.hstack(blocks)
        self._once = frozenset(once)

    @classmethod
    def of(cls, index) -> "Stacked | None":
        """The stack of ``index``'s parts (a fitted :class:`bot.index.Index`), or None when one is sparse or the
        whole would be large."""
        r = index.ranker_
        idf = np.asarray(index.feature_idf_, dtype=np.float64)
        v, n = len(index.terms_), len(idf)
        once = {"bm25f": r._q_bm25f, "held": index._q_held}
        by_tf = {"similarity": index._q_similarity}
        if "esa" in r.signals_:
            by_tf["esa"] = r._q_esa_terms
        if "lsa" in r.signals_:
            by_tf["lsa"] = r.lsa_terms_
        parts = list(once.values()) + list(by_tf.values())
        if not all(isinstance(m, np.ndarray) for m in parts) or n * sum(m.shape[1] for m in parts) > DENSE_CELLS:
            return None
        # the held weight and the similarity weigh each feature by its IDF: folded into their rows here
        once["held"] = np.asarray(index._q_held, dtype=np.float64) * idf[:v, None]
        by_tf["similarity"] = np.asarray(index._q_similarity, dtype=np.float64) * idf[:, None]
        return cls(once, by_tf, n)

    def sums(self, feats: np.ndarray, w: np.ndarray, tf_is_one: bool) -> dict[str, np.ndarray]:
        """Each block's weighted sum over the rows ``feats`` (``w``: their ``1 + log tf``; ``tf_is_one``: all 1)."""
        rows = self.matrix[feats]
        plain = np.add.reduce(rows, axis=0)
        weighted = plain if tf_is_one else w @ rows
        return {name: (plain if name in self._once else weighted)[s] for name, s in self._slices.items()}
