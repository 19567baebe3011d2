"""The JSON API (v1): ``/ask``, ``/feedback``, ``/healthz`` and ``/openapi.json``. The contract is in DESIGN.md."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from bot.contract import DEFAULT_TOP, MAX_COMMENT_CHARS, MAX_QUERY_ID_CHARS, check_top
from bot.errors import StoreError

from . import health, ratelimit, recording
from .body import read_json
from .errors import ApiError
from .openapi import CONTROLS, SPEC
from .state import get_bot

bp = Blueprint("api", __name__)

# Control characters count as spaces, so "1-MAX_QUESTION_CHARS characters after
# trimming" holds whatever the question carries, and holds as the OpenAPI
# pattern says (web.openapi builds it from the same list, CONTROLS). The bot
# already reads C0 and DEL as spaces (bot.answering.validate_question); C1
# (U+0080-U+009F) is left to this table.
_CONTROLS = {ord(c): " " for c in CONTROLS if c >= "\x80"}


def _top(value) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON Schema counts 3.0 as an integer
    try:
        return check_top(value)
    except ValueError as e:
        raise ApiError(400, "invalid_top", str(e)) from None


def _kb(value) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ApiError(400, "invalid_kb", "kb must be a string")
    return value


def _context(value) -> dict | None:
    if value is not None and not isinstance(value, dict):
        raise ApiError(400, "invalid_context", "context must be an object")
    return value


@bp.route("/ask", methods=["GET", "POST"])
@ratelimit.answers
def ask():
    """Answer one question: POST a JSON body, or GET ``?q=&kb=&top=``."""
    if request.method == "POST":
        body = read_json()
        question, kb, top, context = (body.get("question", ""), body.get("kb"),
                                      body.get("top", DEFAULT_TOP), body.get("context"))
    else:
        args = request.args
        question, kb, top, context = args.get("q", ""), args.get("kb"), args.get("top", DEFAULT_TOP), None
        if isinstance(top, str) and top.strip().isdecimal():
            top = int(top)
    # InvalidQuestion (400) and UnknownKnowledgeBase (404) become error replies in web.errors
    if isinstance(question, str):
        question = question.translate(_CONTROLS)
    return jsonify(recording.answer(question, kb=_kb(kb), top=_top(top), context=_context(context)))


@bp.post("/feedback")
@ratelimit.feedback
def feedback():
    """A visitor's verdict on an answer: ``{"query_id": ..., "helpful": true|false, "comment": ...}``."""
    body = read_json()
    query_id, helpful, comment = body.get("query_id"), body.get("helpful"), body.get("comment")
    if not isinstance(query_id, str) or not 1 <= len(query_id) <= MAX_QUERY_ID_CHARS:
        raise ApiError(400, "invalid_query_id", "query_id must be the query_id of an /ask reply")
    if not isinstance(helpful, bool):
        raise ApiError(400, "invalid_helpful", "helpful must be true or false")
    if comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT_CHARS):
        raise ApiError(400, "invalid_comment", f"comment must be a string of at most {MAX_COMMENT_CHARS} characters")
    if comment is not None:
        comment = comment.strip()  # empty: clears an earlier comment (absent or null keeps it)
    recorder = recording.get_recorder()
    if recorder is None:
        raise ApiError(404, "unknown_query_id", "no recorded question has this query_id "
                                                "(this server does not record questions)")
    try:
        known = recorder.feedback(query_id, helpful, comment)
    except StoreError as e:
        current_app.logger.warning("faqbot: cannot store feedback: %s", e)
        raise ApiError(503, "unavailable", "feedback cannot be stored right now; try again later") from None
    if not known:
        raise ApiError(404, "unknown_query_id", "no recorded question has this query_id")
    return jsonify(query_id=query_id, helpful=helpful)


@bp.get("/healthz")
def healthz():
    """Liveness, what is loaded, and whether the question log and the limiter's storage answer
    (``checks``; either down leaves the status ok: answering still works)."""
    kbs = [{"name": name, "title": kb.title, "entries": len(kb.entries)}
           for name, kb in get_bot().knowledge_bases.items()]
    return jsonify(status="ok", knowledge_bases=kbs, checks=health.checks(current_app))


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(SPEC)
