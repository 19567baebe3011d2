"""The recorder's writer thread: queued records written in batches, an unavailable database retried.

:class:`RecordWriter` is the part of :class:`web.recorder.Recorder` that runs
in its background thread: it gathers what has queued up (a batch every few
milliseconds under load), writes it in one transaction, drops (and logs) a
record the database refuses, holds the rest while the database is
unavailable and retries it later. It uses the recorder's queue, locks, store
connections and tuning constants (``LINGER``, ``BATCH``, ``MAX_PENDING``,
``RETRY_MIN``/``RETRY_MAX``, ``PURGE_EVERY``, ``IDLE_EXIT``).
"""
from __future__ import annotations

import queue
import threading
import time

from bot.errors import StoreError
from bot.store import Record, Store

#: put on the queue by Recorder.close: write what is queued, then end the thread
_STOP = object()


class RecordWriter:
    """The writer thread and the database's health, as a mixin of :class:`web.recorder.Recorder`."""

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
        """Gather what is queued into batches and write them, until stopped or idle for IDLE_EXIT."""
        pending: list[Record] = []
        stop = False
        while not stop:
            try:
                item = q.get(timeout=self._wait_for(pending))
            except queue.Empty:
                item = None
                if not pending:
                    if self._end_if_idle(q):
                        return
                    continue
            if item is not None and item is not _STOP and not isinstance(item, threading.Event):
                self._wake.wait(self.LINGER)  # let a batch gather: one wake-up per batch, not per record
                self._wake.clear()
            stop, events = self._gather(q, item, pending)
            pending = self._write_batch(pending, stop, events)
        if pending:
            self._lost += len(pending)
            self.log.warning("faqbot: %d recorded question(s) could not be written to %s", len(pending), self.name)
        self._close_writer()

    def _wait_for(self, pending: list[Record]) -> float:
        """How long to wait for the next item: until the retry when the last write failed, else IDLE_EXIT."""
        if pending:  # the last write failed: retry when it is time (or sooner, if more arrives)
            return max(0.0, self._retry_at - time.monotonic())
        return self.IDLE_EXIT

    def _end_if_idle(self, q: queue.SimpleQueue) -> bool:
        """Nothing arrived for IDLE_EXIT: end the thread (True), unless a record arrived meanwhile."""
        with self._lock:
            if q.empty() and not self._closed:
                self._thread = None
                self._close_writer()
                return True
        return False

    def _gather(self, q: queue.SimpleQueue, item, pending: list[Record]) -> tuple[bool, list[threading.Event]]:
        """Add ``item`` and what else is queued (up to BATCH records) to ``pending``;
        whether a stop was among them, and the flushes waiting for this write."""
        stop = False
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
        return stop, events

    def _write_batch(self, pending: list[Record], stop: bool, events: list[threading.Event]) -> list[Record]:
        """Write ``pending`` when it is time (or a stop or flush asks); what is still unwritten.
        The waiting flushes are released whatever happens."""
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
        return pending

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
