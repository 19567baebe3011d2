"""``GET /admin/try``: ask as a visitor would (not recorded) and see what ``faqbot ask --explain`` shows."""
from __future__ import annotations

from flask import request

from bot.contract import MAX_QUESTION_CHARS
from bot.errors import InvalidQuestion

from ..state import get_bot
from .blueprint import bp, page


def _decision(answer, rows, threshold: float) -> str:
    if answer.intent == "smalltalk":
        return "Small talk: a canned reply, no entry was searched."
    if answer.answered:
        return (f"Answered: the best entry's confidence {answer.confidence:.2f} is at or above "
                f"the threshold {threshold:.2f}.")
    if not rows:
        return "Declined: no entry shares an informative word with the question."
    return (f"Declined: the best entry's confidence {answer.confidence:.2f} is below the threshold "
            f"{threshold:.2f} (FAQBOT_MIN_CONFIDENCE).")


@bp.get("/try")
def try_question():
    """Ask as a visitor would (not recorded) and see the candidates and signals behind the answer."""
    bot = get_bot()
    question = request.args.get("q")
    kb = request.args.get("kb") or None
    if kb is not None and kb not in bot.knowledge_bases:
        kb = None
    reply = rows = decision = error = None
    signals: list[str] = []
    if question is not None:
        try:
            answer = bot.ask(question, kb=kb)
            rows = bot.explain(question, kb=kb)
        except InvalidQuestion as e:
            error = f"Please type a question ({e})."
        else:
            reply = answer.to_dict()
            decision = _decision(answer, rows, bot.min_confidence)
            fixed = {"kb", "id", "confidence", "rank", "coverage", "terms", "corrections"}
            signals = [k for k in (rows[0] if rows else {}) if k not in fixed]
    return page("admin/try.html", title="Try", question=question or "", kb=kb, reply=reply, rows=rows or [],
                signals=signals, decision=decision, error=error, max_chars=MAX_QUESTION_CHARS)
