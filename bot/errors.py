"""faqbot's exceptions: flat, one line each. "No answer" is a value, never one of these."""
from __future__ import annotations


class FaqbotError(Exception):
    """Base class of every error faqbot raises on purpose."""


class SourceError(FaqbotError):
    """A knowledge source could not be read or parsed (names the file and line)."""

    def __init__(self, path, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {message}")


class UnknownKnowledgeBase(FaqbotError, KeyError):
    """A question named a knowledge base that is not loaded."""

    def __init__(self, name: str, known=()):
        self.name = name
        self.known = tuple(known)
        super().__init__(name)

    def __str__(self) -> str:
        known = ", ".join(self.known) or "none"
        return f"unknown knowledge base {self.name!r} (loaded: {known})"


class InvalidQuestion(FaqbotError, ValueError):
    """A question was empty, too long or not text."""


class StoreError(FaqbotError):
    """The question log (a SQLite file or a PostgreSQL database) could not be opened, created, migrated or written."""


class FetchError(FaqbotError):
    """A web page could not be imported (names the URL and what went wrong)."""

    def __init__(self, url: str, message: str):
        self.url = url
        self.reason = message
        super().__init__(f"{url}: {message}")
