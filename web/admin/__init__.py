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

The package's modules: :mod:`.blueprint` (the blueprint, its settings and
the helpers the pages share), :mod:`.access` (the token, sessions, CSRF,
signing in and out), :mod:`.overview`, :mod:`.fix`, :mod:`.trying` and
:mod:`.export` (one per page); this module registers the console on an app.
"""
from __future__ import annotations

from datetime import timedelta

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from . import access, export, fix, overview, trying  # noqa: F401 - their views register on the blueprint
from .blueprint import bp

#: failed sign-ins (and requests with a wrong bearer token) allowed per client address
SIGN_IN_RATE = "10 per minute; 50 per hour"
#: the shortest token accepted: a guessable token would make the console a visitor's
MIN_TOKEN_CHARS = 16


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
    from ..ratelimit import storage_options

    limiter = Limiter(get_remote_address, app=app, headers_enabled=True,
                      **storage_options(app.config, f"{app.config['FAQBOT_RATELIMIT_PREFIX']}-admin"))
    # checked before the blueprint's guard (a limit on a blueprint runs in the app's before_request)
    limiter.shared_limit(SIGN_IN_RATE, scope="admin-sign-in", exempt_when=_not_an_attempt,
                         deduct_when=lambda response: response.status_code == 401)(bp)


def _not_an_attempt() -> bool:
    signing_in = request.endpoint == "admin.sign_in" and request.method == "POST"
    return not signing_in and "Authorization" not in request.headers
