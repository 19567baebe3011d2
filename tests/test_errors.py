"""One error shape everywhere: ``{"error": {"code": ..., "message": ...}}``, exact bodies pinned here."""
from __future__ import annotations

import io
import json

import pytest

from bot.answering import Bot

LENGTH = "question must be 1-500 characters"
STRING = "question must be a string"
TOP = "top must be an integer from 1 to 10"


def error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def post_json(client, body):
    return client.post("/ask", json=body)


def post_raw(client, data, content_type="application/json"):
    return client.post("/ask", data=data, content_type=content_type)


CASES = [
    # (id, request, status, body)
    ("missing question", lambda c: post_json(c, {}), 400, error("invalid_question", LENGTH)),
    ("empty question", lambda c: post_json(c, {"question": ""}), 400, error("invalid_question", LENGTH)),
    ("blank question", lambda c: post_json(c, {"question": " \n\t "}), 400, error("invalid_question", LENGTH)),
    ("control characters only", lambda c: post_json(c, {"question": "\x00\x01\x1b"}), 400,
     error("invalid_question", LENGTH)),
    ("501 characters", lambda c: post_json(c, {"question": "a" * 501}), 400, error("invalid_question", LENGTH)),
    ("10,000 characters", lambda c: post_json(c, {"question": "why " * 2500}), 400,
     error("invalid_question", LENGTH)),
    ("number as question", lambda c: post_json(c, {"question": 42}), 400, error("invalid_question", STRING)),
    ("null question", lambda c: post_json(c, {"question": None}), 400, error("invalid_question", STRING)),
    ("list question", lambda c: post_json(c, {"question": ["when", "open"]}), 400,
     error("invalid_question", STRING)),
    ("GET without q", lambda c: c.get("/ask"), 400, error("invalid_question", LENGTH)),
    ("GET empty q", lambda c: c.get("/ask?q="), 400, error("invalid_question", LENGTH)),
    ("GET long q", lambda c: c.get("/ask", query_string={"q": "a" * 501}), 400, error("invalid_question", LENGTH)),
    ("top 0", lambda c: post_json(c, {"question": "wifi", "top": 0}), 400, error("invalid_top", TOP)),
    ("top 11", lambda c: post_json(c, {"question": "wifi", "top": 11}), 400, error("invalid_top", TOP)),
    ("top string", lambda c: post_json(c, {"question": "wifi", "top": "3"}), 400, error("invalid_top", TOP)),
    ("top true", lambda c: post_json(c, {"question": "wifi", "top": True}), 400, error("invalid_top", TOP)),
    ("top 2.5", lambda c: post_json(c, {"question": "wifi", "top": 2.5}), 400, error("invalid_top", TOP)),
    ("GET top abc", lambda c: c.get("/ask?q=wifi&top=abc"), 400, error("invalid_top", TOP)),
    ("GET top 99", lambda c: c.get("/ask?q=wifi&top=99"), 400, error("invalid_top", TOP)),
    ("kb number", lambda c: post_json(c, {"question": "wifi", "kb": 7}), 400,
     error("invalid_kb", "kb must be a string")),
    ("context string", lambda c: post_json(c, {"question": "wifi", "context": "opening-hours"}), 400,
     error("invalid_context", "context must be an object")),
    ("context list", lambda c: post_json(c, {"question": "wifi", "context": []}), 400,
     error("invalid_context", "context must be an object")),
    ("invalid JSON", lambda c: post_raw(c, b'{"question": "wifi"'), 400,
     error("invalid_json", "the request body is not valid JSON")),
    ("invalid UTF-8", lambda c: post_raw(c, b'{"question": "\xff\xfe"}'), 400,
     error("invalid_json", "the request body is not valid JSON")),
    ("empty body", lambda c: post_raw(c, b""), 400, error("invalid_json", "the request body is not valid JSON")),
    ("JSON array", lambda c: post_raw(c, b'["wifi"]'), 400,
     error("invalid_body", "the request body must be a JSON object")),
    ("JSON string", lambda c: post_raw(c, b'"wifi"'), 400,
     error("invalid_body", "the request body must be a JSON object")),
    ("unknown kb", lambda c: post_json(c, {"question": "wifi", "kb": "menu"}), 404,
     error("unknown_kb", "unknown knowledge base 'menu' (loaded: cafe, shipping)")),
    ("GET unknown kb", lambda c: c.get("/ask?q=wifi&kb=menu"), 404,
     error("unknown_kb", "unknown knowledge base 'menu' (loaded: cafe, shipping)")),
    ("unknown path", lambda c: c.get("/no/such/thing"), 404, error("not_found", "not found")),
    ("PUT /ask", lambda c: c.put("/ask", json={"question": "wifi"}), 405,
     error("method_not_allowed", "method PUT not allowed; use GET, HEAD, OPTIONS, POST")),
    ("POST /healthz", lambda c: c.post("/healthz"), 405,
     error("method_not_allowed", "method POST not allowed; use GET, HEAD, OPTIONS")),
    ("body over 16 KiB", lambda c: post_json(c, {"question": "a" * 16 * 1024}), 413,
     error("body_too_large", "request body larger than 16384 bytes")),
    ("1 MB body", lambda c: post_raw(c, b"{" + b" " * 1_000_000 + b"}"), 413,
     error("body_too_large", "request body larger than 16384 bytes")),
    ("text/plain", lambda c: post_raw(c, b"when are you open?", "text/plain"), 415,
     error("unsupported_media_type", "send the question as JSON (Content-Type: application/json)")),
    ("form", lambda c: c.post("/ask", data={"question": "wifi"}), 415,
     error("unsupported_media_type", "send the question as JSON (Content-Type: application/json)")),
    ("no content type", lambda c: post_raw(c, b'{"question": "wifi"}', None), 415,
     error("unsupported_media_type", "send the question as JSON (Content-Type: application/json)")),
]


@pytest.mark.parametrize("send, status, body", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_error_status_and_exact_body(client, send, status, body):
    response = send(client)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert response.get_json() == body


def test_error_shape_is_pinned(client):
    """The canonical error body: one object ``error`` with exactly ``code`` and ``message``, both strings."""
    for send, status, _ in [c[1:] for c in CASES]:
        body = json.loads(send(client).get_data())
        assert list(body) == ["error"]
        assert list(body["error"]) == ["code", "message"]
        assert all(isinstance(v, str) and v for v in body["error"].values())


def test_method_not_allowed_lists_allowed_methods(client):
    response = client.delete("/ask")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}


def test_body_limit_follows_faqbot_max_body(make_app):
    client = make_app(FAQBOT_MAX_BODY=64).test_client()
    assert client.post("/ask", json={"question": "wifi"}).status_code == 200
    response = client.post("/ask", json={"question": "w" * 64})
    assert response.status_code == 413
    assert response.get_json() == error("body_too_large", "request body larger than 64 bytes")


def test_unexpected_error_is_a_500_without_traceback(app, client, monkeypatch, caplog):
    def explode(*args, **kwargs):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(app.extensions["faqbot"], "ask", explode)
    response = client.post("/ask", json={"question": "wifi"})
    assert response.status_code == 500
    assert response.get_json() == error("internal_error", "internal server error")
    text = response.get_data(as_text=True)
    assert "secret" not in text and "Traceback" not in text
    assert "secret internals" in caplog.text  # logged for the operator, not shown to the client


def test_unexpected_error_in_healthz_is_json_too(app, client, monkeypatch):
    monkeypatch.setattr(Bot, "knowledge_bases", property(lambda self: 1 / 0))
    response = client.get("/healthz", headers={"Accept": "text/html"})
    assert response.status_code == 500
    assert response.get_json() == error("internal_error", "internal server error")


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/json, text/html;q=0.9"])
def test_errors_are_json_unless_the_client_prefers_html(client, accept):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/no/such/page", headers=headers)
    assert response.status_code == 404
    assert response.get_json() == error("not_found", "not found")


@pytest.mark.parametrize("accept", ["text/html", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"])
def test_page_errors_are_html_for_browsers(client, accept):
    response = client.get("/no/such/page", headers={"Accept": accept})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<h1>Not found</h1>" in page and "not found" in page
    assert "<script" not in page


def test_api_errors_stay_json_for_browsers(client):
    headers = {"Accept": "text/html,*/*;q=0.8"}
    assert client.get("/ask?q=", headers=headers).get_json() == error("invalid_question", LENGTH)
    assert client.put("/ask", headers=headers).mimetype == "application/json"


def test_html_error_page_escapes_the_message(app, client, monkeypatch):
    from web import errors

    with app.test_request_context("/some/page", headers={"Accept": "text/html"}):
        page = errors.error_response(400, "bad_request", "<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_server_keeps_answering_after_errors(client):
    for send, _, _ in [c[1:] for c in CASES]:
        send(client)
    body = client.post("/ask", json={"question": "when are you open?"}).get_json()
    assert body["answer"]["title"] == "Opening Hours"


# ------------------------------------------------------------- hostile bodies

NOT_JSON = "the request body is not valid JSON"
TOO_DEEP = "the request body nests arrays and objects more than 32 levels deep"
NOT_FINITE = "the request body holds a number that JSON cannot carry (NaN, Infinity or beyond 1.8e308)"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


HOSTILE = [
    # (id, path, raw body, status, body)
    ("1,100 levels", "/ask", nested(1100), 400, error("invalid_json", TOO_DEEP)),
    ("1,100 levels of objects", "/ask", '{"a":' * 1100 + "1" + "}" * 1100, 400, error("invalid_json", TOO_DEEP)),
    ("1,100 levels in context", "/ask", '{"question": "wifi", "context": {"x": %s}}' % nested(1100), 400,
     error("invalid_json", TOO_DEEP)),
    ("1,100 levels in feedback", "/feedback", '{"query_id": "q_1", "helpful": true, "c": %s}' % nested(1100), 400,
     error("invalid_json", TOO_DEEP)),
    ("33 levels", "/ask", '{"question": "zzz", "context": {"x": %s}}' % nested(31), 400, error("invalid_json", TOO_DEEP)),
    ("NaN in context", "/ask", '{"question": "zzz", "context": {"x": NaN}}', 400, error("invalid_json", NOT_FINITE)),
    ("Infinity in context", "/ask", '{"question": "zzz", "context": {"x": Infinity}}', 400,
     error("invalid_json", NOT_FINITE)),
    ("-Infinity as top", "/ask", '{"question": "zzz", "top": -Infinity}', 400, error("invalid_json", NOT_FINITE)),
    ("1e400 in context", "/ask", '{"question": "zzz", "context": {"x": 1e400}}', 400,
     error("invalid_json", NOT_FINITE)),
    ("a 5,000-digit integer", "/ask", '{"question": "zzz", "context": {"x": %s}}' % ("9" * 5000), 400,
     error("invalid_json", NOT_JSON)),
    ("lone surrogate in question", "/ask", r'{"question": "senior \ud800"}', 400,
     error("invalid_question", "question is not valid Unicode text (it holds a lone surrogate, such as \\ud800)")),
    ("lone surrogate in kb", "/ask", r'{"question": "senior", "kb": "\udfff"}', 400,
     error("invalid_kb", "kb is not valid Unicode text (it holds a lone surrogate, such as \\ud800)")),
    ("lone surrogate in context", "/ask", r'{"question": "zzz", "context": {"x": ["\ud800"]}}', 400,
     error("invalid_context", "context is not valid Unicode text (it holds a lone surrogate, such as \\ud800)")),
    ("lone surrogate in a context key", "/ask", r'{"question": "zzz", "context": {"\ud800": 1}}', 400,
     error("invalid_context", "context is not valid Unicode text (it holds a lone surrogate, such as \\ud800)")),
    ("lone surrogate in an unknown field", "/ask", r'{"question": "zzz", "\ud800": 1}', 400,
     error("invalid_json", "the request body is not valid Unicode text (it holds a lone surrogate, such as \\ud800)")),
    ("lone surrogate in query_id", "/feedback", r'{"query_id": "q_\ud800", "helpful": true}', 400,
     error("invalid_query_id", "query_id is not valid Unicode text (it holds a lone surrogate, such as \\ud800)")),
    ("lone surrogate in comment", "/feedback", r'{"query_id": "q_1", "helpful": true, "comment": "\udc00"}', 400,
     error("invalid_comment", "comment is not valid Unicode text (it holds a lone surrogate, such as \\ud800)")),
    ("a surrogate encoded as UTF-8 bytes", "/ask", b'{"question": "senior \xed\xa0\x80"}', 400,
     error("invalid_json", NOT_JSON)),
]


@pytest.mark.parametrize("path, data, status, body", [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_json_is_refused_with_the_error_shape(client, path, data, status, body):
    response = client.post(path, data=data, content_type="application/json")
    assert response.status_code == status
    assert response.get_json() == body


@pytest.mark.parametrize("context", [
    {"x": json.loads(nested(30))},  # 32 levels with the body and the context: the most allowed
    {"x": "\ud83d\ude00 paired surrogates are one character", "rtl": "\u202eabc", "nul": "\x00"},
    {"x": 10 ** 300, "y": -1.5e308, "z": [True, None, 0.1]},
])
def test_context_a_declined_reply_echoes_is_always_valid_json(client, context):
    response = client.post("/ask", data=json.dumps({"question": "zzz qqq", "context": context}),
                           content_type="application/json")
    assert response.status_code == 200
    reply = json.loads(response.get_data().decode("utf-8"), parse_constant=pytest.fail)  # strict: no NaN
    assert reply["answered"] is False and reply["context"] == json.loads(json.dumps(context))


def post_chunked(client, data: bytes):
    """A body sent as gunicorn hands over a chunked one: no Content-Length, the stream ends on its own."""
    return client.post("/ask", input_stream=io.BytesIO(data), content_type="application/json",
                       headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})


@pytest.mark.parametrize("size, status", [(100, 200), (16 * 1024, 200), (16 * 1024 + 1, 413), (20_000_000, 413)])
def test_chunked_body_is_held_to_the_limit_like_one_with_a_length(client, size, status):
    question = b'{"question": "when are you open?"}'
    response = post_chunked(client, question + b" " * (size - len(question)))
    assert response.status_code == status
    if status == 413:
        assert response.get_json() == error("body_too_large", "request body larger than 16384 bytes")


def test_replies_never_carry_nan(app, client, monkeypatch):
    import web.recording

    answer = web.recording.answer
    monkeypatch.setattr(web.api.recording, "answer", lambda *a, **k: {**answer(*a, **k), "confidence": float("nan")})
    response = client.get("/ask?q=wifi")
    assert response.status_code == 500
    assert response.get_json() == error("internal_error", "internal server error")


class BrokenStream:
    """A chunked body that breaks off after its first bytes (the client went away, or the server cut it off)."""

    def __init__(self):
        self.sent = False

    def read(self, size=-1):
        if self.sent:
            raise OSError("the stream broke off")
        self.sent = True
        return b'{"que'


def test_chunked_body_that_breaks_off_is_a_400_not_a_500(client):
    response = client.post("/ask", content_type="application/json", headers={"Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input": BrokenStream(), "wsgi.input_terminated": True})
    assert response.status_code == 400
    assert response.get_json() == error("bad_request", "bad request")
