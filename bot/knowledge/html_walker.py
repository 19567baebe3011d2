"""The walk of an HTML page's content into a section tree (:class:`bot.knowledge.sections.Section`).

:class:`Walker` turns headings into nested sections (a heading ending in
``?`` is a question), lists into ``•`` bullets, paragraphs and other blocks
into paragraphs, table rows into items, and ``<details>``/``<summary>`` and
``<dl>`` into question entries; it fills a :class:`Page`. What to walk (the
page without its chrome) and the page's title, address and language are
chosen by :func:`bot.knowledge.html.parse_html`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from bs4 import NavigableString, Tag
from bs4.element import PreformattedString

from ..text import clean_line, fold, repair
from .sections import Section

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
#: blocks whose text is one paragraph
_PARA = {"p", "pre", "address", "figcaption", "caption", "blockquote"}
_LISTS = {"ul", "ol"}
#: elements that may hold blocks; anything else is inline text
_BLOCKS = set(_HEADINGS) | _PARA | _LISTS | {
    "div", "section", "article", "main", "body", "html", "details", "summary", "dl", "dt", "dd", "table",
    "thead", "tbody", "tfoot", "tr", "td", "th", "li", "figure", "header", "footer", "hgroup", "center",
    "fieldset", "br", "hr"}


@dataclass
class Page:
    """What an HTML page holds: its title, its section tree, its address and language."""

    title: str
    roots: list = field(default_factory=list)   # [Section]
    source_url: str | None = None
    language: str | None = None                 # from <html lang>, e.g. "de"
    anchors: dict = field(default_factory=dict)  # folded title -> element id, for links to the page


def visible_text(el) -> str:
    """The visible text of an element, on one line."""
    if isinstance(el, NavigableString):
        return clean_line(" ".join(repair(str(el)).split()))
    return clean_line(" ".join(repair(el.get_text(" ", strip=True)).split())).replace(" ?", "?").replace(" .", ".") \
        .replace(" ,", ",").replace(" :", ":").replace(" !", "!").replace(" ;", ";")


class Walker:
    """Turns the content of a page into a section tree."""

    def __init__(self, page: Page):
        self.Section = Section
        self.page = page
        self.intro = Section(page.title or "Introduction", 1, kind="intro")
        self.current = self.intro
        self.stack: list[tuple[int, object]] = []
        self.seen_h1 = False

    # -- helpers
    def _line(self, el) -> int:
        return getattr(el, "sourceline", None) or 0

    def _add_question(self, question: str, answer_parts, el) -> None:
        sec = self.Section(question, self._line(el), kind="faq", parts=answer_parts)
        sec.questions.append(question)
        self._anchor(question, el)
        (self.stack[-1][1].children if self.stack else self.page.roots).append(sec)

    def _anchor(self, title: str, el) -> None:
        anchor = el.get("id") if isinstance(el, Tag) else None
        if not anchor and isinstance(el, Tag):
            inner = el.find(attrs={"id": True})
            anchor = inner.get("id") if inner is not None else None
        if anchor:
            self.page.anchors.setdefault(fold(title), str(anchor))

    def _parts_of(self, nodes) -> list:
        tmp = self.Section("", 0)
        saved = self.current
        self.current = tmp
        for node in nodes:
            self.node(node)
        self._flush()
        self.current = saved
        return tmp.parts

    # -- walking
    def walk(self, root) -> None:
        self.run: list[str] = []
        self.blocks(root, self.intro)

    def blocks(self, root, into) -> None:
        self.run = []
        self.current = into
        for child in list(root.children):
            self.node(child)
        self._flush()

    def _flush(self) -> None:
        text = clean_line(" ".join(self.run))
        self.run = []
        if text:
            self.current.parts.append(("para", text))

    def node(self, el) -> None:
        if isinstance(el, NavigableString):
            if not isinstance(el, PreformattedString) and str(el).strip():
                self.run.append(visible_text(el))
            return
        if not isinstance(el, Tag):
            return
        name = el.name
        if name not in _BLOCKS:
            text = visible_text(el)
            if text:
                self.run.append(text)
            return
        self._flush()
        if name in _HEADINGS:
            self.heading(el, _HEADINGS[name])
        elif name in _PARA:
            text = visible_text(el)
            if text:
                self.current.parts.append(("para", text))
        elif name in _LISTS:
            items = self.list_items(el)
            if items:
                self.current.parts.append(("items", items))
        elif name == "details":
            self.details(el)
        elif name == "dl":
            self.definition_list(el)
        elif name == "table":
            self.table(el)
        elif name in ("br", "hr"):
            return
        else:
            for child in list(el.children):
                self.node(child)
            self._flush()

    def details(self, el) -> None:
        """``<details>``: a question (its ``<summary>``) and its answer; without a summary, plain content."""
        summary = el.find("summary")
        question = visible_text(summary) if summary is not None else ""
        rest = [c for c in el.children if c is not summary]
        parts = self._parts_of(rest)
        if question and parts:
            self._add_question(question, parts, el)
        elif parts:
            self.current.parts.extend(parts)

    def table(self, el) -> None:
        """A table: one item per row (``a: b`` for two cells, else cells joined by ``|``)."""
        rows = []
        for tr in el.find_all("tr"):
            cells = [visible_text(c) for c in tr.find_all(["td", "th"])]
            cells = [c for c in cells if c]
            if cells:
                rows.append(": ".join(cells) if len(cells) == 2 else " | ".join(cells))
        if rows:
            self.current.parts.append(("items", rows))

    def heading(self, el, level: int) -> None:
        text = visible_text(el)
        if not text:
            return
        if level == 1 and not self.seen_h1 and not self.stack:
            self.seen_h1 = True
            self.page.title = text
            self.intro.title = text
            self.current = self.intro
            return
        faq = text.endswith("?")
        sec = self.Section(text, self._line(el), kind="faq" if faq else "section")
        if faq:
            sec.questions.append(text)
        self._anchor(text, el)
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        (self.stack[-1][1].children if self.stack else self.page.roots).append(sec)
        self.stack.append((level, sec))
        self.current = sec

    def list_items(self, el) -> list[str]:
        items = []
        for li in el.find_all("li", recursive=False):
            nested = li.find_all(list(_LISTS), recursive=False)
            for n in nested:
                n.extract()
            text = visible_text(li)
            if text:
                items.append(text)
            for n in nested:
                items.extend(self.list_items(n))
        return items

    def definition_list(self, el) -> None:
        question, answer = None, []

        def done():
            if question and answer:
                parts = self._parts_of(answer)
                if parts:
                    self._add_question(question[0], parts, question[1])

        for child in el.find_all(["dt", "dd"]):
            if child.find_parent("dl") is not el:
                continue
            if child.name == "dt":
                if not answer and question:  # several terms for one description: join them
                    question = (question[0] + " / " + visible_text(child), question[1])
                    continue
                done()
                question, answer = (visible_text(child), child), []
            else:
                answer.extend(child.children)
        done()
