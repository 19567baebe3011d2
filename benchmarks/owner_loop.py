#!/usr/bin/env python3
"""The owner's loop, end to end, against the production server:

    python benchmarks/owner_loop.py            # or: make owner-loop

1. ``faqbot ask``: paraphrases that visitors will type are declined today,
   though the entry they mean is the bot's best candidate;
2. ``make run`` (gunicorn) on a copy of knowledge/ with a fresh question log;
   visitors ask questions through ``POST /ask`` (the paraphrases several times
   over) and give thumbs through ``POST /feedback``;
3. ``faqbot report``; 4. ``faqbot learn --yes`` (and what it changed in the
   curation file); 5. the server reloads its knowledge (SIGHUP, no restart);
   the formerly unanswered paraphrases (including some that were never learned
   word for word) are answered.

Only temporary copies are touched: the repository's knowledge/ and instance/
stay as they are. Exit status 0 when every paraphrase is answered correctly
after the reload.
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
KB = "python-backend-developer"
JUNIOR = "career-progression/junior-python-developer"
SENIOR_DUTIES = "core-responsibilities/senior-level"

#: (question, times asked, thumbs: None, "up" or "down")
VISITORS = [
    ("how long does a junior stay junior", 3, None),     # declined today: visitors' own words
    ("How long does a junior stay a junior?", 2, None),
    ("how long do juniors stay junior", 2, None),
    ("do seniors lead teams", 2, "down"),                # answered by Lead Python Developer: thumbs down
    ("how many years until senior?", 1, "up"),
    ("what skills do I need", 1, "up"),
    ("is a degree necessary", 1, "up"),
    ("which certs should I get", 1, None),
    ("is SQL needed", 1, None),
    ("what is the salary range?", 2, None),               # not in the guide: stays unanswered
    ("do I have to know docker", 1, None),
    ("hello", 1, None),
]
#: asked after the restart: (question, the entry that should answer)
AFTERWARDS = [
    ("how long does a junior stay junior", JUNIOR),
    ("how long do you stay a junior", JUNIOR),          # never asked before: a new phrasing
    ("how long do people stay junior devs", JUNIOR),
    ("do seniors lead teams", SENIOR_DUTIES),            # Senior Level lists "Team leadership"
]


def say(text: str = "") -> None:
    print(text, flush=True)


def run(args: list[str], env: dict) -> str:
    """Run a faqbot command and show it as a transcript."""
    shown = " ".join(a if a.replace("-", "").replace("/", "").replace(".", "").replace("_", "").isalnum()
                     else json.dumps(a) for a in args)
    say(f"$ {shown}")
    out = subprocess.run([str(BIN / args[0])] + args[1:], env=env, cwd=ROOT, capture_output=True, text=True)
    text = (out.stdout + out.stderr).rstrip()
    say(text)
    if out.returncode != 0:
        raise SystemExit(f"{args[0]} exited with status {out.returncode}")
    return text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``make run`` in its own process group, on a port, with the given environment."""

    def __init__(self, port: int, knowledge: Path, env: dict):
        self.port, self.knowledge, self.env = port, knowledge, env
        self.url = f"http://127.0.0.1:{port}"

    def start(self) -> None:
        cmd = ["make", "-s", "run", f"PORT={self.port}", f"KNOWLEDGE={self.knowledge}"]
        say(f"$ {' '.join(cmd)}   # FAQBOT_DATABASE={self.env['FAQBOT_DATABASE']}")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line) for line in self.proc.stdout], daemon=True).start()
        banner = self.wait_for("faqbot: serving")
        self.master = int(re.search(r"kill -HUP (\d+)", banner).group(1))

    def wait_for(self, start: str) -> str:
        """Print the server's output up to the line that starts with ``start``; that line."""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.proc.poll() is not None:
                    raise SystemExit(f"make run exited with status {self.proc.returncode}")
                continue
            say(line.rstrip())
            if line.startswith(start):
                return line
        self.stop()
        raise SystemExit(f"the server printed no {start!r} within 90 s")

    def reload(self) -> None:
        """SIGHUP to gunicorn's master: the knowledge read again, new workers, no restart."""
        say(f"$ kill -HUP {self.master}")
        os.kill(self.master, signal.SIGHUP)
        self.wait_for("faqbot: reloaded")

    def stop(self) -> None:
        """SIGTERM to make and gunicorn: workers finish and write what they recorded."""
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def post(self, path: str, body: dict) -> tuple[int, dict]:
        req = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())


def outcome(reply: dict) -> str:
    if reply.get("answered"):
        return f"answered: {reply['answer']['title']} ({reply['confidence']:.2f})"
    if reply.get("intent") == "smalltalk":
        return "small talk"
    closest = reply["related"][0]["title"] if reply.get("related") else "nothing close"
    return f"declined ({reply['confidence']:.2f}; closest: {closest})"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--keep", action="store_true", help="keep the temporary directory (printed at the end)")
    args = p.parse_args(argv)
    if not (BIN / "faqbot").exists():
        raise SystemExit("no .venv/bin/faqbot: run `make install` first")

    tmp = Path(tempfile.mkdtemp(prefix="faqbot-owner-loop-"))
    knowledge, database = tmp / "knowledge", tmp / "faqbot.db"
    shutil.copytree(ROOT / "knowledge", knowledge)
    curation = knowledge / f"{KB}.yaml"
    curation_before = curation.read_text(encoding="utf-8")
    source_before = (knowledge / f"{KB}.txt").read_bytes()
    env = {**os.environ, "FAQBOT_DATABASE": str(database), "FAQBOT_KNOWLEDGE": str(knowledge)}
    env.pop("FAQBOT_LOG_QUESTIONS", None)
    server = Server(free_port(), knowledge, env)
    ok = True
    try:
        say("== 1. today, these paraphrases are declined, though the entry they mean is the best candidate")
        for q in ("how long does a junior stay junior", "how long do you stay a junior"):
            run(["faqbot", "ask", q], env)
        say()

        say("== 2. the production server, and visitors asking")
        server.start()
        for question, times, thumbs in VISITORS:
            for n in range(times):
                status, reply = server.post("/ask", {"question": question})
                verdict = ""
                if thumbs and reply.get("query_id"):  # each of these visitors clicks a thumb
                    feedback = {"query_id": reply["query_id"], "helpful": thumbs == "up"}
                    if thumbs == "down" and n == 0:
                        feedback["comment"] = "I asked about seniors, not leads"
                    fs, _ = server.post("/feedback", feedback)
                    verdict = f"  [thumbs {thumbs}: {fs}]"
                say(f"POST /ask {status} {reply.get('query_id', '(no query_id)')}  {question!r}: "
                    f"{outcome(reply)}{verdict}")
        time.sleep(1)  # each worker writes what it recorded within a quarter of a second
        say()

        say("== 3. the report")
        run(["faqbot", "report", "--database", str(database)], env)
        say()

        say("== 4. learning from visitors")
        run(["faqbot", "learn", "--yes", "--database", str(database), "--knowledge", str(knowledge)], env)
        say(f"\n$ diff -u {KB}.yaml (before) {KB}.yaml (after)")
        diff = difflib.unified_diff(curation_before.splitlines(), curation.read_text(encoding="utf-8").splitlines(),
                                    "before", "after", lineterm="", n=1)
        say("\n".join(diff))
        assert (knowledge / f"{KB}.txt").read_bytes() == source_before, "the guide itself was edited"
        say(f"(the guide {KB}.txt is unchanged)")
        say()

        say("== 5. reload the knowledge (no restart), and ask again")
        server.reload()
        time.sleep(1)  # the old workers finish what they hold and stop; the new ones answer
        for question, expected in AFTERWARDS:
            status, reply = server.post("/ask", {"question": question})
            right = reply.get("answered") and reply["answer"]["id"] == expected
            ok = ok and bool(right)
            say(f"POST /ask {status}  {question!r}: {outcome(reply)}  {'OK' if right else 'WRONG, expected ' + expected}")
    finally:
        if getattr(server, "proc", None) is not None and server.proc.poll() is None:
            server.stop()
        if args.keep:
            say(f"\nkept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    say("\nevery formerly unanswered paraphrase is answered correctly" if ok else "\nSOME PARAPHRASES ARE NOT ANSWERED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
