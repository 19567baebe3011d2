"""The fix page: what ``faqbot learn`` proposes, accepting a proposal (and reloading), dismissing a group.

``GET /admin/fix`` lists a proposal for each unanswered group and each
answer marked unhelpful; ``POST /admin/fix/accept`` writes the question into
the curation file (as ``faqbot learn`` does) and reloads this process's
knowledge (:func:`reload_knowledge`); ``POST /admin/fix/dismiss`` hides a
group for good.
"""
from __future__ import annotations

import copy
import threading

from flask import Flask, current_app, flash, g, redirect, request, url_for

from bot.answering import Bot
from bot.contract import MAX_QUESTION_CHARS
from bot.errors import FaqbotError
from bot.owner import console, learn

from ..errors import ApiError
from ..state import get_bot, set_bot
from .blueprint import DEFAULT_PERIOD, FIX_LIMIT, PERIODS, audit, bp, open_store, page, period

_reload_lock = threading.Lock()


def _ranker() -> Bot:
    """The process's bot with the threshold at 0 (its answer is then its best candidate), sharing its index."""
    ranker = copy.copy(get_bot())
    ranker.min_confidence = 0.0
    return ranker


@bp.get("/fix")
def fix():
    """What `faqbot learn` proposes for each unanswered group and each answer marked unhelpful."""
    days, kb = period()
    store = open_store()
    props, notes, log, hidden = [], [], [], 0
    if store is not None:
        with store:
            props, notes = learn.proposals(store, _ranker(), threshold=get_bot().min_confidence, days=days,
                                           top=10 ** 6, min_count=1, kb=kb)
            dismissed = console.dismissed(store)
            log = console.audit_log(store, limit=20)
        kept = [p for p in props if not console.is_dismissed(p.group, p.reason, dismissed)]
        hidden = len(props) - len(kept)
        props = kept[:FIX_LIMIT]
    return page("admin/fix.html", title="Fix", days=days, kb=kb, proposals=props, notes=notes,
                hidden=hidden, audit=log, bot=get_bot(), weak=learn.YES_FLOOR * get_bot().min_confidence)


def _back_to_fix():
    days = request.form.get("days", str(DEFAULT_PERIOD))
    kb = request.form.get("kb") or None
    args = {"days": days if days in {str(p) for p in PERIODS} else DEFAULT_PERIOD}
    if kb and kb in get_bot().knowledge_bases:
        args["kb"] = kb
    return redirect(url_for("admin.fix", **args))


def _question_field() -> str:
    question = " ".join(request.form.get("question", "").split())
    if not 1 <= len(question) <= MAX_QUESTION_CHARS:
        raise ApiError(400, "invalid_question", f"question must be 1-{MAX_QUESTION_CHARS} characters")
    return question


def reload_knowledge(app: Flask) -> Bot:
    """Build a new bot from FAQBOT_KNOWLEDGE and swap it in for this process's requests (one at a time).

    Requests already answering keep the bot they started with; the next ones
    get the new one. On a failure the old bot stays and the error is raised.
    Under ``faqbot serve`` the master is then sent SIGHUP, which reloads every worker.
    """
    new = Bot.from_path(app.config["FAQBOT_KNOWLEDGE"], min_confidence=app.config["FAQBOT_MIN_CONFIDENCE"])
    set_bot(app, new)
    _reload_every_worker()
    return new


def _reload_every_worker() -> None:
    """Under ``faqbot serve``, ask the master to reload (SIGHUP): its other workers then answer from the
    new knowledge too (gunicorn replaces them gracefully; no request fails)."""
    import os
    import signal

    master = os.environ.get("_FAQBOT_SERVER_PID", "")
    if master.isdecimal() and int(master) == os.getppid():
        os.kill(int(master), signal.SIGHUP)


def _reason_field(default: str) -> str:
    """The form's reason (why a question is on the fix page), or 400."""
    reason = request.form.get("reason", default)
    if reason not in console.REASONS:
        raise ApiError(400, "invalid_reason", "reason must be unanswered or unhelpful")
    return reason


@bp.post("/fix/accept")
def accept():
    """Write the question into the chosen entry's curation file, reload, and say whether it is answered now."""
    question = _question_field()
    reason = _reason_field("unanswered")
    kb, _, entry_id = request.form.get("entry", "").partition("/")
    entry = get_bot().entry(kb, entry_id) if kb and entry_id else None
    if entry is None:
        raise ApiError(400, "invalid_entry", "choose an entry of a loaded knowledge base")
    app = current_app._get_current_object()
    with _reload_lock:
        try:
            written = learn.write(get_bot(), [(entry, question)])
        except (FaqbotError, OSError) as e:
            flash(f"Could not write the curation file: {e}", "error")
            return _back_to_fix()
        if not written:
            flash(f"“{entry.title}” already has the question “{question}”: nothing written.", "ok")
            return _back_to_fix()
        try:
            bot = reload_knowledge(app)
        except (FaqbotError, ValueError, OSError) as e:
            flash(f"Wrote the question, but reloading the knowledge failed ({e}); the service answers "
                  "as before until it is fixed and restarted.", "error")
            audit(g.owner, "accept", f"added {question!r} to {kb}/{entry_id} ({reason}); reload failed: {e}")
            return _back_to_fix()
    path = next(iter(written))
    answer = bot.ask(question, kb=kb)
    verdict = (f"now answered by “{answer.entry.title}” (confidence {answer.confidence:.2f})" if answer.answered
               else f"still not answered (confidence {answer.confidence:.2f})")
    audit(g.owner, "accept", f"added {question!r} as an alternate question of {kb}/{entry_id} ({reason}) "
                             f"in {path}; {verdict}")
    flash(f"Added “{question}” to “{entry.title}” in {path.name}; reloaded: {verdict}.", "ok")
    return _back_to_fix()


@bp.post("/fix/dismiss")
def dismiss():
    """Hide a group (every phrasing of it) from the fix page for good."""
    question = _question_field()
    reason = _reason_field("")
    phrasings = [question] + [p for p in request.form.getlist("phrasing") if 0 < len(p) <= MAX_QUESTION_CHARS]
    store = open_store()
    if store is None:
        raise ApiError(409, "no_question_log", "the service has no question log (FAQBOT_DATABASE) to remember it in")
    with store:
        console.dismiss(store, phrasings, reason, g.owner)
    audit(g.owner, "dismiss", f"dismissed {question!r} ({reason}, {len(set(phrasings))} phrasing(s))")
    flash(f"Dismissed “{question}”.", "ok")
    return _back_to_fix()
