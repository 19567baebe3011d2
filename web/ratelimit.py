"""FAQBOT_RATELIMIT: one limit per client that holds across every route that answers and every worker.

- **One bucket for answers.** ``POST``/``GET /ask``, and the chat page and
  ``/embed`` when they answer a question (``POST /``, ``?q=``), share one
  counter per client (flask-limiter's ``shared_limit`` with one scope):
  asking through another route gives no more answers. ``/feedback`` has a
  counter of its own at the same rate, so thumbs never cost a question.
- **Counters every worker shares.** gunicorn's workers are processes: counters
  in each one's memory would multiply the limit by the number of workers. By
  default the counters live in a SQLite file beside the question log
  (``instance/faqbot.ratelimit.db`` next to ``instance/faqbot.db``) through
  :class:`SQLiteStorage`, a ``limits`` storage; every worker of the server
  (and every server on the machine that uses the same file) counts in it.
  ``FAQBOT_RATELIMIT_STORAGE=redis://host:6379`` shares them between machines
  instead (``pip install 'faqbot[redis]'``); ``memory://`` keeps them per
  process (one worker only).
- **Who is a client.** The client address, or behind ``FAQBOT_TRUSTED_PROXIES``
  reverse proxies the address they forward (werkzeug's ProxyFix): each
  visitor gets a bucket, and a forged ``X-Forwarded-For`` gets none.

When the storage cannot be used the limit falls back to per-process memory
(logged) rather than failing requests.
"""
from __future__ import annotations

import hashlib

import os
import sqlite3
import threading
import time
from time import monotonic as _monotonic, sleep as _sleep  # not the counters' clock, which tests set
from pathlib import Path

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import Storage
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import OFF

#: the scope of the one counter that every answering route shares
ANSWERS = "answers"
FEEDBACK = "feedback"
#: the attribute a view's declaration leaves for init_app: (scope, exempt_when)
_DECLARED = "faqbot_rate_limit"

#: connections inherited through fork: never closed in the child (that could disturb the parent's file)
_INHERITED: list = []

_SCHEMA = ("CREATE TABLE IF NOT EXISTS counters ("
           "key TEXT PRIMARY KEY, hits INTEGER NOT NULL, expires REAL NOT NULL) WITHOUT ROWID")
# a fixed window: the first hit opens it for `expiry` seconds; a hit after it closed opens the next
_INCR = ("INSERT INTO counters (key, hits, expires) VALUES (:key, :amount, :now + :expiry) "
         "ON CONFLICT (key) DO UPDATE SET "
         "hits = CASE WHEN expires <= :now THEN :amount ELSE hits + :amount END, "
         "expires = CASE WHEN expires <= :now THEN :now + :expiry ELSE expires END "
         "RETURNING hits")


def sqlite_path(uri: str) -> str:
    """The file of a ``sqlite:///relative/path`` or ``sqlite:////absolute/path`` URI."""
    rest = uri.split("://", 1)[1] if "://" in uri else ""
    if not rest.startswith("/") or len(rest) < 2:
        raise ValueError(f"{uri!r}: expected sqlite:///relative/path.db or sqlite:////absolute/path.db")
    return rest[1:]


def default_storage_uri(database: str | None) -> str:
    """``sqlite:///`` a file beside the question log (``<stem>.ratelimit.db``), else in ``instance/``
    (one per database URL: servers recording into different databases keep different counters)."""
    path = Path("instance") / "faqbot.db"
    if database and "://" not in database and database != ":memory:" and not database.startswith("file:"):
        path = Path(database)
    elif database and "://" in database:
        path = Path("instance") / f"faqbot-{hashlib.sha256(database.encode()).hexdigest()[:12]}.db"
    return "sqlite:///" + str(path.with_name(path.stem + ".ratelimit.db"))


def _wal(conn: sqlite3.Connection, timeout: float) -> None:
    """Put the file in WAL mode, once: the mode stays with the file. Workers that open it at the same moment
    may find it locked, and SQLite does not wait for that lock on its own here, so this waits up to ``timeout``
    seconds (a storage error would send the worker to a counter of its own, and the limit would not hold)."""
    deadline = _monotonic() + timeout
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError:
            if _monotonic() >= deadline:
                raise
            _sleep(0.02)


class SQLiteStorage(Storage):
    """A ``limits`` storage in a SQLite file: fixed-window counters shared by every process that opens it.

    One connection per thread and process (a forked worker opens its own);
    each hit is one short write (an upsert), WAL mode lets the reads of other
    workers go on meanwhile. Counters need no durability (``synchronous=OFF``);
    expired ones are deleted every PURGE_EVERY seconds.
    """

    STORAGE_SCHEME = ["sqlite"]
    #: how long a write waits for another process's (seconds)
    BUSY_TIMEOUT = 5.0
    PURGE_EVERY = 60.0

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = sqlite_path(uri)
        self._local = threading.local()
        self._next_purge = 0.0

    @property
    def base_exceptions(self) -> tuple[type[Exception], ...]:
        return (sqlite3.Error, OSError)

    def _conn(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            if getattr(local, "conn", None) is not None:
                _INHERITED.append(local.conn)
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self.BUSY_TIMEOUT, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {int(self.BUSY_TIMEOUT * 1000)}")
            _wal(conn, self.BUSY_TIMEOUT)
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute(_SCHEMA)
            local.conn, local.pid = conn, os.getpid()
        return local.conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count ``amount`` hits on ``key`` in its current window (opening one of ``expiry`` seconds); the total."""
        now = time.time()
        conn = self._conn()
        [(hits,)] = conn.execute(_INCR, {"key": key, "amount": amount, "now": now, "expiry": expiry}).fetchall()
        if now >= self._next_purge:
            self._next_purge = now + self.PURGE_EVERY
            conn.execute("DELETE FROM counters WHERE expires <= ?", (now,))
        return hits

    def get(self, key: str) -> int:
        """The hits on ``key`` in its current window (0 when none is open)."""
        row = self._conn().execute("SELECT hits FROM counters WHERE key = ? AND expires > ?",
                                   (key, time.time())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        """When the current window of ``key`` closes (Unix time; now when none is open)."""
        now = time.time()
        row = self._conn().execute("SELECT expires FROM counters WHERE key = ? AND expires > ?",
                                   (key, now)).fetchone()
        return row[0] if row else now

    def check(self) -> bool:
        """Whether the file can be used."""
        try:
            self._conn().execute("SELECT count(*) FROM counters").fetchone()
            return True
        except self.base_exceptions:
            return False

    def reset(self) -> int | None:
        """Delete every counter; how many there were."""
        return self._conn().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        """Delete the counter of ``key``."""
        self._conn().execute("DELETE FROM counters WHERE key = ?", (key,))


def _no_question() -> bool:
    """A page view, not a question: the chat page counts only when it answers."""
    return request.method != "POST" and not request.args.get("q")


def _declare(scope: str, exempt_when=None):
    def declare(view):
        setattr(view, _DECLARED, (scope, exempt_when))
        return view
    return declare


#: decorators the views wear (beside their route); :func:`init_app` applies FAQBOT_RATELIMIT to them.
#: answers: the view answers a question (the answers counter every answering route shares)
answers = _declare(ANSWERS)
#: answers_when_asked: the view answers when the request carries a question (POST, ``?q=``)
answers_when_asked = _declare(ANSWERS, exempt_when=_no_question)
#: feedback: the view stores a verdict (a counter of its own, at the same rate)
feedback = _declare(FEEDBACK)


#: a Redis that does not answer within a second counts as down (the limiter falls back to memory)
REDIS_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}


def storage_options(config, prefix: str) -> dict:
    """Limiter options for the configured storage: the shared SQLite file by default, else the URI
    (Redis: between instances, under ``prefix``, each process counting in memory while it is down)."""
    storage = config["FAQBOT_RATELIMIT_STORAGE"] or default_storage_uri(config.get("FAQBOT_DATABASE"))
    return {"storage_uri": storage, "key_prefix": prefix, "in_memory_fallback_enabled": True,
            "storage_options": REDIS_OPTIONS if storage.startswith(("redis", "valkey")) else {}}


def init_app(app: Flask) -> Limiter | None:
    """Trust FAQBOT_TRUSTED_PROXIES proxies; apply FAQBOT_RATELIMIT to the views declared with
    :data:`answers`, :data:`answers_when_asked` or :data:`feedback` (call it after registering them)."""
    proxies = app.config["FAQBOT_TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    rate = app.config["FAQBOT_RATELIMIT"]
    if rate == OFF:
        return None
    limiter = Limiter(get_remote_address, app=app, headers_enabled=True, swallow_errors=True,
                      **storage_options(app.config, app.config["FAQBOT_RATELIMIT_PREFIX"]))
    app.extensions["faqbot_limiter"] = limiter

    for endpoint, view in list(app.view_functions.items()):
        declared = getattr(view, _DECLARED, None)
        if declared is not None:
            scope, exempt_when = declared
            app.view_functions[endpoint] = limiter.shared_limit(rate, scope=scope, exempt_when=exempt_when)(view)
    return limiter
