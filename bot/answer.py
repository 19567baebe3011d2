"""The reply to a question, as :meth:`bot.Bot.ask` returns it and ``POST /ask`` sends it (``Answer.to_dict``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from .knowledge import Entry


@dataclass(frozen=True)
class Match:
    """An entry and how well it answers a question."""

    entry: Entry
    confidence: float
    score: float = 0.0

    def brief(self) -> dict:
        e = self.entry
        return {"id": e.id, "kb": e.kb, "title": e.title, "confidence": round(self.confidence, 3)}


@dataclass(frozen=True)
class Answer:
    """The reply to one question. "No answer" is ``answered=False``, never an exception."""

    question: str
    answered: bool
    confidence: float
    match: Match | None = None
    related: tuple[Match, ...] = ()
    message: str | None = None
    intent: str = "answer"  # answer | unknown | smalltalk
    suggestions: tuple[str, ...] = ()
    corrections: tuple[tuple[str, str], ...] = ()
    context: Mapping = field(default_factory=lambda: MappingProxyType({}))
    prompts: tuple[Mapping, ...] = ()  # natural next questions: {"text", "id"}
    did_you_mean: Match | None = None  # declined, but this entry stands out (it leads ``related``)

    @property
    def entry(self) -> Entry | None:
        return self.match.entry if self.match else None

    def to_dict(self) -> dict:
        """The body of a ``POST /ask`` reply (without ``query_id``)."""
        out = {
            "question": self.question,
            "answered": self.answered,
            "confidence": round(self.confidence, 3),
            "answer": self.match.entry.brief() if self.answered and self.match else None,
            "related": [m.brief() for m in self.related],
            "context": dict(self.context),
        }
        if self.message:
            out["message"] = self.message
        if self.intent != "answer":
            out["intent"] = self.intent
        if self.suggestions:
            out["suggestions"] = list(self.suggestions)
        if self.corrections:
            out["corrections"] = [{"from": a, "to": b} for a, b in self.corrections]
        if self.prompts:
            out["prompts"] = [dict(p) for p in self.prompts]
        if self.did_you_mean is not None:
            out["did_you_mean"] = self.did_you_mean.brief()
        return out
