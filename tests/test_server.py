"""``faqbot serve``: gunicorn settings, --dev, and one real server answering and surviving garbage."""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask

from web import server

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"


def serve_args(**overrides) -> argparse.Namespace:
    args = {"host": "127.0.0.1", "port": 8000, "workers": None, "dev": False, "knowledge": None}
    args.update(overrides)
    return argparse.Namespace(**args)


def test_options_preload_the_app_and_keep_the_access_log_off():
    opts = server.options(serve_args())
    assert opts["bind"] == "127.0.0.1:8000"
    assert opts["preload_app"] is True
    assert opts["accesslog"] is None
    assert (opts["worker_class"], opts["threads"]) == (server.Worker, server.THREADS)
    assert (opts["keepalive"], opts["worker_connections"], opts["backlog"]) == (2, 1000, 2048)  # see docs/production.md
    assert opts["workers"] == server.default_workers()
    assert 1 <= server.default_workers() <= server.MAX_WORKERS


@pytest.mark.parametrize("host, bind", [("0.0.0.0", "0.0.0.0:8000"), ("::1", "[::1]:8000"), ("[::]", "[::]:8000")])
def test_options_bind_to_the_host(host, bind):
    assert server.options(serve_args(host=host))["bind"] == bind


def test_gunicorn_cmd_args_add_settings_and_change_defaults(monkeypatch):
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--workers 7 --access-logfile -")
    cfg = server.application(serve_args()).cfg
    assert cfg.workers == 7
    assert cfg.accesslog == "-"


def test_workers_flag_wins_over_gunicorn_cmd_args(monkeypatch):
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--workers 7")
    cfg = server.application(serve_args(workers=3)).cfg
    assert cfg.workers == 3


def test_gunicorn_cmd_args_cannot_move_the_port(monkeypatch):
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--bind 0.0.0.0:9999")
    cfg = server.application(serve_args(port=8123)).cfg
    assert cfg.bind == ["127.0.0.1:8123"]


def test_dev_runs_flasks_reloader(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(Flask, "run", lambda self, **kw: calls.append((self, kw)))
    monkeypatch.setenv("FAQBOT_RATELIMIT", "off")
    monkeypatch.setenv("FAQBOT_DATABASE", str(tmp_path / "faqbot.db"))
    assert server.serve(serve_args(dev=True, port=8123, knowledge=str(FIXTURE_KB))) == 0
    (app, kwargs), = calls
    assert kwargs == {"host": "127.0.0.1", "port": 8123, "debug": True, "use_reloader": True}
    assert set(app.extensions["faqbot"].knowledge_bases) == {"cafe", "shipping"}


# ------------------------------------------------------------- a real server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, data=None, content_type="application/json", method=None, timeout=10):
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": content_type} if data else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


@contextmanager
def serving(folder: Path, workers: int = 1, **settings: str):
    """``faqbot serve`` (gunicorn) on a free port with FAQBOT_* ``settings``; yields its base URL and first line."""
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("FAQBOT_", "GUNICORN_"))},
           "FAQBOT_RATELIMIT": "off", "PYTHONUNBUFFERED": "1", "FAQBOT_DATABASE": str(folder / "faqbot.db"), **settings}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port), "--workers", str(workers),
         "--knowledge", str(FIXTURE_KB)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    try:
        first = lines.get(timeout=60)
    except queue.Empty:
        proc.kill()
        pytest.fail("faqbot serve printed nothing in 60 s")
    try:
        yield f"http://127.0.0.1:{port}", first
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """``faqbot serve`` (gunicorn, 1 worker) on a free port; yields its base URL and its first line."""
    with serving(tmp_path_factory.mktemp("live")) as server:
        yield server


def test_serve_says_where_it_listens(live_server):
    url, first = live_server
    assert re.match(rf"faqbot: serving \d+ entries from 2 knowledge base\(s\) on {re.escape(url)} ", first), first


GARBAGE = [
    ("invalid JSON", b'{"question": ', "application/json", 400, "invalid_json"),
    ("1 MB body", b'{"question": "' + b"a" * 1_000_000 + b'"}', "application/json", 413, "body_too_large"),
    ("number as question", b'{"question": 12345}', "application/json", 400, "invalid_question"),
    ("only control characters", json.dumps({"question": "\x00\x01\x02\x1b"}).encode(), "application/json",
     400, "invalid_question"),
    ("10,000 characters", json.dumps({"question": "x" * 10_000}).encode(), "application/json", 400,
     "invalid_question"),
    ("not JSON", b"question=hello", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
]


@pytest.mark.parametrize("data, content_type, status, code", [g[1:] for g in GARBAGE], ids=[g[0] for g in GARBAGE])
def test_serve_refuses_garbage_and_keeps_answering(live_server, data, content_type, status, code):
    url, _ = live_server
    got_status, body = request(url + "/ask", data, content_type)
    assert (got_status, body["error"]["code"]) == (status, code)
    got_status, body = request(url + "/ask", json.dumps({"question": "when are you open?"}).encode())
    assert got_status == 200
    assert body["answer"]["title"] == "Opening Hours"


def test_serve_refuses_an_overlong_url_in_the_error_shape(live_server):
    url, _ = live_server
    status, body = request(url + "/ask?q=" + "x" * 10_000)
    assert status == 414
    assert body["error"]["code"] == "uri_too_long"
    # the longest question percent-encoded (500 four-byte characters: 6,000 bytes) still fits
    status, body = request(url + "/ask?q=" + urllib.parse.quote("\N{GRINNING FACE}" * 500))
    assert status == 200


def test_serve_answers_health_checks(live_server):
    url, _ = live_server
    status, body = request(url + "/healthz")
    assert status == 200 and body["status"] == "ok"
    assert [kb["name"] for kb in body["knowledge_bases"]] == ["cafe", "shipping"]


def test_serve_fails_fast_on_a_bad_knowledge_directory(tmp_path):
    (tmp_path / "broken.csv").write_text("title,body\nno,question column\n")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", str(free_port()), "--knowledge", str(tmp_path)],
        capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "broken.csv" in result.stderr


def test_serve_refuses_a_chunked_body_over_the_limit(live_server):
    url, _ = live_server
    port = int(url.rsplit(":", 1)[1])
    body = b'{"question": "when are you open?"}' + b" " * 40_000  # valid JSON, then spaces past 16 KiB
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"POST /ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        for i in range(0, len(body), 4096):
            chunk = body[i:i + 4096]
            s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        s.sendall(b"0\r\n\r\n")
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    head, _, payload = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ")
    assert json.loads(payload)["error"]["code"] == "body_too_large"


# ------------------------------------------------------------- stalled clients

#: connections that stop half way, as a slow or hostile client leaves them
STALLS = {
    "connects and sends nothing": b"",
    "never finishes its headers": b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ",
    "promises a body, never sends it": (b"POST /ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                        b"Content-Length: 100\r\n\r\n"),
    "starts a chunked body, never ends it": (b"POST /ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                             b"Transfer-Encoding: chunked\r\n\r\n5\r\n{\"que"),
}
#: stalled connections held open at once (with 1 worker)
STALLED = 12


def test_stalled_clients_do_not_stop_the_server_answering_others(tmp_path):
    """The slow-client script: while STALLED connections hang, /healthz and /ask answer at once."""
    with serving(tmp_path) as (url, _):
        port = int(url.rsplit(":", 1)[1])
        stalled = []
        for n in range(STALLED):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(list(STALLS.values())[n % len(STALLS)])
            stalled.append(s)
        time.sleep(0.5)  # the worker has taken every one of them up
        try:
            answered = []
            for method, path, data in [("GET", "/healthz", None), ("GET", "/ask?q=wifi", None),
                                       ("POST", "/ask", b'{"question": "when are you open?"}')] * 2:
                started = time.monotonic()
                status, _ = request(url + path, data, timeout=3)  # a server held up by them would time out
                answered.append(f"{method} {path} {status} in {1000 * (time.monotonic() - started):.0f} ms")
                assert status == 200
            print(f"\nwith {STALLED} stalled connections open ({', '.join(STALLS)}): " + "; ".join(answered))
        finally:
            for s in stalled:
                s.close()


def test_a_request_past_its_deadline_is_cut_off_and_its_thread_freed():
    """What the worker does to a stalled connection after REQUEST_TIMEOUT (here 0.1 s): its reader wakes up."""
    deadlines = server.Deadlines(timeout=0.1)
    ours, theirs = socket.socketpair()
    read = []
    with ours, theirs:
        reader = threading.Thread(target=lambda: read.append(ours.recv(10)))  # like a thread parsing a request
        with deadlines.watch("conn", ours):
            reader.start()
            assert deadlines.expire() == 0  # not yet
            assert deadlines.expire(time.monotonic() + 1) == 1
            reader.join(timeout=5)
        assert read == [b""] and not reader.is_alive()  # the end of the stream: the request ends, the thread is free
        assert deadlines.expire(time.monotonic() + 1) == 0  # a finished request is no longer watched


# ------------------------------------------------------------- the rate limit across workers

def get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_rate_limit_holds_across_workers_and_routes(tmp_path):
    """4 workers, 5/minute, the embedded default storage: 5 answers in all from /ask, /?q= and /embed?q=."""
    routes = ["/ask?q=wifi", "/?q=wifi", "/embed?q=wifi"]
    with serving(tmp_path, workers=4, FAQBOT_RATELIMIT="5/minute") as (url, first):
        assert "(4 " in first  # workers
        with concurrent.futures.ThreadPoolExecutor(8) as pool:  # at once: every worker takes some
            replies = list(pool.map(lambda n: (routes[n % 3], *get(url + routes[n % 3])), range(30)))
    answers = [route for route, status, _, _ in replies if status == 200]
    refused = [(headers, body) for _, status, headers, body in replies if status == 429]
    print(f"\n4 workers, FAQBOT_RATELIMIT=5/minute: {len(answers)} answers of {len(replies)} requests "
          f"({', '.join(f'{r} {answers.count(r)}' for r in routes)}), {len(refused)} refused with 429, "
          f"Retry-After {sorted({h['Retry-After'] for h, _ in refused})}")
    assert len(answers) == 5 and len(refused) == 25
    for headers, body in refused:
        assert 0 < int(headers["Retry-After"]) <= 60
        assert json.loads(body) == {"error": {"code": "rate_limited",
                                              "message": "too many requests (5 per 1 minute); try again later"}}
