"""The question log: what visitors asked, what they were told, and their verdicts.

One interface, two backends: ``Store(path)`` opens a SQLite file (the default,
embedded; the standard library's ``sqlite3``: :mod:`bot.sqlitestore`) and
``Store("postgresql://...")`` a PostgreSQL database (:mod:`bot.pgstore`,
psycopg 3 and its pool), which several instances of the service share. The
service records through it, and ``faqbot report`` and ``faqbot learn`` read it.
This module holds what both share: the schema, the record, query ids and the
reads written once over each backend's SQL dialect pieces.

- :class:`Store` creates or migrates the schema when it opens (SQLite: its
  version is ``PRAGMA user_version``, the file in WAL mode; PostgreSQL: a
  ``faqbot_schema`` table, migrated under an advisory lock) and reads and
  writes synchronously.
- The service records through :class:`web.recorder.Recorder`, which writes
  through this module from a background thread; this module itself is plain
  and synchronous and registers nothing on import.

>>> with Store(":memory:") as store:                      # doctest: +SKIP
...     store.add([Record(new_query_id(), time.time(), "hello?", False, 0.0)])
...     store.count()
1
"""
from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from typing import Iterable, Iterator

#: where the service records when FAQBOT_DATABASE is not set (relative to its working directory)
DEFAULT_DATABASE = "instance/faqbot.db"
#: FAQBOT_RETENTION_DAYS when not set: records older than this many days are deleted (0 keeps them)
DEFAULT_RETENTION_DAYS = 90
#: how long a connection waits for another process's write to finish (seconds)
BUSY_TIMEOUT = 10.0
DAY = 86400.0

#: schema version -> the statements that bring the previous version to it
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE questions (
               id          INTEGER PRIMARY KEY,
               query_id    TEXT NOT NULL UNIQUE,
               asked_at    REAL NOT NULL,     -- Unix time in seconds
               kb          TEXT,              -- the knowledge base asked; NULL: every loaded one
               question    TEXT NOT NULL,     -- as the bot understood it (trimmed)
               answered    INTEGER NOT NULL,  -- 1: answered, 0: declined
               intent      TEXT NOT NULL,     -- answer | unknown | smalltalk
               entry_kb    TEXT,              -- the answer's entry or, when declined, the closest one
               entry_id    TEXT,
               confidence  REAL NOT NULL
           )""",
        "CREATE INDEX questions_asked_at ON questions (asked_at)",
        """CREATE TABLE feedback (
               query_id  TEXT PRIMARY KEY REFERENCES questions (query_id) ON DELETE CASCADE,
               helpful   INTEGER NOT NULL,
               comment   TEXT,
               given_at  REAL NOT NULL
           )""",
    ),
    # the owner's console (web/admin/, bot/owner/console.py): groups the owner dismissed, and what was changed
    2: (
        """CREATE TABLE dismissed (
               reason        TEXT NOT NULL,     -- unanswered | unhelpful
               phrasing      TEXT NOT NULL,     -- a phrasing of the group, normalised (bot.owner.report.normalise)
               dismissed_at  REAL NOT NULL,
               session       TEXT NOT NULL,
               PRIMARY KEY (reason, phrasing)
           )""",
        """CREATE TABLE audit (
               id       INTEGER PRIMARY KEY,
               at       REAL NOT NULL,             -- Unix time in seconds
               session  TEXT NOT NULL,             -- who: the console session (or "bearer token")
               action   TEXT NOT NULL,             -- accept | dismiss | sign-in | sign-out
               detail   TEXT NOT NULL
           )""",
    ),
}
SCHEMA_VERSION = max(MIGRATIONS)

#: ``q_`` + the time in milliseconds + 64 random bits, then (from a Recorder) a 64-bit tag that proves its origin
_QUERY_ID = re.compile(r"^q_([0-9a-f]{12})[0-9a-f]{16}(?:[0-9a-f]{16})?$")
TAG_CHARS = 16


def new_query_id(now: float | None = None) -> str:
    """A fresh query id: ``q_`` + the time in milliseconds (12 hex digits) + 64 random bits."""
    ms = int(1000 * (time.time() if now is None else now))
    return f"q_{ms:012x}{secrets.token_hex(8)}"


def query_time(query_id) -> float | None:
    """When the question with this id was asked (Unix time), or None if it is not a query id."""
    m = _QUERY_ID.match(query_id) if isinstance(query_id, str) else None
    return int(m.group(1), 16) / 1000 if m else None


@dataclass(frozen=True)
class Record:
    """One question as recorded: what was asked and what the bot replied."""

    query_id: str
    asked_at: float
    question: str
    answered: bool
    confidence: float
    kb: str | None = None
    intent: str = "answer"
    entry_kb: str | None = None
    entry_id: str | None = None


def record_of(answer, kb: str | None = None, now: float | None = None, query_id: str | None = None) -> Record:
    """The record of a :class:`bot.answering.Answer` to a question asked of ``kb`` (None: every one).

    A declined question keeps its closest entry (the first of ``related``), which
    ``faqbot report`` shows and ``faqbot learn`` starts from.
    """
    now = time.time() if now is None else now
    entry = answer.entry if answer.answered else (answer.related[0].entry if answer.related else None)
    return Record(query_id=query_id or new_query_id(now), asked_at=now, question=answer.question,
                  answered=bool(answer.answered), confidence=float(answer.confidence), kb=kb,
                  intent=answer.intent, entry_kb=entry.kb if entry else None,
                  entry_id=entry.id if entry else None)


_COLUMNS = "query_id, asked_at, question, answered, confidence, kb, intent, entry_kb, entry_id"
#: which records a report covers: asked since a time, of one knowledge base (or of every one)
_WHERE = "asked_at >= :since AND (:kb IS NULL OR coalesce(q.kb, q.entry_kb) = :kb)"


#: the question log for an export, with each verdict (Store.log_rows); {where} is the backend's _WHERE
_LOG_ROWS = ("SELECT q.asked_at, q.query_id, q.kb, q.question, q.answered, q.intent, q.entry_kb, q.entry_id, "
             "q.confidence, f.helpful, f.comment FROM questions q LEFT JOIN feedback f USING (query_id) "
             "WHERE {where} ORDER BY q.asked_at, q.id")


def _record(row) -> Record:
    return Record(row[0], row[1], row[2], bool(row[3]), row[4], row[5], row[6], row[7], row[8])


def masked(database: str) -> str:
    """A database's name for messages and reports: a URL's password replaced by ``***``."""
    return re.sub(r"^(\w+://[^:/@]*):[^@/]*@", r"\1:***@", str(database))


def is_postgres(database) -> bool:
    """True when ``database`` names a PostgreSQL database (a ``postgresql://`` URL), not a SQLite file."""
    return str(database).startswith(("postgresql://", "postgres://"))


class Store:
    """The question log: ``Store(path)`` is a :class:`bot.sqlitestore.SQLiteStore`,
    ``Store("postgresql://...")`` a :class:`bot.pgstore.PostgresStore`; both have the methods below.
    ``create=False`` refuses a log that does not exist yet."""

    #: the file or URL (with any password masked), as messages name it
    path: str

    def __new__(cls, path, **kwargs):
        if cls is Store:
            if is_postgres(path):
                from .pgstore import PostgresStore

                cls = PostgresStore
            else:
                from .sqlitestore import SQLiteStore

                cls = SQLiteStore
        return super().__new__(cls)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection(s)."""
        raise NotImplementedError

    def ping(self) -> None:
        """StoreError unless the database answers a query now."""
        self._read("SELECT 1")

    def _read(self, sql: str, params=()) -> list[tuple]:
        raise NotImplementedError

    # ------------------------------------------------------------- reads
    # Written once for both backends: each sets the dialect's pieces.
    #: a positional parameter
    _MARK = "?"
    #: which records a report covers: asked since :since, of :kb (or of every one), named parameters
    _WHERE = ""
    #: the comments of a group of verdicts, joined by newlines
    _COMMENTS = ""
    #: how many rows of a group a condition holds for ("{}" is the condition)
    _COUNT_IF = ""
    #: the UTC day of asked_at, as YYYY-MM-DD
    _DAY = ""
    #: a named parameter ("{}" is its name), and the cast a text parameter needs to be tested for NULL
    #: an INSERT that skips a row whose key ({1}) is taken; {0} is the table, columns and values
    _INSERT_NEW = "INSERT OR IGNORE INTO {0}"
    _NAMED = ":{}"
    _TEXT = ""

    def add_feedback(self, query_id: str, helpful: bool, comment: str | None = None,
                     now: float | None = None) -> bool:
        """Store a visitor's verdict on an answer (a later one replaces it); False if the query id is unknown.

        ``comment`` None keeps the comment of an earlier verdict; ``""`` clears it.
        """
        now = time.time() if now is None else now
        n = self._NAMED.format
        with self._transaction() as c:
            if c.execute(f"SELECT 1 FROM questions WHERE query_id = {self._MARK}", (query_id,)).fetchone() is None:
                return False
            c.execute("INSERT INTO feedback (query_id, helpful, comment, given_at) "
                      f"VALUES ({n('query_id')}, {n('helpful')}, nullif({n('comment')}, ''), {n('now')}) "
                      "ON CONFLICT (query_id) DO UPDATE SET helpful = excluded.helpful, "
                      f"comment = CASE WHEN {n('comment')}{self._TEXT} IS NULL THEN feedback.comment "
                      "ELSE excluded.comment END, given_at = excluded.given_at",
                      {"query_id": query_id, "helpful": int(bool(helpful)), "comment": comment, "now": now})
        return True

    def purge(self, days: float, now: float | None = None) -> int:
        """Delete questions (and their feedback) asked more than ``days`` days ago; 0 keeps everything."""
        if not days or days <= 0:
            return 0
        cutoff = (time.time() if now is None else now) - days * DAY
        with self._transaction() as c:
            c.execute("DELETE FROM feedback WHERE query_id IN "
                      f"(SELECT query_id FROM questions WHERE asked_at < {self._MARK})", (cutoff,))
            return c.execute(f"DELETE FROM questions WHERE asked_at < {self._MARK}", (cutoff,)).rowcount

    def count(self) -> int:
        return self._read("SELECT count(*) FROM questions")[0][0]

    def get(self, query_id: str) -> Record | None:
        rows = self._read(f"SELECT {_COLUMNS} FROM questions WHERE query_id = {self._MARK}", (query_id,))
        return _record(rows[0]) if rows else None

    def verdict(self, query_id: str) -> tuple[bool, str | None] | None:
        """``(helpful, comment)`` given on this question, or None."""
        rows = self._read(f"SELECT helpful, comment FROM feedback WHERE query_id = {self._MARK}", (query_id,))
        return (bool(rows[0][0]), rows[0][1]) if rows else None

    def questions(self, since: float = 0.0, kb: str | None = None) -> list[Record]:
        """Every record asked since ``since`` (of ``kb``), oldest first."""
        rows = self._read(f"SELECT {_COLUMNS} FROM questions q WHERE {self._WHERE} ORDER BY asked_at, id",
                          {"since": since, "kb": kb})
        return [_record(r) for r in rows]

    def declined(self, since: float = 0.0, kb: str | None = None) -> list[tuple]:
        """Declined questions (not small talk) by exact text:
        ``(question, kb, entry_kb, entry_id, times asked, last asked, best confidence)``."""
        return self._read(
            f"SELECT question, kb, entry_kb, entry_id, count(*), max(asked_at), max(confidence) "
            f"FROM questions q WHERE {self._WHERE} AND answered = 0 AND intent = 'unknown' "
            f"GROUP BY question, kb, entry_kb, entry_id", {"since": since, "kb": kb})

    def unhelpful(self, since: float = 0.0, kb: str | None = None) -> list[tuple]:
        """Answers marked not helpful, by exact question:
        ``(question, kb, entry_kb, entry_id, times, last given, comments joined by newlines)``."""
        return self._read(
            f"SELECT q.question, q.kb, q.entry_kb, q.entry_id, count(*), max(f.given_at), {self._COMMENTS} "
            f"FROM feedback f JOIN questions q USING (query_id) "
            f"WHERE {self._WHERE} AND f.helpful = 0 AND q.answered = 1 "
            f"GROUP BY q.question, q.kb, q.entry_kb, q.entry_id", {"since": since, "kb": kb})

    def entries(self, since: float = 0.0, kb: str | None = None) -> list[tuple]:
        """Per answering entry: ``(entry_kb, entry_id, answers, helpful, not helpful)``, busiest first."""
        count_if = self._COUNT_IF.format
        return self._read(
            f"SELECT q.entry_kb, q.entry_id, count(*), {count_if('f.helpful = 1')}, {count_if('f.helpful = 0')} "
            f"FROM questions q LEFT JOIN feedback f USING (query_id) "
            f"WHERE {self._WHERE} AND q.answered = 1 GROUP BY q.entry_kb, q.entry_id "
            f"ORDER BY count(*) DESC, q.entry_kb, q.entry_id", {"since": since, "kb": kb})

    def daily(self, since: float = 0.0, kb: str | None = None) -> list[tuple]:
        """Per day (UTC): ``(day, questions, answered, small talk)``, oldest first."""
        count_if = self._COUNT_IF.format
        smalltalk = count_if("intent = 'smalltalk'")
        return self._read(
            f"SELECT {self._DAY} AS day, count(*), {count_if('answered = 1')}, {smalltalk} "
            f"FROM questions q WHERE {self._WHERE} GROUP BY day ORDER BY day", {"since": since, "kb": kb})

    def feedback_totals(self, since: float = 0.0, kb: str | None = None) -> tuple[int, int]:
        """``(helpful, not helpful)`` verdicts on the questions a report covers."""
        count_if = self._COUNT_IF.format
        row = self._read(
            f"SELECT {count_if('f.helpful = 1')}, {count_if('f.helpful = 0')} "
            f"FROM feedback f JOIN questions q USING (query_id) WHERE {self._WHERE}", {"since": since, "kb": kb})[0]
        return int(row[0]), int(row[1])

    # ------------------------------------------- the owner's console (schema 2)
    def add_dismissed(self, reason: str, phrasings: Iterable[str], session: str,
                      now: float | None = None) -> int:
        """Dismiss ``(reason, phrasing)`` for each phrasing (already normalised) in one transaction;
        how many were newly dismissed (one dismissed before is kept as it was)."""
        now = time.time() if now is None else now
        m = self._MARK
        with self._transaction() as c:
            return sum(c.execute(self._INSERT_NEW.format(
                f"dismissed (reason, phrasing, dismissed_at, session) VALUES ({m}, {m}, {m}, {m})",
                "(reason, phrasing)"), (reason, phrasing, now, session)).rowcount for phrasing in phrasings)

    def dismissed(self) -> set[tuple[str, str]]:
        """Every dismissed ``(reason, phrasing)``."""
        return {(r, p) for r, p in self._read("SELECT reason, phrasing FROM dismissed")}

    def add_audit(self, session: str, action: str, detail: str, now: float | None = None) -> None:
        """Append one line to the audit log."""
        now = time.time() if now is None else now
        m = self._MARK
        with self._transaction() as c:
            c.execute(f"INSERT INTO audit (at, session, action, detail) VALUES ({m}, {m}, {m}, {m})",
                      (now, session, action, detail))

    def audit_log(self, limit: int = 50) -> list[tuple[float, str, str, str]]:
        """The latest ``limit`` lines of the audit log, newest first: ``(at, session, action, detail)``."""
        return self._read(f"SELECT at, session, action, detail FROM audit ORDER BY at DESC, id DESC "
                          f"LIMIT {self._MARK}", (limit,))

    def log_rows(self, since: float = 0.0, kb: str | None = None, batch: int = 500) -> Iterator[tuple]:
        """Every question asked since ``since`` (of ``kb``), oldest first, with its verdict:
        ``(asked_at, query_id, kb, question, answered, intent, entry_kb, entry_id, confidence,
        helpful, comment)`` (helpful and comment None without one). Reads ``batch`` rows at a time, so
        an export of a large log streams; close the iterator (or exhaust it) to release the read."""
        raise NotImplementedError

    def _batches(self, cursor, batch: int) -> Iterator[tuple]:
        """The rows of an executed ``cursor``, fetched ``batch`` at a time (each fetch guarded)."""
        while True:
            with self._guard():
                rows = cursor.fetchmany(batch)
            if not rows:
                return
            yield from rows


def __getattr__(name: str):
    """``bot.store.SQLiteStore``: the SQLite backend (:mod:`bot.sqlitestore`), imported when first asked for."""
    if name == "SQLiteStore":
        from .sqlitestore import SQLiteStore

        return SQLiteStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
