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
        """One dense array, memory-mapped read-only."""
        return np.load(self.path / f"{name}.npy", mmap_mode="r", allow_pickle=False)

    def get_sparse(self, name: str) -> sp.csr_matrix:
        """A CSR matrix over memory-mapped parts (no copy)."""
        shape = tuple(self.shapes[name])
        m = sp.csr_matrix((self.get(f"{name}.data"), self.get(f"{name}.indices"), self.get(f"{name}.indptr")),
                          shape=shape, copy=False)
        m.has_sorted_indices = True
        return m
