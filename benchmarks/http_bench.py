#!/usr/bin/env python3
"""HTTP benchmark: the production server (``faqbot serve``) under wrk, /ask against /healthz.

    python benchmarks/http_bench.py            # or: make bench
    python benchmarks/http_bench.py --workers 4 --recording on
    python benchmarks/http_bench.py --ceiling   # also: the ratio with an engine that costs nothing

It starts ``faqbot serve`` (gunicorn, default workers, FAQBOT_RATELIMIT=off)
on a free loopback port, then runs wrk for a bounded time against
``GET /healthz`` and against ``POST /ask`` cycling through more than 1,000
distinct questions (made from the knowledge base's titles and FAQ questions in
varied phrasings, plus out-of-scope ones), so that no cache hides the engine's
cost. It prints requests per second and latency percentiles of both, the ratio
``/ask ÷ /healthz``, and the engine's own per-question latency (p50, p99)
measured in-process, with the same settings the server uses, over the
questions of ``../shared/eval/dev.yaml``.

It does so twice by default (``--recording both``): with questions not
recorded (FAQBOT_LOG_QUESTIONS=false), then recorded into a fresh SQLite
database, and compares the two ratios. With recording on it also checks the
question log against wrk: every load ends with a second in which connections
only wait for their last reply (see wrk_faqbot.lua), so no request is in
flight when wrk stops, and once the server has stopped (its workers write
what they queued) the database must hold exactly as many questions as wrk
counted /ask replies.

``--database postgresql://...`` measures several instances instead: two
``faqbot serve`` (``--instances``), 2 workers each (``--workers``), recording
into one PostgreSQL database (in a schema of their own, created for the run and
dropped after it), each under its own wrk at once; it prints the /ask replies
wrk counted on both and the questions recorded, which must be equal, with 0
errors.

Needs wrk (Debian/Ubuntu: ``apt-get install wrk``).
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "wrk_faqbot.lua"
DEV_SETS = [ROOT.parent / "shared" / "eval" / "dev.yaml", ROOT / "tests" / "data" / "dev.yaml"]

IN_SCOPE_PHRASINGS = [
    "{}", "{}?", "what is {}", "what about {}?", "tell me about {}", "explain {}", "can you explain {}",
    "info on {}", "i want to know about {}", "{} please", "details of {}", "what does the guide say about {}",
    "more about {}", "{} overview", "quick question: {}", "what should I know about {}", "show me {}",
    "help with {}", "anything on {}?", "{} - what does that mean", "summarise {}", "and {}?",
]
OUT_OF_SCOPE_SUBJECTS = [
    "the average salary in London", "the weather tomorrow", "my netflix subscription", "reversing a list in python",
    "the best pizza in town", "the capital of Australia", "who painted the Mona Lisa", "the population of Tokyo",
    "bitcoin prices", "how to bake sourdough", "football results", "parking near the office", "my tax return",
    "the meaning of life", "a good laptop for gaming", "learning to play guitar", "the train timetable",
    "visa requirements for Japan", "cooking rice", "the stock market today", "writing a cover letter in French",
    "fixing a flat bike tyre", "how tall is Mount Everest", "dog grooming", "the next solar eclipse",
]
OUT_OF_SCOPE_PHRASINGS = ["{}", "what about {}?", "tell me about {}", "can you help with {}", "info on {}",
                          "i need advice on {}", "{} please"]


# ------------------------------------------------------------------ questions

def bench_questions(bot, minimum: int = 1000) -> list[str]:
    """Distinct questions from the knowledge bases' titles, paths and FAQ questions, plus out-of-scope ones."""
    subjects: list[str] = []
    for kb in bot.knowledge_bases.values():
        for entry in kb.entries:
            subjects.append(entry.title)
            subjects.extend(entry.questions)
            if len(entry.path) > 1:
                subjects.append(" ".join(entry.path))
    subjects = list(dict.fromkeys(s.strip().rstrip("?").lower() for s in subjects if s.strip()))
    rng = random.Random(20240601)
    questions = [p.format(s) for s in subjects for p in IN_SCOPE_PHRASINGS]
    # typos: a visitor's fingers slip on some of them
    for s in subjects:
        if len(s) > 5:
            i = rng.randrange(1, len(s) - 1)
            questions.append(s[:i] + s[i + 1:])
            questions.append(f"whats {s[:i]}{s[i + 1]}{s[i]}{s[i + 2:]}")
    questions += [p.format(s) for s in OUT_OF_SCOPE_SUBJECTS for p in OUT_OF_SCOPE_PHRASINGS]
    questions = list(dict.fromkeys(q for q in questions if 1 <= len(q.strip()) <= 500))
    rng.shuffle(questions)
    if len(questions) < minimum:
        raise SystemExit(f"only {len(questions)} distinct questions from this knowledge base (need {minimum})")
    return questions


def dev_questions() -> tuple[Path | None, list[str]]:
    import yaml

    for path in DEV_SETS:
        if path.is_file():
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            items = (data.get("in_scope") or []) + (data.get("out_of_scope") or [])
            return path, [item["q"] if isinstance(item, dict) else str(item) for item in items]
    return None, []


def engine_latency(bot, questions: list[str], rounds: int) -> tuple[float, float]:
    """p50 and p99 in ms of ``bot.ask`` over every question, ``rounds`` times (after one warm-up round)."""
    for q in questions:
        bot.ask(q)
    samples = []
    clock = time.perf_counter
    for _ in range(rounds):
        for q in questions:
            t0 = clock()
            bot.ask(q)
            samples.append(clock() - t0)
    samples.sort()
    return 1000 * samples[len(samples) // 2], 1000 * samples[min(len(samples) - 1, int(len(samples) * 0.99))]


# ---------------------------------------------------------------------- server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(knowledge: str, port: int, workers: int | None,
                 settings: dict | None = None, memo: bool = False) -> tuple[subprocess.Popen, str]:
    serve = [str(Path(__file__).resolve().parent / "memo_server.py")] if memo else ["-m", "bot", "serve"]
    cmd = [sys.executable, *serve, "--host", "127.0.0.1", "--port", str(port), "--knowledge", knowledge]
    if workers:
        cmd += ["--workers", str(workers)]
    env = {**os.environ, "FAQBOT_RATELIMIT": "off", "PYTHONUNBUFFERED": "1", **(settings or {})}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if proc.poll() is not None:
                raise SystemExit(f"faqbot serve exited with status {proc.returncode}")
            continue
        if line.startswith("faqbot: serving"):
            return proc, line.strip()
        print("server: " + line.rstrip(), file=sys.stderr)
    proc.kill()
    raise SystemExit("faqbot serve did not start within 90 s")


def server_cpu_seconds(pid: int) -> float | None:
    """user + system CPU of the gunicorn master and its workers (Linux /proc), else None."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, found = 0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1] is the parent pid
            total += int(fields[11]) + int(fields[12])  # utime, stime
            found = True
    return total / tick if found else None


def stop_server(proc: subprocess.Popen) -> int:
    """Stop gracefully (SIGTERM: workers finish and write their queued records); the exit status."""
    proc.terminate()
    try:
        return proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


# ------------------------------------------------------------------------- wrk

#: after the measured seconds, wrk waits this long for the replies in flight (and sends nothing)
DRAIN_SECONDS = 1


def run_wrk(url: str, seconds: int, threads: int, connections: int, bodies: Path | None = None,
            server_pid: int | None = None) -> dict:
    """``seconds`` of load, then DRAIN_SECONDS in which every reply in flight arrives; requests/s over ``seconds``."""
    cpu0 = server_cpu_seconds(server_pid) if server_pid else None
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds + DRAIN_SECONDS}s", "--timeout", "5s",
           "-s", str(LUA), url, "--", str(bodies or ""), str(seconds)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    match = re.search(r"^RESULT (.*)$", out.stdout, re.M)
    if out.returncode != 0 or not match:
        raise SystemExit(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    r = {k: int(v) for k, v in (kv.split("=") for kv in match.group(1).split())}
    r["rps"] = r["requests"] / seconds
    r["errors"] = sum(v for k, v in r.items() if k.startswith("errors_"))
    cpu1 = server_cpu_seconds(server_pid) if cpu0 is not None else None
    r["server_cpu_us"] = 1e6 * (cpu1 - cpu0) / r["requests"] if cpu1 is not None and r["requests"] else None
    return r


def row(name: str, r: dict) -> str:
    ms = lambda us: f"{us / 1000:8.2f}"  # noqa: E731
    cpu = f"{r['server_cpu_us']:>12,.0f}" if r["server_cpu_us"] is not None else f"{'-':>12}"
    return (f"{name:<14}{r['rps']:>10,.0f}{ms(r['p50_us'])}{ms(r['p90_us'])}{ms(r['p99_us'])}"
            f"{r['requests']:>10,}{r['errors']:>8,}{cpu}")


# ------------------------------------------------------------------------ main

def measure(args, questions: list[str], bodies: Path, recording: bool, database: Path, memo: bool = False) -> dict:
    """Start a server (recording on or off), load /healthz then /ask, stop it; the figures.

    ``memo``: the server memoises answers (benchmarks/memo_server.py) and the
    warm-up lasts until every worker has seen the questions.
    """
    settings = {"FAQBOT_LOG_QUESTIONS": "true" if recording else "false", "FAQBOT_DATABASE": str(database)}
    port = free_port()
    proc, banner = start_server(args.knowledge, port, args.workers, settings, memo)
    url = f"http://127.0.0.1:{port}"
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=10) as resp:
            assert resp.status == 200
        # warm up both paths (not measured; their /ask replies are recorded too)
        run_wrk(url + "/healthz", 2, args.threads, args.connections)
        warm = run_wrk(url + "/ask", 12 if memo else 2, args.threads, args.connections, bodies)
        health = run_wrk(url + "/healthz", args.seconds, args.threads, args.connections, None, proc.pid)
        ask = run_wrk(url + "/ask", args.seconds, args.threads, args.connections, bodies, proc.pid)
    finally:
        status = stop_server(proc)
    out = {"banner": banner, "health": health, "ask": ask, "warm": warm, "status": status,
           "replies": warm["requests"] + ask["requests"],
           "failed": warm["errors"] + ask["errors"]}
    if recording:
        from bot.store import Store

        with Store(database, create=False) as store:
            out["records"] = store.count()
    return out


def measure_instances(args, bodies: Path) -> int:
    """Several instances recording into one PostgreSQL database under wrk at once; 0 when every
    reply was recorded and none failed."""
    import secrets

    import psycopg

    schema = f"faqbot_bench_{secrets.token_hex(4)}"
    url = f"{args.database}{'&' if '?' in args.database else '?'}options=-csearch_path%3D{schema}"
    with psycopg.connect(args.database, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            settings = {"FAQBOT_LOG_QUESTIONS": "true", "FAQBOT_DATABASE": url}
            servers = []
            try:
                for _ in range(args.instances):
                    servers.append(start_server(args.knowledge, free_port(), args.workers or 2, settings))
                urls = [re.search(r"on (http://\S+)", banner).group(1) for _, banner in servers]
                results: dict[str, dict] = {}

                def load(u: str) -> None:
                    results[u] = run_wrk(u + "/ask", args.seconds, args.threads, args.connections, bodies)

                threads = [threading.Thread(target=load, args=(u,)) for u in urls]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
            finally:
                statuses = [stop_server(proc) for proc, _ in servers]  # workers write what they queued
            recorded = admin.execute(f"SELECT count(*) FROM {schema}.questions").fetchone()[0]
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")
    print(f"server: {servers[0][1]}")
    print(f"{len(urls)} instances x {args.workers or 2} workers, one PostgreSQL database ({args.database}, "
          f"schema {schema}, dropped after), each under its own wrk -t{args.threads} -c{args.connections} "
          f"for {args.seconds} s at once")
    replies = errors = 0
    for u in urls:
        r = results[u]
        replies += r["requests"]
        errors += r["errors"]
        print(f"  {u}/ask: {r['requests']:,} replies ({r['rps']:,.0f}/s, p50 {r['p50_us'] / 1000:.1f} ms, "
              f"p99 {r['p99_us'] / 1000:.1f} ms), {r['errors']:,} errors")
    equal = replies == recorded
    print(f"/ask replies wrk counted: {replies:,} ({errors:,} errors); questions recorded in PostgreSQL: "
          f"{recorded:,}: {'equal' if equal else 'NOT EQUAL'}; servers exited with {statuses}")
    return 0 if equal and errors == 0 and not any(statuses) else 1


def report(name: str, m: dict, target: bool = True) -> float:
    print(f"\n{name}")
    print(f"{'endpoint':<14}{'req/s':>10}{'p50 ms':>8}{'p90 ms':>8}{'p99 ms':>8}{'requests':>10}{'errors':>8}"
          f"{'server µs/req':>14}")
    print(row("GET /healthz", m["health"]))
    print(row("POST /ask", m["ask"]))
    ratio = m["ask"]["rps"] / m["health"]["rps"]
    verdict = f"  (target >= 0.70: {'met' if ratio >= 0.7 else 'NOT met'})" if target else ""
    print(f"/ask ÷ /healthz = {ratio:.2f}{verdict}")
    if "records" in m:
        equal = m["records"] == m["replies"]
        print(f"/ask replies wrk counted: {m['replies']:,} (warm-up {m['warm']['requests']:,} + measured "
              f"{m['ask']['requests']:,}, {m['failed']:,} errors); questions recorded in the database: "
              f"{m['records']:,}: {'equal' if equal else 'NOT EQUAL'}")
    return ratio


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--knowledge", default="knowledge", help="knowledge directory the server loads (default: knowledge)")
    p.add_argument("--seconds", type=int, default=10, help="duration of each measured wrk run (default: 10)")
    p.add_argument("--connections", type=int, default=16, help="wrk connections (default: 16)")
    p.add_argument("--threads", type=int, default=2, help="wrk threads (default: 2)")
    p.add_argument("--workers", type=int, help="gunicorn workers (default: faqbot serve's default)")
    p.add_argument("--rounds", type=int, default=20, help="rounds over the dev questions for the engine latency")
    p.add_argument("--recording", choices=["both", "on", "off"], default="both",
                   help="record questions (FAQBOT_LOG_QUESTIONS) in a temporary database: both (default) "
                        "runs the server without, then with recording")
    p.add_argument("--ceiling", action="store_true",
                   help="also measure with every answer memoised (benchmarks/memo_server.py): the ratio the "
                        "HTTP stack allows with an engine that costs nothing")
    p.add_argument("--repeat", type=int, default=1,
                   help="run each recording setting N times, alternating (the summary takes medians)")
    p.add_argument("--database", metavar="URL",
                   help="a postgresql:// URL: measure --instances instances recording into it instead")
    p.add_argument("--instances", type=int, default=2, help="instances with --database (default: 2)")
    args = p.parse_args(argv)

    if shutil.which("wrk") is None:
        print("http_bench: wrk is not installed. Install it (Debian/Ubuntu: `sudo apt-get install wrk`; "
              "others: https://github.com/wg/wrk) and run again.", file=sys.stderr)
        return 2

    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ["FAQBOT_RATELIMIT"] = "off"
    from web import create_app

    # the server's settings, without recording: this process only asks the engine
    bot = create_app({"FAQBOT_KNOWLEDGE": args.knowledge, "FAQBOT_LOG_QUESTIONS": False}).extensions["faqbot"]
    questions = bench_questions(bot)
    answered = sum(bot.ask(q).answered for q in questions)

    if args.database:
        with tempfile.TemporaryDirectory(prefix="faqbot-bench-") as tmp:
            bodies = Path(tmp) / "ask.jsonl"
            bodies.write_text("".join(json.dumps({"question": q}) + "\n" for q in questions), encoding="utf-8")
            return measure_instances(args, bodies)

    modes = {"both": [False, True], "on": [True], "off": [False]}[args.recording] * args.repeat
    results = []
    with tempfile.TemporaryDirectory(prefix="faqbot-bench-") as tmp:
        bodies = Path(tmp) / "ask.jsonl"
        bodies.write_text("".join(json.dumps({"question": q}) + "\n" for q in questions), encoding="utf-8")
        for n, recording in enumerate(modes):
            results.append((recording, measure(args, questions, bodies, recording, Path(tmp) / f"faqbot-{n}.db")))
        ceiling = measure(args, questions, bodies, False, Path(tmp) / "faqbot-memo.db", memo=True) \
            if args.ceiling else None

    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0].strip()
    print(f"server: {results[0][1]['banner']}")
    print(f"load:   {wrk_version}; -t{args.threads} -c{args.connections}, {args.seconds} s per endpoint "
          f"(then {DRAIN_SECONDS} s for the replies in flight), loopback")
    print(f"/ask cycles through {len(questions):,} distinct questions "
          f"({answered:,} answered, {len(questions) - answered:,} not)")
    ratios: dict[bool, list[float]] = {False: [], True: []}
    for recording, m in results:
        name = ("recording on (FAQBOT_LOG_QUESTIONS=true, a fresh SQLite database)" if recording
                else "recording off (FAQBOT_LOG_QUESTIONS=false)")
        ratios[recording].append(report(name, m))
    if ratios[False] and ratios[True]:
        off, on = statistics.median(ratios[False]), statistics.median(ratios[True])
        runs = f" (medians of {args.repeat} runs each)" if args.repeat > 1 else ""
        print(f"\n/ask ÷ /healthz: recording off {off:.2f}, on {on:.2f}{runs}; on ÷ off = {on / off:.2f}")

    if ceiling:
        ratio = report("ceiling: every answer memoised (benchmarks/memo_server.py), recording off", ceiling, False)
        print(f"with an engine that cost nothing, /ask ÷ /healthz would be {ratio:.2f}: the rest of the gap "
              f"to it is the engine's")

    dev_path, dev = dev_questions()
    if dev:
        p50, p99 = engine_latency(bot, dev, args.rounds)
        print(f"\nengine, in-process, {len(dev)} questions of {os.path.relpath(dev_path, ROOT)} x {args.rounds}: "
              f"p50 {p50:.3f} ms  p99 {p99:.3f} ms  (target p50 <= 1 ms: {'met' if p50 <= 1 else 'NOT met'})")
    else:
        print("\nengine: no dev.yaml found (looked in " + ", ".join(str(d) for d in DEV_SETS) + ")")
    p50, p99 = engine_latency(bot, questions, 1)
    print(f"engine, in-process, the {len(questions):,} benchmark questions: p50 {p50:.3f} ms  p99 {p99:.3f} ms")
    errors = any(m["health"]["errors"] or m["ask"]["errors"] for _, m in results + ([(None, ceiling)] if ceiling else []))
    lost = any(m.get("records", m["replies"]) != m["replies"] for _, m in results)
    return 1 if errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
