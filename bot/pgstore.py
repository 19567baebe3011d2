"""The question log in PostgreSQL: what several instances of the service share.

``Store("postgresql://user@host/db")`` opens one of these (see :mod:`bot.store`
for the interface). It holds a small psycopg connection pool; every method
runs in one transaction on a connection borrowed from it. The schema lives in
the connection's ``search_path`` (``?options=-csearch_path%3Dname`` in the URL
picks a schema) and is created and upgraded when the store opens: the version
is kept in a table ``faqbot_schema``, and the migration runs in one
transaction under an advisory lock, so instances starting at once migrate it once.
Every psycopg error becomes a :class:`bot.errors.StoreError` naming the
database (its password masked).
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterable, Iterator

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from .errors import StoreError
from .store import _COLUMNS, _LOG_ROWS, Record, Store, _record, masked
from .store import SCHEMA_VERSION as _SQLITE_SCHEMA_VERSION

#: seconds to wait for a connection to be made (libpq's connect_timeout) or lent by the pool
CONNECT_TIMEOUT = 3
#: connections one store keeps (the service's writer and its feedback reader each have their own store)
POOL_MIN, POOL_MAX = 1, 4
#: pg_advisory_lock key held while the schema is migrated (any instance, any schema of the database)
MIGRATION_LOCK = 0x66617162_6F74  # "faqbot"

#: schema version -> the statements that bring the previous version to it (bot.store.MIGRATIONS' twin)
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE questions (
               id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
               query_id    TEXT NOT NULL UNIQUE,
               asked_at    DOUBLE PRECISION NOT NULL,  -- Unix time in seconds
               kb          TEXT,
               question    TEXT NOT NULL,
               answered    SMALLINT NOT NULL,          -- 1: answered, 0: declined
               intent      TEXT NOT NULL,
               entry_kb    TEXT,
               entry_id    TEXT,
               confidence  DOUBLE PRECISION NOT NULL
           )""",
        "CREATE INDEX questions_asked_at ON questions (asked_at)",
        """CREATE TABLE feedback (
               query_id  TEXT PRIMARY KEY REFERENCES questions (query_id) ON DELETE CASCADE,
               helpful   SMALLINT NOT NULL,
               comment   TEXT,
               given_at  DOUBLE PRECISION NOT NULL
           )""",
    ),
    # the owner's console (web/admin/, bot/owner/console.py): groups the owner dismissed, and what was changed
    2: (
        """CREATE TABLE dismissed (
               reason        TEXT NOT NULL,              -- unanswered | unhelpful
               phrasing      TEXT NOT NULL,              -- a phrasing of the group, normalised
               dismissed_at  DOUBLE PRECISION NOT NULL,
               session       TEXT NOT NULL,
               PRIMARY KEY (reason, phrasing)
           )""",
        """CREATE TABLE audit (
               id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
               at       DOUBLE PRECISION NOT NULL,     -- Unix time in seconds
               session  TEXT NOT NULL,                 -- who: the console session (or "bearer token")
               action   TEXT NOT NULL,                 -- accept | dismiss | export | sign-in | sign-out
               detail   TEXT NOT NULL
           )""",
    ),
}
SCHEMA_VERSION = max(MIGRATIONS)
if SCHEMA_VERSION != _SQLITE_SCHEMA_VERSION:  # the two backends move together
    raise ImportError(f"bot.pgstore.MIGRATIONS reach version {SCHEMA_VERSION}, bot.store.MIGRATIONS "
                      f"{_SQLITE_SCHEMA_VERSION}")

# While the database is unreachable the pool retries in the background and would log a warning at
# each attempt; the recorder logs an outage once (and its reason: see PostgresStore._transaction).
logging.getLogger("psycopg.pool").setLevel(logging.ERROR)

_WHERE = "asked_at >= %(since)s AND (%(kb)s::text IS NULL OR coalesce(q.kb, q.entry_kb) = %(kb)s::text)"
_INSERT = (f"INSERT INTO questions ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
           "ON CONFLICT (query_id) DO NOTHING")


class PostgresStore(Store):
    """The question log in a PostgreSQL database."""

    _MARK = "%s"
    _WHERE = _WHERE
    _COMMENTS = "string_agg(f.comment, E'\\n')"
    _COUNT_IF = "count(*) FILTER (WHERE {})"
    _DAY = "to_char(to_timestamp(asked_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
    _NAMED = "%({})s"
    _TEXT = "::text"
    _INSERT_NEW = "INSERT INTO {0} ON CONFLICT {1} DO NOTHING"

    def __init__(self, url, *, create: bool = True, timeout: float = CONNECT_TIMEOUT):
        self.url = str(url)
        self.path = masked(self.url)
        self.pool: ConnectionPool | None = None
        kwargs = {"autocommit": True, "connect_timeout": max(1, round(timeout)), "application_name": "faqbot"}
        self._kwargs = kwargs
        with self._guard():
            # one plain connection first: its error says why (a pool would only time out), and it migrates
            with psycopg.connect(self.url, **kwargs) as conn:
                self._migrate(conn, create)
            self.pool = ConnectionPool(self.url, min_size=POOL_MIN, max_size=POOL_MAX, kwargs=kwargs,
                                       timeout=timeout, check=ConnectionPool.check_connection,
                                       name="faqbot", open=False)
            try:
                self.pool.open(wait=True, timeout=timeout + 1)
            except BaseException:
                self.close()  # stop its background attempts
                raise

    @property
    def conn(self) -> ConnectionPool | None:
        """What a forked child inherits and must leave alone (see :class:`web.recorder.Recorder`)."""
        return self.pool

    # ------------------------------------------------------------ plumbing
    @contextmanager
    def _guard(self) -> Iterator[None]:
        """psycopg errors as StoreError naming the database."""
        try:
            yield
        except psycopg.Error as e:
            reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise StoreError(f"{self.path}: {reason}") from None

    @contextmanager
    def _transaction(self) -> Iterator[psycopg.Connection]:
        """One transaction on a connection from the pool."""
        if self.pool is None:
            raise StoreError(f"{self.path}: the store is closed")
        with self._guard():
            try:
                with self.pool.connection() as conn, conn.transaction():
                    yield conn
            except PoolTimeout:
                # the pool only says it waited: a connection of our own says why (refused, no login, ...)
                psycopg.connect(self.url, **self._kwargs).close()
                raise

    def _migrate(self, conn: psycopg.Connection, create: bool) -> None:
        def version() -> int | None:
            if conn.execute("SELECT to_regclass('faqbot_schema')").fetchone()[0] is None:
                return None
            row = conn.execute("SELECT version FROM faqbot_schema").fetchone()
            return row[0] if row else 0

        current = version()
        if current is None and not create:
            raise StoreError(f"{self.path}: no question log here (the service records into "
                             "FAQBOT_DATABASE when it starts)")
        if current == SCHEMA_VERSION:
            return
        # a session lock, then a transaction begun after it is granted: that transaction sees the
        # catalog as the instance that held the lock left it (one begun before the wait may not)
        conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        try:
            self._migrate_locked(conn, version)
        finally:
            if not conn.closed:
                conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))

    def _migrate_locked(self, conn: psycopg.Connection, version) -> None:
        with conn.transaction():
            current = version()  # another instance may have migrated meanwhile
            if current is None:
                conn.execute("CREATE TABLE faqbot_schema (version INTEGER NOT NULL)")
                conn.execute("INSERT INTO faqbot_schema VALUES (0)")
                current = 0
            if current > SCHEMA_VERSION:
                raise StoreError(f"{self.path}: the question log has schema version {current}, "
                                 f"newer than this faqbot understands ({SCHEMA_VERSION}); upgrade faqbot")
            for v in range(current + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[v]:
                    conn.execute(statement)
            conn.execute("UPDATE faqbot_schema SET version = %s", (SCHEMA_VERSION,))

    def check_writable(self) -> None:
        """StoreError unless this role may write the question log."""
        with self._transaction() as c:
            c.execute("LOCK TABLE questions, feedback IN ROW EXCLUSIVE MODE")

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close(timeout=1)
            self.pool = None

    # -------------------------------------------------------------- writes
    def add(self, records: Iterable[Record]) -> int:
        """Insert records in one transaction (a query id already there is kept, not doubled)."""
        rows = [(r.query_id, r.asked_at, r.question, int(r.answered), r.confidence, r.kb, r.intent,
                 r.entry_kb, r.entry_id) for r in records]
        with self._transaction() as c, c.cursor() as cur:
            cur.executemany(_INSERT, rows)
        return len(rows)

    # --------------------------------------------------------------- reads
    def _read(self, sql: str, params=()) -> list[tuple]:
        with self._transaction() as c:
            return c.execute(sql, params or None).fetchall()

    # ------------------------------------------------------------ export
    def log_rows(self, since: float = 0.0, kb: str | None = None, batch: int = 500) -> Iterator[tuple]:
        # a server-side cursor in one transaction: the rows come ``batch`` at a time; the connection goes
        # back to the pool when the iterator is exhausted or closed
        with self._transaction() as c, c.cursor(name="faqbot_log_rows") as cursor:
            cursor.execute(_LOG_ROWS.format(where=_WHERE), {"since": since, "kb": kb})
            yield from self._batches(cursor, batch)
