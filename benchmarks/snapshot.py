#!/usr/bin/env python3
"""A snapshot of the engine's answers, to show that a restructuring changes none of them.

    python benchmarks/snapshot.py > before.jsonl
    ... change the code ...
    python benchmarks/snapshot.py > after.jsonl
    python benchmarks/snapshot.py --compare before.jsonl after.jsonl

One JSON line per question: the set, the question, the answer's entry id, whether
it was answered, the confidence rounded to 3 places and the related ids. The
questions are every set in ``tests/data/`` (with the guide it is about), the
sets in ``../shared/eval/`` when present, and the StackFAQ dev queries;
conversation sets are asked turn by turn with the previous reply's context.
The last line of ``--compare`` counts the differences.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import Bot, load_source  # noqa: E402

DATA = ROOT / "tests" / "data"
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared" / "eval"


def _row(name: str, question: str, answer) -> dict:
    d = answer.to_dict()
    return {"set": name, "q": question, "id": (d["answer"] or {}).get("id"), "answered": d["answered"],
            "confidence": round(d["confidence"], 3), "related": [r["id"] for r in d["related"]]}


def _questions(path: Path):
    """(question, is-conversation) items of a set, conversations as lists of turns."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if "conversations" in data:
        for conv in data["conversations"]:
            yield [t["q"] for t in conv]
        return
    for item in data.get("in_scope") or []:
        yield [item["q"]] if isinstance(item, dict) else [item]
    for q in data.get("out_of_scope") or []:
        yield [q["q"] if isinstance(q, dict) else str(q)]


def _bot_for(path: Path, guide: Bot, others: dict) -> Bot:
    """The guide, or the other-role guide a set is about (``tests/fixtures/<stem>.txt``)."""
    fixture = FIXTURES / f"{path.stem.removesuffix('-unseen')}.txt"
    if fixture.is_file():
        if path.stem not in others:
            others[path.stem] = Bot.from_path(fixture)
        return others[path.stem]
    return guide


def snapshot(out) -> int:
    guide = Bot.from_path(ROOT / "knowledge")
    others: dict[str, Bot] = {}
    sets = sorted(DATA.glob("*.yaml")) + (sorted(SHARED.glob("*.yaml")) if SHARED.is_dir() else [])
    n = 0
    for path in sets:
        bot = _bot_for(path, guide, others)
        for turns in _questions(path):
            context = None
            for q in turns:
                a = bot.ask(q, top=3, context=context)
                context = dict(a.context)
                out.write(json.dumps(_row(path.name, q, a), ensure_ascii=False) + "\n")
                n += 1
    stack = DATA / "stackfaq"
    bot = Bot([load_source(stack / "faq_pairs.jsonl", name="stackfaq")])
    for line in (stack / "queries-dev.jsonl").open(encoding="utf-8"):
        q = json.loads(line)["text"]
        out.write(json.dumps(_row("stackfaq", q, bot.ask(q, top=10)), ensure_ascii=False) + "\n")
        n += 1
    return n


def compare(a: Path, b: Path) -> int:
    left = [json.loads(line) for line in a.open(encoding="utf-8")]
    right = [json.loads(line) for line in b.open(encoding="utf-8")]
    diffs = 0
    for x, y in zip(left, right):
        if x != y:
            diffs += 1
            print(f"- {json.dumps(x, ensure_ascii=False)}\n+ {json.dumps(y, ensure_ascii=False)}")
    diffs += abs(len(left) - len(right))
    print(f"{len(left)} answers before, {len(right)} after: {diffs} differences")
    return 1 if diffs else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = ap.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    n = snapshot(sys.stdout)
    print(f"{n} answers", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
