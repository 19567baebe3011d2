"""Security headers on every response, and the one Content-Security-Policy the pages rely on."""
from __future__ import annotations

from flask import request

#: the page that other sites may put in an iframe (its frame-ancestors is FAQBOT_FRAME_ANCESTORS)
EMBED_PATH = "/embed"

REFERRER_POLICY = "strict-origin-when-cross-origin"


def content_security_policy(frame_ancestors: str = "'self'") -> str:
    """The service's CSP: scripts, styles and connections from this origin only (no inline script)."""
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; base-uri 'none'; form-action 'self'; "
            f"frame-ancestors {frame_ancestors}")


def init_app(app) -> None:
    """Add nosniff, Referrer-Policy and the CSP to every response that does not set its own."""
    default_csp = content_security_policy()
    embed_csp = content_security_policy(app.config["FAQBOT_FRAME_ANCESTORS"])

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", REFERRER_POLICY)
        embed = request.path == EMBED_PATH and request.method in ("GET", "HEAD")
        headers.setdefault("Content-Security-Policy", embed_csp if embed else default_csp)
        return response
