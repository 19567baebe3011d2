"""The owner's commands: ``faqbot report`` and ``faqbot learn`` over the question log the service records.

Both read ``--database`` (a SQLite file or a ``postgresql://`` URL; default:
``$FAQBOT_DATABASE``, else ``instance/faqbot.db``, the service's default); see :mod:`bot.owner.report` and
:mod:`bot.owner.learn` for what they compute.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Callable

from ..settings import add_database_option, add_knowledge_options, setting
from ..store import Store
from ..terminal import printable


def _database(args) -> str:
    return setting("FAQBOT_DATABASE", args.database)


def _non_negative(value: str) -> int:
    n = int(value)
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return n


def _positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return n


# --------------------------------------------------------------- report
def cmd_report(args) -> int:
    from .report import build, render

    with Store(_database(args), create=False) as store:
        report = build(store, days=args.days, kb=args.kb, limit=args.limit)
    if args.json:
        print(printable(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), keep="\n"))
    else:
        sys.stdout.write(render(report))
    return 0


# ---------------------------------------------------------------- learn
CHOICES = {"y": "yes", "yes": "yes", "n": "no", "no": "no", "s": "skip", "skip": "skip", "q": "quit", "quit": "quit"}


def _prompt(ask: Callable[[str], str] | None, text: str) -> str:
    while True:
        try:
            reply = (ask or input)(text).strip().lower()
        except EOFError:
            print()
            return "quit"
        if ask is None and not sys.stdin.isatty():
            print(printable(reply))  # piped answers: show them, as a terminal would
        if reply in CHOICES:
            return CHOICES[reply]
        print("    please answer y (add it), n (the next candidate), s (skip this question) or q (quit)")


def _describe(p) -> str:
    g = p.group
    times = f"asked {g.count} time(s)" if p.reason == "unanswered" else f"marked unhelpful {g.count} time(s)"
    more = f", {len(g.phrasings)} phrasings" if len(g.phrasings) > 1 else ""
    return f'"{printable(g.question)}"  ({p.reason}: {times}{more})'


def _candidate(m) -> str:
    e = m.entry
    return f"{printable(e.title)}  [{printable(e.kb)}: {printable(e.id)}]  confidence {m.confidence:.2f}"


def cmd_learn(args, ask: Callable[[str], str] | None = None) -> int:
    """``ask`` reads the owner's replies (default: :func:`input`)."""
    from ..answering import Bot
    from .learn import YES_FLOOR, proposals, write

    knowledge = setting("FAQBOT_KNOWLEDGE", args.knowledge)
    threshold = setting("FAQBOT_MIN_CONFIDENCE", args.min_confidence)
    database = _database(args)
    with Store(database, create=False) as store:
        ranker = Bot.from_path(knowledge, min_confidence=0.0)  # its answer is its best candidate
        props, notes = proposals(store, ranker, threshold=threshold, days=args.days, top=args.top,
                                 min_count=args.min_count)
        database = store.path  # a URL's password masked
    print(f"faqbot learn: {database}, "
          + (f"the last {args.days} day(s)" if args.days else "everything recorded")
          + f", questions asked at least {args.min_count} time(s); knowledge from {knowledge}")
    for note in notes:
        print(f"  passed over {printable(note)}")
    if not props:
        print("Nothing to learn: no frequent unanswered or unhelpful question without an answer.")
        return 0

    accepted = _review(props, args.yes, ask, floor=YES_FLOOR * threshold)
    if not accepted:
        print("\nNothing written.")
        return 0
    written = write(ranker, accepted)
    _print_written(written)
    if not written:
        print("Nothing new to write: the entries already have these questions.")
        return 0

    # the next load answers them: show it
    _show_answers(Bot.from_path(knowledge, min_confidence=threshold), accepted)
    print("The running service answers them once it reloads its knowledge: send `faqbot serve` SIGHUP "
          "(kill -HUP <pid of its master process>; each instance, when there are several), or restart it.")
    return 0


def _review(props, yes: bool, ask: Callable[[str], str] | None, floor: float) -> list[tuple]:
    """Go through the proposals, accepting the best candidates (``--yes``) or asking the owner about each
    candidate in turn, until the owner quits; the accepted ``(entry, question)`` pairs."""
    accepted: list[tuple] = []
    for n, p in enumerate(props, 1):
        print(f"\n[{n}/{len(props)}] {_describe(p)}")
        for other in p.group.phrasings[1:4]:
            print(f"        also: \"{printable(other)}\"")
        if yes:
            _accept_best(p, floor, accepted)
        elif _ask_about(p, ask, accepted) == "quit":
            break
    return accepted


def _accept_best(p, floor: float, accepted: list[tuple]) -> None:
    """``--yes``: accept the best candidate, unless its confidence is below ``floor`` (left for the owner)."""
    if p.best.confidence < floor:
        print(f"    -> {_candidate(p.best)}\n    left for you to review (confidence below {floor:.2f}: "
              "run `faqbot learn` without --yes)")
        return
    print(f"    -> {_candidate(p.best)}\n    accepted")
    accepted.append((p.best.entry, p.question))


def _ask_about(p, ask: Callable[[str], str] | None, accepted: list[tuple]) -> str:
    """Offer the candidates one by one until the owner says yes, skip or quit; the last choice."""
    choice = "skip"
    for m in p.candidates:
        print(f"    -> {_candidate(m)}")
        choice = _prompt(ask, "    add it as an alternate question of this entry? [y/n/skip/quit] ")
        if choice == "yes":
            accepted.append((m.entry, p.question))
        if choice != "no":
            break
    else:
        print("    no more candidates")
    return choice


def _print_written(written: dict) -> None:
    """What was written to each curation file."""
    print()
    for path, added in written.items():
        count = sum(len(v) for v in added.values())
        print(f"wrote {count} alternate question(s) to {path}")
        for eid, qs in added.items():
            for q in qs:
                print(f"  {printable(eid)}: \"{printable(q)}\"")


def _show_answers(bot, accepted: list[tuple]) -> None:
    """How the reloaded knowledge (``bot``) answers each accepted question now."""
    print("\nafter reloading the knowledge:")
    for entry, question in accepted:
        a = bot.ask(question)
        verdict = (f"answered by {a.entry.title} ({a.confidence:.2f})" if a.answered
                   else f"still not answered ({a.confidence:.2f})")
        print(f"  \"{printable(question)}\" -> {printable(verdict)}")


# -------------------------------------------------------------- parsers
def register(sub) -> None:
    """Add ``report`` and ``learn`` to the ``faqbot`` command's sub-commands."""
    r = sub.add_parser("report", help="what visitors asked, what went unanswered, and their feedback")
    r.add_argument("--days", type=_non_negative, default=30, help="the last N days (default 30; 0: everything)")
    r.add_argument("--kb", help="one knowledge base (default: all)")
    r.add_argument("--json", action="store_true", help="machine-readable output")
    r.add_argument("--limit", type=_positive, default=10, help="rows per table (default 10)")
    add_database_option(r)
    r.set_defaults(func=cmd_report)

    from .learn import DEFAULT_MIN_COUNT, DEFAULT_TOP, YES_FLOOR

    le = sub.add_parser("learn", help="add frequent unanswered or unhelpful questions as alternate questions")
    le.add_argument("--yes", action="store_true",
                    help=f"accept the top proposals without asking (except those below {YES_FLOOR:g} x the threshold)")
    le.add_argument("--top", type=_positive, default=DEFAULT_TOP, help=f"at most N proposals (default {DEFAULT_TOP})")
    le.add_argument("--days", type=_non_negative, default=30, help="the last N days (default 30; 0: everything)")
    le.add_argument("--min-count", type=_positive, default=DEFAULT_MIN_COUNT,
                    help=f"questions asked (or marked unhelpful) at least N times (default {DEFAULT_MIN_COUNT})")
    add_database_option(le)
    add_knowledge_options(le, threshold="the service's no-answer threshold")
    le.set_defaults(func=cmd_learn)
