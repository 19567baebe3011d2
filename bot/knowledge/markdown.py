"""Markdown sources (CommonMark, read with markdown-it-py): headings nest, list items become items."""
from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..text import clean_line
from .sections import Section

_MD = MarkdownIt("commonmark")


def _plain(inline: Token | None) -> str:
    """An inline token's text without its markup: links and images keep their text, code its content."""
    out = []
    for tok in (inline.children or []) if inline else []:
        if tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif tok.type == "image":
            out.append(tok.content)
        elif tok.type in ("text", "code_inline", "html_inline"):
            out.append(tok.content)
    return clean_line("".join(out))


def parse_markdown(text: str) -> tuple[str, list[Section]]:
    """Markdown -> (title, section tree). The first ``#`` heading titles it; the other headings nest by level."""
    reader = _Reader()
    tokens = _MD.parse(text)
    for i, tok in enumerate(tokens):
        reader.token(tok, tokens[i + 1] if i + 1 < len(tokens) else None)
    return reader.title, [reader.intro] + reader.roots


class _Reader:
    """One pass over the block tokens: the open sections, and how deep in a list the reader is."""

    def __init__(self):
        self.title = ""
        self.roots: list[Section] = []
        self.stack: list[tuple[int, Section]] = []
        self.intro = Section("Introduction", 1, kind="intro")
        self.current = self.intro
        self.lists = 0       # nesting depth of lists: a paragraph in a list item is an item
        self.in_item = False  # the current list item has had its first paragraph

    def token(self, tok: Token, following: Token | None) -> None:
        """Read one block token (``following`` is the inline token after an opening one)."""
        if tok.type == "heading_open":
            heading = _plain(following)
            if heading:
                self.heading(int(tok.tag[1]), heading, tok.map[0] + 1)
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            self.lists += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            self.lists -= 1
        elif tok.type == "list_item_open":
            self.in_item = False
        elif tok.type == "paragraph_open":
            self.paragraph(_plain(following))
        elif tok.type in ("fence", "code_block", "html_block"):
            self.current.parts.extend(("para", line.rstrip()) for line in tok.content.splitlines())

    def paragraph(self, text: str) -> None:
        """A paragraph: the text of a list item (its first), else a paragraph of the current section."""
        if self.lists and not self.in_item:
            self.in_item = True
            self.bullet(text)
        elif text:
            self.current.parts.append(("para", text))

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
        """A list item joins the current section's list (or starts one)."""
        if self.current.parts and self.current.parts[-1][0] == "items":
            self.current.parts[-1][1].append(item)
        else:
            self.current.parts.append(("items", [item]))
