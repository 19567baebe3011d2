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

import io
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError as RuamelError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

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


def _scalar(text: str):
    """``text`` as written: plain when PyYAML (the loader's reader) reads it back the same, else double-quoted."""
    if text == text.strip() and "\n" not in text:
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return DoubleQuotedScalarString(text)


def _round_trip() -> YAML:
    """ruamel.yaml in round-trip mode: comments, key order and quoting survive; new lists are indented as
    ``key:`` / ``  - item``."""
    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096
    rt.allow_duplicate_keys = True  # as PyYAML, the loader's reader, allows them
    rt.indent(mapping=2, sequence=4, offset=2)
    return rt


def _tail_slot(node) -> tuple[list, int] | None:
    """Where ruamel keeps the comments after a block collection's last line: (comment list, index), created if missing."""
    while isinstance(node, (CommentedMap, CommentedSeq)) and len(node) and not node.fa.flow_style():
        key = len(node) - 1 if isinstance(node, CommentedSeq) else list(node)[-1]
        last = node[key]
        if not (isinstance(last, (CommentedMap, CommentedSeq)) and len(last) and not last.fa.flow_style()):
            return node.ca.items.setdefault(key, [None] * 4), 0 if isinstance(node, CommentedSeq) else 2
        node = last
    return None


def _take_tail(node) -> str:
    """Detach the comment lines that follow ``node``'s last line (its end-of-line comment stays)."""
    slot = _tail_slot(node)
    token = slot[0][slot[1]] if slot else None
    if token is None:
        return ""
    eol, _, after = token.value.partition("\n")
    if eol:
        token.value = eol + "\n"
    else:
        slot[0][slot[1]] = None
    return after


def _put_tail(node, after: str) -> None:
    """Attach comment lines after ``node``'s (new) last line: what followed the block stays below it."""
    slot = _tail_slot(node)
    if after and slot:
        slot[0][slot[1]] = CommentToken("\n" + after, CommentMark(0))


def _edited(text: str, added: dict[str, list[str]]) -> str:
    """``text`` with ``added`` appended under ``questions:`` (written as block lists), the rest kept."""
    rt = _round_trip()
    doc = rt.load(text) if text.strip() else None
    prefix = ""
    if doc is None or "questions" not in doc:  # the rest is kept as it is, the questions follow
        prefix = text if not text or text.endswith("\n") else text + "\n"
        prefix += "\n" if prefix.strip() and prefix.splitlines()[-1].strip() else ""
        doc = CommentedMap()
    if not isinstance(doc.get("questions"), CommentedMap):
        doc["questions"] = CommentedMap()
    questions = doc["questions"]
    questions.fa.set_block_style()
    after = _take_tail(questions)
    for eid, qs in added.items():
        key = next((k for k in questions if str(k) == eid), _scalar(eid))
        if not isinstance(questions.get(key), CommentedSeq):
            questions[key] = CommentedSeq()
        questions[key].fa.set_block_style()
        questions[key].extend(_scalar(q) for q in qs)
    _put_tail(questions, after)
    out = io.StringIO()
    rt.dump(doc, out)
    return prefix + out.getvalue()


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
    try:
        new = _edited(text, added)
    except RuamelError:
        new = None
    if new is None or _load(new) != expected:
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
