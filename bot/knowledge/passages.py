"""Long sections of a document split into passages, each an entry a visitor can read in one reply.

A web page or Markdown document often has a section of several long
paragraphs ("How should I go about proposing new features?" on the WHATWG
FAQ is 4,000 characters). Answered whole, it buries what was asked in a wall
of text, and a chat bubble is the wrong place for it. Each such entry becomes
consecutive passages of whole lines (a paragraph or a bullet), at most
:data:`PASSAGE_CHARS` characters with the title; a line longer than that is cut
between sentences. The first passage keeps the entry's id, title and questions;
the next ones are ``<id>-2``, ``<id>-3`` ... titled ``<title> (continued)``, with the same
heading path, and each is found by its own text. Each passage's metadata says
its ``part`` of ``parts``, the ``whole`` (the first's id) and the ``next``
passage's id, which a reply offers as "Read more" and a follow-up asking for more
reads (:mod:`bot.followmoves`). FAQ files (CSV, JSON) are the owner's own
answers and stay whole.
"""
from __future__ import annotations

import re
from dataclasses import replace
from types import MappingProxyType

from .model import Entry

#: the most characters of title and text a passage holds (the chat shows it whole; 1,200 is a common cap)
PASSAGE_CHARS = 1000
#: where a line too long for one passage may be cut: after a sentence's end and its space
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")


def split_long(entries: list[Entry], limit: int = PASSAGE_CHARS) -> list[Entry]:
    """``entries`` with each one longer than ``limit`` (title and text) replaced by its passages, in order."""
    out: list[Entry] = []
    taken = {e.id for e in entries}
    for e in entries:
        if len(e.title) + len(e.text) <= limit:
            out.append(e)
            continue
        chunks = _chunks(e.text, max(limit - len(e.title) - len(" (continued)") - 1, limit // 2))
        ids = [e.id]
        for _ in chunks[1:]:
            pid, n = f"{e.id}-{len(ids) + 1}", 2
            while pid in taken:  # (an entry of the document already has that id)
                pid, n = f"{e.id}-{len(ids) + 1}-{n}", n + 1
            taken.add(pid)
            ids.append(pid)
        for n, (pid, chunk) in enumerate(zip(ids, chunks), 1):
            meta = MappingProxyType({**e.metadata, "part": n, "parts": len(chunks), "whole": e.id,
                                     **({"next": ids[n]} if n < len(ids) else {})})
            out.append(replace(e, text=chunk, metadata=meta) if n == 1 else
                       replace(e, id=pid, title=f"{e.title} (continued)", text=chunk, questions=(), line=None,
                               metadata=meta))
    return out


def _chunks(text: str, size: int) -> list[str]:
    """``text`` as consecutive runs of whole lines of at most ``size`` characters each; a longer line is cut
    between sentences (or, with no sentence end in reach, between words)."""
    pieces: list[str] = []
    for line in text.split("\n"):
        pieces.extend(_cut(line, size) if len(line) > size else [line])
    out: list[str] = []
    for piece in pieces:
        if out and len(out[-1]) + 1 + len(piece) <= size:
            out[-1] += "\n" + piece
        else:
            out.append(piece)
    return [c for c in (c.strip() for c in out) if c]


def _cut(line: str, size: int) -> list[str]:
    """A line too long for a passage, cut between sentences, or words, into pieces of at most ``size``."""
    out: list[str] = []
    rest = line
    while len(rest) > size:
        ends = [m.start() for m in _SENTENCE_END.finditer(rest, 0, size + 1)]
        cut = ends[-1] if ends else (rest.rfind(" ", 0, size + 1) if " " in rest[:size + 1] else size)
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return out + ([rest] if rest else [])
