"""The OpenAPI 3.1 description of the JSON API, served at ``GET /openapi.json``."""
from __future__ import annotations

import unicodedata

from bot.contract import DEFAULT_TOP, MAX_COMMENT_CHARS, MAX_QUERY_ID_CHARS, MAX_QUESTION_CHARS, MAX_TOP

#: control characters (Unicode's Cc: C0, DEL and C1): web.api reads each as a space
CONTROLS = "".join(chr(c) for c in range(0x100) if unicodedata.category(chr(c)) == "Cc")
#: what trimming removes around a question: control characters and Unicode whitespace
#: (Python's str.strip; every such character is below U+3001)
BLANKS = "".join(sorted(set(CONTROLS) | {chr(c) for c in range(0x3001) if chr(c).isspace()}))


def _char_class(chars: str) -> str:
    """``chars`` as the inside of a regex character class, in escapes that ECMA-262 and Python read alike."""
    codes = sorted(map(ord, chars))
    runs: list[list[int]] = []
    for c in codes:
        if runs and c == runs[-1][1] + 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    def esc(c: int) -> str:
        return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
    return "".join(esc(a) if a == b else f"{esc(a)}-{esc(b)}" for a, b in runs)


# "1-MAX_QUESTION_CHARS characters after trimming": the pattern allows blanks (BLANKS)
# around 1-MAX_QUESTION_CHARS characters that start and end with a visible one; the code and the
# pattern use the same list, so what one accepts the other does.
_EDGE = f"[{_char_class(BLANKS)}]"
_VISIBLE = f"[^{_char_class(BLANKS)}]"
QUESTION_PATTERN = rf"^{_EDGE}*{_VISIBLE}(?:[\s\S]{{0,{MAX_QUESTION_CHARS - 2}}}{_VISIBLE})?{_EDGE}*$"

_QUESTION = {
    "type": "string",
    "minLength": 1,
    "pattern": QUESTION_PATTERN,
    "description": f"The visitor's question: 1-{MAX_QUESTION_CHARS} characters after trimming "
                   "Unicode whitespace and control characters (which count as spaces); valid Unicode "
                   "(a lone surrogate such as \\ud800 is refused).",
    "examples": ["how many years until senior?"],
}
_KB = {
    "type": ["string", "null"],
    "description": "Name of the knowledge base to ask (see /healthz); absent, null or empty: every loaded one.",
}
_TOP = {
    "type": "integer",
    "minimum": 1,
    "maximum": MAX_TOP,
    "default": DEFAULT_TOP,
    "description": "How many entries the reply carries in `answer` plus `related`.",
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str, headers: dict | None = None) -> dict:
    out = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        out["headers"] = headers
    return out


def _error(description: str, headers: dict | None = None) -> dict:
    return _json(_ref("Error"), description, headers)


_RATE_LIMITED = _error("Rate limited (per client address, FAQBOT_RATELIMIT).", {
    "Retry-After": {"description": "Seconds until the limit resets.", "schema": {"type": "string"}},
})

_FORBIDDEN_ORIGIN = _error("Sent by a browser from a site that FAQBOT_CORS_ORIGINS does not list "
                           "(`forbidden_origin`): not answered and not recorded.")

_ASK_ERRORS = {
    "400": _error("A bad field: `invalid_question`, `invalid_top`, `invalid_kb`, `invalid_context`, "
                  "`invalid_json` or `invalid_body`."),
    "403": _FORBIDDEN_ORIGIN,
    "404": _error("Unknown knowledge base (`unknown_kb`)."),
    "429": _RATE_LIMITED,
    "500": _error("Unexpected error (never a traceback)."),
}

SPEC: dict = {
    "openapi": "3.1.0",
    "info": {
        "title": "faqbot",
        "version": "1",
        "description": "Answers questions about a document, or says honestly that it does not know. "
                       "Every error has the body `{\"error\": {\"code\": ..., \"message\": ...}}`.",
    },
    "paths": {
        "/ask": {
            "post": {
                "operationId": "askPost",
                "summary": "Answer a question",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("AskRequest")}},
                },
                "responses": {
                    "200": _json(_ref("Answer"), "The answer, or `answered: false` with suggestions."),
                    **_ASK_ERRORS,
                    "413": _error("The body is larger than FAQBOT_MAX_BODY (`body_too_large`)."),
                    "415": _error("The body is not JSON (`unsupported_media_type`)."),
                },
            },
            "get": {
                "operationId": "askGet",
                "summary": "Answer a question (query string, for simple embedding)",
                "parameters": [
                    {"name": "q", "in": "query", "required": True, "schema": _QUESTION},
                    {"name": "kb", "in": "query", "required": False, "schema": {"type": "string"}},
                    {"name": "top", "in": "query", "required": False, "schema": _TOP},
                ],
                "responses": {
                    "200": _json(_ref("Answer"), "The answer, or `answered: false` with suggestions."),
                    **_ASK_ERRORS,
                    "414": _error("The request line is over 8 KiB (`uri_too_long`): use POST."),
                },
            },
        },
        "/feedback": {
            "post": {
                "operationId": "feedback",
                "summary": "A visitor's verdict on an answer",
                "description": "Stores whether the answer to a recorded question helped (a later verdict on the "
                               "same `query_id` replaces the earlier one). `faqbot report` lists the answers "
                               "most often marked unhelpful.",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("FeedbackRequest")}},
                },
                "responses": {
                    "200": _json(_ref("Feedback"), "The verdict is stored."),
                    "400": _error("A bad field: `invalid_query_id`, `invalid_helpful`, `invalid_comment`, "
                                  "`invalid_json` or `invalid_body`."),
                    "403": _FORBIDDEN_ORIGIN,
                    "404": _error("No recorded question has this `query_id` (`unknown_query_id`), for example "
                                  "when questions are not recorded."),
                    "413": _error("The body is larger than FAQBOT_MAX_BODY (`body_too_large`)."),
                    "415": _error("The body is not JSON (`unsupported_media_type`)."),
                    "429": _RATE_LIMITED,
                    "500": _error("Unexpected error (never a traceback)."),
                    "503": _error("The question log cannot be written right now (`unavailable`)."),
                },
            },
        },
        "/healthz": {
            "get": {
                "operationId": "healthz",
                "summary": "Liveness, the loaded knowledge bases, and whether the question log and the "
                           "rate limiter's storage answer",
                "responses": {
                    "200": _json(_ref("Health"), "The service is up and answers (even when a check is "
                                                 "`unavailable`)."),
                    "500": _error("Unexpected error."),
                },
            },
        },
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {"200": _json({"type": "object"}, "The OpenAPI document.")},
            },
        },
    },
    "components": {
        "schemas": {
            "AskRequest": {
                "type": "object",
                "required": ["question"],
                "properties": {
                    "question": _QUESTION,
                    "kb": _KB,
                    "top": _TOP,
                    "context": {
                        "type": ["object", "null"],
                        "description": "The `context` object of the previous reply, for follow-up questions.",
                    },
                },
            },
            "FeedbackRequest": {
                "type": "object",
                "required": ["query_id", "helpful"],
                "properties": {
                    "query_id": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_ID_CHARS,
                                 "description": "The `query_id` of an `/ask` reply."},
                    "helpful": {"type": "boolean", "description": "Did the answer help?"},
                    "comment": {"type": ["string", "null"], "maxLength": MAX_COMMENT_CHARS,
                                "description": f"Optional, at most {MAX_COMMENT_CHARS} characters. Absent or "
                                               "null keeps the comment of an earlier verdict on the same "
                                               "`query_id`; an empty one clears it."},
                },
            },
            "Feedback": {
                "type": "object",
                "required": ["query_id", "helpful"],
                "properties": {"query_id": {"type": "string"}, "helpful": {"type": "boolean"}},
            },
            "Entry": {
                "type": "object",
                "required": ["id", "kb", "title", "path", "text", "url"],
                "properties": {
                    "id": {"type": "string"},
                    "kb": {"type": "string"},
                    "title": {"type": "string"},
                    "path": {"type": "array", "items": {"type": "string"}},
                    "text": {"type": "string"},
                    "url": {"type": "string", "description": "Where the entry is shown on /kb/<kb>."},
                    "source_url": {"type": "string", "description": "The original web page (and section) the "
                                                                      "entry comes from, for imported HTML pages."},
                },
            },
            "Match": {
                "type": "object",
                "required": ["id", "kb", "title", "confidence"],
                "properties": {
                    "id": {"type": "string"},
                    "kb": {"type": "string"},
                    "title": {"type": "string"},
                    "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                },
            },
            "Answer": {
                "type": "object",
                "required": ["question", "answered", "confidence", "answer", "related", "context"],
                "properties": {
                    "question": {"type": "string", "description": "The question as understood (trimmed)."},
                    "answered": {"type": "boolean"},
                    "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                    "answer": {"oneOf": [_ref("Entry"), {"type": "null"}]},
                    "related": {"type": "array", "items": _ref("Match")},
                    "context": {
                        "type": "object",
                        "description": "Opaque: send it back with the next question, as it came, for follow-ups "
                                       "(\"and a senior one?\", \"what comes next?\"). It names the entry this "
                                       "reply answered with, or offered as `did_you_mean` (`previous`), and its "
                                       "knowledge base (`kb`); a reply that declines without an offer keeps the "
                                       "context it was sent. The "
                                       "service treats it as untrusted and ignores one that is stale or forged.",
                        "properties": {"previous": {"type": "string"}, "kb": {"type": "string"}},
                    },
                    "prompts": {
                        "type": "array",
                        "description": "Natural next questions for this answer (\"Next: Lead Python Developer\"; "
                                       "\"Read more\" when the answer is a long section's passage and more "
                                       "follows), to show as buttons; send `text` as the question with this "
                                       "reply's context.",
                        "items": {"type": "object", "required": ["text", "id"],
                                  "properties": {"text": {"type": "string"},
                                                 "id": {"type": "string", "description": "The entry it leads to."}}},
                    },
                    "did_you_mean": {
                        "allOf": [_ref("Match")],
                        "description": "On a declined reply whose best entry stands out (it is also `related[0]`; "
                                       "`message` then reads \"I'm not sure; did you mean “<title>”?\"). Send "
                                       "its `title` as the question, with this reply's context, to get it answered.",
                    },
                    "message": {"type": "string", "description": "Present when `answered` is false."},
                    "intent": {"type": "string", "enum": ["unknown", "smalltalk"]},
                    "suggestions": {"type": "array", "items": {"type": "string"}},
                    "corrections": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["from", "to"],
                            "properties": {"from": {"type": "string"}, "to": {"type": "string"}},
                        },
                    },
                    "query_id": {"type": "string", "description": "Present when the question was recorded: "
                                                                 "send it to `POST /feedback`."},
                },
            },
            "Health": {
                "type": "object",
                "required": ["status", "knowledge_bases"],
                "properties": {
                    "status": {"type": "string", "enum": ["ok"]},
                    "knowledge_bases": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["name", "title", "entries"],
                            "properties": {
                                "name": {"type": "string"},
                                "title": {"type": "string"},
                                "entries": {"type": "integer", "minimum": 0},
                            },
                        },
                    },
                    "checks": {
                        "type": "object",
                        "description": "Whether this process reaches what it shares with other instances "
                                       "(probed at most every few seconds). `unavailable` does not fail the "
                                       "check: questions are then answered without a `query_id`, or rate "
                                       "limits counted per process; `off`: not configured.",
                        "required": ["database", "ratelimit"],
                        "properties": {
                            "database": {"type": "string", "enum": ["ok", "unavailable", "off"],
                                         "description": "The question log (FAQBOT_DATABASE)."},
                            "ratelimit": {"type": "string", "enum": ["ok", "unavailable", "off"],
                                          "description": "The rate limiter's storage (FAQBOT_RATELIMIT_STORAGE)."},
                        },
                    },
                },
            },
            "Error": {
                "type": "object",
                "required": ["error"],
                "additionalProperties": False,
                "properties": {
                    "error": {
                        "type": "object",
                        "required": ["code", "message"],
                        "additionalProperties": False,
                        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                    },
                },
            },
        },
    },
}
