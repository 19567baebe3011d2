"""The model: an :class:`Entry` (one answerable unit), a :class:`KnowledgeBase` (a loaded source), ids."""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

from ..synonyms import Synonyms, default_synonyms
from ..text import strip_accents, words

#: how a list item starts in an entry's text
BULLET = "• "


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
    def continues(self) -> bool:
        """Whether this is a later passage of a long section (:mod:`bot.knowledge.passages`), not an entry of its
        own in the document's outline."""
        return self.metadata.get("part", 1) > 1

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
