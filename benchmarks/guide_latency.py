#!/usr/bin/env python3
"""The guide's engine time per question, now and at an earlier revision, asked in turn in one process.

    python benchmarks/guide_latency.py --before REV [--rounds 20]
    python benchmarks/guide_latency.py --tree DIR   # DIR: a checkout of the earlier revision

Both engines load the guide of their own checkout and answer the questions of
``tests/data/dev.yaml`` (in and out of scope), alternately and in turns that
swap which one goes first, so that the shared machine's load falls on both
alike. Prints each one's p50 / p99 and the ratio of the p50s (now / before):
under 1 is faster. Figures from separate runs of ``quality.py`` differ by more
than the change being measured; this pairing is what compares them.

The earlier revision's ``bot`` package is imported under another name, so it
must use relative imports only (every revision since the package split does).
"""
from __future__ import annotations

import argparse
import importlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import Bot  # noqa: E402
from bot.owner.evaluate import load_set  # noqa: E402


def _engine_at(tree: Path, alias_dir: Path):
    """The ``Bot`` class of the checkout ``tree``, imported as the package ``faqbot_before``."""
    (alias_dir / "faqbot_before").symlink_to(tree / "bot", target_is_directory=True)
    sys.path.insert(0, str(alias_dir))
    return importlib.import_module("faqbot_before").Bot


def _stats(times: list[float]) -> str:
    return f"p50 {statistics.median(times):.3f} ms  p99 {statistics.quantiles(times, n=100)[98]:.3f} ms"


def compare(tree: Path, rounds: int = 20) -> str:
    """The paired measurement against the checkout ``tree``, as one line."""
    ins, outs = load_set(ROOT / "tests" / "data" / "dev.yaml")
    questions = [i["q"] for i in ins] + list(outs)
    with tempfile.TemporaryDirectory(prefix="faqbot-alias-") as tmp:
        before = _engine_at(tree, Path(tmp)).from_path(tree / "knowledge")
        now = Bot.from_path(ROOT / "knowledge")
        for q in questions:  # warm both
            before.ask(q)
            now.ask(q)
        times: dict[str, list[float]] = {"now": [], "before": []}
        for r in range(rounds):
            pair = [("now", now), ("before", before)]
            for q in questions:
                for name, bot in (pair if r % 2 else pair[::-1]):
                    t = time.perf_counter()
                    bot.ask(q)
                    times[name].append(1000 * (time.perf_counter() - t))
    ratio = statistics.median(times["now"]) / statistics.median(times["before"])
    return (f"guide engine time per question, {len(times['now'])} asks each, in turn: "
            f"now {_stats(times['now'])}; before {_stats(times['before'])}; now / before p50 {ratio:.2f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--before", metavar="REV", help="a git revision of this repository")
    where.add_argument("--tree", type=Path, help="a checkout of the earlier revision")
    ap.add_argument("--rounds", type=int, default=20, help="times each question is asked by each engine")
    args = ap.parse_args(argv)
    if args.tree:
        print(compare(args.tree.resolve(), args.rounds))
        return 0
    with tempfile.TemporaryDirectory(prefix="faqbot-before-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), args.before],
                       check=True)
        try:
            print(compare(tree, args.rounds))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
