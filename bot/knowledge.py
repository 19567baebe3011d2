"""Entries, knowledge bases and the loaders that build them.

A knowledge base is one source file (a career-guide text, a Markdown
document or an FAQ file in CSV, JSON or JSONL) plus an optional curation
file beside it (``<stem>.yaml``) holding alternate questions, synonyms and
list items. Every loader produces the same thing: a tuple of :class:`Entry`.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Mapping

import yaml

from .errors import SourceError
from .text import (Synonyms, clean_line, default_synonyms, defined_abbreviations, detect_language, fold, repair,
                   strip_accents, words)

BULLET = "• "

log = logging.getLogger("faqbot.knowledge")

# --------------------------------------------------------------------------
# the model


@dataclass(frozen=True)
class Entry:
    """One answerable unit of a knowledge base."""

    id: str
    kb: str
    title: str
    path: tuple[str, ...]
    text: str
    questions: tuple[str, ...] = ()
    kind: str = "section"  # intro | section | group | faq
    line: int | None = None
    metadata: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def anchor(self) -> str:
        return self.id

    @property
    def url(self) -> str:
        return f"/kb/{self.kb}#{self.id}"

    def brief(self) -> dict:
        """The entry as the API's ``answer`` object (with ``source_url`` when it cites a web page)."""
        out = {"id": self.id, "kb": self.kb, "title": self.title,
               "path": list(self.path), "text": self.text, "url": self.url}
        source = self.metadata.get("source_url")
        if isinstance(source, str) and source.startswith(("http://", "https://")):
            out["source_url"] = source
        return out


@dataclass(frozen=True)
class KnowledgeBase:
    """A named, loaded source: its entries and its synonym table."""

    name: str
    title: str
    entries: tuple[Entry, ...]
    source: str = ""
    synonyms: Synonyms = field(default_factory=default_synonyms, compare=False, repr=False)
    curation: str | None = None
    #: what the source adds to the general synonym table: its curation's groups, and the
    #: abbreviations its text defines, in the order they were applied (a saved index replays them)
    synonym_additions: Mapping[str, list] = field(default_factory=dict, compare=False, repr=False)
    abbreviations: list = field(default_factory=list, compare=False, repr=False)
    #: the language its text is in (ISO 639-1, e.g. "de"): the curation file's, else detected
    language: str = "en"
    #: the web page it was imported from (HTML sources), which answers can cite
    source_url: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entries})

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------
# helpers

def slug(text: str) -> str:
    """A stable, URL-safe id fragment: ``"Senior Python Developer"`` -> ``senior-python-developer``
    (``"Qu'est-ce que la blockchain ?"`` -> ``qu-est-ce-que-la-blockchain``)."""
    return "-".join(words(strip_accents(text.replace("+", " plus ")))) or "entry"


def _unique(ids: set[str], wanted: str) -> str:
    candidate, n = wanted, 2
    while candidate in ids:
        candidate, n = f"{wanted}-{n}", n + 1
    ids.add(candidate)
    return candidate


#: control characters that text sources do not hold (tab, line feed, form feed and carriage return do)
_BINARY = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd]")
#: a source with any NUL, or with more of them than this share of its characters (and at least
#: BINARY_MIN), is binary data; a stray one (an old editor's end-of-file mark) is not
BINARY_SHARE = 0.01
BINARY_MIN = 8


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise SourceError(path, f"cannot read file ({e.strerror or e})") from None
    try:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = raw.decode("utf-16")
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    _refuse_binary(path, text)
    if not text.strip():
        raise SourceError(path, "file is empty")
    return text


def _refuse_binary(path: Path, text: str) -> None:
    """SourceError when ``text`` is binary data (an image, a .docx renamed .txt, random bytes), not text."""
    found = _BINARY.findall(text)
    if "\x00" in text or len(found) > max(BINARY_MIN, BINARY_SHARE * len(text)):
        first = _BINARY.search(text)
        line = text.count("\n", 0, first.start()) + 1
        raise SourceError(path, f"binary data, not text ({len(found)} control or undecodable bytes, "
                                f"the first on this line): save the source as UTF-8 text", line)


# --------------------------------------------------------------------------
# a tree of sections, shared by the guide and Markdown loaders

@dataclass
class Section:
    title: str
    line: int
    kind: str = "section"
    parts: list = field(default_factory=list)  # ("para", s) ("items", [..]) ("field", k, v) ("label", s)
    children: list["Section"] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    def has_content(self) -> bool:
        return bool(self.parts)

    def render(self) -> str:
        out = []
        for part in self.parts:
            if part[0] == "items":
                out.extend(BULLET + item for item in part[1])
            elif part[0] == "field":
                out.append(f"{part[1]}: {part[2]}")
            else:
                out.append(part[1])
        return "\n".join(out)

    def gist(self, limit: int = 140) -> str:
        """A one-line summary, for a parent's overview of its children."""
        for part in self.parts:
            if part[0] == "field":
                return part[2]
        for part in self.parts:
            if part[0] == "items":
                return _clip(", ".join(part[1]), limit)
        for part in self.parts:
            if part[0] == "para":
                return _clip(part[1], limit)
        return ""


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + " …"


def sections_to_entries(roots: list[Section], kb: str, *, prefix: tuple[str, ...] = ()) -> list[Entry]:
    """Flatten a section tree to entries; a heading with children but no text summarises them."""
    entries: list[Entry] = []
    ids: set[str] = set()

    def visit(sec: Section, path: tuple[str, ...], id_path: tuple[str, ...]):
        path = path + (sec.title,)
        id_path = id_path + ("introduction" if sec.kind == "intro" else slug(sec.title),)
        kids = [c for c in sec.children if c.has_content() or c.children]
        if sec.has_content():
            text, kind = sec.render(), sec.kind
        elif kids:
            lines = []
            for c in kids:
                gist = "" if c.kind == "faq" else c.gist()
                lines.append(f"{BULLET}{c.title}: {gist}" if gist else f"{BULLET}{c.title}")
            text, kind = "\n".join(lines), "group"
        else:
            return  # page chrome: a heading with nothing under it
        entries.append(Entry(
            id=_unique(ids, "/".join(id_path)), kb=kb, title=sec.title, path=prefix + path,
            text=text, questions=tuple(sec.questions), kind=kind, line=sec.line))
        for c in kids:
            visit(c, path, id_path)

    for root in roots:
        visit(root, (), ())
    return entries


# --------------------------------------------------------------------------
# guide text (the career-guide page shape)

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


# --------------------------------------------------------------------------
# Markdown

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


# --------------------------------------------------------------------------
# FAQ files

def _faq_rows(path: Path, text: str) -> Iterable[tuple[int | None, dict]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        fields = {(f or "").strip().lower(): f for f in (reader.fieldnames or [])}
        missing = [c for c in ("question", "answer") if c not in fields]
        if missing:
            raise SourceError(path, f"CSV header needs 'question' and 'answer' columns "
                                    f"(missing {', '.join(missing)}; found {', '.join(fields) or 'none'})", 1)
        for row in reader:
            yield reader.line_num, {k.strip().lower(): v for k, v in row.items() if k}
    elif suffix == ".jsonl":
        for n, line in enumerate(text.split("\n"), 1):  # not splitlines: U+2028 may sit in a string
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise SourceError(path, f"invalid JSON ({e.msg})", n) from None
            yield n, obj
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise SourceError(path, f"invalid JSON ({e.msg})", e.lineno) from None
        if isinstance(data, dict):
            data = data.get("faq", data.get("entries", data.get("items")))
        if not isinstance(data, list):
            raise SourceError(path, "expected a list of {question, answer} objects")
        line_of = _json_item_lines(text)
        for i, obj in enumerate(data):
            yield (line_of[i] if i < len(line_of) else None), obj


def _json_item_lines(text: str) -> list[int]:
    """Best-effort line numbers of the top-level objects of a JSON list."""
    lines, depth, n, in_str, esc = [], 0, 1, False, False
    for ch in text:
        if ch == "\n":
            n += 1
        if in_str:
            esc = (ch == "\\") and not esc
            if ch == '"' and not esc:
                in_str = False
            continue
        if ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if ch == "{" and depth == 2:
                lines.append(n)
        elif ch in "]}":
            depth -= 1
    return lines


def _faq_text(value: str) -> str:
    lines = [clean_line(ln) for ln in repair(value).splitlines()]
    out = []
    for ln in lines:
        m = _MD_BULLET.match(ln) if ln.startswith(("- ", "* ")) else None
        out.append(BULLET + m.group(1) if m else ln)
    return "\n".join(ln for ln in out if ln).strip()


def load_faq(path: Path, kb: str, text: str) -> list[Entry]:
    entries: list[Entry] = []
    ids: set[str] = set()
    for line, row in _faq_rows(path, text):
        if not isinstance(row, dict):
            raise SourceError(path, "expected an object with 'question' and 'answer'", line)
        q, a = row.get("question"), row.get("answer")
        if not isinstance(q, str) or not q.strip():
            raise SourceError(path, "missing or empty 'question'", line)
        if not isinstance(a, str) or not a.strip():
            raise SourceError(path, "missing or empty 'answer'", line)
        alts = row.get("questions") or []
        if isinstance(alts, str):
            alts = [s for s in alts.split("|")]
        if not isinstance(alts, list) or not all(isinstance(s, str) for s in alts):
            raise SourceError(path, "'questions' must be a list of strings", line)
        question = clean_line(repair(q))
        wanted = row.get("id") if isinstance(row.get("id"), str) and row.get("id").strip() else slug(question)
        meta = {k: v for k, v in row.items() if k not in ("question", "answer", "questions", "id")}
        entries.append(Entry(
            id=_unique(ids, slug(wanted) if wanted != slug(question) else wanted), kb=kb, title=question,
            path=(question,), text=_faq_text(a),
            questions=tuple(dict.fromkeys([question] + [clean_line(repair(s)) for s in alts if s.strip()])),
            kind="faq", line=line, metadata=MappingProxyType(meta)))
    if not entries:
        raise SourceError(path, "no question/answer pairs found")
    return entries


# --------------------------------------------------------------------------
# curation

@dataclass
class Curation:
    """What an owner adds beside a source, in ``<stem>.yaml``."""

    path: Path | None = None
    title: str | None = None
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    items: list[str] = field(default_factory=list)
    questions: dict[str, list[str]] = field(default_factory=dict)
    language: str | None = None

    @classmethod
    def load(cls, path: Path) -> "Curation":
        data = read_yaml(path)
        if not isinstance(data, dict):
            raise SourceError(path, "expected a mapping with keys title, language, synonyms, items, questions")
        unknown = set(data) - {"title", "language", "synonyms", "items", "questions"}
        if unknown:
            raise SourceError(path, f"unknown keys: {', '.join(sorted(unknown))} "
                                    "(expected title, language, synonyms, items, questions)",
                              _line_of(path, sorted(unknown)[0]))
        language = data.get("language")
        if language is not None and not (isinstance(language, str) and re.fullmatch(r"[A-Za-z]{2}", language)):
            raise SourceError(path, "'language' must be a two-letter ISO 639-1 code such as de, fr or es",
                              _line_of(path, "language"))
        syn = data.get("synonyms") or {}
        qs = data.get("questions") or {}
        items = data.get("items") or []
        if not isinstance(syn, dict) or not all(isinstance(v, list) for v in syn.values()):
            raise SourceError(path, "'synonyms' must map a word to a list of alternates", _line_of(path, "synonyms"))
        if not isinstance(qs, dict) or not all(isinstance(v, list) for v in qs.values()):
            raise SourceError(path, "'questions' must map an entry id to a list of questions",
                              _line_of(path, "questions"))
        if not isinstance(items, list):
            raise SourceError(path, "'items' must be a list of phrases", _line_of(path, "items"))
        return cls(path=path, title=data.get("title"), language=language.lower() if language else None,
                   synonyms={str(k): [str(a) for a in v] for k, v in syn.items()},
                   items=[str(i) for i in items],
                   questions={str(k): [str(q) for q in v] for k, v in qs.items()})

    def apply(self, entries: list[Entry]) -> list[Entry]:
        by_id = {e.id: i for i, e in enumerate(entries)}
        out = list(entries)
        for entry_id, questions in self.questions.items():
            if entry_id not in by_id:
                raise SourceError(self.path, f"'questions' names unknown entry id {entry_id!r} "
                                             "(see `faqbot check` for the ids)", _line_of(self.path, entry_id))
            e = out[by_id[entry_id]]
            merged = tuple(dict.fromkeys(e.questions + tuple(clean_line(q) for q in questions if q.strip())))
            out[by_id[entry_id]] = Entry(e.id, e.kb, e.title, e.path, e.text, merged, e.kind, e.line, e.metadata)
        return out


def read_yaml(path) -> object:
    """A YAML file's data (``{}`` when empty); SourceError naming the file, and the line of a syntax error."""
    path = Path(path)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as e:
        raise SourceError(path, f"cannot read file ({e.strerror or e})") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise SourceError(path, f"invalid YAML ({getattr(e, 'problem', e)})",
                          mark.line + 1 if mark else None) from None


def _line_of(path: Path | None, needle: str) -> int | None:
    if path is None:
        return None
    try:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if needle in line:
                return n
    except OSError:
        pass
    return None


def curation_path(source: Path) -> Path | None:
    for suffix in (".yaml", ".yml"):
        p = source.with_suffix(suffix)
        if p.is_file() and p != source:
            return p
    return None


# --------------------------------------------------------------------------
# entry points

SOURCE_SUFFIXES = {".txt": "guide", ".md": "markdown", ".markdown": "markdown",
                   ".csv": "faq", ".json": "faq", ".jsonl": "faq", ".html": "html", ".htm": "html"}


def load_source(path, name: str | None = None) -> KnowledgeBase:
    """Load one source file (and its curation file, if any) as a knowledge base."""
    path = Path(path)
    if not path.is_file():
        raise SourceError(path, "not a file" if path.exists() else "no such file")
    kind = SOURCE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise SourceError(path, f"unsupported file type {path.suffix or '(none)'} "
                                f"(expected one of {', '.join(sorted(SOURCE_SUFFIXES))})")
    name = name or path.stem
    cpath = curation_path(path)
    curation = Curation.load(cpath) if cpath else Curation()
    text = _read_text(path)

    source_url = language = None
    if kind == "faq":
        title = curation.title or name.replace("-", " ").replace("_", " ").title()
        entries = load_faq(path, name, text)
    elif kind == "html":
        from .html_source import load_html

        page, entries = load_html(path, name, text)
        title = curation.title or page.title or name.replace("-", " ").title()
        source_url, language = page.source_url, page.language
    else:
        if kind == "guide":
            title, roots = GuideParser(curation.items).parse(repair(text))
        else:
            title, roots = parse_markdown(repair(text))
        title = curation.title or title or name.replace("-", " ").title()
        entries = sections_to_entries(roots, name)
        if not entries:
            raise SourceError(path, "no sections with text found")
    entries = curation.apply(entries)
    language = curation.language or language or detect_language(
        " ".join(f"{e.title} {e.text}" for e in entries[:200]))
    synonyms = default_synonyms(language)
    if curation.synonyms:
        synonyms.extend(curation.synonyms)
    abbreviations = []
    for entry in entries:  # "Certified Kubernetes Administrator (CKA)": a question may say "CKA"
        for short, phrase in defined_abbreviations(entry.text).items():
            synonyms.abbreviate(short, phrase)
            abbreviations.append((short, phrase))
    return KnowledgeBase(name=name, title=title, entries=tuple(entries), source=str(path),
                         synonyms=synonyms, curation=str(cpath) if cpath else None,
                         synonym_additions=curation.synonyms, abbreviations=abbreviations,
                         language=language, source_url=source_url)


def source_files(directory) -> list[Path]:
    """The knowledge sources in a directory (curation files excluded), sorted."""
    directory = Path(directory)
    return sorted(p for p in directory.iterdir()
                  if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES and not p.name.startswith("."))


def directory_sources(directory) -> list[Path]:
    """The sources of a knowledge directory, one knowledge base each; SourceError when there are none."""
    directory = Path(directory)
    if not directory.is_dir():
        raise SourceError(directory, "no such directory")
    files = source_files(directory)
    if not files:
        raise SourceError(directory, "no knowledge sources found "
                                     f"(expected files ending in {', '.join(sorted(SOURCE_SUFFIXES))})")
    names: dict[str, Path] = {}
    for p in files:
        if p.stem in names:
            raise SourceError(p, f"two sources are named {p.stem!r} ({names[p.stem].name} and {p.name})")
        names[p.stem] = p
    skipped = skipped_files(directory)
    if skipped:
        log.warning("faqbot: %s: skipped %d file(s) that are not knowledge sources: %s "
                    "(sources end in %s; curation files are <source name>.yaml)", directory, len(skipped),
                    ", ".join(p.name for p in skipped), ", ".join(sorted(SOURCE_SUFFIXES)))
    return files


def sources(path) -> list[Path]:
    """A source file, or the sources of a directory."""
    path = Path(path)
    if not path.exists():
        raise SourceError(path, "no such file or directory")
    return directory_sources(path) if path.is_dir() else [path]


def load_directory(directory) -> list[KnowledgeBase]:
    """Load every source in ``directory`` as its own knowledge base, named by file stem."""
    return [load_source(p) for p in directory_sources(directory)]


def skipped_files(directory) -> list[Path]:
    """The files in ``directory`` that are neither sources nor a source's curation file (hidden ones aside)."""
    directory = Path(directory)
    sources = source_files(directory)
    curations = {curation_path(p) for p in sources}
    return sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith(".")
                  and p not in sources and p not in curations)


def load(path) -> list[KnowledgeBase]:
    """A file or a directory of sources -> knowledge bases."""
    return [load_source(p) for p in sources(path)]
