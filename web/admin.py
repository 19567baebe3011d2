"""The owner's console at ``/admin``: what visitors ask, what fails, fixing it, in the browser.

Off unless ``FAQBOT_ADMIN_TOKEN`` is set: without it the blueprint is not
registered and everything under ``/admin`` is 404. With it:

- ``GET/POST /admin/sign-in`` the sign-in form (the token), ``POST /admin/sign-out``;
- ``GET /admin/`` the overview: a period (7/30/90 days) and a knowledge base;
  questions and the answer rate per day (an SVG chart drawn on the server),
  thumbs up/down, the busiest entries, unanswered questions grouped as
  ``faqbot report`` groups them;
- ``GET /admin/fix`` what ``faqbot learn`` proposes for each unanswered group
  and each answer marked unhelpful; ``POST /admin/fix/accept`` writes the
  question into the curation file (as ``faqbot learn`` does) and reloads
  this process's knowledge; ``POST /admin/fix/dismiss`` hides a group for good;
- ``GET /admin/try`` ask as a visitor (not recorded) and see ``faqbot ask --explain``;
- ``GET /admin/export.csv`` the question log of the period, streamed.

Security model: the token is compared in constant time; a browser signs in
once and then carries Flask's signed session cookie (HttpOnly,
SameSite=Strict, path /admin, Secure over HTTPS, expiring after
``FAQBOT_ADMIN_SESSION_HOURS``); every state-changing form carries a CSRF
token; scripts send ``Authorization: Bearer <token>`` instead (no cookie, no
CSRF token needed). Failed sign-ins (and wrong bearer tokens) are rate
limited per client address. Every change is written to the audit log.
"""
from __future__ import annotations

import copy
import csv
import hashlib
import hmac
import io
import secrets
import threading
import time
from contextlib import closing
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (Blueprint, Flask, current_app, flash, g, get_flashed_messages, redirect, render_template,
                   request, session, url_for)
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from itsdangerous import BadData, URLSafeTimedSerializer

from bot.answering import MAX_QUESTION_CHARS, Bot
from bot.errors import FaqbotError, InvalidQuestion
from bot.owner import console, learn
from bot.owner.report import build as build_report
from bot.owner.report import since_for
from bot.store import Store

from .chart import daily_chart
from .errors import ApiError, _wants_html, error_response

bp = Blueprint("admin", __name__, url_prefix="/admin")

#: the periods the console offers (days)
PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
#: failed sign-ins (and requests with a wrong bearer token) allowed per client address
SIGN_IN_RATE = "10 per minute; 50 per hour"
#: the shortest token accepted: a guessable token would make the console a visitor's
MIN_TOKEN_CHARS = 16
#: rows of each table on the overview, proposals on the fix page
LIMIT = 10
FIX_LIMIT = 30
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
#: views that need no signed-in session (they check the CSRF token on POST all the same)
PUBLIC_ENDPOINTS = ("admin.sign_in", "admin.sign_out")
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
#: who did it, in the audit log, for requests with the bearer token
BEARER_OWNER = "bearer token"

_reload_lock = threading.Lock()


# --------------------------------------------------------------------------
# set-up

class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def check_settings(config) -> None:
    """ValueError, with what to do, when the token is set but unusable or the secret key is missing."""
    token = config.get("FAQBOT_ADMIN_TOKEN")
    if not token:
        return
    if len(token) < MIN_TOKEN_CHARS:
        raise ValueError(f"FAQBOT_ADMIN_TOKEN is shorter than {MIN_TOKEN_CHARS} characters; use a long random "
                         "one, e.g. python -c \"import secrets; print(secrets.token_urlsafe(32))\"")
    if not config.get("FAQBOT_SECRET_KEY"):
        raise ValueError("FAQBOT_ADMIN_TOKEN is set but FAQBOT_SECRET_KEY is not: the owner's console needs a "
                         "secret key to sign its session cookie (set FAQBOT_SECRET_KEY to a long random "
                         "string, the same in every worker and instance, e.g. python -c \"import secrets; "
                         "print(secrets.token_hex(32))\"), or unset FAQBOT_ADMIN_TOKEN to switch the console off")


def init_app(app: Flask) -> None:
    """Register the console when ``FAQBOT_ADMIN_TOKEN`` is set (refusing to start without a secret key)."""
    check_settings(app.config)
    if not app.config.get("FAQBOT_ADMIN_TOKEN"):
        return
    hours = app.config["FAQBOT_ADMIN_SESSION_HOURS"]
    app.secret_key = app.config["FAQBOT_SECRET_KEY"]
    app.config.update(SESSION_COOKIE_NAME="faqbot_admin", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_PATH="/admin",
                      PERMANENT_SESSION_LIFETIME=timedelta(hours=hours))
    app.session_interface = _SessionInterface()
    app.register_blueprint(bp)

    # failed attempts count; past the limit every attempt is 429 (with Retry-After) until it expires
    from .ratelimit import storage_options

    limiter = Limiter(get_remote_address, app=app, headers_enabled=True,
                      **storage_options(app.config, f"{app.config['FAQBOT_RATELIMIT_PREFIX']}-admin"))
    # checked before the blueprint's guard (a limit on a blueprint runs in the app's before_request)
    limiter.shared_limit(SIGN_IN_RATE, scope="admin-sign-in", exempt_when=_not_an_attempt,
                         deduct_when=lambda response: response.status_code == 401)(bp)


def _not_an_attempt() -> bool:
    signing_in = request.endpoint == "admin.sign_in" and request.method == "POST"
    return not signing_in and "Authorization" not in request.headers


# --------------------------------------------------------------------------
# access

def _token_ok(candidate: str) -> bool:
    """Constant-time comparison with FAQBOT_ADMIN_TOKEN (of digests, so not even the length leaks)."""
    token = current_app.config["FAQBOT_ADMIN_TOKEN"]
    return hmac.compare_digest(hashlib.sha256(candidate.encode("utf-8", "replace")).digest(),
                               hashlib.sha256(token.encode("utf-8")).digest())


def _fingerprint() -> str:
    """Ties a session to the current token: changing FAQBOT_ADMIN_TOKEN signs every browser out."""
    key = current_app.config["FAQBOT_SECRET_KEY"].encode("utf-8")
    return hmac.new(key, b"faqbot-admin:" + current_app.config["FAQBOT_ADMIN_TOKEN"].encode("utf-8"),
                    hashlib.sha256).hexdigest()[:32]


def _lifetime() -> float:
    return current_app.config["FAQBOT_ADMIN_SESSION_HOURS"] * 3600


def _session_state() -> str:
    """``"ok"``, ``"expired"`` or ``"none"`` for this request's session."""
    owner = session.get("owner")
    if not isinstance(owner, dict) or not hmac.compare_digest(str(owner.get("fp", "")), _fingerprint()):
        return "none"
    signed_in = owner.get("at")
    if not isinstance(signed_in, (int, float)) or not 0 <= time.time() - signed_in < _lifetime():
        return "expired"
    return "ok"


def _refuse(status: int, code: str, message: str):
    response = error_response(status, code, message)
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="faqbot console"'
    return response


def _to_sign_in(message: str | None = None):
    """Browsers go to the sign-in form (and come back); scripts get 401."""
    if message and _wants_html():
        flash(message, "error")
    if request.method in SAFE_METHODS and _wants_html():
        return redirect(url_for("admin.sign_in", next=request.full_path.rstrip("?")))
    if request.method not in SAFE_METHODS and _wants_html():
        return redirect(url_for("admin.sign_in"))
    code = "session_expired" if message else "unauthorized"
    return _refuse(401, code, message or "sign in at /admin/sign-in, or send Authorization: Bearer <token>")


def csrf_token() -> str:
    """The CSRF token for this session's forms: the session's secret, signed and timed (itsdangerous).

    Empty for a bearer-token request: it has no session (and needs no token).
    """
    if g.get("owner") == BEARER_OWNER:
        return ""
    if "csrf" not in session:
        session["csrf"] = secrets.token_hex(16)
    return _csrf_serializer().dumps(session["csrf"])


def _csrf_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["FAQBOT_SECRET_KEY"], salt="faqbot-admin-csrf")


def _csrf_ok() -> bool:
    sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    expected = session.get("csrf")
    if not sent or not isinstance(expected, str):
        return False
    try:
        value = _csrf_serializer().loads(sent, max_age=int(_lifetime()))
    except BadData:
        return False
    return isinstance(value, str) and hmac.compare_digest(value, expected)


@bp.before_request
def guard():
    """Bearer token, or a live session (plus a CSRF token on anything that changes state)."""
    g.owner = None
    auth = request.headers.get("Authorization")
    if auth is not None:
        scheme, _, value = auth.partition(" ")
        if scheme.lower() != "bearer" or not value.strip() or not _token_ok(value.strip()):
            return _refuse(401, "unauthorized", "wrong or malformed bearer token")
        g.owner = BEARER_OWNER
        return None  # no cookie is involved, so there is nothing to forge across sites
    if request.method not in SAFE_METHODS and not _csrf_ok():
        if request.endpoint not in PUBLIC_ENDPOINTS and _session_state() != "ok":
            return _to_sign_in()
        return _refuse(400, "csrf_failed", "the form's CSRF token is missing, wrong or too old: "
                                           "reload the page and try again")
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    state = _session_state()
    if state == "expired":
        session.pop("owner", None)
        return _to_sign_in("Your session expired: sign in again.")
    if state != "ok":
        return _to_sign_in()
    g.owner = f"session {session['owner']['sid']}"
    return None


@bp.after_request
def private(response):
    """Nothing under /admin is cached or indexed."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.context_processor
def _template_helpers():
    return {"csrf_token": csrf_token}


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a path under /admin on this site, else the overview."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and parts.path.startswith("/admin") and "\\" not in target:
            return target
    return url_for("admin.overview")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """The sign-in form; a right token starts a session, a wrong one is 401 (and counts against the limit)."""
    status, error = 200, None
    if request.method == "POST":
        if _token_ok(request.form.get("token", "")):
            session.clear()
            session.permanent = True
            session["owner"] = {"sid": secrets.token_hex(8), "at": time.time(), "fp": _fingerprint()}
            session["csrf"] = secrets.token_hex(16)
            _audit(f"session {session['owner']['sid']}", "sign-in",
                   f"signed in from {get_remote_address()}")
            return redirect(_safe_next(request.form.get("next")))
        status, error = 401, "That token is not right."
    if _session_state() == "ok" and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")))
    return render_template("admin/sign_in.html", error=error, next=request.values.get("next", ""),
                           title="Sign in", messages=get_flashed_messages(with_categories=True)), status


@bp.post("/sign-out")
def sign_out():
    """End the session."""
    owner = session.get("owner")
    if isinstance(owner, dict) and owner.get("sid"):
        _audit(f"session {owner['sid']}", "sign-out", "signed out")
    session.clear()
    flash("You are signed out.", "ok")
    return redirect(url_for("admin.sign_in"))


# --------------------------------------------------------------------------
# helpers

def _bot() -> Bot:
    return current_app.extensions["faqbot"]


def _open_store() -> Store | None:
    """The question log, or None when the service has none (FAQBOT_DATABASE empty)."""
    path = current_app.config.get("FAQBOT_DATABASE")
    return Store(path) if path else None


def _audit(who: str, action: str, detail: str) -> None:
    """One line in the audit log (the question log's ``audit`` table) and in the service's log."""
    current_app.logger.info("faqbot console: %s: %s: %s", who, action, detail)
    store = _open_store()
    if store is None:
        return
    with store:
        console.audit(store, who, action, detail)


def _period() -> tuple[int, str | None]:
    """``?days=`` (7, 30 or 90) and ``?kb=`` (a loaded knowledge base, or every one)."""
    raw = request.args.get("days", str(DEFAULT_PERIOD))
    if raw not in {str(p) for p in PERIODS}:
        raise ApiError(400, "invalid_days", "days must be 7, 30 or 90")
    kb = request.args.get("kb") or None
    if kb is not None and kb not in _bot().knowledge_bases:
        raise ApiError(404, "unknown_kb", f"no knowledge base named {kb!r}")
    return int(raw), kb


def _entry_title(kb: str | None, entry_id: str | None) -> str:
    entry = _bot().entry(kb, entry_id) if kb and entry_id else None
    return entry.title if entry else (entry_id or "-")


def _page(template: str, **context):
    bot = _bot()
    context.setdefault("kbs", [(name, base.title) for name, base in bot.knowledge_bases.items()])
    context.setdefault("periods", PERIODS)
    return render_template(template, owner=g.owner, entry_title=_entry_title,
                           messages=get_flashed_messages(with_categories=True), **context)


# --------------------------------------------------------------------------
# overview

@bp.get("/")
def overview():
    """The period's questions and answer rate per day, thumbs, busiest entries, unanswered groups."""
    days, kb = _period()
    store = _open_store()
    report, dismissed = None, set()
    if store is not None:
        with store:
            report = build_report(store, days=days, kb=kb, limit=LIMIT)
            dismissed = console.dismissed(store)
    chart = None
    if report is not None:
        chart = daily_chart(console.fill_days(report.daily, report.since, report.until))
    unanswered = [(g, console.is_dismissed(g, "unanswered", dismissed)) for g in (report.unanswered if report else [])]
    return _page("admin/overview.html", title="Overview", days=days, kb=kb, report=report, chart=chart,
                 unanswered=unanswered, recording=bool(current_app.config.get("FAQBOT_LOG_QUESTIONS")))


# --------------------------------------------------------------------------
# fix

def _ranker() -> Bot:
    """The process's bot with the threshold at 0 (its answer is then its best candidate), sharing its index."""
    ranker = copy.copy(_bot())
    ranker.min_confidence = 0.0
    return ranker


@bp.get("/fix")
def fix():
    """What `faqbot learn` proposes for each unanswered group and each answer marked unhelpful."""
    days, kb = _period()
    store = _open_store()
    props, notes, log, hidden = [], [], [], 0
    if store is not None:
        with store:
            props, notes = learn.proposals(store, _ranker(), threshold=_bot().min_confidence, days=days,
                                           top=10 ** 6, min_count=1, kb=kb)
            dismissed = console.dismissed(store)
            log = console.audit_log(store, limit=20)
        kept = [p for p in props if not console.is_dismissed(p.group, p.reason, dismissed)]
        hidden = len(props) - len(kept)
        props = kept[:FIX_LIMIT]
    return _page("admin/fix.html", title="Fix", days=days, kb=kb, proposals=props, notes=notes,
                 hidden=hidden, audit=log, bot=_bot(), weak=learn.YES_FLOOR * _bot().min_confidence)


def _back_to_fix():
    days = request.form.get("days", str(DEFAULT_PERIOD))
    kb = request.form.get("kb") or None
    args = {"days": days if days in {str(p) for p in PERIODS} else DEFAULT_PERIOD}
    if kb and kb in _bot().knowledge_bases:
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
    app.extensions["faqbot"] = new  # one reference assignment: atomic for the threads of this process
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
    entry = _bot().entry(kb, entry_id) if kb and entry_id else None
    if entry is None:
        raise ApiError(400, "invalid_entry", "choose an entry of a loaded knowledge base")
    app = current_app._get_current_object()
    with _reload_lock:
        try:
            written = learn.write(_bot(), [(entry, question)])
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
            _audit(g.owner, "accept", f"added {question!r} to {kb}/{entry_id} ({reason}); reload failed: {e}")
            return _back_to_fix()
    path = next(iter(written))
    answer = bot.ask(question, kb=kb)
    verdict = (f"now answered by “{answer.entry.title}” (confidence {answer.confidence:.2f})" if answer.answered
               else f"still not answered (confidence {answer.confidence:.2f})")
    _audit(g.owner, "accept", f"added {question!r} as an alternate question of {kb}/{entry_id} ({reason}) "
                              f"in {path}; {verdict}")
    flash(f"Added “{question}” to “{entry.title}” in {path.name}; reloaded: {verdict}.", "ok")
    return _back_to_fix()


@bp.post("/fix/dismiss")
def dismiss():
    """Hide a group (every phrasing of it) from the fix page for good."""
    question = _question_field()
    reason = _reason_field("")
    phrasings = [question] + [p for p in request.form.getlist("phrasing") if 0 < len(p) <= MAX_QUESTION_CHARS]
    store = _open_store()
    if store is None:
        raise ApiError(409, "no_question_log", "the service has no question log (FAQBOT_DATABASE) to remember it in")
    with store:
        console.dismiss(store, phrasings, reason, g.owner)
    _audit(g.owner, "dismiss", f"dismissed {question!r} ({reason}, {len(set(phrasings))} phrasing(s))")
    flash(f"Dismissed “{question}”.", "ok")
    return _back_to_fix()


# --------------------------------------------------------------------------
# try

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
    bot = _bot()
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
    return _page("admin/try.html", title="Try", question=question or "", kb=kb, reply=reply, rows=rows or [],
                 signals=signals, decision=decision, error=error, max_chars=MAX_QUESTION_CHARS)


# --------------------------------------------------------------------------
# export

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
    days, kb = _period()
    since = since_for(days)
    _audit(g.owner, "export", f"exported the last {days} day(s)" + (f" of {kb}" if kb else ""))
    name = f"faqbot-questions-{days}d" + (f"-{kb}" if kb else "") + ".csv"
    response = current_app.response_class(_csv_rows(current_app.config.get("FAQBOT_DATABASE"), since, kb),
                                          mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
