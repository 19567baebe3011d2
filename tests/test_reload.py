"""``faqbot serve`` reloads its knowledge on SIGHUP: a curation change answers a question it declined,
with a client asking throughout and no failed request; a broken edit keeps the old knowledge."""
from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from test_server import free_port

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_KB = ROOT / "tests" / "fixtures" / "kb"  # cafe.md and shipping.csv

#: declined by the fixture's knowledge; its entry, once an alternate question says so
OVERSEAS = "deliveries overseas to remote islands"
OVERSEAS_ENTRY = "do-you-ship-internationally"


def start_server(knowledge, settings: dict | None = None, workers: int = 1):
    """``faqbot serve`` on a free port: ``(process, base URL, queue of its output lines)``."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "FAQBOT_RATELIMIT": "off", **(settings or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port), "--workers", str(workers),
         "--knowledge", str(knowledge)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line.rstrip("\n")) for line in proc.stdout], daemon=True).start()
    wait_for_line(lines, "faqbot: serving", proc)
    return proc, f"http://127.0.0.1:{port}", lines


def wait_for_line(lines: queue.Queue, start: str, proc, timeout: float = 90) -> str:
    """The next output line that contains ``start`` (the others are printed, for the test's log)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if proc.poll() is not None:
                pytest.fail(f"faqbot serve exited with status {proc.returncode}")
            continue
        if start in line:
            return line
        print("server: " + line)
    proc.kill()
    pytest.fail(f"faqbot serve printed no {start!r} in {timeout:.0f} s")


def stop_server(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def ask(url: str, question: str) -> tuple[int, dict]:
    req = urllib.request.Request(url + "/ask", data=json.dumps({"question": question}).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


class Asker:
    """Threads that ask ``questions`` in turn until stopped, counting replies and failures."""

    def __init__(self, url: str, questions: list[str], threads: int = 4):
        self.url, self.questions = url, questions
        self.replies: list[tuple[str, int, bool]] = []  # (question, status, answered)
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(threads)]

    def _run(self, offset: int) -> None:
        n = offset
        while not self._stop.is_set():
            question = self.questions[n % len(self.questions)]
            n += 1
            try:
                status, body = ask(self.url, question)
                self.replies.append((question, status, bool(body.get("answered"))))
            except (OSError, ValueError) as e:  # refused, reset, timed out, not JSON
                self.failures.append(f"{type(e).__name__}: {e}")

    def __enter__(self) -> "Asker":
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=60)

    def wait_for(self, more: int, timeout: float = 60) -> None:
        """Until ``more`` further replies have arrived (or failed)."""
        target = len(self.replies) + len(self.failures) + more
        deadline = time.monotonic() + timeout
        while len(self.replies) + len(self.failures) < target and time.monotonic() < deadline:
            time.sleep(0.05)


@pytest.fixture
def kb_copy(tmp_path):
    return Path(shutil.copytree(FIXTURE_KB, tmp_path / "kb"))


def test_sighup_answers_after_a_curation_change_with_no_failed_request(kb_copy):
    proc, url, lines = start_server(kb_copy, {"FAQBOT_LOG_QUESTIONS": "false"}, workers=2)
    try:
        status, old = ask(url, OVERSEAS)
        assert (status, old["answered"]) == (200, False)
        with Asker(url, [OVERSEAS, "when are you open?", "is there wifi"]) as asker:
            asker.wait_for(30)
            before = len(asker.replies)
            (kb_copy / "shipping.yaml").write_text(f"questions:\n  {OVERSEAS_ENTRY}:\n    - {OVERSEAS}\n")
            proc.send_signal(signal.SIGHUP)
            reloaded = wait_for_line(lines, "faqbot: reloaded", proc)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # until the new workers answer every request
                asker.wait_for(12)
                if all(answered for q, _, answered in asker.replies[-6:] if q == OVERSEAS):
                    break
            asker.wait_for(30)
        during = len(asker.replies) - before
        status, new = ask(url, OVERSEAS)
        print(f"\nreload: {reloaded}\n{during} /ask replies while reloading, {len(asker.failures)} failed, "
              f"statuses {sorted(set(s for _, s, _ in asker.replies))}\n"
              f"before: {OVERSEAS!r} -> answered={old['answered']} (closest: {old['related'][0]['id']})\n"
              f"after:  {OVERSEAS!r} -> answered={new['answered']} ({new['answer']['id']}, "
              f"confidence {new['confidence']})")
        assert asker.failures == []
        assert {s for _, s, _ in asker.replies} == {200}
        assert (status, new["answered"], new["answer"]["id"]) == (200, True, OVERSEAS_ENTRY)
    finally:
        stop_server(proc)


def test_sighup_with_a_broken_edit_keeps_the_old_knowledge_and_names_the_file_and_line(kb_copy):
    proc, url, lines = start_server(kb_copy, {"FAQBOT_LOG_QUESTIONS": "false"})
    try:
        (kb_copy / "shipping.yaml").write_text(f"questions:\n  {OVERSEAS_ENTRY}: [{OVERSEAS}\n")
        proc.send_signal(signal.SIGHUP)
        failed = wait_for_line(lines, "reload failed", proc)
        assert "still serving the previous knowledge" in failed
        assert f"{kb_copy / 'shipping.yaml'}, line " in failed
        status, body = ask(url, "when are you open?")
        assert (status, body["answer"]["title"]) == (200, "Opening Hours")
        status, body = ask(url, OVERSEAS)
        assert (status, body["answered"]) == (200, False)
    finally:
        stop_server(proc)


def test_accept_on_the_dashboard_reloads_every_worker(tmp_path):
    """The owner's Accept writes the curation file and sends the master SIGHUP: every worker then answers."""
    knowledge = Path(shutil.copytree(FIXTURE_KB, tmp_path / "kb"))
    token = "t" * 32
    proc, url, lines = start_server(knowledge, {"FAQBOT_ADMIN_TOKEN": token, "FAQBOT_SECRET_KEY": "s" * 40,
                                                "FAQBOT_DATABASE": str(tmp_path / "faqbot.db")}, workers=2)
    try:
        assert not any(ask(url, OVERSEAS)[1]["answered"] for _ in range(6))
        form = urllib.parse.urlencode({"question": OVERSEAS, "entry": f"shipping/{OVERSEAS_ENTRY}",
                                       "reason": "unanswered"}).encode()
        req = urllib.request.Request(url + "/admin/fix/accept", data=form,
                                     headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            assert resp.status in (200, 302, 303)
        wait_for_line(lines, "faqbot: reloaded", proc)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the old workers finish their requests and stop
            replies = [ask(url, OVERSEAS)[1] for _ in range(8)]
            if all(r["answered"] and r["answer"]["id"] == OVERSEAS_ENTRY for r in replies):
                break
            time.sleep(0.5)
        else:
            pytest.fail("every worker did not come to answer the accepted question")
    finally:
        stop_server(proc)
