"""Pages: the chat page (which also works without JavaScript), the chat for
iframes, the embeddable widget script and the knowledge pages.

- ``GET /`` the chat page; ``POST /`` (form field ``q``, optional ``kb``) is the
  same page with the question answered server-side, for browsers without
  JavaScript. ``GET /?q=...`` does the same.
- ``GET /embed`` the chat for an ``<iframe>`` (its no-JavaScript form uses
  ``GET /embed?q=...`` so that the answer keeps the iframe's frame-ancestors).
- ``GET /widget.js`` the widget: ``static/chat.js`` and ``static/widget-body.js``
  bundled into one script with the widget's CSS and the starter questions.
- ``GET /kb/<kb>`` a knowledge base as a document, one anchor per entry id,
  so an answer's ``url`` lands on its section.

Everything the visitor or the knowledge base supplies reaches HTML through
Jinja's autoescaping (server) or ``textContent`` (browser).
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, url_for

from bot.contract import MAX_QUESTION_CHARS
from bot.errors import InvalidQuestion

from . import ratelimit, recording
from .state import get_bot
from .strings import language_of, strings_for

bp = Blueprint("pages", __name__, template_folder="templates",
               static_folder="static", static_url_path="/static")

STATIC = Path(__file__).parent / "static"

BULLET = "• "
#: "Experience: 4-6 years" -> ("Experience", "4-6 years"); static/chat.js uses the same rule
_LABEL = re.compile(r"^([A-Z][^:.?!]{0,40}):(?:\s+(.*))?$")

#: widget.js may be cached this long by browsers and proxies (seconds)
WIDGET_MAX_AGE = 300


# --------------------------------------------------------------------------
# helpers

def _line(line: str) -> tuple[str | None, str]:
    m = _LABEL.match(line)
    return (m.group(1), m.group(2) or "") if m else (None, line)


def text_blocks(text: str) -> list[dict]:
    """Answer text as blocks: ``{"tag": "ul"|"p", "items": [(label, text), ...]}``.

    Lines starting with ``• `` become list items, other lines paragraphs; a
    leading ``Label:`` is split off so it can be shown in bold.
    """
    blocks: list[dict] = []
    for raw in (text or "").split("\n"):
        line = raw.strip()
        if not line:
            if blocks and blocks[-1]["tag"] == "ul":
                blocks.append({"tag": "break", "items": []})
            continue
        if line.startswith(BULLET):
            item = _line(line[len(BULLET):].strip())
            if blocks and blocks[-1]["tag"] == "ul":
                blocks[-1]["items"].append(item)
            else:
                blocks.append({"tag": "ul", "items": [item]})
        else:
            blocks.append({"tag": "p", "items": [_line(line)]})
    return [b for b in blocks if b["tag"] != "break"]


bp.add_app_template_filter(text_blocks, "text_blocks")


def feedback_enabled() -> bool:
    """Thumbs up/down show when questions are recorded (POST /feedback needs a query_id)."""
    return bool(current_app.config.get("FAQBOT_LOG_QUESTIONS"))


def _selected_kb(value: str | None) -> str | None:
    """The knowledge base a page is about; 404 when it is unknown."""
    if not value:
        return None
    if value not in get_bot().knowledge_bases:
        abort(404)
    return value


def _titles() -> dict[str, str]:
    """kb name -> title, plus "" -> the title of everything loaded."""
    kbs = get_bot().knowledge_bases
    out = {name: kb.title for name, kb in kbs.items()}
    out[""] = next(iter(kbs.values())).title if len(kbs) == 1 else "FAQ"
    return out


# --------------------------------------------------------------------------
# the chat page

def _chat(embed: bool):
    bot = get_bot()
    kbs = bot.knowledge_bases
    kb = _selected_kb(request.values.get("kb"))
    titles = _titles()
    lang = language_of(kbs, kb)
    t = strings_for(lang)
    question = request.values.get("q")
    conversation, error, status = [], None, 200
    if question is not None:
        previous = request.values.get("previous")
        context = {"previous": previous, "kb": request.values.get("previous_kb") or kb} if previous else None
        try:
            reply = recording.answer(question, kb=kb, context=context)
        except InvalidQuestion as e:
            error, status = t["please_type"].format(error=e), 400
        else:
            conversation.append((reply["question"], reply))
    guide_kb = kb or (next(iter(kbs)) if len(kbs) == 1 else None)
    endpoint = "pages.embed" if embed else "pages.index"
    page = render_template(
        "chat.html",
        embed=embed,
        lang=lang,
        t=t,
        title=request.args.get("title", "").strip()[:80] or titles[kb or ""],
        kb_title=titles[kb or ""],
        kb=kb or "",
        kbs=[(name, base.title) for name, base in kbs.items()] if len(kbs) > 1 else [],
        guide_kb=guide_kb,
        starters=bot.starters(kb),
        conversation=conversation,
        error=error,
        action=url_for(endpoint),
        method="get" if embed else "post",
        api_url=url_for("api.ask"),
        feedback=feedback_enabled(),
        feedback_url=url_for("api.feedback"),
        max_chars=MAX_QUESTION_CHARS,
    )
    return page, status


@bp.route("/", methods=["GET", "POST"])
@ratelimit.answers_when_asked
def index():
    """The chat page; a form post (or ``?q=``) renders the answer server-side."""
    return _chat(embed=False)


@bp.get("/embed")
@ratelimit.answers_when_asked
def embed():
    """The chat for an iframe (``?kb=``, ``?title=``); which sites may frame it is FAQBOT_FRAME_ANCESTORS."""
    return _chat(embed=True)


# --------------------------------------------------------------------------
# the widget

def _static_text(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def widget_source() -> str:
    """The /widget.js script: chat.js and widget-body.js in one closure, with their configuration."""
    bot = get_bot()
    config = {
        "css": _static_text("chat.css") + "\n" + _static_text("widget.css"),
        "titles": _titles(),
        "strings": {"": strings_for(language_of(bot.knowledge_bases, None)),
                    **{name: strings_for(language_of(bot.knowledge_bases, name)) for name in bot.knowledge_bases}},
        "starters": {"": list(bot.starters()), **{name: list(bot.starters(name)) for name in bot.knowledge_bases}},
        "feedback": feedback_enabled(),
        "max_question_chars": MAX_QUESTION_CHARS,
    }
    return ("/* faqbot widget: <script src=\".../widget.js\" data-title=\"...\" data-kb=\"...\" defer></script> */\n"
            "(function (FAQBOT) {\n\"use strict\";\n"
            + _static_text("chat.js") + "\n" + _static_text("widget-body.js")
            + "\n})(" + json.dumps(config, ensure_ascii=True) + ");\n")


@bp.get("/widget.js")
def widget():
    """The embeddable chat widget (one script tag; see the README)."""
    source = widget_source()
    response = current_app.response_class(source, mimetype="text/javascript")
    response.set_etag(hashlib.sha256(source.encode("utf-8")).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.max_age = WIDGET_MAX_AGE
    return response.make_conditional(request)


# --------------------------------------------------------------------------
# the knowledge pages

def _sections(entries) -> list[dict]:
    """Entries as a tree by heading path: ``{"entry", "children", "depth"}``.

    A group whose children are present shows them instead of its summary text.
    """
    roots: list[dict] = []
    by_path: dict[tuple, dict] = {}
    for e in entries:
        node = {"entry": e, "children": [], "depth": len(e.path)}
        parent = None
        for n in range(len(e.path) - 1, 0, -1):
            parent = by_path.get(tuple(e.path[:n]))
            if parent:
                break
        (parent["children"] if parent else roots).append(node)
        by_path.setdefault(tuple(e.path), node)
    return roots


@bp.get("/kb/<kb>")
def knowledge(kb: str):
    """A knowledge base rendered as a document; each entry's id is an anchor."""
    base = get_bot().knowledge_bases.get(kb)
    if base is None:
        abort(404)
    sections = _sections(base.entries)
    intro = [s for s in sections if s["entry"].kind == "intro"]
    body = [s for s in sections if s["entry"].kind != "intro"]
    return render_template("kb.html", kb=base, intro=intro, sections=body,
                           title=base.title, guide_kb=base.name)
