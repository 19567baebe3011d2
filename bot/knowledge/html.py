"""HTML pages as knowledge sources.

A saved help page or FAQ page becomes the same section tree the Markdown and
guide loaders build (:class:`bot.knowledge.sections.Section`), so it flattens to the
same entries:

* ``<h1>``-``<h6>`` nest (the first ``<h1>``, else ``<title>``, names the
  knowledge base); a heading ending in ``?`` is a question;
* ``<ul>``/``<ol>`` become ``•`` bullets, ``<p>`` and other blocks paragraphs,
  table rows items;
* ``<details>``/``<summary>``, ``<dl>`` (``<dt>`` question, ``<dd>`` answer)
  and schema.org ``FAQPage`` JSON-LD become question entries (kind ``faq``,
  titled by the question);
* navigation, headers and footers of the page, asides, scripts, styles,
  forms and hidden elements are dropped.

Parsing is Beautiful Soup over lxml (which closes ``<p>`` and ``<li>`` the way
browsers do); this module drops the page's chrome, reads its JSON-LD and
address, and hands the content to :class:`bot.knowledge.html_walker.Walker`,
which walks the tree. The page's own address, from
``<meta name="faqbot:source">`` (written by ``faqbot import``), else
``<link rel="canonical">``, else ``og:url``, is kept so that answers can cite
the original page.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from types import MappingProxyType

from bs4 import BeautifulSoup, Comment, Tag

from ..errors import SourceError
from ..text import fold
from .html_walker import Page, Walker, visible_text
from .model import Entry
from .sections import Section, sections_to_entries

#: The ``<meta name>`` that ``faqbot import`` writes with the page's address.
SOURCE_META = "faqbot:source"

#: elements that are never content
_DROP = {"script", "style", "noscript", "template", "nav", "aside", "form", "button", "iframe", "svg",
         "select", "input", "textarea", "object", "embed", "canvas", "dialog", "menu", "link", "meta",
         "head", "title"}
#: roles of page chrome (ARIA landmarks other than main content)
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar",
                 "toolbar", "dialog", "alertdialog"}
_CHROME_CLASS = re.compile(r"(?:^|[\s_-])(?:breadcrumbs?|cookie\w*|skip-?link|share|social|sr-only"
                           r"|visually-hidden)(?:$|[\s_-])", re.I)


def _is_chrome(el: Tag) -> bool:
    name = el.name
    if name in _DROP:
        return True
    attrs = el.attrs or {}
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    if str(attrs.get("role", "")).lower() in _CHROME_ROLES:
        return True
    if name in ("header", "footer"):
        # the page's header and footer; an article's own header holds its heading
        return el.find_parent(["article", "main"]) is None
    classes = " ".join(attrs.get("class", []) or []) + " " + str(attrs.get("id", ""))
    return bool(_CHROME_CLASS.search(classes))


def _strip_chrome(soup: BeautifulSoup) -> None:
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    for el in list(soup.find_all(True)):
        if el.parent is not None and not getattr(el, "decomposed", False) and _is_chrome(el):
            el.decompose()


def _source_url(soup: BeautifulSoup) -> str | None:
    for tag, attrs, key in (("meta", {"name": SOURCE_META}, "content"),
                            ("link", {"rel": "canonical"}, "href"),
                            ("meta", {"property": "og:url"}, "content")):
        el = soup.find(tag, attrs=attrs)
        if el is not None and str(el.get(key, "")).strip():
            return str(el[key]).strip()
    return None


def _faq_from_json_ld(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """``(question, answer)`` pairs of schema.org FAQPage JSON-LD blocks."""
    pairs = []

    def types(obj) -> set:
        t = obj.get("@type", [])
        return {str(x).rsplit("/", 1)[-1] for x in (t if isinstance(t, list) else [t])}

    def visit(obj):
        if isinstance(obj, list):
            for x in obj:
                visit(x)
        elif isinstance(obj, dict):
            if "FAQPage" in types(obj):
                main = obj.get("mainEntity", [])
                for q in main if isinstance(main, list) else [main]:
                    if not isinstance(q, dict) or "Question" not in types(q):
                        continue
                    ans = q.get("acceptedAnswer") or q.get("suggestedAnswer")
                    ans = ans[0] if isinstance(ans, list) and ans else ans
                    text = ans.get("text") if isinstance(ans, dict) else None
                    name = q.get("name")
                    if isinstance(name, str) and isinstance(text, str) and name.strip() and text.strip():
                        pairs.append((visible_text(BeautifulSoup(name, "lxml")), _html_to_lines(text)))
            for key in ("@graph", "mainEntity"):
                if key in obj and "FAQPage" not in types(obj):
                    visit(obj[key])

    for script in soup.find_all("script", attrs={"type": re.compile(r"application/ld\+json", re.I)}):
        try:
            visit(json.loads(script.string or ""))
        except (json.JSONDecodeError, TypeError):
            continue  # a broken JSON-LD block is the page's problem, not a reason to refuse the page
    return pairs


def _html_to_lines(fragment: str) -> str:
    """An answer given as an HTML fragment (as JSON-LD allows) -> entry text."""
    sec = Section("answer", 0)
    Walker(Page("")).blocks(BeautifulSoup(fragment, "lxml"), sec)
    return sec.render() or visible_text(BeautifulSoup(fragment, "lxml"))


def parse_html(text: str, path: Path | str = "<html>") -> Page:
    """HTML text -> :class:`Page` (title, section tree, source URL, declared language)."""
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as e:  # lxml refuses very little; say which file if it does
        raise SourceError(path, f"cannot parse HTML ({e})") from None
    page = Page(title="", source_url=_source_url(soup))
    html = soup.find("html")
    lang = html.get("lang") if html is not None else None
    if isinstance(lang, str) and re.match(r"^[A-Za-z]{2,3}\b", lang):
        page.language = lang[:3].split("-")[0].split("_")[0].lower()
    faq = _faq_from_json_ld(soup)  # before chrome goes: JSON-LD lives in <script>
    title_el = soup.find("title")
    page.title = visible_text(title_el) if title_el is not None else ""
    _strip_chrome(soup)
    root = (soup.find("main") or soup.find(attrs={"role": "main"}) or
            (soup.find("article") if len(soup.find_all("article")) == 1 else None) or soup.body or soup)
    walker = Walker(page)
    walker.walk(root)
    known = {fold(s.title) for s in _all_sections(page.roots) if s.kind == "faq"}
    for question, answer in faq:
        if fold(question) not in known:  # JSON-LD usually repeats the visible questions
            known.add(fold(question))
            sec = walker.Section(question, 0, kind="faq", parts=[("para", line) if not line.startswith("• ")
                                                                  else ("items", [line[2:]])
                                                                  for line in answer.splitlines()])
            sec.questions.append(question)
            page.roots.append(sec)
    page.roots.insert(0, walker.intro)
    return page


def load_html(path: Path, kb: str, text: str) -> tuple[Page, list[Entry]]:
    """An HTML source -> its page and entries; each entry's ``metadata["source_url"]`` cites the page."""
    page = parse_html(text, path)
    entries = sections_to_entries(page.roots, kb)
    if not entries:
        raise SourceError(path, "no sections with text found (is the content inside <nav>, <header> or <footer>?)")
    if page.source_url:
        base = page.source_url.split("#", 1)[0]
        cited = []
        for e in entries:
            anchor = page.anchors.get(fold(e.title))
            url = f"{base}#{anchor}" if anchor else page.source_url
            cited.append(Entry(e.id, e.kb, e.title, e.path, e.text, e.questions, e.kind, e.line,
                               MappingProxyType({**e.metadata, "source_url": url})))
        entries = cited
    return page, entries


def _all_sections(roots):
    for s in roots:
        yield s
        yield from _all_sections(s.children)
