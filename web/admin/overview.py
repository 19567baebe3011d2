"""``GET /admin/``: the period's questions and answer rate per day, thumbs, busiest entries, unanswered groups."""
from __future__ import annotations

from flask import current_app

from bot.owner import console
from bot.owner.report import build as build_report

from ..chart import daily_chart
from .blueprint import LIMIT, bp, open_store, page, period


@bp.get("/")
def overview():
    """The period's questions and answer rate per day, thumbs, busiest entries, unanswered groups."""
    days, kb = period()
    store = open_store()
    report, dismissed = None, set()
    if store is not None:
        with store:
            report = build_report(store, days=days, kb=kb, limit=LIMIT)
            dismissed = console.dismissed(store)
    chart = None
    if report is not None:
        chart = daily_chart(console.fill_days(report.daily, report.since, report.until))
    unanswered = [(g, console.is_dismissed(g, "unanswered", dismissed)) for g in (report.unanswered if report else [])]
    return page("admin/overview.html", title="Overview", days=days, kb=kb, report=report, chart=chart,
                unanswered=unanswered, recording=bool(current_app.config.get("FAQBOT_LOG_QUESTIONS")))
