"""Request bodies at the edge: size, then JSON that is strict enough to echo back safely.

- A body larger than ``FAQBOT_MAX_BODY`` is refused with 413, whether it
  announces its length (``Content-Length``) or streams it (chunked transfer
  encoding: werkzeug would otherwise cut it at the limit and parse the cut).
- :func:`read_json` parses a JSON API body and refuses, with 400
  ``invalid_json`` (or the field's own code), what the service could not
  handle or echo back as valid JSON: nesting deeper than
  :data:`MAX_DEPTH`, ``NaN`` / ``Infinity`` (and numbers too large to be
  finite), bytes that are not UTF-8 and lone surrogates (``"\\ud800"``,
  text that no UTF-8 database or reply can hold).
- Replies are written with ``allow_nan=False``: the service never emits
  invalid JSON (it fails with its 500 error body instead).
"""
from __future__ import annotations

import io
import json
import math
import re
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from .errors import ApiError

#: the deepest nesting of arrays and objects a JSON body may have (a reply's context is one level)
MAX_DEPTH = 32
#: the error code of a JSON API field whose text is not valid Unicode
FIELD_CODES = {"question": "invalid_question", "kb": "invalid_kb", "top": "invalid_top",
               "context": "invalid_context", "query_id": "invalid_query_id", "comment": "invalid_comment"}

#: a JSON string; one left open runs to the end (so that every match attempt succeeds: linear time)
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, except that it refuses to write NaN or Infinity (not JSON)."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("allow_nan", False)
        return super().dumps(obj, **kwargs)


def init_app(app: Flask) -> None:
    """Refuse streamed bodies over the limit before any view reads them; strict JSON replies."""
    app.before_request(_limit_streamed_body)


def _limit_streamed_body() -> None:
    """A body without Content-Length (chunked) is read here, up to the limit: 413 beyond it.

    The view then reads it from memory, as if it had come with its length.
    """
    environ = request.environ
    if request.content_length is not None or not environ.get("wsgi.input_terminated"):
        return
    limit = request.max_content_length
    if limit is None:
        return
    stream, chunks, size = environ["wsgi.input"], [], 0
    while size <= limit:
        try:
            chunk = stream.read(min(65536, limit + 1 - size))
        except Exception:  # noqa: BLE001 - it broke off (or stalled past the server's deadline), or bad framing
            raise BadRequest("the request body broke off or is badly framed") from None
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise RequestEntityTooLarge()
    body = b"".join(chunks)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    request.__dict__.pop("stream", None)  # werkzeug caches the stream it wrapped; nothing has read it yet


def _depth(text: str) -> int:
    """How deeply arrays and objects nest in ``text`` (brackets inside strings do not count)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return 0  # cannot be too deep: skip the scan
    depth = deepest = 0
    for c in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        depth += 1 if c in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


NOT_JSON = "the request body is not valid JSON"
TOO_DEEP = f"the request body nests arrays and objects more than {MAX_DEPTH} levels deep"
NOT_FINITE = "the request body holds a number that JSON cannot carry (NaN, Infinity or beyond 1.8e308)"


class NotFinite(ValueError):
    """A JSON number that is not a finite float (NaN, Infinity, 1e400)."""


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NotFinite(text)
    return value


def _no_constant(name: str):
    raise NotFinite(name)


def parse(data: bytes) -> Any:
    """The JSON value in ``data``, or ApiError 400 ``invalid_json`` saying what is wrong with it."""
    try:
        text = data.decode(json.detect_encoding(data))
    except (UnicodeDecodeError, LookupError):
        raise ApiError(400, "invalid_json", NOT_JSON) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if _depth(text) > MAX_DEPTH:
        raise ApiError(400, "invalid_json", TOO_DEEP)
    try:
        return json.loads(text, parse_float=_finite, parse_constant=_no_constant)
    except NotFinite:
        raise ApiError(400, "invalid_json", NOT_FINITE) from None
    except RecursionError:  # not expected below MAX_DEPTH; never a 500
        raise ApiError(400, "invalid_json", TOO_DEEP) from None
    except ValueError:  # syntax; an integer of over 4,300 digits
        raise ApiError(400, "invalid_json", NOT_JSON) from None


def _has_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if _SURROGATE.search(v):
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def read_json() -> dict:
    """The JSON object a JSON API request carries; ApiError (415, 400) when it has none or a bad one."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "send the question as JSON (Content-Type: application/json)")
    body = parse(request.get_data(cache=True))
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_body", "the request body must be a JSON object")
    for key, value in body.items():
        if _has_surrogate(key) or _has_surrogate(value):
            code = FIELD_CODES.get(key, "invalid_json")
            what = key if code != "invalid_json" else "the request body"
            raise ApiError(400, code, f"{what} is not valid Unicode text (it holds a lone surrogate, such as \\ud800)")
    return body
