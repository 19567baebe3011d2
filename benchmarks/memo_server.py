#!/usr/bin/env python3
"""``faqbot serve`` with every answer memoised: the ceiling the HTTP stack allows (for http_bench.py --ceiling).

Each worker answers a question with the engine once and from a dictionary
after that, so once the benchmark's questions have all been seen, /ask costs
what Flask, gunicorn and the JSON reply cost and nothing of the engine's work.
Never a way to serve: it only measures how far /ask ÷ /healthz can go with
any engine at all. Arguments are those of ``faqbot serve``.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.answering import Bot  # noqa: E402
from bot.cli import main  # noqa: E402

_ask = Bot.ask
_memo: dict = {}


def _memo_ask(self, question, kb=None, top=3, context=None):
    key = (question, kb, top, repr(context))
    if key not in _memo:
        _memo[key] = _ask(self, question, kb=kb, top=top, context=context)
    return _memo[key]


Bot.ask = _memo_ask
sys.exit(main(["serve", *sys.argv[1:]]))
