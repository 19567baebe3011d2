"""``faqbot serve``: the service under gunicorn, or Flask's reloading server with ``--dev``.

gunicorn loads the app once in the master (``preload_app``), so the knowledge
base is read and indexed once and the forked workers share it. Further
gunicorn settings can be given in ``GUNICORN_CMD_ARGS`` (for example
``GUNICORN_CMD_ARGS="--access-logfile -"`` turns the access log on);
``--host``, ``--port`` and ``--workers`` win over it.

SIGHUP reloads the knowledge without a failed request (see :meth:`Server.reload`):
edit a source or its curation file (``faqbot learn`` writes one), then
``kill -HUP <pid>`` with the pid the first line printed.

Slow and stalled clients. Each worker is gunicorn's threaded worker
(:class:`Worker`): its main loop accepts connections and waits for idle
kept-alive ones without a thread, and THREADS threads serve requests. A
client that stalls (never finishes its headers, or promises a body and never
sends it) holds one thread, for REQUEST_TIMEOUT seconds at most: then its
connection is shut down. So fewer than THREADS stalled connections per
worker leave the service answering everyone else at once, and more only
until their deadline. A reverse proxy that buffers requests (nginx does by
default) keeps slow clients from reaching the workers at all: see docs/production.md.
"""
from __future__ import annotations

import gc
import json
import os
import socket
import sys
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator

from gunicorn import util as gunicorn_util
from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

from bot.errors import FaqbotError
from web.recorder import flush_all

from . import create_app
from .errors import CODES, error_body
from .security import REFERRER_POLICY, content_security_policy
from .state import get_bot

#: requests one worker serves at once; a stalled client holds one of them until REQUEST_TIMEOUT
THREADS = 16
#: seconds a connection has to send a request and take its answer (a request takes milliseconds)
REQUEST_TIMEOUT = 10.0
#: idle kept-alive connections are closed after this many seconds (gunicorn's keepalive)
KEEPALIVE = 2
#: connections one worker holds at most (beyond, they wait in the kernel's queue of BACKLOG)
WORKER_CONNECTIONS = 1000
BACKLOG = 2048
MAX_WORKERS = 8


class Deadlines:
    """Sockets being served, each with a deadline; :meth:`expire` shuts down those past it.

    Shutting a socket down wakes the thread blocked reading it (it reads the
    end of the stream) and frees it: the stalled client's request ends, its
    connection is closed.
    """

    def __init__(self, timeout: float = REQUEST_TIMEOUT):
        self.timeout = timeout
        self._lock = threading.Lock()
        self._watched: dict[object, tuple[float, socket.socket]] = {}

    @contextmanager
    def watch(self, key: object, sock: socket.socket) -> Iterator[None]:
        """While the block runs, ``sock`` is shut down if it lasts more than ``timeout`` seconds."""
        with self._lock:
            self._watched[key] = (time.monotonic() + self.timeout, sock)
        try:
            yield
        finally:
            with self._lock:
                self._watched.pop(key, None)

    def expire(self, now: float | None = None) -> int:
        """Shut down every watched socket past its deadline; how many."""
        now = time.monotonic() if now is None else now
        with self._lock:
            late = [key for key, (deadline, _) in self._watched.items() if deadline <= now]
            socks = [self._watched.pop(key)[1] for key in late]
        for sock in socks:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # closed meanwhile
        return len(socks)

    def run_forever(self, interval: float = 0.5) -> None:
        """Expire deadlines every ``interval`` seconds (the body of a daemon thread)."""
        while True:
            time.sleep(interval)
            self.expire()


class Worker(ThreadWorker):
    """gunicorn's threaded worker, with a deadline (REQUEST_TIMEOUT) on every request a thread serves."""

    def init_process(self) -> None:
        self.deadlines = Deadlines(REQUEST_TIMEOUT)
        threading.Thread(target=self.deadlines.run_forever, name="faqbot-deadlines", daemon=True).start()
        super().init_process()

    def handle(self, conn):
        with self.deadlines.watch(conn, conn.sock):
            return super().handle(conn)


def default_workers() -> int:
    """2 x cores + 1 (gunicorn's advice), at most MAX_WORKERS."""
    return min(2 * (os.cpu_count() or 1) + 1, MAX_WORKERS)


class Server(BaseApplication):
    """gunicorn running the app that ``factory`` builds."""

    def __init__(self, factory: Callable, options: dict, explicit: tuple[str, ...] = ("bind",)):
        self.factory = factory
        self.options = options
        self.explicit = explicit  # options given on the command line: GUNICORN_CMD_ARGS cannot change them
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        env_args = self.cfg.parser().parse_args(self.cfg.get_cmd_args_from_env())
        for key, value in vars(env_args).items():
            if value is not None and key != "args":
                self.cfg.set(key.lower(), value)
        for key in self.explicit:
            self.cfg.set(key, self.options[key])

    def load(self):
        return self.factory()

    def reload(self) -> None:
        """SIGHUP: the settings and the knowledge read again, the app rebuilt once, here in the master.

        gunicorn then forks new workers from it and stops the old ones gracefully (each finishes the
        requests it has; the listening socket stays open throughout), so no request fails. A broken
        edit (a source or curation file that does not load) keeps the running app and is logged with
        its file and line.
        """
        super().reload()
        try:
            app = self.factory()
        except (FaqbotError, ValueError, OSError) as e:
            print(f"faqbot: reload failed, still serving the previous knowledge: {e}", file=sys.stderr, flush=True)
            return
        self.callable = app
        gc.unfreeze()  # the previous app, frozen at start, may be collected now
        gc.collect()
        gc.freeze()  # as at start (see _when_ready)
        print(f"faqbot: reloaded {_describe(app)}; new workers take over", flush=True)


def _write_json_error(sock, status: int, reason: str, message: str) -> None:
    """gunicorn's own refusals (a request line over 8 KiB, malformed HTTP) in the service's error shape."""
    body = json.dumps(error_body(CODES.get(status, "bad_request"), message or reason.lower()),
                      separators=(",", ":")).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nX-Content-Type-Options: nosniff\r\n"
            f"Referrer-Policy: {REFERRER_POLICY}\r\nContent-Security-Policy: {content_security_policy()}\r\n\r\n")
    gunicorn_util.write_nonblock(sock, head.encode("latin-1") + body)


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


#: set in the workers of ``faqbot serve``: the pid of the master, which reloads every worker on SIGHUP
MASTER_PID = "_FAQBOT_SERVER_PID"


def _when_ready(server) -> None:
    # The index is built (preload) and workers are not forked yet: move every
    # object into the permanent generation, so the workers' garbage collector
    # never walks the index again (and never copies its pages by touching them).
    # Measured with benchmarks/http_bench.py: about 6% less CPU per /ask.
    gc.collect()
    gc.freeze()
    os.environ[MASTER_PID] = str(server.pid)  # the workers forked next know whom to ask for a reload
    where = ", ".join(str(listener) for listener in server.LISTENERS)
    print(f"faqbot: serving {_describe(server.app.wsgi())} on {where} "
          f"({server.num_workers} workers of {server.cfg.threads} threads; Ctrl-C stops, "
          f"kill -HUP {server.pid} reloads the knowledge)", flush=True)


def _describe(app) -> str:
    kbs = get_bot(app).knowledge_bases
    entries = sum(len(kb.entries) for kb in kbs.values())
    return f"{entries} entries from {len(kbs)} knowledge base(s)"


def _worker_exit(server, worker) -> None:
    """Write the questions a stopping worker has queued (atexit writes any answered after this)."""
    flush_all()


def options(args) -> dict:
    """gunicorn settings for ``faqbot serve`` arguments."""
    return {
        "bind": _bind(args.host, args.port),
        "workers": args.workers or default_workers(),
        "worker_class": Worker,
        "threads": THREADS,
        "keepalive": KEEPALIVE,
        "worker_connections": WORKER_CONNECTIONS,
        "backlog": BACKLOG,
        "preload_app": True,  # build the index once, before forking
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        # a GET /ask URL may carry a 500-character question percent-encoded
        "limit_request_line": 8190,
        "when_ready": _when_ready,
        "worker_exit": _worker_exit,
    }


def _app_config(args) -> dict:
    return {"FAQBOT_KNOWLEDGE": args.knowledge} if getattr(args, "knowledge", None) else {}


def application(args) -> Server:
    """The gunicorn application for ``faqbot serve`` arguments (not started)."""
    explicit = ("bind", "workers") if args.workers else ("bind",)
    return Server(lambda: create_app(_app_config(args)), options(args), explicit)


def serve(args) -> int:
    if getattr(args, "dev", False):
        app = create_app(_app_config(args))
        print(f"faqbot: development server on http://{_bind(args.host, args.port)}/ (reloads on change)",
              flush=True)
        app.run(host=args.host, port=args.port, debug=True, use_reloader=True)
        return 0
    gunicorn_util.write_error = _write_json_error  # gunicorn has no hook for its error page
    application(args).run()
    return 0
