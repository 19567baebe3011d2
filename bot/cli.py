"""The ``faqbot`` command: ask, chat, check, eval, import, serve (and the owner's report/learn)."""
from __future__ import annotations

import argparse
import json
import sys
import textwrap
import time

from .errors import FaqbotError
from .settings import add_answer_options, add_knowledge_options, setting
from .terminal import printable
#: sources of this many bytes or more are announced on stderr before they are read
LARGE_SOURCE = 1 << 20


def _knowledge_dir(args) -> str:
    return setting("FAQBOT_KNOWLEDGE", getattr(args, "knowledge", None))


class _Progress:
    """Reports a long index build on stderr: one bar per knowledge base, the phase as its description."""

    def __init__(self, always: bool = False):
        self.always = always
        self.bars: dict = {}

    def __call__(self, kb: str, phase: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self.bars.get(kb)
        if bar is None:
            bar = self.bars[kb] = tqdm(total=total, desc=f"{kb}: {phase}", unit=" entries", leave=self.always,
                                       disable=None if not self.always else False, file=sys.stderr)
        bar.set_description(f"{kb}: {phase}")
        bar.update(max(0, done - bar.n))
        if phase == "done":
            bar.close()


def _bot(args):
    from .answering import Bot

    t0 = time.perf_counter()
    bot = Bot.from_path(_knowledge_dir(args), progress=_Progress(),
                        min_confidence=setting("FAQBOT_MIN_CONFIDENCE", getattr(args, "min_confidence", None)))
    if getattr(args, "verbose", False):
        n = sum(len(kb) for kb in bot.knowledge_bases.values())
        print(f"loaded {n} entries from {len(bot.knowledge_bases)} knowledge base(s) "
              f"in {1000 * (time.perf_counter() - t0):.0f} ms", file=sys.stderr)
    return bot


# ------------------------------------------------------------------ ask
def cmd_ask(args) -> int:
    bot = _bot(args)
    if args.explain:
        rows = bot.explain(args.question, kb=args.kb)
        if rows:
            terms = rows[0]["terms"]
            print("terms: " + ", ".join(f"{t} ({w:.1f})" for t, w in terms.items())
                  + (f"  corrections: {rows[0]['corrections']}" if rows[0]["corrections"] else ""))
        fixed = {"kb", "id", "confidence", "rank", "coverage", "terms", "corrections"}
        for r in rows:
            signals = "  ".join(f"{k} {v:.2f}" for k, v in r.items() if k not in fixed)
            print(f"{r['kb']}/{r['id']}\n    confidence {r['confidence']:.2f}  coverage {r['coverage']:.2f}  "
                  f"rank {r['rank']:.2f}\n    {signals}")
        return 0
    ans = bot.ask(args.question, kb=args.kb, top=args.top)
    if args.json:
        print(json.dumps(ans.to_dict(), ensure_ascii=False, indent=2))
        return 0
    if ans.answered:
        e = ans.entry
        print(f"{e.title}  ({' › '.join(e.path)})")
        print(textwrap.indent(e.text, "  "))
        print(f"confidence {ans.confidence:.2f}")
        if ans.related:
            print("related: " + "; ".join(f"{m.entry.title} ({m.confidence:.2f})" for m in ans.related))
    else:
        print(ans.message)
        for m in ans.related:
            print(f"  - {m.entry.title} ({m.confidence:.2f})")
        for s in ans.suggestions:
            print(f"  - {s}")
        print(f"confidence {ans.confidence:.2f}")
    return 0


# ----------------------------------------------------------------- chat
def cmd_chat(args) -> int:
    from .chat import run

    return run(_bot(args), kb=args.kb, top=args.top)


# ---------------------------------------------------------------- check
def cmd_check(args) -> int:
    from .knowledge import load_source, sources

    path = args.path or _knowledge_dir(args)
    kbs = []
    for source in sources(path):
        size = source.stat().st_size
        if size >= LARGE_SOURCE:  # a large file takes seconds to read: say what is happening
            print(f"faqbot: reading {source} ({size / 2**20:.1f} MB)…", file=sys.stderr, flush=True)
        kbs.append(load_source(source))
    total = 0
    for kb in kbs:
        print(f"{kb.name}: {kb.title}  ({kb.source}"
              + (f", curation {kb.curation}" if kb.curation else "")
              + f", language {kb.language}" + (f", from {kb.source_url}" if kb.source_url else "") + ")")
        for e in kb.entries:
            print(f"  {e.id}  |  {e.title}  |  {len(e.questions)} question(s)")
        total += len(kb)
        print(f"  {len(kb)} entries")
    print(f"{len(kbs)} knowledge base(s), {total} entries")
    return 0


# ---------------------------------------------------------------- index
def cmd_index(args) -> int:
    """Fit every knowledge base of the directory and save its index beside it (or under --out)."""
    from .answering import Bot
    from .knowledge import sources
    from .saved import folder_for, open_saved

    path = args.path or _knowledge_dir(args)
    files = sources(path)
    stale = [p for p in files if args.force or open_saved(p, args.out) is None]
    if args.force:
        for p in stale:
            import shutil

            shutil.rmtree(folder_for(p, args.out), ignore_errors=True)
    t0 = time.perf_counter()
    bot = Bot.from_path(path, saved_index=args.out or True, progress=_Progress(always=True))
    for p in files:
        kb = bot.knowledge_bases[p.stem]
        state = "built" if p in stale else "current"
        where = folder_for(p, args.out)
        size = sum(f.stat().st_size for f in where.glob("*") if f.is_file()) if where.is_dir() else 0
        print(f"{kb.name}: {len(kb)} entries, index {state} in {where} ({size / 2**20:.1f} MB)")
    print(f"{len(files)} knowledge base(s) ready in {time.perf_counter() - t0:.1f} s")
    return 0


# ----------------------------------------------------------------- eval
def cmd_eval(args) -> int:
    from .owner.evaluate import is_conversation_set, run, run_conversations

    bot = _bot(args)
    rep = (run_conversations if is_conversation_set(args.set) else run)(bot, args.set, kb=args.kb)
    for line in rep.failures:
        print(printable(line))
    print(rep.summary())
    return 0


# --------------------------------------------------------------- import
def cmd_import(args) -> int:
    from .fetch import import_page
    from .knowledge import load_source

    path = import_page(args.url, args.out, _knowledge_dir(args), force=args.force, timeout=args.timeout)
    kb = load_source(path)  # a page with nothing faqbot can read fails here, naming the file
    faq = sum(1 for e in kb if e.kind == "faq" and not e.continues)  # (a long answer's passages count once)
    print(f"saved {args.url} as {path}: {kb.title!r}, {len(kb)} entries ({faq} questions), "
          f"language {kb.language}")
    print(f"see them with: faqbot check {path}")
    return 0


# ---------------------------------------------------------------- serve
def cmd_serve(args) -> int:
    try:
        from web.server import serve  # lazy: the engine never needs Flask
    except ImportError as e:  # pragma: no cover - only without the web package
        print(f"faqbot serve needs the web package: {e}", file=sys.stderr)
        return 2
    return serve(args)


# ------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    """The ``faqbot`` command line: one sub-command per helper below, then those of :func:`_extensions`."""
    p = argparse.ArgumentParser(prog="faqbot", description="Answer questions about your documents.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for add in (_add_ask, _add_chat, _add_check, _add_index, _add_eval, _add_import, _add_serve):
        add(sub)
    for register in _extensions():
        register(sub)
    return p


def _add_ask(sub) -> None:
    a = sub.add_parser("ask", help="answer one question")
    a.add_argument("question")
    add_answer_options(a)
    a.add_argument("--json", action="store_true", help="print the /ask reply body")
    a.add_argument("--explain", action="store_true", help="show the candidates and the signals behind them")
    add_knowledge_options(a)
    a.set_defaults(func=cmd_ask)


def _add_chat(sub) -> None:
    t = sub.add_parser("chat", help="a conversation in the terminal: follow-ups, numbered suggestions, /reset")
    add_answer_options(t)
    add_knowledge_options(t)
    t.set_defaults(func=cmd_chat)


def _add_check(sub) -> None:
    c = sub.add_parser("check", help="load knowledge sources and list their entries")
    c.add_argument("path", nargs="?", help="a source file or a directory (default: the knowledge directory)")
    c.add_argument("--knowledge", help=argparse.SUPPRESS)
    c.set_defaults(func=cmd_check)


def _add_index(sub) -> None:
    x = sub.add_parser("index", help="build and save the index of every knowledge base (serve and ask load it)")
    x.add_argument("path", nargs="?", help="a source file or a directory (default: the knowledge directory)")
    x.add_argument("--out", metavar="DIR", help="keep the indexes here instead of <knowledge dir>/.faqbot-index")
    x.add_argument("--force", action="store_true", help="rebuild even when the saved index is current")
    x.add_argument("--knowledge", help=argparse.SUPPRESS)
    x.set_defaults(func=cmd_index)


def _add_eval(sub) -> None:
    e = sub.add_parser("eval", help="score a question set (eval/dev.yaml's format) or a conversation set "
                                    "(eval/followups-dev.yaml's)")
    e.add_argument("set", help="YAML question set")
    e.add_argument("--kb", help="knowledge base to ask (default: all)")
    e.add_argument("--verbose", action="store_true", help="report load time")
    add_knowledge_options(e)
    e.set_defaults(func=cmd_eval)


def _add_import(sub) -> None:
    i = sub.add_parser("import", help="save a web page (an FAQ or help page) as a knowledge source")
    i.add_argument("url", help="http:// or https:// address of the page")
    i.add_argument("--out", metavar="FILE.html",
                   help="where to save it (default: the knowledge directory, named after the address)")
    i.add_argument("--knowledge", metavar="DIR", help=argparse.SUPPRESS)
    i.add_argument("--force", action="store_true", help="replace an existing file")
    i.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS", help="network timeout (default 15)")
    i.set_defaults(func=cmd_import)


def _add_serve(sub) -> None:
    s = sub.add_parser("serve", help="run the HTTP service")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: 2 x cores + 1)")
    s.add_argument("--dev", action="store_true", help="Flask's reloading development server")
    s.add_argument("--knowledge", metavar="DIR", help="directory of knowledge sources")
    s.set_defaults(func=cmd_serve)


def _extensions():
    """Sub-commands that live in other modules (the owner's tools)."""
    try:
        from .owner import commands
    except ImportError:
        return []
    return [commands.register] if hasattr(commands, "register") else []


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return args.func(args) or 0
    except FaqbotError as e:
        print(f"faqbot: {e}", file=sys.stderr)
        return 1
    except ValueError as e:
        print(f"faqbot: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `faqbot check | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
