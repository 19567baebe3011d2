"""Real HTTP servers for the browser tests: the app, and a host site on another origin."""
from __future__ import annotations

import threading
from pathlib import Path

from werkzeug.serving import make_server

HERE = Path(__file__).resolve().parent


class ServerThread:
    """A WSGI app served by werkzeug on 127.0.0.1 and a free port, in a daemon thread."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, name="test-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> "ServerThread":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def host_site(widget_origin: str):
    """A site that embeds the widget from ``widget_origin``: ``/`` and ``/other`` (host.html), ``/host.css``."""
    page = (HERE / "host.html").read_text(encoding="utf-8").replace("{{ widget_origin }}", widget_origin)
    css = (HERE / "host.css").read_bytes()

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "/")
        if path in ("/", "/other"):
            body = page.replace("{{ page }}", "Careers" if path == "/" else "Benefits").encode("utf-8")
            kind = "text/html; charset=utf-8"
        elif path == "/host.css":
            body, kind = css, "text/css"
        else:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(body))),
                                  ("Cache-Control", "no-store")])
        return [body]

    return app
