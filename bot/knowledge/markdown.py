"""Markdown sources: ``#`` headings nest, ``-``/``*`` bullets become items."""
from __future__ import annotations

import re

from ..text import clean_line
from .sections import Section

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_MD_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])[*_](\S.*?)[*_](?![\w*])"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
]


def _md_inline(text: str) -> str:
    for pattern, repl in _MD_INLINE:
        text = pattern.sub(repl, text)
    return clean_line(text)


def parse_markdown(text: str) -> tuple[str, list[Section]]:
    """Markdown -> (title, section tree). ``#`` headings nest; ``-``/``*`` bullets become items."""
    reader = _Reader()
    for n, raw in enumerate(text.splitlines(), 1):
        reader.line(n, raw.rstrip())
    reader.flush_para()
    return reader.title, [reader.intro] + reader.roots


class _Reader:
    """One pass over a Markdown text: the open sections, the paragraph being read, whether in a code fence."""

    def __init__(self):
        self.title = ""
        self.roots: list[Section] = []
        self.stack: list[tuple[int, Section]] = []
        self.intro = Section("Introduction", 1, kind="intro")
        self.current = self.intro
        self.para: list[str] = []
        self.in_fence = False

    def flush_para(self) -> None:
        """End the paragraph being read (its lines joined) in the current section."""
        if self.para:
            self.current.parts.append(("para", _md_inline(" ".join(self.para))))
            self.para.clear()

    def line(self, n: int, line: str) -> None:
        """Read line ``n`` (its trailing space stripped): a fence, a heading, a bullet, a blank or text."""
        if line.lstrip().startswith("```"):
            self.flush_para()
            self.in_fence = not self.in_fence
            return
        if self.in_fence:
            self.current.parts.append(("para", line))
            return
        m = _MD_HEADING.match(line)
        if m:
            self.flush_para()
            self.heading(len(m.group(1)), _md_inline(m.group(2)), n)
            return
        b = _MD_BULLET.match(line)
        if b:
            self.flush_para()
            self.bullet(_md_inline(b.group(1)))
            return
        if not line.strip():
            self.flush_para()
            return
        self.para.append(line.strip().lstrip(">").strip())

    def heading(self, level: int, heading: str, n: int) -> None:
        """The first ``#`` heading titles the document; the others open a section (a question if ending in ?)."""
        if level == 1 and not self.title:
            self.title = heading
            self.intro.title, self.intro.line = heading, n
            return
        sec = Section(heading, n, kind="faq" if heading.endswith("?") else "section")
        if sec.kind == "faq":
            sec.questions.append(heading)
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        (self.stack[-1][1].children if self.stack else self.roots).append(sec)
        self.stack.append((level, sec))
        self.current = sec

    def bullet(self, item: str) -> None:
        """A bullet joins the current section's list (or starts one)."""
        if self.current.parts and self.current.parts[-1][0] == "items":
            self.current.parts[-1][1].append(item)
        else:
            self.current.parts.append(("items", [item]))
