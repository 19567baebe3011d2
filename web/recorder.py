"""The service's recorder: questions recorded without slowing or failing an answer.

:class:`Recorder` hands each record to a background thread of the process and
returns its ``query_id`` at once; the thread writes what has queued up in one
transaction (a batch every few milliseconds under load). Several processes
(gunicorn workers) write to one file: SQLite's write lock and a busy timeout
take turns between their short transactions. Queued records are written
before the process exits (``atexit``; ``faqbot serve`` also flushes when a
worker stops), and a forked child (a gunicorn worker) starts with its own
queue, thread and connections. Recording never fails an answer: when the
database cannot be opened or written, the problem is logged once,
:meth:`Recorder.record` returns None (the reply carries no ``query_id``) and
recording is retried a little later.

The storage itself is :mod:`bot.store` (plain and synchronous); the writer
thread is :class:`web.recordwriter.RecordWriter`; importing this module
registers the at-fork and atexit hooks.
"""
from __future__ import annotations

import atexit
import hashlib
import hmac
import logging
import os
import queue
import secrets
import threading
import time
import weakref

from bot.errors import StoreError
from bot.store import _QUERY_ID, TAG_CHARS, Record, Store, masked, new_query_id, query_time, record_of

from .recordwriter import _STOP, RecordWriter

_RECORDERS: "weakref.WeakSet[Recorder]" = weakref.WeakSet()
#: connections inherited through fork: never closed in the child (that could disturb the parent's file)
_INHERITED: list = []


class Recorder(RecordWriter):
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
