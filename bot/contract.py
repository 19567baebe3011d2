"""The API contract's limits and defaults, stated once.

The bot (:meth:`bot.Bot.ask`), the JSON API (``web.api``), its OpenAPI
document (``web.openapi``), the command line (``faqbot ask/chat --top``) and
the chat page and widget (rendered into their configuration by ``web.pages``)
all read them from here.
"""
from __future__ import annotations

#: a question is 1-MAX_QUESTION_CHARS characters after trimming
MAX_QUESTION_CHARS = 500
#: ``top``: how many entries a reply carries in ``answer`` plus ``related`` (1-MAX_TOP) ...
MAX_TOP = 10
#: ... and how many when the request does not say
DEFAULT_TOP = 3
#: POST /feedback: a comment's length, a query_id's length
MAX_COMMENT_CHARS = 1000
MAX_QUERY_ID_CHARS = 100


def check_top(value) -> int:
    """``value`` when it is a valid ``top`` (an int, not a bool, 1-MAX_TOP); ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TOP:
        raise ValueError(f"top must be an integer from 1 to {MAX_TOP}")
    return value
