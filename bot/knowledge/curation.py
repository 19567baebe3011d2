"""The curation file an owner adds beside a source (``<stem>.yaml``), and the one YAML reader."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import SourceError
from ..text import clean_line
from .model import Entry

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
