"""`faqbot chat`: a terminal conversation driven by a scripted stdin (input() monkeypatched)."""
from __future__ import annotations

import builtins
import sys
from pathlib import Path

import pytest

from bot import Bot
from bot.chat import Conversation
from bot.cli import main

KNOWLEDGE = str(Path(__file__).resolve().parent.parent / "knowledge")
PLUS_ID = "jobicy-plus-subscription/plus"
SENIOR_ID = "career-progression/senior-python-developer"


@pytest.fixture(scope="module")
def bot():
    return Bot.from_path(KNOWLEDGE)


def script(monkeypatch, *lines, then=EOFError):
    """input() returns ``lines`` one by one, echoed as a terminal would, then raises ``then`` (Ctrl-D);
    the prompts it was given are kept."""
    asked, feed = [], iter(lines)

    def fake_input(prompt=""):
        asked.append(prompt)
        try:
            line = next(feed)
        except StopIteration:
            raise then from None
        sys.stdout.write(f"{prompt}{line}\n")
        return line

    monkeypatch.setattr(builtins, "input", fake_input)
    return asked


@pytest.fixture
def spy(monkeypatch):
    """Every Bot.ask call as (question, context)."""
    calls, real = [], Bot.ask

    def ask(self, question, kb=None, top=3, context=None):
        calls.append((question, dict(context) if context else None))
        return real(self, question, kb=kb, top=top, context=context)

    monkeypatch.setattr(Bot, "ask", ask)
    return calls


def chat(capsys, monkeypatch, *lines):
    asked = script(monkeypatch, *lines)
    code = main(["chat", "--knowledge", KNOWLEDGE])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out, asked


def turns(out: str) -> list[str]:
    """What each line typed printed: the output split at the prompts (the banner dropped)."""
    return out.split("you> ")[1:]


def test_a_follow_up_is_answered_in_the_context_of_the_last_answer(capsys, monkeypatch, spy):
    out, asked = chat(capsys, monkeypatch, "how much is Jobicy+ Plus?", "and the free plan?")
    assert asked == ["you> "] * 3  # two questions, then Ctrl-D
    assert spy == [("how much is Jobicy+ Plus?", None),
                   ("and the free plan?", {"previous": PLUS_ID, "kb": "python-backend-developer"})]
    plus, free = turns(out)
    assert "Plus  (Jobicy+ Subscription › Plus)" in plus and "$8/month" in plus
    assert "Free  (Jobicy+ Subscription › Free)" in free and "USD $0/month" in free
    assert "  • Unlimited applies and searches" in free  # the text, indented
    assert out.startswith("faqbot chat: Python Backend Developer Career Guide.")


def test_reset_forgets_the_context(capsys, monkeypatch, spy):
    out, _ = chat(capsys, monkeypatch, "how many years until senior?", "what comes next?",
                  "/reset", "what comes next?")
    assert [c for _, c in spy] == [None, {"previous": SENIOR_ID, "kb": "python-backend-developer"}, None]
    senior, in_context, reset, afresh = turns(out)
    assert "Senior Python Developer  (Career Progression › Senior Python Developer)" in senior
    assert "Lead Python Developer  (Career Progression › Lead Python Developer)" in in_context
    assert "conversation reset" in reset
    assert afresh.startswith("what comes next?\n") and "Lead Python Developer  (" not in afresh


def test_a_number_asks_that_prompt(capsys, monkeypatch, spy):
    out, _ = chat(capsys, monkeypatch, "how many years until senior?", "1")
    senior, lead = turns(out)
    assert "ask next:\n  [1] Next: Lead Python Developer" in senior
    assert spy[-1] == ("Next: Lead Python Developer", {"previous": SENIOR_ID, "kb": "python-backend-developer"})
    assert lead.startswith("1\nasking: Next: Lead Python Developer\n"
                           "Lead Python Developer  (Career Progression › Lead Python Developer)\n")
    assert "Experience: 6-8 years" in lead


def test_a_number_asks_the_did_you_mean_suggestion(capsys, monkeypatch, spy, bot):
    question = "leading a team eventually"
    assert bot.ask(question).did_you_mean.entry.title == "Lead Python Developer", "pick another question"
    out, _ = chat(capsys, monkeypatch, question, "1")
    assert "I'm not sure; did you mean “Lead Python Developer”?\n  [1] Lead Python Developer\n" in out
    assert spy[-1][0] == "Lead Python Developer"
    assert "Experience: 6-8 years" in out


def test_a_number_without_such_a_suggestion_says_so(capsys, monkeypatch, spy):
    out, _ = chat(capsys, monkeypatch, "how many years until senior?", "7")
    assert "no suggestion numbered 7: pick 1-1" in out
    assert len(spy) == 1


def test_help_quit_unknown_commands_and_blank_lines(capsys, monkeypatch, spy):
    out, asked = chat(capsys, monkeypatch, "", "/help", "/nope", "/quit", "never asked")
    assert "/reset" in out and "/quit" in out and "Ctrl-D" in out
    assert "unknown command /nope" in out
    assert asked == ["you> "] * 4  # /quit ended it: the last line was never read
    assert spy == []


def test_ctrl_c_drops_the_line_and_goes_on(capsys, monkeypatch):
    feed = iter([KeyboardInterrupt, "/quit"])

    def fake_input(prompt=""):
        item = next(feed)
        if item is KeyboardInterrupt:
            raise KeyboardInterrupt
        return item

    monkeypatch.setattr(builtins, "input", fake_input)
    assert main(["chat", "--knowledge", KNOWLEDGE]) == 0


def test_too_long_a_question_is_refused_and_the_chat_goes_on(capsys, monkeypatch):
    out, _ = chat(capsys, monkeypatch, "x" * 600, "how many years until senior?")
    assert "faqbot: question must be 1-500 characters" in out
    assert "Senior Python Developer  (Career Progression" in out


def test_visitor_text_is_printed_escaped(bot):
    """Control characters (a screen clear, a bidi override) are shown as escapes, not sent to the terminal."""

    class Reply:
        answered, intent, confidence, suggestions, related, context = False, "unknown", 0.3, (), (), {}
        message = "did you mean \x1b[2J\u202e?"

        class did_you_mean:  # noqa: N801 - a stand-in for a Match
            class entry:  # noqa: N801
                id, title = "x", "clear\x1b[2J"

    printed = []

    class Out:
        def write(self, s):
            printed.append(s)

        def flush(self):
            pass

    Conversation(bot, out=Out()).show(Reply)
    text = "".join(printed)
    assert "\x1b" not in text and "\u202e" not in text
    assert "\\u001b[2J" in text and "\\u202e" in text
