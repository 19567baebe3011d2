"""The Flask adapter: :func:`create_app` builds the service around one fitted :class:`bot.Bot`.

>>> app = create_app({"FAQBOT_KNOWLEDGE": "knowledge"})   # doctest: +SKIP
>>> app.test_client().get("/ask?q=senior").json["answer"]["title"]   # doctest: +SKIP
'Senior Python Developer'
"""
from __future__ import annotations

import re
from typing import Mapping
from urllib.parse import urlsplit

from flask import Flask, request
from flask_cors import CORS

from bot.answering import Bot

from . import admin, api, body, errors, ratelimit, recording, security, state
from . import config as settings
from .errors import ApiError

#: the views a browser on a refused origin may not call (they answer, record or store)
ORIGIN_CHECKED_ENDPOINTS = ("api.ask", "api.feedback")

#: how long browsers may cache a CORS preflight (seconds)
CORS_MAX_AGE = 86400

#: app.extensions key of the rate limiter (absent when FAQBOT_RATELIMIT is off)
LIMITER = "faqbot_limiter"


def create_app(config: Mapping | None = None) -> Flask:
    """The WSGI app. Settings: defaults, then ``FAQBOT_*`` environment variables, then ``config``."""
    app = Flask(__name__)
    app.json = body.StrictJSONProvider(app)  # never NaN or Infinity in a reply
    app.config.from_mapping(settings.defaults())
    app.config.from_mapping(settings.from_env())
    if config:
        app.config.from_mapping(config)
    settings.resolve(app.config)
    admin.check_settings(app.config)  # before the (slow) knowledge load: a token needs a secret key
    app.config["MAX_CONTENT_LENGTH"] = app.config["FAQBOT_MAX_BODY"]
    app.json.sort_keys = False  # keep the contract's field order
    app.json.ensure_ascii = False

    # built once per process (before gunicorn forks its workers) and shared by every request
    state.set_bot(app, Bot.from_path(app.config["FAQBOT_KNOWLEDGE"],
                                     min_confidence=app.config["FAQBOT_MIN_CONFIDENCE"]))

    recording.init_app(app)

    from . import pages

    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    admin.init_app(app)  # the owner's console, only when FAQBOT_ADMIN_TOKEN is set
    app.extensions["faqbot_api_paths"] = frozenset(
        rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api."))

    errors.init_app(app)
    body.init_app(app)
    security.init_app(app)
    _init_cors(app)
    ratelimit.init_app(app)
    return app


def _init_cors(app: Flask) -> None:
    """Browsers on other sites may call the JSON API: any origin by default, never with credentials.

    When FAQBOT_CORS_ORIGINS names the origins, a question or a verdict that a
    browser sends from any other site is refused with 403 ``forbidden_origin``:
    not answered, not recorded, not counted against the rate limit (CORS alone
    would only hide the answer from that site's page after the service had
    answered and recorded it). The service's own pages (same host) are always
    allowed.
    """
    origins = app.config["FAQBOT_CORS_ORIGINS"]
    paths = "|".join(re.escape(p) for p in sorted(app.extensions["faqbot_api_paths"]))
    CORS(app, resources={rf"^(?:{paths})$": {}}, origins=origins, send_wildcard=origins == "*",
         supports_credentials=False, methods=["GET", "POST"], allow_headers=["Content-Type"],
         expose_headers=["Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"],
         max_age=CORS_MAX_AGE)
    if origins != "*":
        allowed = frozenset(origins)

        @app.before_request
        def refuse_other_origins():
            origin = request.headers.get("Origin")
            if (origin is None or request.endpoint not in ORIGIN_CHECKED_ENDPOINTS or origin in allowed
                    or urlsplit(origin).netloc == request.host):
                return None
            raise ApiError(403, "forbidden_origin", "this API does not take requests from pages of "
                                                    f"{origin} (FAQBOT_CORS_ORIGINS)")
