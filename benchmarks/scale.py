#!/usr/bin/env python3
"""What faqbot costs as a knowledge base grows: MedQuAD at several sizes, against plain BM25.

    python benchmarks/scale.py [--sizes 1000,5000,10000,18122] [--before REV] [--no-serve]

For each size N (the first N lines of ``../shared/benchmarks/medquad/medquad.jsonl``,
whose dev queries all point into the first 1,000), each measured in a fresh process:

* build: ``faqbot index`` (load the source, fit, save): seconds and peak RSS;
  the saved index's size on disk;
* load: the saved index into a new process (seconds), then the engine's
  time per question over the 491 dev queries (p50 / p99, wall clock and CPU),
  P@1 by query set (the answer, or ``related[0]`` when declined, as
  ``score_medquad.py`` counts it) and the share of out-of-scope queries answered;
* cold ``faqbot ask`` (a new process answering one question from the saved
  index) and ``faqbot serve`` until ``/healthz`` answers (``--no-serve`` skips it);
* plain BM25 (k1 1.2, b 0.75, over the words of question + answer, sparse) in
  its own process: build seconds, peak RSS, p50 and P@1.

Then the guide's figures (``benchmarks/quality.py``). ``--before REV`` also
measures the engine as it was at REV (a temporary git worktree) in the same
run: MedQuAD at each size right after this engine, on the same entries, then
that revision's ``benchmarks/quality.py`` on the same question sets, and the two
engines' time per question on the guide asked in turn in one process
(``benchmarks/guide_latency.py``). The machine is shared: figures are medians of one run,
CPU time is printed beside wall time.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEDQUAD = ROOT.parent / "shared" / "benchmarks" / "medquad"
PY = sys.executable


def _norm(t: str) -> str:
    return re.sub(r"\s+", " ", (t or "").strip().lower())


def _queries() -> list[dict]:
    return [json.loads(line) for line in (MEDQUAD / "queries-dev.jsonl").open(encoding="utf-8")]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _score(ask, queries: list[dict]) -> dict:
    """P@1 by set, out-of-scope answered, per-query wall and CPU milliseconds."""
    hits: dict[str, list[bool]] = {}
    oos, wall, cpu = [], [], []
    for q in queries:
        t, c = time.perf_counter(), time.process_time()
        answered, first_title = ask(q["q"])
        wall.append(1000 * (time.perf_counter() - t))
        cpu.append(1000 * (time.process_time() - c))
        if q["set"] == "oos":
            oos.append(answered)
        else:
            hits.setdefault(q["set"], []).append(_norm(first_title) == _norm(q["target_question"]))
    p99 = lambda xs: statistics.quantiles(xs, n=100)[98]  # noqa: E731
    return {"p_at_1": {k: sum(v) / len(v) for k, v in sorted(hits.items())},
            "oos_answered": sum(oos) / max(len(oos), 1),
            "p50": statistics.median(wall), "p99": p99(wall), "cpu_p50": statistics.median(cpu), "cpu_p99": p99(cpu)}


# ------------------------------------------------------------- children
def child_build(folder: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from bot import Bot

    t = time.perf_counter()
    Bot.from_path(folder)
    build = time.perf_counter() - t
    size = sum(p.stat().st_size for p in (folder / ".faqbot-index").rglob("*") if p.is_file())
    return {"build_s": build, "rss_mb": _rss_mb(), "index_mb": size / 2**20}


def child_query(folder: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    t = time.perf_counter()
    from bot import Bot

    bot = Bot.from_path(folder)
    load = time.perf_counter() - t

    def ask(q):
        a = bot.ask(q, top=10)
        first = a.entry if a.answered else (a.related[0].entry if a.related else None)
        return a.answered, first.title if first else ""

    out = _score(ask, _queries())
    out.update(load_s=load, rss_mb=_rss_mb())
    return out


def child_bm25(folder: Path) -> dict:
    """Plain BM25 over question + answer: the anchor."""
    import numpy as np
    import scipy.sparse as sp

    sys.path.insert(0, str(ROOT))
    from bot.text import words

    t = time.perf_counter()
    rows = [json.loads(line) for line in (folder / "medquad.jsonl").open(encoding="utf-8")]
    vocab: dict[str, int] = {}
    cols, lens = [], []
    for r in rows:
        ws = words(f"{r['question']} {r['answer']}")
        cols.append([vocab.setdefault(w, len(vocab)) for w in ws])
        lens.append(len(ws))
    n, k1, b = len(rows), 1.2, 0.75
    tf = sp.csr_matrix((np.ones(sum(lens)), (np.repeat(np.arange(n), lens), np.concatenate(cols))),
                       shape=(n, len(vocab)))
    tf.sum_duplicates()
    df = np.bincount(tf.indices, minlength=len(vocab))
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    length = np.asarray(lens, dtype=float)
    norm = k1 * (1 - b + b * length / length.mean())
    row_of = np.repeat(np.arange(n), np.diff(tf.indptr))
    tf.data = idf[tf.indices] * tf.data * (k1 + 1) / (tf.data + norm[row_of])
    postings = sp.csr_matrix(tf.T)
    build = time.perf_counter() - t

    def ask(q):
        ids = sorted({vocab[w] for w in words(q) if w in vocab})
        if not ids:
            return True, ""
        scores = np.asarray(postings[ids].sum(axis=0)).ravel()
        return True, rows[int(np.argmax(scores))]["question"]  # plain BM25 never declines

    out = _score(ask, _queries())
    out.update(build_s=build, rss_mb=_rss_mb())
    return out


# ------------------------------------------------------------- commands
def _run_child(kind: str, folder: Path, root: Path = ROOT) -> dict:
    """One measurement in a process of its own, with the engine at ``root`` (this tree, or a worktree of
    ``--before REV``)."""
    out = subprocess.run([PY, str(root / "benchmarks" / "scale.py"), "--child", kind, str(folder)],
                         capture_output=True, text=True, check=True, cwd=root)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _faqbot() -> list[str]:
    return [PY, "-m", "bot"]


def cold_ask(folder: Path, root: Path = ROOT) -> float:
    t = time.perf_counter()
    subprocess.run(_faqbot() + ["ask", "--knowledge", str(folder), "What are the symptoms of Diabetes?"],
                   capture_output=True, check=True, cwd=root)
    return time.perf_counter() - t


def serve_until_healthy(folder: Path, timeout: float = 120.0) -> float | None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, FAQBOT_LOG_QUESTIONS="false")
    t = time.perf_counter()
    proc = subprocess.Popen(_faqbot() + ["serve", "--knowledge", str(folder), "--port", str(port), "--workers", "2"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - t < timeout:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    if r.status == 200:
                        return time.perf_counter() - t
            except OSError:
                time.sleep(0.05)
        return None
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def quality(root: Path) -> str:
    out = subprocess.run([PY, str(root / "benchmarks" / "quality.py")], capture_output=True, text=True, cwd=root)
    return out.stdout + out.stderr


def _p(d: dict) -> str:
    return " / ".join(f"{v:.3f}" for v in d.values())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,5000,10000,18122")
    ap.add_argument("--before", metavar="REV",
                    help="also measure MedQuAD and print benchmarks/quality.py with the engine as it was at REV")
    ap.add_argument("--no-serve", action="store_true", help="skip timing `faqbot serve` until /healthz")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        kind, folder = args.child
        print(json.dumps({"build": child_build, "query": child_query, "bm25": child_bm25}[kind](Path(folder))))
        return 0
    if not MEDQUAD.is_dir():
        print(f"needs {MEDQUAD} (the MedQuAD benchmark beside the repository)")
        return 2
    lines = (MEDQUAD / "medquad.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    tree = None
    if args.before:  # the engine at REV, measured in the same run, size by size after this one; beside
        tree = ROOT.parent / f".faqbot-before-{os.getpid()}"  # this tree, so that it finds ../shared too
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), args.before],
                       check=True)
    try:
        _medquad(lines, [int(s) for s in args.sizes.split(",")], args.no_serve, tree, args.before)
        print("\nThe guide (benchmarks/quality.py), now:")
        print(quality(ROOT))
        if tree is not None:
            for sub in ("tests/data", "tests/fixtures"):  # the same question sets on both sides
                shutil.rmtree(tree / sub, ignore_errors=True)
                shutil.copytree(ROOT / sub, tree / sub)
            print(f"The guide (benchmarks/quality.py) at {args.before}:")
            print(quality(tree))
            sys.path.insert(0, str(ROOT / "benchmarks"))
            import guide_latency  # the two engines asked in turn, in one process
            print(guide_latency.compare(tree))
    finally:
        if tree is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
    return 0


def _medquad(lines: list[str], sizes: list[int], no_serve: bool, tree: Path | None, rev: str | None) -> None:
    """MedQuAD at each size: this engine, then (with ``tree``) the one at ``rev`` on the same entries."""
    print("MedQuAD, 491 dev queries; P@1 as drop1 / reword; times in ms per question (wall, CPU)")
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"faqbot-scale-{n}-") as tmp:
            folder = Path(tmp)
            (folder / "medquad.jsonl").write_text("".join(lines[:n]), encoding="utf-8")
            rows = [("faqbot", ROOT, not no_serve)] + ([(f"at {rev}", tree, False)] if tree is not None else [])
            measured = []
            for name, root, serve in rows:
                shutil.rmtree(folder / ".faqbot-index", ignore_errors=True)  # each engine builds its own
                b, q = _run_child("build", folder, root), _run_child("query", folder, root)
                measured.append((name, b, q, cold_ask(folder, root), serve_until_healthy(folder) if serve else None))
            base = _run_child("bm25", folder)
        print(f"\n{n:>6} entries")
        for name, b, q, cold, served in measured:
            print(f"  {name:<7} build {b['build_s']:6.1f} s  peak RSS {b['rss_mb']:5.0f} MB  index {b['index_mb']:5.1f} MB  "
                  f"load {q['load_s']:.2f} s  cold ask {cold:.2f} s  serve->healthz "
                  + (f"{served:.2f} s" if served is not None else "-"))
            print(f"          p50 {q['p50']:.2f} / p99 {q['p99']:.2f} ms (CPU {q['cpu_p50']:.2f} / {q['cpu_p99']:.2f})  "
                  f"P@1 {_p(q['p_at_1'])}  out-of-scope answered {100 * q['oos_answered']:.1f}%")
        print(f"  BM25    build {base['build_s']:6.1f} s  peak RSS {base['rss_mb']:5.0f} MB  "
              f"p50 {base['p50']:.2f} ms  P@1 {_p(base['p_at_1'])}  out-of-scope answered 100.0% (never declines)")


if __name__ == "__main__":
    sys.exit(main())
