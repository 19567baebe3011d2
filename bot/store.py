"""The question log: what visitors asked, what they were told, and their verdicts.

One interface, two backends: ``Store(path)`` opens a SQLite file (the default,
embedded; the standard library's ``sqlite3``) and ``Store("postgresql://...")``
a PostgreSQL database (:mod:`bot.pgstore`, psycopg 3 and its pool), which
several instances of the service share. The service records through it, and
``faqbot report`` and ``faqbot learn`` read it.

- :class:`Store` creates or migrates the schema when it opens (SQLite: its
  version is ``PRAGMA user_version``, the file in WAL mode; PostgreSQL: a
  ``faqbot_schema`` table, migrated under an advisory lock) and reads and
  writes synchronously.
- :class:`Recorder` is how the service records. :meth:`Recorder.record` hands
  the record to a background thread of the process and returns its
  ``query_id`` at once; the thread writes what has queued up in one
  transaction (a batch every few milliseconds under load). Several processes
  (gunicorn workers) write to one file: SQLite's write lock and a busy timeout
  take turns between their short transactions. Queued records are written
  before the process exits (``atexit``; ``faqbot serve`` also flushes when a
  worker stops), and a forked child (a gunicorn worker) starts with its own
  queue, thread and connections.
- Recording never fails an answer: when the database cannot be opened or written,
  the problem is logged once, :meth:`Recorder.record` returns None (the reply
  carries no ``query_id``) and recording is retried a little later.

>>> with Store(":memory:") as store:                      # doctest: +SKIP
...     store.add([Record(new_query_id(), time.time(), "hello?", False, 0.0)])
...     store.count()
1
"""
from __future__ import annotations

import atexit
import hashlib
import hmac
import json
import logging
import os
import queue
import re
import secrets
import sqlite3
import threading
import time
import weakref
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .errors import StoreError

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
    # the owner's console (web/admin.py, bot/owner/console.py): groups the owner dismissed, and what was changed
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

_INSERT = f"INSERT OR IGNORE INTO questions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
_INSERT_JSON = (f"INSERT OR IGNORE INTO questions ({_COLUMNS}) SELECT "
                + ", ".join(f"json_extract(value, '$[{i}]')" for i in range(9)) + " FROM json_each(?)")


def _has_json1() -> bool:
    try:
        with sqlite3.connect(":memory:") as conn:
            return conn.execute("SELECT count(*) FROM json_each('[1]')").fetchone() == (1,)
    except sqlite3.Error:
        return False


#: SQLite's JSON functions are there (built in since 3.38, and in most builds before)
_JSON1 = _has_json1()


def _record(row) -> Record:
    return Record(row[0], row[1], row[2], bool(row[3]), row[4], row[5], row[6], row[7], row[8])


def masked(database: str) -> str:
    """A database's name for messages and reports: a URL's password replaced by ``***``."""
    return re.sub(r"^(\w+://[^:/@]*):[^@/]*@", r"\1:***@", str(database))


def is_postgres(database) -> bool:
    """True when ``database`` names a PostgreSQL database (a ``postgresql://`` URL), not a SQLite file."""
    return str(database).startswith(("postgresql://", "postgres://"))


class Store:
    """The question log: ``Store(path)`` is a :class:`SQLiteStore`, ``Store("postgresql://...")`` a
    :class:`bot.pgstore.PostgresStore`; both have the methods below. ``create=False`` refuses a log
    that does not exist yet."""

    #: the file or URL (with any password masked), as messages name it
    path: str

    def __new__(cls, path, **kwargs):
        if cls is Store:
            if is_postgres(path):
                from .pgstore import PostgresStore

                cls = PostgresStore
            else:
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
        raise NotImplementedError

    def dismissed(self) -> set[tuple[str, str]]:
        """Every dismissed ``(reason, phrasing)``."""
        return {(r, p) for r, p in self._read("SELECT reason, phrasing FROM dismissed")}

    def add_audit(self, session: str, action: str, detail: str, now: float | None = None) -> None:
        """Append one line to the audit log."""
        raise NotImplementedError

    def audit_log(self, limit: int = 50) -> list[tuple[float, str, str, str]]:
        """The latest ``limit`` lines of the audit log, newest first: ``(at, session, action, detail)``."""
        raise NotImplementedError

    def log_rows(self, since: float = 0.0, kb: str | None = None, batch: int = 500) -> Iterator[tuple]:
        """Every question asked since ``since`` (of ``kb``), oldest first, with its verdict:
        ``(asked_at, query_id, kb, question, answered, intent, entry_kb, entry_id, confidence,
        helpful, comment)`` (helpful and comment None without one). Reads ``batch`` rows at a time, so
        an export of a large log streams; close the iterator (or exhaust it) to release the read."""
        raise NotImplementedError


class SQLiteStore(Store):
    """The question log in a SQLite file."""

    _MARK = "?"
    _WHERE = _WHERE
    _COMMENTS = "group_concat(f.comment, char(10))"
    _COUNT_IF = "coalesce(sum({}), 0)"
    _DAY = "date(asked_at, 'unixepoch')"

    def __init__(self, path, *, create: bool = True, timeout: float = BUSY_TIMEOUT):
        self.path = str(path)
        memory = self.path == ":memory:" or self.path.startswith("file:")
        if not memory:
            p = Path(self.path)
            if not create and not p.is_file():
                raise StoreError(f"{self.path}: no question log here (the service records into "
                                 "FAQBOT_DATABASE, by default instance/faqbot.db)")
            if create:
                try:
                    p.parent.mkdir(parents=True, exist_ok=True)
                except OSError as e:
                    raise StoreError(f"{self.path}: cannot create directory {p.parent} ({e.strerror or e})") from None
        self.conn: sqlite3.Connection | None = None
        with self._guard():
            self.conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None,
                                        check_same_thread=False, uri=self.path.startswith("file:"))
            self.conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")  # durable at checkpoints; WAL keeps it consistent
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()

    # ------------------------------------------------------------ plumbing
    @contextmanager
    def _guard(self) -> Iterator[None]:
        """sqlite3 errors as StoreError naming the file."""
        try:
            yield
        except sqlite3.Error as e:
            if self.conn is not None and self.conn.in_transaction:
                try:
                    self.conn.rollback()
                except sqlite3.Error:
                    pass
            raise StoreError(f"{self.path}: {e}") from None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock at once (waits up to the busy timeout)."""
        with self._guard():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.rollback()
                raise
            self.conn.execute("COMMIT")

    def _version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _check_version(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: the question log has schema version {version}, newer than this "
                             f"faqbot understands ({SCHEMA_VERSION}); upgrade faqbot")

    def _migrate(self) -> None:
        version = self._version()
        self._check_version(version)
        if version == SCHEMA_VERSION:
            return
        with self._transaction() as c:
            version = self._version()  # another process may have migrated meanwhile
            self._check_version(version)
            for v in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[v]:
                    c.execute(statement)
            c.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def check_writable(self) -> None:
        """StoreError unless this process can write to the file (a read-only file opens fine)."""
        with self._transaction() as c:
            c.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    # -------------------------------------------------------------- writes
    def add(self, records: Iterable[Record]) -> int:
        """Insert records in one transaction (a query id already there is kept, not doubled)."""
        rows = [(r.query_id, r.asked_at, r.question, int(r.answered), r.confidence, r.kb, r.intent,
                 r.entry_kb, r.entry_id) for r in records]
        with self._transaction() as c:
            if _JSON1:
                # the whole batch in one statement: one step releases the GIL once, where executemany
                # would release and retake it for every row (slowing the threads that answer)
                c.execute(_INSERT_JSON, (json.dumps(rows, ensure_ascii=False),))
            else:
                c.executemany(_INSERT, rows)
        return len(rows)

    def add_feedback(self, query_id: str, helpful: bool, comment: str | None = None,
                     now: float | None = None) -> bool:
        """Store a visitor's verdict on an answer (a later one replaces it); False if the query id is unknown.

        ``comment`` None keeps the comment of an earlier verdict; ``""`` clears it.
        """
        now = time.time() if now is None else now
        with self._transaction() as c:
            if c.execute("SELECT 1 FROM questions WHERE query_id = ?", (query_id,)).fetchone() is None:
                return False
            c.execute("INSERT INTO feedback (query_id, helpful, comment, given_at) "
                      "VALUES (:query_id, :helpful, nullif(:comment, ''), :now) "
                      "ON CONFLICT (query_id) DO UPDATE SET helpful = excluded.helpful, "
                      "comment = CASE WHEN :comment IS NULL THEN feedback.comment ELSE excluded.comment END, "
                      "given_at = excluded.given_at",
                      {"query_id": query_id, "helpful": int(bool(helpful)), "comment": comment, "now": now})
        return True

    def purge(self, days: float, now: float | None = None) -> int:
        """Delete questions (and their feedback) asked more than ``days`` days ago; 0 keeps everything."""
        if not days or days <= 0:
            return 0
        cutoff = (time.time() if now is None else now) - days * DAY
        with self._transaction() as c:
            c.execute("DELETE FROM feedback WHERE query_id IN (SELECT query_id FROM questions WHERE asked_at < ?)",
                      (cutoff,))
            return c.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount

    # --------------------------------------------------------------- reads
    def _read(self, sql: str, params=()) -> list[tuple]:
        with self._guard():
            return self.conn.execute(sql, params).fetchall()

    # ------------------------------------------- the owner's console (schema 2)
    def add_dismissed(self, reason: str, phrasings: Iterable[str], session: str,
                      now: float | None = None) -> int:
        now = time.time() if now is None else now
        with self._transaction() as c:
            return sum(c.execute("INSERT OR IGNORE INTO dismissed (reason, phrasing, dismissed_at, session) "
                                 "VALUES (?, ?, ?, ?)", (reason, phrasing, now, session)).rowcount
                       for phrasing in phrasings)

    def add_audit(self, session: str, action: str, detail: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self._transaction() as c:
            c.execute("INSERT INTO audit (at, session, action, detail) VALUES (?, ?, ?, ?)",
                      (now, session, action, detail))

    def audit_log(self, limit: int = 50) -> list[tuple[float, str, str, str]]:
        return self._read("SELECT at, session, action, detail FROM audit ORDER BY at DESC, id DESC LIMIT ?",
                          (limit,))

    def log_rows(self, since: float = 0.0, kb: str | None = None, batch: int = 500) -> Iterator[tuple]:
        with self._guard():
            cursor = self.conn.execute(_LOG_ROWS.format(where=_WHERE), {"since": since, "kb": kb})
        try:
            while True:
                with self._guard():
                    rows = cursor.fetchmany(batch)
                if not rows:
                    return
                yield from rows
        finally:
            cursor.close()


# --------------------------------------------------------------------------
# the service's recorder

_STOP = object()
_RECORDERS: "weakref.WeakSet[Recorder]" = weakref.WeakSet()
#: connections inherited through fork: never closed in the child (that could disturb the parent's file)
_INHERITED: list = []


class Recorder:
    """Records questions for the service without slowing or failing an answer.

    One per process and database; thread-safe. ``retention_days`` (0: keep
    forever) deletes older records when the recorder starts and every
    ``PURGE_EVERY`` seconds while it writes.

    The query ids it hands out carry a tag made with a secret of the recorder
    (random, made when it is built: before the fork, so every worker of one
    server shares it): :meth:`issued` tells the server's own ids from made-up
    ones without a lookup. No record can stop the writer thread: one the
    database refuses is logged and dropped, the rest are written.
    """

    #: after the first queued record, wait this long for more before writing (seconds; a flush cuts
    #: it short): batches instead of a transaction per answer. Feedback on a question another
    #: worker has not written yet waits up to this long.
    LINGER = 0.25
    #: at most this many records in one transaction
    BATCH = 1000
    #: records held while the database is unavailable; beyond it the oldest are dropped
    MAX_PENDING = 100_000
    #: wait this long before retrying an unavailable database, doubling up to RETRY_MAX (seconds)
    RETRY_MIN = 1.0
    RETRY_MAX = 60.0
    PURGE_EVERY = 3600.0
    #: the writer thread ends after this long without records (a new record starts it again)
    IDLE_EXIT = 30.0
    #: feedback may arrive before its question is written: how old a query id may be to be waited for
    PENDING_WINDOW = 5.0
    FEEDBACK_WAIT = 1.5

    def __init__(self, path, *, retention_days: float = 0, logger: logging.Logger | None = None,
                 secret: bytes | None = None):
        self.path = str(path)
        self.name = masked(self.path)  # as log messages name the database
        self.retention_days = retention_days
        self.log = logger or logging.getLogger("faqbot.store")
        self._secret = secret or secrets.token_bytes(32)
        self._down = False
        self._retry_in = self.RETRY_MIN
        self._lost = 0
        self._reset()
        _RECORDERS.add(self)
        try:
            with Store(self.path) as store:
                store.check_writable()
                store.purge(self.retention_days)
        except (StoreError, OSError) as e:
            self._failed(e)

    def _reset(self) -> None:
        """Per-process state: a forked child starts with its own."""
        self._pid = os.getpid()
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._writer: Store | None = None
        self._reader: Store | None = None
        self._reader_lock = threading.Lock()
        self._retry_at = time.monotonic() + self._retry_in if self._down else 0.0
        self._next_purge = time.monotonic() + self.PURGE_EVERY
        self._closed = False

    def _after_fork(self) -> None:
        _INHERITED.extend(s.conn for s in (self._writer, self._reader) if s is not None and s.conn is not None)
        self._reset()

    @property
    def available(self) -> bool:
        """False while the database cannot be written (then answers carry no query id)."""
        return not self._down

    # ------------------------------------------------------------- health
    def _failed(self, error: Exception) -> None:
        if not self._down:
            self.log.warning("faqbot: cannot record questions: %s. Answers are served without recording "
                             "(no query_id); retrying in the background.", error)
        self._down = True
        self._retry_at = time.monotonic() + self._retry_in
        self._retry_in = min(2 * self._retry_in, self.RETRY_MAX)

    def _recovered(self) -> None:
        if self._down:
            self.log.warning("faqbot: recording questions in %s again", self.name)
        self._down = False
        self._retry_in = self.RETRY_MIN
        self._retry_at = 0.0

    # ----------------------------------------------------------- query ids
    def _tag(self, base: str) -> str:
        return hmac.new(self._secret, base.encode("ascii"), hashlib.sha256).hexdigest()[:TAG_CHARS]

    def new_query_id(self, now: float | None = None) -> str:
        """A fresh query id (see :func:`new_query_id`) with this recorder's tag."""
        base = new_query_id(now)
        return base + self._tag(base)

    def issued(self, query_id) -> bool:
        """Whether this recorder (in this worker or another forked from the same server) made ``query_id``."""
        if not isinstance(query_id, str) or not _QUERY_ID.match(query_id) or len(query_id) != 30 + TAG_CHARS:
            return False
        base, tag = query_id[:-TAG_CHARS], query_id[-TAG_CHARS:]
        return hmac.compare_digest(tag, self._tag(base))

    # ------------------------------------------------------------- record
    def record(self, answer, kb: str | None = None) -> str | None:
        """Queue the record of ``answer``; its query id, or None while the database is unavailable."""
        if os.getpid() != self._pid:  # forked without the at-fork hook (should not happen)
            self._after_fork()
        if self._down and time.monotonic() < self._retry_at:
            return None
        now = time.time()
        rec = record_of(answer, kb, now, self.new_query_id(now))
        if self._closed:  # the process is exiting: write it now
            return rec.query_id if self._write_now([rec]) else None
        self._queue.put(rec)
        if self._thread is None:
            self._start_thread()
        return rec.query_id

    def _start_thread(self) -> None:
        with self._lock:
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(target=self._run, args=(self._queue,),
                                                name="faqbot-recorder", daemon=True)
                self._thread.start()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until what was recorded so far is written (or could not be); False on timeout."""
        if self._thread is None or os.getpid() != self._pid:
            return True
        done = threading.Event()
        self._queue.put(done)
        self._wake.set()
        if self._thread is None:  # it ended meanwhile
            self._start_thread()
        return done.wait(timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued and stop the thread (at exit); later records are written one by one."""
        if os.getpid() != self._pid:
            return
        with self._lock:
            self._closed = True
            thread = self._thread
        if thread is not None:
            self._queue.put(_STOP)
            self._wake.set()
            thread.join(timeout)
        leftovers = []
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if isinstance(item, Record):
                leftovers.append(item)
        if leftovers:
            self._write_now(leftovers)
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    # ------------------------------------------------------------- writer
    def _run(self, q: queue.SimpleQueue) -> None:
        """The writer thread. It never dies of an error: whatever escapes :meth:`_loop` is logged and it goes on."""
        while True:
            try:
                self._loop(q)
                return
            except Exception:  # a bug, not a bad record or an unavailable database (those are handled)
                self.log.exception("faqbot: unexpected error while recording questions; recording goes on")
                time.sleep(self.RETRY_MIN / 10)

    def _loop(self, q: queue.SimpleQueue) -> None:
        pending: list[Record] = []
        stop = False
        while not stop:
            if pending:  # the last write failed: retry when it is time (or sooner, if more arrives)
                wait = max(0.0, self._retry_at - time.monotonic())
            else:
                wait = self.IDLE_EXIT
            try:
                item = q.get(timeout=wait)
            except queue.Empty:
                item = None
                if not pending:
                    with self._lock:  # idle: end, unless a record arrived meanwhile
                        if q.empty() and not self._closed:
                            self._thread = None
                            self._close_writer()
                            return
                    continue
            if item is not None and item is not _STOP and not isinstance(item, threading.Event):
                self._wake.wait(self.LINGER)  # let a batch gather: one wake-up per batch, not per record
                self._wake.clear()
            events = []
            while item is not None:
                if item is _STOP:
                    stop = True
                elif isinstance(item, threading.Event):
                    events.append(item)
                else:
                    pending.append(item)
                if len(pending) >= self.BATCH:
                    break
                try:
                    item = q.get_nowait()
                except queue.Empty:
                    item = None
            try:
                if pending and (stop or events or time.monotonic() >= self._retry_at):
                    pending = self._write(pending)
            except Exception:  # not expected (_write handles what it knows): lose this batch, not the thread
                self._lost += len(pending)
                self.log.exception("faqbot: %d recorded question(s) dropped after an unexpected error", len(pending))
                pending = []
                self._close_writer()
            finally:
                for e in events:
                    e.set()
        if pending:
            self._lost += len(pending)
            self.log.warning("faqbot: %d recorded question(s) could not be written to %s", len(pending), self.name)
        self._close_writer()

    def _close_writer(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            try:
                writer.close()
            except Exception:  # noqa: BLE001 - closing must not end the thread
                pass

    def _add(self, store: Store, records: list[Record]) -> int:
        """Write ``records`` in one transaction; how many were dropped.

        When the batch fails for a reason other than the database (a record it
        cannot take, such as text with a lone surrogate), the records are
        written one by one and those that still fail are logged and dropped.
        StoreError and OSError (the database is unavailable) pass through.
        """
        try:
            store.add(records)
            return 0
        except (StoreError, OSError):
            raise
        except Exception as e:  # noqa: BLE001 - a bad record
            if len(records) == 1:
                self._drop(records[0], e)
                return 1
        dropped = 0
        for record in records:
            try:
                store.add([record])
            except (StoreError, OSError):
                raise
            except Exception as e:  # noqa: BLE001
                self._drop(record, e)
                dropped += 1
        return dropped

    def _drop(self, record: Record, error: Exception) -> None:
        self._lost += 1
        self.log.error("faqbot: dropped recorded question %s, which cannot be written (%s: %s): %a",
                       record.query_id, type(error).__name__, error, record.question[:100])

    def _write(self, pending: list[Record]) -> list[Record]:
        """Write ``pending``; what is still unwritten (all of it when the database is unavailable)."""
        try:
            if self._writer is None:
                self._writer = Store(self.path)
            for i in range(0, len(pending), self.BATCH):
                self._add(self._writer, pending[i:i + self.BATCH])  # a retried batch: INSERT OR IGNORE
            if self.retention_days and time.monotonic() >= self._next_purge:
                self._next_purge = time.monotonic() + self.PURGE_EVERY
                self._writer.purge(self.retention_days)
        except (StoreError, OSError) as e:
            self._close_writer()
            self._failed(e)
            if len(pending) > self.MAX_PENDING:
                dropped = len(pending) - self.MAX_PENDING
                self._lost += dropped
                self.log.warning("faqbot: dropped %d recorded question(s): %s stays unavailable", dropped, self.name)
                del pending[:dropped]
            return pending
        self._recovered()
        return []

    def _write_now(self, records: list[Record]) -> bool:
        """Write ``records`` at once (the process is exiting); False unless every one was written."""
        try:
            with Store(self.path) as store:
                return self._add(store, records) == 0
        except (StoreError, OSError) as e:
            self._lost += len(records)
            self.log.warning("faqbot: %d recorded question(s) could not be written: %s", len(records), e)
            return False

    # ----------------------------------------------------------- feedback
    def feedback(self, query_id: str, helpful: bool, comment: str | None = None) -> bool:
        """Store a verdict; False when no question has this id. StoreError when the database is unavailable.

        ``comment`` None keeps an earlier verdict's comment, ``""`` clears it.
        A question may still be queued (here or in another worker) when its
        feedback arrives: an id this server :meth:`issued` in the last
        PENDING_WINDOW seconds is waited for, briefly. Any other id is looked
        up once: a visitor's made-up id never holds a thread.
        """
        if self._reader_call(query_id, helpful, comment):
            return True
        if not self.issued(query_id):
            return False
        asked = query_time(query_id)
        if asked is None or not -1 < time.time() - asked < self.PENDING_WINDOW:
            return False
        self.flush(self.FEEDBACK_WAIT)
        deadline = time.monotonic() + self.FEEDBACK_WAIT
        while True:
            if self._reader_call(query_id, helpful, comment):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)

    def _reader_call(self, query_id: str, helpful: bool, comment: str | None) -> bool:
        with self._reader_lock:
            if self._reader is None:
                self._reader = Store(self.path)
            try:
                return self._reader.add_feedback(query_id, helpful, comment)
            except StoreError:
                self._reader.close()
                self._reader = None
                raise

    def ping(self) -> bool:
        """True when the question log answers a query now (through the connection feedback uses)."""
        with self._reader_lock:
            try:
                if self._reader is None:
                    self._reader = Store(self.path)
                self._reader.ping()
                return True
            except (StoreError, OSError):
                if self._reader is not None:
                    self._reader.close()
                    self._reader = None
                return False


def _after_fork_in_child() -> None:
    for r in list(_RECORDERS):
        r._after_fork()


def flush_all(timeout: float = 10.0) -> None:
    """Write what every recorder of this process has queued."""
    for r in list(_RECORDERS):
        r.flush(timeout)


def close_all() -> None:
    """Flush and stop every recorder of this process (registered with ``atexit``)."""
    for r in list(_RECORDERS):
        r.close()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
atexit.register(close_all)
