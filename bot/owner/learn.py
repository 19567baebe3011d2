"""``faqbot learn``: visitors' own words become alternate questions of the entries they meant.

For each frequent unanswered question (and each question whose answer was
marked unhelpful) in the question log, :func:`proposals` asks the bot with
the threshold at 0, so that its best candidate comes back as the answer: that
entry is the proposal (for an unhelpful answer, the best entry other than the
one that did not help). Once the owner confirms, :func:`add_questions` writes
the question under ``questions:`` in the curation file beside the source
(``<source stem>.yaml``, created if missing; the rest of the file, comments
included, is kept), and the next load of the knowledge base answers it. The
source itself is never edited.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import SourceError
from ..knowledge import curation_path
from ..store import Store
from .report import Group, group_similar, normalise, since_for

#: with --yes, proposals whose entry has less than this share of the threshold are left to the owner:
#: questions the guide does not cover at all (the weather, salaries) match nothing well
YES_FLOOR = 0.5
DEFAULT_MIN_COUNT = 2
DEFAULT_TOP = 10


@dataclass
class Proposal:
    """A question visitors asked, and the entries it may belong to (best first)."""

    group: Group
    reason: str                        # "unanswered" or "unhelpful"
    candidates: list = field(default_factory=list)  # bot.answering.Match, best first

    @property
    def question(self) -> str:
        return self.group.question

    @property
    def best(self):
        return self.candidates[0]


def _known(entry, question: str) -> bool:
    key = normalise(question)
    return any(normalise(q) == key for q in (entry.title, *entry.questions))


def proposals(store: Store, bot, *, threshold: float, days: int = 30, top: int = DEFAULT_TOP,
              min_count: int = DEFAULT_MIN_COUNT, kb: str | None = None) -> tuple[list[Proposal], list[str]]:
    """Up to ``top`` proposals, most frequent first, and notes on the questions passed over.

    ``bot`` must rank with ``min_confidence=0`` (its answer is then its best
    candidate); ``threshold`` is the service's no-answer threshold.
    """
    since = since_for(days)
    groups = [(g, "unanswered") for g in group_similar(store.declined(since, kb))]
    groups += [(g, "unhelpful") for g in group_similar(store.unhelpful(since, kb))]
    groups.sort(key=lambda t: (-t[0].count, -t[0].last))
    out, notes = [], []
    for g, reason in groups:
        if len(out) >= top or g.count < min_count:
            break
        scope = g.kb if g.kb in bot.knowledge_bases else None
        if g.kb is not None and scope is None:
            notes.append(f"{g.question!r}: knowledge base {g.kb!r} is not loaded")
            continue
        answer = bot.ask(g.question, kb=scope, top=5)
        if answer.intent == "smalltalk":
            continue
        if reason == "unanswered" and answer.answered and answer.confidence >= threshold:
            notes.append(f"{g.question!r}: answered now ({answer.entry.title}, {answer.confidence:.2f})")
            continue
        matches = ([answer.match] if answer.match else []) + list(answer.related)
        candidates = [m for m in matches if m.confidence > 0
                      and not (reason == "unhelpful" and (m.entry.kb, m.entry.id) == (g.entry_kb, g.entry_id))]
        if not candidates:
            notes.append(f"{g.question!r}: no entry comes close")
            continue
        if _known(candidates[0].entry, g.question):
            notes.append(f"{g.question!r}: already a question of {candidates[0].entry.id}")
            continue
        out.append(Proposal(g, reason, candidates))
    return out, notes


# --------------------------------------------------------------------------
# writing the curation file

HEADER = ("# Curation for {source} (the source itself is never edited).\n"
          "# faqbot reads this file when it loads the source. `faqbot learn` adds visitor\n"
          "# phrasings under `questions:`; you can edit every part by hand.\n\n")

_TOP_KEY = re.compile(r"^questions[ \t]*:(.*)$")
_KEY = re.compile(r"^([ \t]+)([^\s#-][^#]*?|\"[^\"]*\"|'[^']*')[ \t]*:(?:[ \t]+(.*))?$")


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when that reads back the same, else double-quoted."""
    if text == text.strip() and "\n" not in text:
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def _content(line: str) -> bool:
    s = line.strip()
    return bool(s) and not s.startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _block(lines: list[str], k: int) -> int:
    """The end (exclusive) of the block under the top-level key on line ``k``: its last indented content line + 1."""
    end = k + 1
    for i in range(k + 1, len(lines)):
        if _content(lines[i]):
            if _indent(lines[i]) == 0:
                break
            end = i + 1
    return end


def _render(questions: dict[str, list[str]], indent: str = "  ") -> list[str]:
    out = []
    for eid, qs in questions.items():
        out.append(f"{indent}{_scalar(eid)}:\n")
        out += [f"{indent}  - {_scalar(q)}\n" for q in qs]
    return out


def _insert(text: str, added: dict[str, list[str]]) -> str | None:
    """``text`` with ``added`` appended under ``questions:``, touching nothing else; None if its shape is unusual."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    k = next((i for i, line in enumerate(lines) if _TOP_KEY.match(line.rstrip("\r\n"))), None)
    if k is None:
        sep = ["\n"] if lines and lines[-1].strip() else []
        return "".join(lines + sep + ["questions:\n"] + _render(added))
    value = _TOP_KEY.match(lines[k].rstrip("\r\n")).group(1).split(" #")[0].strip()
    if value and not value.startswith("#"):
        return None  # a flow value such as {} or {id: [...]}
    for eid, qs in added.items():
        end = _block(lines, k)
        keys, key_indent = {}, None
        for i in range(k + 1, end):
            m = _KEY.match(lines[i].rstrip("\r\n"))
            if m and _content(lines[i]) and key_indent in (None, m.group(1)):
                key_indent = m.group(1)
                try:
                    name = yaml.safe_load(m.group(2))
                except yaml.YAMLError:
                    return None
                keys.setdefault(str(name), (i, m.group(1), (m.group(3) or "").split(" #")[0].strip()))
        key_indent = key_indent or "  "
        if eid not in keys:
            lines[end:end] = _render({eid: qs}, key_indent)
            continue
        i, indent, inline = keys[eid]
        if inline and not inline.startswith("#"):
            return None  # a flow list such as [a, b]
        last, item_indent = i, None
        for j in range(i + 1, end):
            if not _content(lines[j]):
                continue
            if _indent(lines[j]) < len(indent) or (_indent(lines[j]) == len(indent)
                                                   and not lines[j].lstrip().startswith("-")):
                break
            if item_indent is None and lines[j].lstrip().startswith("-"):
                item_indent = lines[j][:_indent(lines[j])]
            last = j
        item_indent = item_indent if item_indent is not None else indent + "  "
        lines[last + 1:last + 1] = [f"{item_indent}- {_scalar(q)}\n" for q in qs]
    return "".join(lines)


def _replace(text: str, questions: dict[str, list[str]]) -> str:
    """``text`` with the whole ``questions:`` block rewritten (comments inside it are lost)."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    k = next((i for i, line in enumerate(lines) if _TOP_KEY.match(line.rstrip("\r\n"))), None)
    block = ["questions:\n"] + _render(questions) if questions else ["questions: {}\n"]
    if k is None:
        return "".join(lines + (["\n"] if lines and lines[-1].strip() else []) + block)
    lines[k:_block(lines, k)] = block
    return "".join(lines)


def add_questions(path, additions: dict[str, list[str]], source: str = "the source") -> dict[str, list[str]]:
    """Add alternate questions (entry id -> questions) to the curation file at ``path``; what was new.

    Creates the file if missing; keeps its other content and comments. A
    question the entry already has (up to case and punctuation) is not added again.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        data = yaml.safe_load(text) if text.strip() else None
    except yaml.YAMLError as e:
        raise SourceError(path, f"invalid YAML ({getattr(e, 'problem', e)})") from None
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise SourceError(path, "expected a mapping with keys title, synonyms, items, questions")
    existing = data.get("questions") or {}
    if not isinstance(existing, dict):
        raise SourceError(path, "'questions' must map an entry id to a list of questions")
    merged = {str(k): list(v or []) for k, v in existing.items()}
    added: dict[str, list[str]] = {}
    for eid, qs in additions.items():
        have = {normalise(str(q)) for q in merged.get(eid, [])}
        for q in qs:
            q = " ".join(q.split())
            if q and normalise(q) not in have:
                have.add(normalise(q))
                added.setdefault(eid, []).append(q)
                merged.setdefault(eid, []).append(q)
    if not added:
        return {}
    expected = {**data, "questions": merged}
    if not text.strip():
        text = HEADER.format(source=source)
    new = _insert(text, added)
    if new is None or _load(new) != expected:
        new = _replace(text, merged)
        if _load(new) != expected:  # pragma: no cover - a safety net
            raise SourceError(path, "could not add the questions without changing the rest of the file")
    _write_atomically(path, new)
    return added


def _load(text: str):
    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError:
        return None


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write(bot, accepted: list[tuple[object, str]]) -> dict[Path, dict[str, list[str]]]:
    """Write accepted ``(entry, question)`` pairs into each source's curation file; what was added, per file."""
    by_kb: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for entry, question in accepted:
        by_kb[entry.kb][entry.id].append(question)
    out = {}
    for kb, additions in by_kb.items():
        source = Path(bot.knowledge_bases[kb].source)
        path = curation_path(source) or source.with_suffix(".yaml")
        added = add_questions(path, dict(additions), source=source.name)
        if added:
            out[path] = added
    return out
