"""The pages with Flask's test client: the chat page and its no-JavaScript form,
/embed, /widget.js and the knowledge pages. (The same pages in a real browser:
test_browser.py.)"""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from web.pages import text_blocks

KB = "python-backend-developer"
SENIOR_Q = "how many years for a senior developer"
SENIOR_ID = "career-progression/senior-python-developer"
XSS_Q = "<img src=x onerror=alert(1)>"


class Elements(HTMLParser):
    """Every start tag of a page as ``(tag, attrs)``, and the text of every <script>."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.script_text: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.script_text.append(data)

    def find(self, tag=None, **attrs):
        return [a for t, a in self.elements
                if (tag is None or t == tag) and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]


@pytest.fixture(scope="module")
def guide(guide_app):
    return guide_app.test_client()


def page(response) -> Elements:
    assert response.mimetype == "text/html"
    return Elements(response.get_data(as_text=True))


# --------------------------------------------------------------------------
# the chat page


def test_chat_page_has_form_label_log_and_starters(guide, guide_app):
    r = guide.get("/")
    assert r.status_code == 200
    html = page(r)
    (form,) = html.find("form", class_="composer")
    assert form["method"] == "post" and form["action"].startswith("/")
    (box,) = html.find("textarea", name="q")
    assert html.find("label", for_=box["id"]), "the question box has no label"
    (log,) = html.find(role="log")
    assert log["aria-live"] == "polite"
    starters = [a["value"] for a in html.find("button", name="q")]
    assert starters == list(guide_app.extensions["faqbot"].starters())
    assert html.find("button", type="submit", class_="send")


@pytest.mark.parametrize("path", ["/", "/embed", f"/kb/{KB}", f"/?q={SENIOR_Q}", f"/embed?q={XSS_Q}"])
def test_pages_need_no_inline_script_or_style(guide, path):
    r = guide.get(path)
    html = page(r)
    assert html.script_text == [], "inline <script>"
    assert all(a.get("src") for a in html.find("script")), "a <script> without src"
    assert html.find("style") == []
    for tag, attrs in html.elements:
        assert "style" not in attrs, f"style attribute on <{tag}>"
        assert not [a for a in attrs if a.startswith("on")], f"inline event handler on <{tag}>"
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_no_js_post_renders_the_answer(guide):
    r = guide.post("/", data={"q": SENIOR_Q})
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    html = page(r)
    assert '<h2 class="answer-title">Senior Python Developer</h2>' in text
    assert "<strong>Experience:</strong> 4-6 years" in text
    assert "<li>Architecture design</li>" in text
    assert html.find("a", href=f"/kb/{KB}#{SENIOR_ID}")
    related = [a["value"] for a in html.find("button", name="q")]
    assert "Career Progression" in related  # related entries are buttons that ask them
    # the next question from this page is a follow-up of this answer
    assert html.find("input", name="previous", value=SENIOR_ID)
    assert html.find(id="latest"), "the form's #latest fragment has no target"


def test_no_js_follow_up_uses_the_previous_answer(guide):
    r = guide.post("/", data={"q": "and the lead level?", "previous": SENIOR_ID, "previous_kb": KB})
    assert '<h2 class="answer-title">Lead Python Developer</h2>' in r.get_data(as_text=True)


def test_no_js_prompt_asks_the_next_question_in_the_answers_context(guide):
    html = page(guide.post("/", data={"q": "how many years until senior?"}))
    (prompt,) = html.find("button", name="q", value="Next: Lead Python Developer")
    assert prompt["type"] == "submit"
    # the conversation's form (which the prompt submits) carries the answer's context
    assert len(html.find("input", name="previous", value=SENIOR_ID)) == 2
    r = guide.post("/", data={"q": prompt["value"], "previous": SENIOR_ID, "previous_kb": KB})
    text = r.get_data(as_text=True)
    assert '<h2 class="answer-title">Lead Python Developer</h2>' in text and "6-8 years" in text


def test_no_js_did_you_mean_is_one_button_asking_its_title(guide):
    html = page(guide.post("/", data={"q": "leading a team eventually"}))
    (offer,) = html.find("button", class_="offer-button")
    assert offer["type"] == "submit" and offer["name"] == "q" and offer["value"] == "Lead Python Developer"
    assert html.find("div", class_="offer", role="group", **{"aria-label": "Did you mean"})
    assert html.find("button", name="q", value="Lead Python Developer") == [offer]  # offered once


def test_no_js_question_is_escaped(guide):
    r = guide.post("/", data={"q": XSS_Q})
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<img" not in text
    assert page(r).find("img") == []


def test_no_js_declined_question_shows_message_and_suggestions(guide, guide_app):
    r = guide.post("/", data={"q": "What is the salary range?"})
    html = page(r)
    text = r.get_data(as_text=True)
    assert "I don&#39;t know the answer" in text
    assert html.find("div", class_="msg msg-bot msg-declined", id="latest")
    asked = [a["value"] for a in html.find("button", name="q")]
    assert asked and set(asked) <= set(guide_app.extensions["faqbot"].starters())


@pytest.mark.parametrize("question", ["", "   ", "x" * 501])
def test_no_js_invalid_question_is_explained(guide, question):
    r = guide.post("/", data={"q": question})
    assert r.status_code == 400
    assert "Please type a question" in r.get_data(as_text=True)
    assert page(r).find("textarea", name="q")


def test_get_with_q_renders_the_answer(guide):
    r = guide.get("/", query_string={"q": SENIOR_Q, "kb": KB})
    assert '<h2 class="answer-title">Senior Python Developer</h2>' in r.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/?kb=nope", "/kb/nope", "/embed?kb=nope"])
def test_unknown_knowledge_base_is_404(guide, path):
    r = guide.get(path, headers={"Accept": "text/html"})
    assert r.status_code == 404


def test_several_knowledge_bases_offer_a_choice(client, app):
    html = page(client.get("/"))
    options = [a["value"] for a in html.find("option")]
    assert options == ["", *app.extensions["faqbot"].knowledge_bases]
    assert html.find("select", name="kb")
    html = page(client.get("/", query_string={"kb": "shipping"}))
    (chosen,) = [a for a in html.find("option") if "selected" in a]
    assert chosen["value"] == "shipping"


def test_feedback_buttons_show_when_questions_are_recorded(guide, guide_app):
    (main,) = page(guide.get("/")).find("main")
    expected = "on" if guide_app.config["FAQBOT_LOG_QUESTIONS"] else "off"
    assert main["data-feedback"] == expected


# --------------------------------------------------------------------------
# /embed


def test_embed_serves_the_chat_for_iframes(make_app):
    app = make_app(FAQBOT_FRAME_ANCESTORS="https://example.com")
    r = app.test_client().get("/embed", query_string={"title": "Cafe help"})
    assert r.status_code == 200
    assert "frame-ancestors https://example.com" in r.headers["Content-Security-Policy"]
    html = page(r)
    (form,) = html.find("form", class_="composer")
    assert form["method"] == "get" and form["action"] == "/embed#latest"  # keeps the embed CSP
    assert html.find(role="log")
    assert "Cafe help" in r.get_data(as_text=True)


def test_embed_answers_without_javascript_and_opens_sources_outside_the_frame(guide):
    r = guide.get("/embed", query_string={"q": SENIOR_Q})
    html = page(r)
    (link,) = html.find("a", class_="answer-source")
    assert link["href"] == f"/kb/{KB}#{SENIOR_ID}" and link["target"] == "_blank"


# --------------------------------------------------------------------------
# /widget.js


def test_widget_script_is_javascript_with_everything_inside(guide, guide_app):
    r = guide.get("/widget.js")
    assert r.status_code == 200
    assert r.mimetype == "text/javascript"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    source = r.get_data(as_text=True)
    assert "var FaqbotChat" in source          # the shared rendering module
    assert "attachShadow" in source            # the widget itself
    assert ".fb-launcher" in source            # its CSS
    for q in guide_app.extensions["faqbot"].starters(KB):
        assert q in source
    assert "innerHTML" not in source
    again = guide.get("/widget.js", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("name", ["chat.js", "page.js", "chat.css", "page.css"])
def test_static_files_are_served(guide, name):
    r = guide.get(f"/static/{name}")
    assert r.status_code == 200
    assert r.mimetype == ("text/javascript" if name.endswith(".js") else "text/css")
    assert b"innerHTML" not in r.data


# --------------------------------------------------------------------------
# the knowledge pages


def test_every_entry_has_an_anchor(guide_app, client, app):
    for a in (guide_app, app):
        c = a.test_client()
        for name, kb in a.extensions["faqbot"].knowledge_bases.items():
            r = c.get(f"/kb/{name}")
            assert r.status_code == 200
            html = page(r)
            ids = {attrs["id"] for _, attrs in html.elements if "id" in attrs}
            missing = [e.id for e in kb.entries if e.id not in ids]
            assert missing == [], f"{name}: no anchor for {missing}"
            assert kb.title in r.get_data(as_text=True)


def test_an_answers_url_lands_on_its_section(guide):
    url = guide.post("/ask", json={"question": SENIOR_Q}).json["answer"]["url"]
    path, anchor = url.split("#")
    html = page(guide.get(path))
    (section,) = html.find("section", id=anchor)
    assert section["aria-labelledby"] == anchor + "-title"
    text = guide.get(path).get_data(as_text=True)
    assert "Senior Python Developer" in text and "<li>Architecture design</li>" in text


# --------------------------------------------------------------------------
# answer text


@pytest.mark.parametrize("text, blocks", [
    ("Experience: 4-6 years\nKey Responsibilities:\n• Architecture design\n• Team leadership",
     [{"tag": "p", "items": [("Experience", "4-6 years")]},
      {"tag": "p", "items": [("Key Responsibilities", "")]},
      {"tag": "ul", "items": [(None, "Architecture design"), (None, "Team leadership")]}]),
    ("One sentence. With: a colon later", [{"tag": "p", "items": [(None, "One sentence. With: a colon later")]}]),
    ("• a\n\n• b", [{"tag": "ul", "items": [(None, "a")]}, {"tag": "ul", "items": [(None, "b")]}]),
    ("", []),
])
def test_text_blocks(text, blocks):
    assert text_blocks(text) == blocks
