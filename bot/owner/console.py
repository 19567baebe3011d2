"""The owner's console's state in the question log: dismissed groups, the audit log, and the log as rows.

Pure Python over :class:`bot.store.Store`'s public methods (tables ``dismissed``
and ``audit``, schema version 2), so it works on either backend (SQLite or
PostgreSQL); ``web/admin/`` is the only caller today.

- A group of similar questions (:class:`bot.owner.report.Group`) is *dismissed* by
  storing every one of its phrasings, normalised as ``faqbot report`` groups
  them; a group is hidden while any of its phrasings is dismissed, so the
  group stays dismissed when visitors add new phrasings to it.
- :func:`audit` writes one line of the audit log: who (the console session),
  when, what.
- :func:`log_rows` walks the question log for an export without loading it
  into memory.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, Iterator

from ..store import Store
from .report import Group, normalise

REASONS = ("unanswered", "unhelpful")

#: the columns of :func:`log_rows` (and of the console's CSV export)
LOG_COLUMNS = ("asked_at", "query_id", "kb", "question", "answered", "intent", "entry_kb", "entry_id",
               "confidence", "helpful", "comment")


def iso(ts: float | None) -> str:
    """A Unix time as ISO 8601 in UTC, to the second ("" for None)."""
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds") if ts else ""


# --------------------------------------------------------------------------
# dismissed groups

def _keys(phrasings: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(normalise(p) or p for p in phrasings))


def dismiss(store: Store, phrasings: Iterable[str], reason: str, session: str, now: float | None = None) -> int:
    """Dismiss a group (give every phrasing of it) for ``reason``; how many phrasings were newly dismissed."""
    if reason not in REASONS:
        raise ValueError(f"reason must be one of {', '.join(REASONS)}")
    return store.add_dismissed(reason, _keys(phrasings), session, now)


def dismissed(store: Store) -> set[tuple[str, str]]:
    """Every dismissed ``(reason, normalised phrasing)``."""
    return store.dismissed()


def is_dismissed(group: Group, reason: str, keys: set[tuple[str, str]]) -> bool:
    """True when any phrasing of ``group`` was dismissed for ``reason``."""
    return any((reason, k) in keys for k in _keys([group.question, *group.phrasings]))


# --------------------------------------------------------------------------
# the audit log

@dataclass(frozen=True)
class AuditEntry:
    """One change made through the console."""

    at: float
    session: str
    action: str
    detail: str

    @property
    def when(self) -> str:
        return iso(self.at)


def audit(store: Store, session: str, action: str, detail: str, now: float | None = None) -> None:
    """Append one line to the audit log."""
    store.add_audit(session, action, detail, now)


def audit_log(store: Store, limit: int = 50) -> list[AuditEntry]:
    """The latest ``limit`` lines of the audit log, newest first."""
    return [AuditEntry(*r) for r in store.audit_log(limit)]


# --------------------------------------------------------------------------
# the question log as rows

def log_rows(store: Store, since: float = 0.0, kb: str | None = None, batch: int = 500) -> Iterator[tuple]:
    """Every question asked since ``since`` (of ``kb``), oldest first, with its verdict: :data:`LOG_COLUMNS`.

    Reads ``batch`` rows at a time, so an export of a large log streams.
    """
    return store.log_rows(since, kb, batch)


# --------------------------------------------------------------------------
# days for a chart

def days_between(since: float, until: float) -> list[str]:
    """Every UTC day (``YYYY-MM-DD``) from ``since`` to ``until``, both included."""
    start = datetime.fromtimestamp(since, timezone.utc).date()
    end = datetime.fromtimestamp(until, timezone.utc).date()
    out = []
    while start <= end:
        out.append(start.isoformat())
        start = start.fromordinal(start.toordinal() + 1)
    return out


def fill_days(daily: Iterable[dict], since: float, until: float) -> list[dict]:
    """``faqbot report``'s ``daily`` rows with the days nobody asked anything as zeros (rate None)."""
    by_day = {d["day"]: d for d in daily}
    return [by_day.get(day, {"day": day, "questions": 0, "answered": 0, "rate": None})
            for day in days_between(since, until)]
