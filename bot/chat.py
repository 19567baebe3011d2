"""``faqbot chat``: a conversation in the terminal.

Each question is asked with the previous reply's context, as the chat page
does, so that "and the free plan?" follows "how much is Jobicy+ Plus?". An
answer comes with its title, path, text and confidence, and its prompts
numbered: typing a number asks that prompt (or, after a declined question,
the "did you mean" suggestion). ``/reset`` forgets the context, ``/help``
lists the commands, ``/quit`` or Ctrl-D ends. With a terminal, line editing
and the session's history come from :mod:`readline` where Python has it.

Everything printed that a visitor or a knowledge source supplies goes through
:func:`bot.terminal.printable`.
"""
from __future__ import annotations

import sys
import textwrap

from .contract import DEFAULT_TOP
from .errors import FaqbotError
from .terminal import printable

PROMPT = "you> "

HELP = """\
Type a question and press Enter; follow-ups ("and the free plan?") are read against the last answer.
  1, 2, ...  ask a numbered suggestion of the last reply
  /reset     forget the conversation (the next question starts afresh)
  /help      show this help
  /quit      leave (or Ctrl-D)"""


def _text(value) -> str:
    """Printable, keeping line breaks (answer text is laid out in lines)."""
    return printable(value, keep="\n")


class Conversation:
    """The state of one terminal conversation: the last reply's context and its numbered suggestions."""

    def __init__(self, bot, kb: str | None = None, top: int = DEFAULT_TOP, out=None):
        self.bot = bot
        self.kb = kb
        self.top = top
        self.out = out if out is not None else sys.stdout
        self.context: dict | None = None
        self.choices: list[str] = []  # what typing 1, 2, ... asks

    def say(self, line: str = "") -> None:
        print(line, file=self.out)

    def reset(self) -> None:
        self.context = None
        self.choices = []

    def ask(self, question: str):
        """Ask ``question`` in the current context, print the reply and keep its context."""
        reply = self.bot.ask(question, kb=self.kb, top=self.top, context=self.context)
        self.context = dict(reply.context) if reply.context else None
        self.show(reply)
        return reply

    def show(self, reply) -> None:
        self.choices = []
        if reply.answered:
            e = reply.entry
            for a, b in reply.corrections:
                self.say(f"(showing results for “{_text(b)}” instead of “{_text(a)}”)")
            self.say(f"{_text(e.title)}  ({_text(' › '.join(e.path))})")
            self.say(textwrap.indent(_text(e.text), "  "))
            self.say(f"confidence {reply.confidence:.2f}")
            if reply.prompts:
                self.say("ask next:")
                for p in reply.prompts:
                    self.choices.append(p["text"])
                    self.say(f"  [{len(self.choices)}] {_text(p['text'])}")
            if reply.related:
                self.say("related: " + "; ".join(_text(m.entry.title) for m in reply.related))
            return
        self.say(_text(reply.message or "Sorry, I don't know the answer to that."))
        guess = reply.did_you_mean
        if guess is not None:
            self.choices.append(guess.entry.title)
            self.say(f"  [1] {_text(guess.entry.title)}")
        for m in reply.related:
            if guess is None or m.entry.id != guess.entry.id:
                self.say(f"  - {_text(m.entry.title)}")
        for s in reply.suggestions:
            self.say(f"  - {_text(s)}")
        if reply.intent != "smalltalk":
            self.say(f"confidence {reply.confidence:.2f}")

    def handle(self, line: str) -> bool:
        """Act on one line typed; False when the conversation should end."""
        line = line.strip()
        if not line:
            return True
        command = line.lower()
        if command in ("/quit", "/exit", "/q"):
            return False
        if command == "/help":
            self.say(HELP)
            return True
        if command == "/reset":
            self.reset()
            self.say("(conversation reset: the next question starts afresh)")
            return True
        if line.startswith("/"):
            self.say(f"unknown command {_text(line.split()[0])}; /help lists them")
            return True
        if line.isdigit() and self.choices:
            n = int(line)
            if not 1 <= n <= len(self.choices):
                self.say(f"no suggestion numbered {n}: pick 1-{len(self.choices)}")
                return True
            line = self.choices[n - 1]
            self.say(f"asking: {_text(line)}")
        try:
            self.ask(line)
        except FaqbotError as e:  # e.g. a question over the length limit
            self.say(f"faqbot: {_text(e)}")
        return True


def _readline() -> None:
    """Line editing and history for input(), where Python has readline and stdin is a terminal."""
    if not sys.stdin.isatty():
        return
    try:
        import readline  # noqa: F401  (importing it is what turns editing on for input())
    except ImportError:  # pragma: no cover - Python built without it
        pass


def run(bot, kb: str | None = None, top: int = DEFAULT_TOP, out=None) -> int:
    """The read-ask-print loop until /quit or end of input."""
    out = out if out is not None else sys.stdout
    _readline()
    chat = Conversation(bot, kb=kb, top=top, out=out)
    titles = [base.title for name, base in bot.knowledge_bases.items() if kb in (None, name)]
    chat.say(f"faqbot chat: {_text(', '.join(titles))}. Ask a question; /help lists the commands, /quit leaves.")
    while True:
        try:
            line = input(PROMPT)
        except EOFError:
            chat.say()
            return 0
        except KeyboardInterrupt:  # Ctrl-C drops the line being typed, as in a shell
            chat.say()
            continue
        if not chat.handle(line):
            return 0
