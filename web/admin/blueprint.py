"""The console's blueprint, its settings and the helpers its pages share.

Every view module of :mod:`web.admin` registers on :data:`bp`; the helpers
give a view the process's bot, the question log, the period asked for, and
render a page with what every console page shows (the knowledge bases, the
periods, who is signed in, flashed messages).
"""
from __future__ import annotations

from flask import Blueprint, current_app, g, get_flashed_messages, render_template, request

from bot.owner import console
from bot.store import Store

from ..errors import ApiError
from ..state import get_bot

bp = Blueprint("admin", __name__, url_prefix="/admin")

#: the periods the console offers (days)
PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
#: rows of each table on the overview, proposals on the fix page
LIMIT = 10
FIX_LIMIT = 30


def open_store() -> Store | None:
    """The question log, or None when the service has none (FAQBOT_DATABASE empty)."""
    path = current_app.config.get("FAQBOT_DATABASE")
    return Store(path) if path else None


def audit(who: str, action: str, detail: str) -> None:
    """One line in the audit log (the question log's ``audit`` table) and in the service's log."""
    current_app.logger.info("faqbot console: %s: %s: %s", who, action, detail)
    store = open_store()
    if store is None:
        return
    with store:
        console.audit(store, who, action, detail)


def period() -> tuple[int, str | None]:
    """``?days=`` (7, 30 or 90) and ``?kb=`` (a loaded knowledge base, or every one)."""
    raw = request.args.get("days", str(DEFAULT_PERIOD))
    if raw not in {str(p) for p in PERIODS}:
        raise ApiError(400, "invalid_days", "days must be 7, 30 or 90")
    kb = request.args.get("kb") or None
    if kb is not None and kb not in get_bot().knowledge_bases:
        raise ApiError(404, "unknown_kb", f"no knowledge base named {kb!r}")
    return int(raw), kb


def _entry_title(kb: str | None, entry_id: str | None) -> str:
    entry = get_bot().entry(kb, entry_id) if kb and entry_id else None
    return entry.title if entry else (entry_id or "-")


def page(template: str, **context):
    """Render a console page with the knowledge bases, the periods, the owner and the flashed messages."""
    bot = get_bot()
    context.setdefault("kbs", [(name, base.title) for name, base in bot.knowledge_bases.items()])
    context.setdefault("periods", PERIODS)
    return render_template(template, owner=g.owner, entry_title=_entry_title,
                           messages=get_flashed_messages(with_categories=True), **context)
