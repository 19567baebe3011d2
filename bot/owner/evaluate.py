"""Question sets: measure how well a bot answers (the rules of ``eval/score.py``).

A set is YAML with ``in_scope`` (``{q, accept}`` items: the reply must be
answered and its title + text must contain every phrase of one ``accept``
group, case-insensitive with dashes, quotes and spaces normalised, and be at
most 1,200 characters) and ``out_of_scope`` (questions that must be declined).
"""
from __future__ import annotations

import re
import statistics
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


from ..errors import SourceError
from ..knowledge import read_yaml

MAX_ANSWER_CHARS = 1200


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"[\u2018\u2019\u02bc`]", "'", text)
    text = re.sub(r"\s*-\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def passes(answer_text: str, accept) -> bool:
    body = normalise(answer_text)
    if len(body) > MAX_ANSWER_CHARS:
        return False
    return any(all(normalise(p) in body for p in group) for group in accept)


def load_set(path) -> tuple[list[dict], list[str]]:
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict) or not ({"in_scope", "out_of_scope"} & set(data)):
        raise SourceError(path, "expected keys in_scope and/or out_of_scope")
    in_scope = data.get("in_scope") or []
    for item in in_scope:
        if not isinstance(item, dict) or "q" not in item or "accept" not in item:
            raise SourceError(path, f"in_scope item needs q and accept: {item!r}")
    out = []
    for item in data.get("out_of_scope") or []:  # a question, or {q: question} as in_scope writes it
        if isinstance(item, dict):
            if not isinstance(item.get("q"), str):
                raise SourceError(path, f"out_of_scope item needs q: {item!r}")
            item = item["q"]
        out.append(str(item))
    return in_scope, out


@dataclass
class Report:
    in_ok: int = 0
    in_total: int = 0
    out_ok: int = 0
    out_total: int = 0
    times_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        r_in = self.in_ok / max(self.in_total, 1)
        r_out = self.out_ok / max(self.out_total, 1)
        return 100 * (r_in + r_out) / 2

    def summary(self) -> str:
        t = self.times_ms or [0.0]
        p95 = statistics.quantiles(t, n=20)[18] if len(t) > 1 else t[0]
        return (f"in-scope {self.in_ok}/{self.in_total} ({100 * self.in_ok / max(self.in_total, 1):.1f}%)  "
                f"out-of-scope {self.out_ok}/{self.out_total} ({100 * self.out_ok / max(self.out_total, 1):.1f}%)  "
                f"score {self.score:.1f}%  p50 {statistics.median(t):.1f} ms  p95 {p95:.1f} ms")


def run(bot, path, kb: str | None = None) -> Report:
    """Ask every question of the set at ``path`` and score the answers."""
    in_scope, out_scope = load_set(path)
    rep = Report(in_total=len(in_scope), out_total=len(out_scope))
    for item in in_scope:
        t0 = time.perf_counter()
        ans = bot.ask(item["q"], kb=kb)
        rep.times_ms.append((time.perf_counter() - t0) * 1000)
        e = ans.entry if ans.answered else None
        if e is not None and passes(f"{e.title}\n{e.text}", item["accept"]):
            rep.in_ok += 1
        else:
            got = repr(e.title) if e else "(not answered)"
            rep.failures.append(f"MISS  {item['q']!r} -> {got} (confidence {ans.confidence:.2f})")
    for q in out_scope:
        t0 = time.perf_counter()
        ans = bot.ask(q, kb=kb)
        rep.times_ms.append((time.perf_counter() - t0) * 1000)
        if not ans.answered:
            rep.out_ok += 1
        else:
            rep.failures.append(f"FALSE {q!r} -> {ans.entry.title!r} (confidence {ans.confidence:.2f})")
    return rep


@dataclass
class ConversationReport:
    """How a bot did on a conversation set: first turns and follow-ups apart (``score_followups.py``'s rules)."""

    first_ok: int = 0
    first_total: int = 0
    later_ok: int = 0
    later_total: int = 0
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        pct = lambda a, b: 100 * a / max(b, 1)  # noqa: E731
        return (f"first turns {self.first_ok}/{self.first_total} ({pct(self.first_ok, self.first_total):.1f}%)  "
                f"follow-ups {self.later_ok}/{self.later_total} ({pct(self.later_ok, self.later_total):.1f}%)  "
                f"score {pct(self.later_ok, self.later_total):.1f}%")


def load_conversations(path) -> list[list[dict]]:
    """The conversations of a set in the format of ``eval/followups-dev.yaml``."""
    path = Path(path)
    data = read_yaml(path)
    convs = data.get("conversations") if isinstance(data, dict) else None
    if not isinstance(convs, list) or not all(isinstance(c, list) and c for c in convs):
        raise SourceError(path, "expected 'conversations': a list of lists of turns")
    for conv in convs:
        for turn in conv:
            if not isinstance(turn, dict) or "q" not in turn or not ("accept" in turn or turn.get("out")):
                raise SourceError(path, f"a turn needs q and accept (or out: true): {turn!r}")
    return convs


def is_conversation_set(path) -> bool:
    """Whether the YAML at ``path`` holds conversations rather than questions."""
    try:
        data = read_yaml(path)
    except SourceError:
        return False
    return isinstance(data, dict) and "conversations" in data


def run_conversations(bot, path, kb: str | None = None) -> ConversationReport:
    """Ask every conversation of the set at ``path``, each turn with the previous reply's context."""
    rep = ConversationReport()
    for conv in load_conversations(path):
        context = None
        for i, turn in enumerate(conv):
            ans = bot.ask(turn["q"], kb=kb, context=context)
            if turn.get("out"):
                ok = not ans.answered
            else:
                e = ans.entry if ans.answered else None
                ok = e is not None and passes(f"{e.title}\n{e.text}", turn["accept"])
            if i == 0:
                rep.first_total += 1
                rep.first_ok += ok
            else:
                rep.later_total += 1
                rep.later_ok += ok
            if not ok:
                got = repr(ans.entry.title) if ans.answered else "(not answered)"
                after = f"  (after {conv[i - 1]['q']!r})" if i else ""
                rep.failures.append(f"MISS  turn {i + 1}: {turn['q']!r} -> {got}{after}")
            context = dict(ans.context)
    return rep


def with_typo(text: str, rng) -> str:
    """``text`` with one slip (a letter dropped, swapped or replaced) in one word of 5+ letters."""
    ws = text.split()
    long_words = [i for i, w in enumerate(ws) if len(w) >= 5 and w.isalpha()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    w, j, kind = ws[i], rng.randrange(1, len(ws[i]) - 2), rng.randrange(3)
    ws[i] = (w[:j] + w[j + 1:], w[:j] + w[j + 1] + w[j] + w[j + 2:], w[:j] + rng.choice("aeiourstln") + w[j + 1:])[kind]
    return " ".join(ws)


def typo_robustness(bot, paths, variants: int = 2, seed: int = 7) -> tuple[int, float]:
    """Of the in-scope questions answered right, how many, and the share still answered right with a typo.

    Each is asked ``variants`` times with one random slip (:func:`with_typo`, seeded).
    """
    import random

    rng = random.Random(seed)
    right = kept = 0
    for path in paths:
        for item in load_set(path)[0]:
            ans = bot.ask(item["q"])
            if not (ans.answered and passes(f"{ans.entry.title}\n{ans.entry.text}", item["accept"])):
                continue
            right += 1
            for _ in range(variants):
                ans = bot.ask(with_typo(item["q"], rng))
                kept += ans.answered and passes(f"{ans.entry.title}\n{ans.entry.text}", item["accept"])
    return right, kept / max(variants * right, 1)
