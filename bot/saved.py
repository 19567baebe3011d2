"""The saved index: a knowledge base, fitted once, kept on disk beside its source.

``faqbot index`` (and the first ``serve`` or ``ask`` after a change) fits each
knowledge base and writes it to ``<knowledge dir>/.faqbot-index/<name>/``:
its entries (JSON), its synonym table's additions and every learned array
(:mod:`bot.arrays`: ``.npy`` files, memory-mapped on load, never pickled).
The folder is keyed by a hash of the source's bytes, its curation file's
bytes, the shared word tables and this version of faqbot: a load whose key
differs rebuilds (and saves) instead, so a stale index is never used. A folder
that cannot be written is not an error: the knowledge base is then fitted in
memory on every start, and a warning says so once.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import MappingProxyType

from .arrays import ArrayFolder
from .knowledge import Entry, KnowledgeBase, curation_path, synonym_table
from .text import DATA

#: bump when the saved layout or what a fit learns changes
FORMAT = 9
FOLDER = ".faqbot-index"

log = logging.getLogger("faqbot")


def _faqbot_version() -> str:
    try:
        return version("faqbot")
    except PackageNotFoundError:  # running from a checkout
        return "dev"


def source_key(source: Path) -> str:
    """The hash that says whether a saved index still fits ``source``."""
    h = hashlib.sha256(f"faqbot {_faqbot_version()} index format {FORMAT}\n".encode())
    for item in sorted(DATA.iterdir(), key=lambda p: p.name):  # the shared word tables and patterns
        if item.is_file():
            h.update(item.read_bytes())
    for path in (source, curation_path(source)):
        if path is not None:
            h.update(f"\n{path.name}\n".encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def folder_for(source: Path, root: Path | None = None) -> Path:
    """Where ``source``'s index is kept (``root``: instead of ``<source dir>/.faqbot-index``)."""
    return (Path(root) if root else source.parent / FOLDER) / source.stem


# ------------------------------------------------------------------ entries
def _entry_row(e: Entry) -> list:
    return [e.id, e.title, list(e.path), e.text, list(e.questions), e.kind, e.line, dict(e.metadata)]


def _entry(kb: str, row: list) -> Entry:
    i, title, path, text, questions, kind, line, meta = row
    return Entry(i, kb, title, tuple(path), text, tuple(questions), kind, line, MappingProxyType(meta))


def save_knowledge_base(folder: ArrayFolder, kb: KnowledgeBase) -> None:
    folder.meta["kb"] = {"name": kb.name, "title": kb.title, "language": kb.language, "source_url": kb.source_url,
                         "synonyms": kb.synonym_additions, "abbreviations": kb.abbreviations}
    (folder.path / "entries.json").write_text(
        json.dumps([_entry_row(e) for e in kb.entries], ensure_ascii=False, separators=(",", ":")),
        encoding="utf-8")


def load_knowledge_base(folder: ArrayFolder, source: Path) -> KnowledgeBase:
    """The knowledge base saved in ``folder`` for ``source`` (a copied folder still names its own files)."""
    meta = folder.meta["kb"]
    cpath = curation_path(source)
    synonyms = synonym_table(meta["language"], meta["synonyms"], meta["abbreviations"])
    rows = json.loads((folder.path / "entries.json").read_text(encoding="utf-8"))
    return KnowledgeBase(name=meta["name"], title=meta["title"], entries=tuple(_entry(meta["name"], r) for r in rows),
                         source=str(source), synonyms=synonyms, curation=str(cpath) if cpath else None,
                         synonym_additions=meta["synonyms"], abbreviations=[tuple(a) for a in meta["abbreviations"]],
                         language=meta["language"], source_url=meta["source_url"])


# ------------------------------------------------------------- read / write
def open_saved(source: Path, root: Path | None = None) -> ArrayFolder | None:
    """The saved index of ``source`` when it is there and current, else None."""
    path = folder_for(source, root)
    try:
        folder = ArrayFolder.open(path)
    except (OSError, ValueError):
        return None
    if folder.meta.get("key") != source_key(source) or folder.meta.get("format") != FORMAT:
        return None
    return folder


def write(source: Path, save, root: Path | None = None) -> Path | None:
    """Write an index with ``save(folder)`` into a fresh folder, then move it into place.

    Returns the folder, or None (with a warning) when it cannot be written.
    """
    target = folder_for(source, root)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{source.stem}-", dir=target.parent))
        tmp.chmod(0o755)  # mkdtemp makes it private; other users of the knowledge may read it
    except OSError as e:
        log.warning("faqbot: cannot save the index of %s (%s); it is rebuilt at every start", source, e)
        return None
    try:
        folder = ArrayFolder(tmp, {"format": FORMAT, "key": source_key(source)})
        save(folder)
        folder.write_meta()
        old = target.with_name(f".{source.stem}-old-{os.getpid()}")
        if target.exists():
            os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        log.warning("faqbot: cannot save the index of %s (%s); it is rebuilt at every start", source, e)
        return None
    return target
