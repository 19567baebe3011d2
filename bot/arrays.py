"""Named arrays on disk: the saved index's format.

A folder holds one ``.npy`` file per array and one ``meta.json``. Arrays are
memory-mapped when loaded (``np.load(mmap_mode="r")``): loading costs
milliseconds whatever their size, and gunicorn workers share their pages
through the page cache. Nothing is unpickled (``allow_pickle=False``), so a
saved index is data, never code. Sparse matrices are stored as their CSR
parts (``<name>.data``, ``<name>.indices``, ``<name>.indptr``) and rebuilt
without copying.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import scipy.sparse as sp


class ArrayFolder:
    """Arrays and JSON metadata written to, or read from, one folder."""

    def __init__(self, path, meta: dict | None = None):
        self.path = Path(path)
        self.meta: dict = meta if meta is not None else {}
        self.shapes: dict[str, list[int]] = self.meta.setdefault("sparse", {})

    # ------------------------------------------------------------ writing
    def put(self, name: str, array) -> None:
        """Write one dense array (any numeric dtype)."""
        np.save(self.path / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)

    def put_sparse(self, name: str, matrix) -> None:
        """Write a sparse matrix as CSR parts (int32 indices when they fit)."""
        m = sp.csr_matrix(matrix)
        m.sort_indices()
        small = m.nnz < 2**31 - 1 and max(m.shape) < 2**31 - 1
        index = np.int32 if small else np.int64  # scipy wants indices and indptr alike
        self.put(f"{name}.data", m.data)
        self.put(f"{name}.indices", m.indices.astype(index, copy=False))
        self.put(f"{name}.indptr", m.indptr.astype(index, copy=False))
        self.shapes[name] = list(m.shape)

    def write_meta(self) -> None:
        tmp = self.path / "meta.json.tmp"
        tmp.write_text(json.dumps(self.meta, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, self.path / "meta.json")

    # ------------------------------------------------------------ reading
    @classmethod
    def open(cls, path) -> "ArrayFolder":
        path = Path(path)
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        return cls(path, meta)

    def get(self, name: str) -> np.ndarray:
        """One dense array, memory-mapped read-only (as a plain ndarray view: indexing a
        ``np.memmap`` goes through Python code on every call)."""
        return np.load(self.path / f"{name}.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)

    def get_sparse(self, name: str) -> sp.csr_matrix:
        """A CSR matrix over memory-mapped parts (no copy)."""
        shape = tuple(self.shapes[name])
        m = sp.csr_matrix((self.get(f"{name}.data"), self.get(f"{name}.indices"), self.get(f"{name}.indptr")),
                          shape=shape, copy=False)
        m.has_sorted_indices = True
        return m


# --------------------------------------------------------------- query-time
# A question touches a handful of rows: gathering them with numpy is several
# times cheaper than scipy's fancy indexing, which validates and builds a new
# matrix on every call.

def _spans(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions of ``rows``' cells in a CSR matrix, and how many each row has."""
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64), lengths
    # positions = start of each row repeated, plus 0..len-1 within it
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return np.arange(total) + offsets, lengths


#: a matrix of at most this many cells is kept dense for questions: gathering its rows is cheapest
DENSE_CELLS = 2_000_000


def for_questions(m):
    """``m`` as questions read it: dense when small, CSR otherwise."""
    if isinstance(m, np.ndarray):
        return m
    return m.toarray() if m.shape[0] * m.shape[1] <= DENSE_CELLS else m


def row_sum(m, rows: np.ndarray, weights: np.ndarray, width: int | None = None) -> np.ndarray:
    """``weights @ m[rows]`` as a dense vector (rows of a dense or CSR matrix, weighted and summed)."""
    width = m.shape[1] if width is None else width
    if not len(rows):
        return np.zeros(width)
    if isinstance(m, np.ndarray):
        return weights @ m[rows]
    pos, lengths = _spans(m.indptr, np.asarray(rows))
    return np.bincount(m.indices[pos], weights=m.data[pos] * np.repeat(weights, lengths), minlength=width)


#: from this many rows on, :func:`rows_dot` lets scipy select and multiply (3x faster over 1,000 rows of
#: 256 values; slower for a handful, where its call costs more than the work)
SCIPY_ROWS = 256


def rows_dot(m, rows: np.ndarray | None, vector: np.ndarray) -> np.ndarray:
    """``m[rows] @ vector``: one dot product per row (``rows`` None: every row)."""
    if isinstance(m, np.ndarray):
        return (m if rows is None else m[rows]) @ vector
    if rows is None or len(rows) >= SCIPY_ROWS:  # many rows: scipy's row selection and product, in C++
        return np.asarray((m if rows is None else m[np.asarray(rows)]) @ vector)
    rows = np.asarray(rows)
    pos, lengths = _spans(m.indptr, rows)
    out = np.zeros(len(rows))
    if len(pos):
        products = m.data[pos] * vector[m.indices[pos]]
        nonempty = lengths > 0
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[nonempty]
        out[nonempty] = np.add.reduceat(products, starts)
    return out


def rows_holding(m: sp.csr_matrix, rows: np.ndarray, cols) -> np.ndarray:
    """For each of ``rows`` of a binary CSR matrix: how many of the distinct columns ``cols`` it holds."""
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) <= 4:  # a few rows: set lookups cost less than the array machinery
        cols = set(cols)
        return np.array([sum(1 for j in row(m, i).tolist() if j in cols) for i in rows.tolist()], dtype=np.int64)
    pos, lengths = _spans(m.indptr, rows)
    wanted = np.zeros(m.shape[1], dtype=bool)  # a lookup table: faster than np.isin for a question's few terms
    wanted[np.fromiter(cols, np.int64)] = True
    hit = wanted[m.indices[pos]]
    return np.bincount(np.repeat(np.arange(len(rows)), lengths), weights=hit, minlength=len(rows)).astype(np.int64)


def row(m: sp.csr_matrix, i: int) -> np.ndarray:
    """The column indices of row ``i``."""
    return m.indices[m.indptr[i]:m.indptr[i + 1]]


def set_key(terms) -> int:
    """A stable 63-bit key for a set of terms (saved, so not Python's salted ``hash``)."""
    digest = hashlib.blake2b("\x1f".join(sorted(set(terms))).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


class Lookup:
    """Sets of terms (a title's, an item's) -> the entries that have them, as sorted arrays."""

    def __init__(self, keys: np.ndarray, indptr: np.ndarray, entries: np.ndarray):
        self.keys, self.indptr, self.entries = keys, indptr, entries
        self._spans: dict[int, tuple[int, int]] | None = None  # key -> its entries' span, made on first use

    @classmethod
    def build(cls, pairs: list[tuple[int, int]]) -> "Lookup":
        by_key: dict[int, set[int]] = {}
        for key, i in pairs:
            by_key.setdefault(key, set()).add(i)
        keys = np.array(sorted(by_key), dtype=np.int64)
        lists = [sorted(by_key[k]) for k in keys.tolist()]
        indptr = np.zeros(len(keys) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(v) for v in lists])
        flat = np.array([i for v in lists for i in v], dtype=np.int64)
        return cls(keys, indptr, flat)

    def get(self, terms, key: int | None = None) -> np.ndarray | None:
        """The entries whose set of terms is ``terms`` (``key``: its :func:`set_key`, when known)."""
        if not terms:
            return None
        key = set_key(terms) if key is None else key
        if self._spans is None:  # a dict answers a question faster than a search of the array
            bounds = self.indptr.tolist()
            self._spans = {k: (bounds[p], bounds[p + 1]) for p, k in enumerate(self.keys.tolist())}
        span = self._spans.get(key)
        return None if span is None else np.asarray(self.entries[span[0]:span[1]])


def unique_sorted(x: np.ndarray) -> np.ndarray:
    """The sorted distinct values of ``x`` (a sort and a comparison: faster than np.unique's hashing here)."""
    x = np.sort(x)
    return x[np.concatenate(([True], x[1:] != x[:-1]))] if len(x) else x


def binary_rows(rows: list[list[int]], width: int) -> sp.csr_matrix:
    """A binary CSR matrix from sorted column lists."""
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.array([c for r in rows for c in r], dtype=np.int64)
    return sp.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(rows), width))
