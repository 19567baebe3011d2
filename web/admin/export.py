"""``GET /admin/export.csv``: the question log of the period, streamed as CSV with each answer's verdict."""
from __future__ import annotations

import csv
import io
from contextlib import closing

from flask import current_app, g

from bot.owner import console
from bot.owner.report import since_for
from bot.store import Store

from .blueprint import audit, bp, period

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A CSV cell; text a spreadsheet would run as a formula is prefixed with a quote."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _csv_rows(path: str | None, since: float, kb: str | None):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(console.LOG_COLUMNS)
    if path:
        # closing(): a download cut short gives its read (a PostgreSQL connection) back before the store closes
        with Store(path) as store, closing(console.log_rows(store, since, kb)) as rows:
            for n, row in enumerate(rows, 1):
                asked_at, query_id, qkb, question, answered, intent, entry_kb, entry_id, conf, helpful, comment = row
                writer.writerow([console.iso(asked_at), query_id, _cell(qkb), _cell(question), int(answered),
                                 intent, _cell(entry_kb), _cell(entry_id), f"{conf:.3f}",
                                 "" if helpful is None else int(helpful), _cell(comment)])
                if n % 200 == 0:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
    yield buffer.getvalue()


@bp.get("/export.csv")
def export():
    """The question log of the period (``?days=``, ``?kb=``) as CSV, streamed, with each answer's verdict."""
    days, kb = period()
    since = since_for(days)
    audit(g.owner, "export", f"exported the last {days} day(s)" + (f" of {kb}" if kb else ""))
    name = f"faqbot-questions-{days}d" + (f"-{kb}" if kb else "") + ".csv"
    response = current_app.response_class(_csv_rows(current_app.config.get("FAQBOT_DATABASE"), since, kb),
                                          mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
