"""The question log in a SQLite file: the default backend of :class:`bot.store.Store`.

``Store(path)`` opens one of these (see :mod:`bot.store` for the interface):
the standard library's ``sqlite3``, the file in WAL mode, its schema version
in ``PRAGMA user_version`` (migrated with :data:`bot.store.MIGRATIONS` when
the store opens). Several processes write to one file: SQLite's write lock
and a busy timeout take turns between their short transactions. Every
``sqlite3`` error becomes a :class:`bot.errors.StoreError` naming the file.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from .errors import StoreError
from .store import _COLUMNS, _LOG_ROWS, _WHERE, BUSY_TIMEOUT, MIGRATIONS, SCHEMA_VERSION, Record, Store

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

    # --------------------------------------------------------------- reads
    def _read(self, sql: str, params=()) -> list[tuple]:
        with self._guard():
            return self.conn.execute(sql, params).fetchall()

    # ------------------------------------------------------------ export
    def log_rows(self, since: float = 0.0, kb: str | None = None, batch: int = 500) -> Iterator[tuple]:
        with self._guard():
            cursor = self.conn.execute(_LOG_ROWS.format(where=_WHERE), {"since": since, "kb": kb})
        try:
            yield from self._batches(cursor, batch)
        finally:
            cursor.close()
