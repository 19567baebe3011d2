"""What ``GET /healthz`` checks besides answering: can this process reach the question log and the
rate limiter's storage?

Neither failing makes the service unhealthy (it still answers: without recording, or with limits
counted per process), so ``/healthz`` stays 200 and reports each as ``ok``, ``unavailable`` or
``off``. The probes are cached for :data:`CACHE_SECONDS`, so a busy health checker costs the
database and Redis one round trip per process every few seconds at most.
"""
from __future__ import annotations

import time

from flask import Flask

OK, UNAVAILABLE, OFF = "ok", "unavailable", "off"
#: a probe's result is reused this long (seconds)
CACHE_SECONDS = 2.0
_CACHE = "faqbot_health"


def checks(app: Flask) -> dict:
    """``{"database": ..., "ratelimit": ...}``, each ``ok``, ``unavailable`` or ``off``."""
    cached = app.extensions.get(_CACHE)
    now = time.monotonic()
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return dict(cached[1])
    result = {"database": _database(app), "ratelimit": _ratelimit(app)}
    app.extensions[_CACHE] = (now, result)
    return dict(result)


def _database(app: Flask) -> str:
    from .recording import EXTENSION

    recorder = app.extensions.get(EXTENSION)
    if recorder is None:
        return OFF
    # unavailable while answers carry no query_id (e.g. a read-only file opens but cannot be written)
    return OK if recorder.available and recorder.ping() else UNAVAILABLE


def _ratelimit(app: Flask) -> str:
    from . import LIMITER

    limiter = app.extensions.get(LIMITER)
    if limiter is None:
        return OFF
    try:
        return OK if limiter.storage.check() else UNAVAILABLE
    except Exception:  # a storage's client may raise rather than answer False
        return UNAVAILABLE
