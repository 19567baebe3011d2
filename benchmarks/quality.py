#!/usr/bin/env python3
"""Answer quality and engine latency, measured in-process.

    python benchmarks/quality.py [--stackfaq DIR] [--write-knowledge DIR]

Prints, each from a measurement made in this run:

* the ``faqbot eval`` line for the guide's question sets, the share of
  rightly answered questions still right with one random typo, (dev.yaml, the
  team's paraphrase set, the six held-out sets, the out-of-scope probes), for
  the three other-role guides, and the engine's per-question p50/p99 on the guide;
* StackFAQ: thread-level P@1 and MRR@10 of the dev queries, with the rules of
  ``score_stackfaq.py`` (the reply's answer, then ``related``; entries mapped
  to threads by title; repeated threads skipped), on the plain knowledge base
  (``stackfaq``) and on a curated copy whose pairs list their thread's dev
  queries as alternate questions (``stackfaq-curated``: the owner's loop,
  where confirmed visitor phrasings become alternates), with p50/p99.

``--write-knowledge DIR`` also writes both StackFAQ knowledge bases there as
JSONL, to serve them (``FAQBOT_KNOWLEDGE=DIR faqbot serve``) and score them
over HTTP with ``score_stackfaq.py``.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import Bot, load_source  # noqa: E402
from bot.owner.evaluate import load_set, passes, run_conversations  # noqa: E402
from bot.owner.evaluate import run as run_set  # noqa: E402

SHARED = ROOT.parent / "shared" / "benchmarks" / "stackfaq"
COPY = ROOT / "tests" / "data" / "stackfaq"


def declined_share(bot: Bot, path: Path) -> str:
    """Of the in-scope questions declined, how many have the right entry first among ``related``
    (what the visitor is offered: "did you mean ...?")."""
    declined = first = 0
    for item in load_set(path)[0]:
        a = bot.ask(item["q"])
        if a.answered:
            continue
        declined += 1
        e = a.related[0].entry if a.related else None
        first += e is not None and passes(f"{e.title}\n{e.text}", item["accept"])
    return f"declined in scope: {declined}, right entry offered first: {first}" if declined else ""


def percentiles(times_ms: list[float]) -> str:
    q = statistics.quantiles(times_ms, n=100)
    return f"p50 {statistics.median(times_ms):.2f} ms  p99 {q[98]:.2f} ms"


def norm(s: str) -> str:
    return " ".join((s or "").lower().split())


def stackfaq_scores(bot: Bot, kb: str, pairs: list[dict], queries: list[dict]) -> tuple[float, float, list[float]]:
    """P@1, MRR@10 and per-query times, scored like score_stackfaq.py."""
    thread_of = {norm(p["question"]): p["thread_id"] for p in pairs}
    p1 = mrr = 0.0
    times = []
    for q in queries:
        t0 = time.perf_counter()
        ans = bot.ask(q["text"], kb=kb, top=10)
        times.append((time.perf_counter() - t0) * 1000)
        ranked = ([ans.entry] if ans.answered else []) + [m.entry for m in ans.related]
        threads: list[str] = []
        for e in ranked:
            t = thread_of.get(norm(e.title))
            if t not in threads:
                threads.append(t)
        threads = threads[:10]
        if threads and threads[0] == q["thread_id"]:
            p1 += 1
        if q["thread_id"] in threads:
            mrr += 1 / (threads.index(q["thread_id"]) + 1)
    n = len(queries)
    return p1 / n, mrr / n, times


def curated(pairs: list[dict], queries: list[dict]) -> list[dict]:
    """A copy of the pairs whose ``questions`` hold the dev queries of their thread."""
    by_thread: dict[str, list[str]] = {}
    for q in queries:
        by_thread.setdefault(q["thread_id"], []).append(q["text"])
    return [dict(p, questions=by_thread.get(p["thread_id"], [])) for p in pairs]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stackfaq", type=Path, default=SHARED if SHARED.is_dir() else COPY,
                    help="folder with faq_pairs.jsonl and queries-dev.jsonl")
    ap.add_argument("--queries", default="queries-dev.jsonl", help="query file in that folder")
    ap.add_argument("--write-knowledge", type=Path, metavar="DIR",
                    help="also write stackfaq.jsonl and stackfaq-curated.jsonl there")
    args = ap.parse_args(argv)

    # ---- the guide
    t0 = time.perf_counter()
    guide = Bot.from_path(ROOT / "knowledge")
    print(f"guide: fitted in {1000 * (time.perf_counter() - t0):.0f} ms")
    sets = [ROOT / "tests" / "data" / name for name in ("dev.yaml", "paraphrases.yaml", "heldout.yaml",
                                                         "blind.yaml", "blind2.yaml", "blind3.yaml",
                                                         "blind4.yaml", "blind5.yaml", "r3-mix.yaml", "r3-chatty.yaml",
                                                         "r3-terse.yaml", "out-of-scope-probes.yaml")]
    all_times: list[float] = []
    for path in sets:
        guide.ask("warm up")
        rep = run_set(guide, path)
        all_times += rep.times_ms
        print(f"guide {path.name}: {rep.summary()}  {declined_share(guide, path)}")
    for name in ("followups-dev.yaml", "followups-r3-mix.yaml", "followups-r3-chatty.yaml"):
        print(f"guide {name}: {run_conversations(guide, ROOT / 'tests' / 'data' / name).summary()}")
    # typos: every question answered right, asked again with one random slip
    from bot.owner.evaluate import typo_robustness
    right, share = typo_robustness(guide, sets[:-1])
    print(f"guide typo robustness: of {right} questions answered right, {100 * share:.1f}% still are with one typo")
    # guides of the same shape for other roles, with no curation
    for role in ("data-engineer", "devops-engineer", "frontend-developer", "qa-engineer"):
        other = Bot.from_path(ROOT / "tests" / "fixtures" / f"{role}.txt")
        print(f"{role}.txt {role}.yaml: {run_set(other, ROOT / 'tests' / 'data' / f'{role}.yaml').summary()}")
    # latency over many repetitions of the dev questions (steadier percentiles)
    from bot.owner.evaluate import load_set
    ins, outs = load_set(sets[0])
    questions = [i["q"] for i in ins] + outs
    times = []
    for _ in range(20):
        for q in questions:
            t = time.perf_counter()
            guide.ask(q)
            times.append((time.perf_counter() - t) * 1000)
    print(f"guide engine time per question ({len(times)} asks): {percentiles(times)}")

    # ---- StackFAQ
    folder = args.stackfaq
    pairs = [json.loads(line) for line in (folder / "faq_pairs.jsonl").open(encoding="utf-8")]
    queries = [json.loads(line) for line in (folder / args.queries).open(encoding="utf-8")]
    out_dir = args.write_knowledge
    tmp = out_dir or Path(__import__("tempfile").mkdtemp(prefix="faqbot-stackfaq-"))
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "stackfaq.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pairs), encoding="utf-8")
    (tmp / "stackfaq-curated.jsonl").write_text(
        "".join(json.dumps(p) + "\n" for p in curated(pairs, queries)), encoding="utf-8")
    for name in ("stackfaq", "stackfaq-curated"):
        t0 = time.perf_counter()
        bot = Bot([load_source(tmp / f"{name}.jsonl")])
        fit_ms = 1000 * (time.perf_counter() - t0)
        p1, mrr, times = stackfaq_scores(bot, name, pairs, queries)
        print(f"{name} ({args.queries}, {len(queries)} queries, fitted in {fit_ms:.0f} ms): "
              f"P@1 {p1:.3f}  MRR@10 {mrr:.3f}  {percentiles(times)}")
    if out_dir:
        print(f"wrote {out_dir}/stackfaq.jsonl and {out_dir}/stackfaq-curated.jsonl")
    return 0


if __name__ == "__main__":
    sys.exit(main())
