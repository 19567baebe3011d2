"""One error shape for every 4xx and 5xx: ``{"error": {"code": ..., "message": ...}}``.

JSON by default. A browser that asks for a page that is not part of the JSON
API (its ``Accept`` prefers ``text/html``) gets the same code and message as a
tiny HTML page instead.
"""
from __future__ import annotations

from flask import current_app, jsonify, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from bot.errors import InvalidQuestion, UnknownKnowledgeBase

#: the ``code`` of an HTTP error that carries no more specific one
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    408: "request_timeout",
    413: "body_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    417: "expectation_failed",
    429: "rate_limited",
    431: "headers_too_large",
    500: "internal_error",
    501: "not_implemented",
    503: "unavailable",
}


class ApiError(Exception):
    """A request the service refuses, with its HTTP status, code and message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_body(code: str, message: str) -> dict:
    """The canonical error body."""
    return {"error": {"code": code, "message": message}}


def is_api_request() -> bool:
    return request.blueprint == "api" or request.path in current_app.extensions["faqbot_api_paths"]


def _wants_html() -> bool:
    if is_api_request():
        return False
    return request.accept_mimetypes.best_match(("application/json", "text/html")) == "text/html"


_PAGE = ('<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{status} {title}</title></head>\n'
         '<body><h1>{title}</h1><p>{message}</p><p><a href="/">Back to the chat</a></p></body></html>\n')


def error_response(status: int, code: str, message: str):
    if _wants_html():
        title = escape(code.replace("_", " ").capitalize())
        page = _PAGE.format(status=status, title=title, message=escape(message))
        return current_app.response_class(page, status=status, mimetype="text/html")
    response = jsonify(error_body(code, message))
    response.status_code = status
    return response


def _http_message(e: HTTPException) -> str:
    status = e.code or 500
    if isinstance(e, MethodNotAllowed) and e.valid_methods:
        return f"method {request.method} not allowed; use {', '.join(sorted(e.valid_methods))}"
    if status == 413:
        return f"request body larger than {current_app.config['MAX_CONTENT_LENGTH']} bytes"
    if status == 429:
        return f"too many requests ({e.description}); try again later"
    if status == 404:
        return "not found"
    return (e.name or "error").lower()


def handle_http_error(e: HTTPException):
    status = e.code or 500
    response = error_response(status, CODES.get(status, "http_error"), _http_message(e))
    if isinstance(e, MethodNotAllowed) and e.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(e.valid_methods))
    return response


def handle_api_error(e: ApiError):
    return error_response(e.status, e.code, e.message)


def handle_invalid_question(e: InvalidQuestion):
    return error_response(400, "invalid_question", str(e))


def handle_unknown_kb(e: UnknownKnowledgeBase):
    return error_response(404, "unknown_kb", str(e))


def handle_unexpected(e: Exception):
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, "internal_error", "internal server error")


def init_app(app) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(InvalidQuestion, handle_invalid_question)
    app.register_error_handler(UnknownKnowledgeBase, handle_unknown_kb)
    app.register_error_handler(Exception, handle_unexpected)
