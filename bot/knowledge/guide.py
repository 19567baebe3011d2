"""Guide text: the career-guide page shape, copied as plain text (faqbot's own format)."""
from __future__ import annotations

import re
from typing import Iterable

from ..text import clean_line, fold
from .sections import Section

_BULLET_LINE = re.compile(r"^\s*[•·▪◦‣∙●○■\-*–]\s+")
_NAV = re.compile(r"(?:[›»→⟶]|\s>)\s*$")
_FIELD = re.compile(r"^([A-Z][\w ./&'-]{0,30}):\s+(\S.*)$")
_PRICE = re.compile(r"(?:[$€£¥₹]\s?\d|\b\d+(?:[.,]\d+)?\s?(?:USD|EUR|GBP)\b|\b(?:USD|EUR|GBP)\s?\$?\d)")
_SMALL = frozenset("a an and as at by for from in of on or per the to vs via with".split())
_LIST_LEAD = re.compile(r"^.*?\b(?:include|includes|including|are|like|such as)\s+", re.I)


def _is_title_case(line: str) -> bool:
    toks = [t for t in re.split(r"\s+", line) if any(ch.isalpha() for ch in t)]
    if not toks:
        return False
    return all(t[0].isupper() or t[0].isdigit() or t.lower() in _SMALL for t in toks) and toks[0][0].isupper()


def _list_phrases(text: str) -> set[str]:
    """Phrases the document itself lists with commas ("... include Python, Django/Flask/FastAPI, ...").

    Only sentences that introduce a list ("include", "are", "such as") count,
    and only capitalised items, so ordinary prose never becomes evidence.
    """
    found: set[str] = set()
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        lead = _LIST_LEAD.match(sentence)
        if not lead or sentence.count(",") < 1:
            continue
        body = sentence[lead.end():]
        for p in re.split(r",|\band\b|\bor\b", body):
            p = p.strip(" .;:")
            if p and p[0].isupper() and len(p.split()) <= 5:
                found.add(fold(p))
    return found


class _Block:
    __slots__ = ("line", "lines", "kind")

    def __init__(self, line: int, lines: list[str]):
        self.line, self.lines, self.kind = line, lines, ""

    @property
    def text(self) -> str:
        return " ".join(self.lines)


class GuideParser:
    """Parses a career-guide page copied as plain text.

    The shape: a title line; an introduction; headings on lines of their own
    (a heading followed directly by another heading opens a group); bullet
    lists (``•``), tag-like lines of space-separated phrases, ``Key: value``
    fields, an FAQ of ``?`` lines each followed by its answer; page chrome
    (share links, "Go to account ›") at the end. Tag-like lines are split into
    items using phrases the document lists elsewhere with commas, plus the
    curation file's ``items``; what neither settles is split by word pairs.
    """

    def __init__(self, known_items: Iterable[str] = ()):
        self.known_items = {fold(i) for i in known_items}

    # -- blocks
    @staticmethod
    def blocks(text: str) -> list[_Block]:
        blocks, cur, start = [], [], 0
        for n, raw in enumerate(text.splitlines(), 1):
            line = clean_line(raw)
            if line:
                if not cur:
                    start = n
                cur.append(line)
            elif cur:
                blocks.append(_Block(start, cur))
                cur = []
        if cur:
            blocks.append(_Block(start, cur))
        return blocks

    def classify(self, b: _Block, evidence: set[str]) -> str:
        lines = [ln for ln in b.lines if not _NAV.search(ln)]
        b.lines = lines
        if not lines:
            return "nav"
        if all(_BULLET_LINE.match(ln) for ln in lines):
            return "bullets"
        if len(lines) > 1:
            return "lines"
        line = lines[0]
        n_words = len(line.split())
        if line.endswith("?"):
            return "question"
        if line.endswith(":"):
            return "label"
        if _PRICE.search(line) and n_words <= 6:
            return "price"
        if _FIELD.match(line) and n_words <= 10:
            return "field"
        if line[-1] in ".!;," or n_words > 14:
            return "para"
        if self._tag_hits(line, evidence) >= 2 or (n_words >= 6 and _is_title_case(line)
                                                   and not any(w.lower() in _SMALL for w in line.split())):
            return "tags"
        if _is_title_case(line) and n_words <= 8:
            return "heading"
        return "phrase"  # short, unpunctuated, not title case: a heading only if nothing follows it

    @staticmethod
    def _tag_hits(line: str, evidence: set[str]) -> int:
        folded = f" {fold(line)} "
        return sum(1 for p in evidence if f" {p} " in folded)

    # -- tag lines
    def split_tags(self, line: str, evidence: set[str]) -> list[str]:
        toks = line.split()
        folded = [fold(t) for t in toks]
        known = sorted(evidence, key=lambda p: -len(p.split()))
        heads = {p.split()[-1] for p in evidence if len(p.split()) > 1}
        items: list[str] = []
        pending: list[str] = []

        def flush():
            run: list[str] = []
            for tok in pending:
                run.append(tok)
                low = fold(tok)
                # "... Certifications" ends a phrase, as does any plural noun
                if low in heads or (len(low) > 3 and low.endswith("s") and not low.endswith("ss")):
                    items.extend(_pairs(run))
                    run = []
            items.extend(_pairs(run))
            pending.clear()

        i = 0
        while i < len(toks):
            for p in known:
                n = len(p.split())
                if " ".join(folded[i:i + n]) == p:
                    flush()
                    items.append(" ".join(toks[i:i + n]))
                    i += n
                    break
            else:
                pending.append(toks[i])
                i += 1
        flush()
        return items

    # -- structure
    def parse(self, text: str) -> tuple[str, list[Section]]:
        blocks = self.blocks(text)
        if not blocks:
            return "", []
        evidence = _list_phrases(text) | self.known_items
        for b in blocks:
            b.kind = self.classify(b, evidence)
        blocks = [b for b in blocks if b.kind != "nav"]
        self._resolve_runs(blocks)

        title_block = blocks[0]
        title = title_block.text if title_block.kind in ("heading", "phrase", "tags") else ""
        body = blocks[1:] if title else blocks
        roots: list[Section] = []
        intro = Section(title or "Introduction", title_block.line, kind="intro")
        roots.append(intro)
        group: Section | None = None
        current: Section | None = intro

        def starts_section(k: int) -> bool:
            return k < len(body) and body[k].kind in ("heading", "phrase", "question")

        for k, b in enumerate(body):
            headingish = b.kind in ("heading", "phrase")
            if headingish and starts_section(k + 1):
                # a heading directly followed by another heading opens a group;
                # a run of them leaves the earlier ones empty (dropped as chrome)
                group = Section(b.text, b.line)
                roots.append(group)
                current = group
                continue
            if b.kind == "heading" or b.kind == "question":
                sec = Section(b.text, b.line, kind="faq" if b.kind == "question" else "section")
                if b.kind == "question":
                    sec.questions.append(b.text)
                (group.children if group is not None else roots).append(sec)
                current = sec
                continue
            if current is None:
                continue
            if current.kind == "faq" and current.has_content() and b.kind == "phrase":
                current = None  # unpunctuated text after an FAQ answer is page chrome
                continue
            self._add_part(current, b, evidence)
        return title, roots

    @staticmethod
    def _resolve_runs(blocks: list[_Block]) -> None:
        """Settle runs of heading-like lines by structure: a section needs content.

        Before a group heading and its first section (or an FAQ heading and its
        first question) a run holds at most a heading and its content. So in
        ``Market Trends / Top Industries / Retail Banking Logistics / FAQ``,
        the third line, although it looks like a heading, is Top Industries'
        tag line. Two lines or fewer before the group are empty headings: chrome.
        """
        headingish = ("heading", "phrase")
        k = 1  # block 0 is the document title
        while k < len(blocks):
            if blocks[k].kind not in headingish:
                k += 1
                continue
            end = k
            while end < len(blocks) and blocks[end].kind in headingish:
                end += 1
            after = blocks[end].kind if end < len(blocks) else None
            run = blocks[k:end]
            opens = 1 if after == "question" else 2  # FAQ heading, or group + section
            prefix = run[:-opens] if after is not None else run
            if len(prefix) >= 3:
                prefix[-1].kind = "tags"
            k = end

    def _add_part(self, sec: Section, b: _Block, evidence: set[str]) -> None:
        if b.kind == "bullets":
            sec.parts.append(("items", [_BULLET_LINE.sub("", ln) for ln in b.lines]))
        elif b.kind == "lines":
            sec.parts.append(("items", [_BULLET_LINE.sub("", ln) for ln in b.lines]))
        elif b.kind == "tags":
            sec.parts.append(("items", self.split_tags(b.text, evidence)))
        elif b.kind == "field":
            m = _FIELD.match(b.text)
            sec.parts.append(("field", m.group(1), m.group(2)))
        elif b.kind == "price":
            sec.parts.append(("field", "Price", b.text))
        elif b.kind == "label":
            sec.parts.append(("label", b.text))
        else:
            sec.parts.append(("para", b.text))


def _pairs(run: list[str]) -> list[str]:
    """Split an unexplained run of tag words: three words or fewer stay whole, else pairs."""
    if len(run) <= 3:
        return [" ".join(run)] if run else []
    return [" ".join(run[i:i + 2]) for i in range(0, len(run), 2)]
