"""Hostile requests for the JSON API, as hypothesis strategies, and what every reply to them must be.

A request is arbitrary JSON (any value, any nesting, numbers that are not
finite), raw bodies nested thousands of levels deep, text with lone
surrogates (sent as ``\\ud800`` escapes, or as the bytes of one), control
characters, right-to-left marks, NUL and sizes past the body limit, sent to
``POST /ask``, ``GET /ask``, ``POST /feedback`` and ``GET /kb/<kb>``, with a
Content-Length or chunked. :func:`problems` lists what is wrong with a reply:
a 5xx, JSON that a strict parser refuses, an error body not in the one shape.

tests/test_fuzz.py runs a few dozen of them in the suite;
``python benchmarks/fuzz_api.py`` runs thousands and prints a summary.
"""
from __future__ import annotations

import io
import json
import urllib.parse
from dataclasses import dataclass

from hypothesis import strategies as st

#: characters that have broken services: NUL, escapes, C1, bidi controls, separators, BOM, surrogates
SPECIAL = ["\x00", "\x1b[2J", "\x7f", "\x85", "\x9b", "\u200b", "\u200e", "\u202e", "\u2066", "\u2028",
           "\ufeff", "\ufffd", "\ud800", "\udfff", "\ud83d", "\U0001f600", "é", "שלום", "مرحبا", "\t", "\n", " "]
#: a recorded question's id is added here by the caller (so that feedback on a real one is tried too)
QUERY_IDS = ["q_1", "q_" + "0" * 28, "q_" + "f" * 44, ""]

characters = st.one_of(st.characters(), st.integers(0xD800, 0xDFFF).map(chr),
                       st.sampled_from([c for c in SPECIAL if len(c) == 1]))
text = st.one_of(
    st.text(characters, max_size=40),
    st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(characters, max_size=5)), max_size=8).map("".join),
    st.sampled_from(["when are you open?", "is there wifi", "do you ship internationally", "senior"]),
    st.builds(lambda n, c: c * n, st.integers(0, 20_000), st.sampled_from(["a", "é", "\U0001f600", " ", "\x00"])),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(10 ** 30), 10 ** 30),
                    st.floats(allow_nan=True, allow_infinity=True), text)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(text, inner, max_size=4)), max_leaves=12)


@dataclass
class Request:
    """One request to send with a Flask test client."""

    method: str
    path: str
    body: bytes | None = None
    content_type: str | None = "application/json"
    chunked: bool = False

    def send(self, client):
        """Send it; the response."""
        if self.body is None:
            return client.open(self.path, method=self.method)
        if self.chunked:  # as gunicorn hands over a chunked body: no length, the stream ends on its own
            return client.open(self.path, method=self.method, input_stream=io.BytesIO(self.body),
                               content_type=self.content_type, headers={"Transfer-Encoding": "chunked"},
                               environ_overrides={"wsgi.input_terminated": True})
        return client.open(self.path, method=self.method, data=self.body, content_type=self.content_type)


def _encode(value, ascii_only: bool) -> bytes:
    """JSON as a careless client writes it: NaN allowed; a lone surrogate as an escape or as its bytes."""
    return json.dumps(value, ensure_ascii=ascii_only, allow_nan=True).encode("utf-8", "surrogatepass")


def _nested(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


@st.composite
def json_body(draw, fields: dict) -> bytes:
    """A body: an object with some of ``fields`` (each a strategy) and junk, or any JSON, or raw deep nesting."""
    kind = draw(st.sampled_from(["object", "object", "object", "any", "deep", "deep field", "raw"]))
    if kind == "any":
        return _encode(draw(values), draw(st.booleans()))
    if kind == "deep":
        return _nested(draw(st.integers(1, 5000))).encode()
    if kind == "raw":
        return draw(st.one_of(st.binary(max_size=200), st.sampled_from(
            [b"", b"{", b'{"question": NaN}', b'{"question": "a"} trailing', b"\xff\xfe{}", b'{"a":1e999}'])))
    body = {name: draw(strategy) for name, strategy in fields.items() if draw(st.booleans())}
    body.update(draw(st.dictionaries(text, values, max_size=2)))
    if kind == "deep field":
        name = draw(st.sampled_from(sorted(fields)))
        head = _encode({k: v for k, v in body.items() if k != name}, True)[:-1]
        sep = b", " if len(head) > 1 else b""
        return head + sep + json.dumps(name).encode() + b": " + _nested(draw(st.integers(1, 3000)), '"x"').encode() + b"}"
    return _encode(body, draw(st.booleans()))


def _query(value: str) -> str:
    return urllib.parse.quote(value.encode("utf-8", "surrogatepass"), safe="")


@st.composite
def requests(draw, query_ids: list[str] | None = None) -> Request:
    """A hostile request to /ask, /feedback or /kb/<kb>."""
    target = draw(st.sampled_from(["POST /ask", "POST /ask", "GET /ask", "POST /feedback", "POST /feedback",
                                   "GET /kb"]))
    if target == "GET /ask":
        params = {"q": draw(text)}
        for name, strategy in (("kb", st.one_of(text, st.just("cafe"))), ("top", st.one_of(text, st.integers()))):
            if draw(st.booleans()):
                params[name] = draw(strategy)
        query = "&".join(f"{k}={_query(str(v))}" for k, v in params.items())
        return Request("GET", f"/ask?{query}")
    if target == "GET /kb":
        return Request("GET", "/kb/" + _query(draw(st.one_of(text, st.sampled_from(["cafe", "shipping"])))))
    if target == "POST /ask":
        fields = {"question": st.one_of(text, values), "kb": st.one_of(text, values, st.just("cafe")),
                  "top": st.one_of(st.integers(-5, 15), values), "context": st.one_of(values, st.just(
                      {"previous": "opening-hours", "kb": "cafe"}))}
    else:
        ids = QUERY_IDS + list(query_ids or [])
        fields = {"query_id": st.one_of(st.sampled_from(ids), text, values), "helpful": st.one_of(st.booleans(), values),
                  "comment": st.one_of(text, values)}
    body = draw(json_body(fields))
    content_type = draw(st.sampled_from(["application/json"] * 8 + ["application/json; charset=utf-8",
                                                                     "text/plain", None]))
    return Request("POST", target.split()[1], body, content_type, chunked=draw(st.booleans()))


def strict_json(data: bytes):
    """``data`` as JSON, read as strictly as browsers do (UTF-8, no NaN or Infinity); ValueError otherwise."""
    def refuse(name):
        raise ValueError(f"{name} is not JSON")

    return json.loads(data.decode("utf-8"), parse_constant=refuse)


def _parts(response) -> tuple[int, str, bytes]:
    """Status, media type and body of a Flask test response or of schemathesis's transport response."""
    if hasattr(response, "get_data"):
        return response.status_code, response.mimetype, response.get_data()
    headers = {k.lower(): v for k, v in response.headers.items()}
    kind = headers.get("content-type", "")
    kind = kind[0] if isinstance(kind, list) else kind
    return response.status_code, kind.split(";")[0].strip(), response.content or b""


def problems(response) -> list[str]:
    """What is wrong with a reply: a 5xx, invalid JSON, an error body not in the one shape. Empty: nothing."""
    status, mimetype, data = _parts(response)
    out = []
    if status >= 500:
        out.append(f"status {status}")
    if mimetype == "application/json":
        try:
            body = strict_json(data)
        except ValueError as e:
            return out + [f"invalid JSON reply: {e}"]
        if status >= 400:
            shape = (isinstance(body, dict) and list(body) == ["error"] and isinstance(body["error"], dict)
                     and list(body["error"]) == ["code", "message"]
                     and all(isinstance(v, str) and v for v in body["error"].values()))
            if not shape:
                out.append(f"error body not in the error shape: {body!r:.200}")
    elif status >= 400:  # the client asked for no HTML: errors are JSON
        out.append(f"{status} reply is {mimetype}, not JSON")
    return out


def invalid_json(response) -> bool:
    """Whether a reply that says it is JSON is not."""
    return any(p.startswith("invalid JSON") for p in problems(response))
