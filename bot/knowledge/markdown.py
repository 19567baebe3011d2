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
    title = ""
    roots: list[Section] = []
    stack: list[tuple[int, Section]] = []
    intro = Section("Introduction", 1, kind="intro")
    current = intro
    para: list[str] = []
    in_fence = False

    def flush_para():
        if para:
            current.parts.append(("para", _md_inline(" ".join(para))))
            para.clear()

    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if line.lstrip().startswith("```"):
            flush_para()
            in_fence = not in_fence
            continue
        if in_fence:
            current.parts.append(("para", line))
            continue
        m = _MD_HEADING.match(line)
        if m:
            flush_para()
            level, heading = len(m.group(1)), _md_inline(m.group(2))
            if level == 1 and not title:
                title = heading
                intro.title, intro.line = heading, n
                continue
            sec = Section(heading, n, kind="faq" if heading.endswith("?") else "section")
            if sec.kind == "faq":
                sec.questions.append(heading)
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else roots).append(sec)
            stack.append((level, sec))
            current = sec
            continue
        b = _MD_BULLET.match(line)
        if b:
            flush_para()
            item = _md_inline(b.group(1))
            if current.parts and current.parts[-1][0] == "items":
                current.parts[-1][1].append(item)
            else:
                current.parts.append(("items", [item]))
            continue
        if not line.strip():
            flush_para()
            continue
        para.append(line.strip().lstrip(">").strip())
    flush_para()
    return title, [intro] + roots
