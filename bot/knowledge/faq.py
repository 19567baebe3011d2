"""FAQ files: question/answer pairs in CSV, JSON or JSONL."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from types import MappingProxyType
from typing import Iterable

from ..errors import SourceError
from ..text import clean_line, repair
from .model import BULLET, Entry, _unique, slug

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
    out = [BULLET + ln[2:].lstrip() if ln.startswith(("- ", "* ")) else ln for ln in lines]
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
