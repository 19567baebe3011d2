"""Who may use the console: the bearer token, the signed-in session and its CSRF token.

The token is compared in constant time (of digests); a browser signs in once
(``/admin/sign-in``) and then carries Flask's signed session cookie, tied to
the current token and expiring after ``FAQBOT_ADMIN_SESSION_HOURS``; every
state-changing form carries a CSRF token; scripts send
``Authorization: Bearer <token>`` instead. :func:`guard` checks every request
under ``/admin``.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from urllib.parse import urlsplit

from flask import current_app, flash, g, get_flashed_messages, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from itsdangerous import BadData, URLSafeTimedSerializer

from ..errors import _wants_html, error_response
from .blueprint import audit, bp

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
#: views that need no signed-in session (they check the CSRF token on POST all the same)
PUBLIC_ENDPOINTS = ("admin.sign_in", "admin.sign_out")
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
#: who did it, in the audit log, for requests with the bearer token
BEARER_OWNER = "bearer token"


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
            audit(f"session {session['owner']['sid']}", "sign-in",
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
        audit(f"session {owner['sid']}", "sign-out", "signed out")
    session.clear()
    flash("You are signed out.", "ok")
    return redirect(url_for("admin.sign_in"))
