"""The chat page and the widget in a real browser: Playwright driving Debian's Chromium.

Never downloads a browser. Without /usr/bin/chromium (or Playwright) the tests
skip with the reason, unless FAQBOT_REQUIRE_BROWSER=1 (set by .ci/run), when
they fail instead. Screenshots for a person to look at go to tests/artifacts/.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from browser.servers import ServerThread, host_site

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
KB = "python-backend-developer"

SENIOR_Q = "how many years for a senior developer"
SALARY_Q = "What is the salary range?"
XSS_Q = "<img src=x onerror=alert(1)>"

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # reported by the browser fixture
    sync_playwright = None


def _missing() -> str | None:
    if sync_playwright is None:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium); browser tests need Debian's Chromium"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("FAQBOT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"FAQBOT_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    expect.set_options(timeout=10_000)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(guide_app):
    """The service over the real guide, on a real port."""
    with ServerThread(guide_app) as s:
        yield s.url


@pytest.fixture(scope="module")
def host(server):
    """A site on another origin (another port) that embeds the widget from ``server``."""
    with ServerThread(host_site(server)) as s:
        yield s.url


@pytest.fixture
def page(browser):
    """A fresh page (own storage) that records dialogs and script errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.dialogs, pg.errors = [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()
    assert pg.errors == [], f"JavaScript errors: {pg.errors}"


def ask(page, question):
    box = page.get_by_label("Your question")
    box.fill(question)
    box.press("Enter")


def last_reply(page):
    return page.locator("#log .msg-bot").last


def shot(page, name, **kw):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), **kw)
    return path


# --------------------------------------------------------------------------
# the chat page


def test_answer_shows_title_bullets_and_source_link(page, server):
    page.goto(server + "/")
    ask(page, SENIOR_Q)
    reply = last_reply(page)
    expect(reply.locator(".answer-title")).to_have_text("Senior Python Developer")
    expect(reply.locator(".answer-body")).to_contain_text("4-6 years")
    expect(reply.locator(".answer-body li")).to_contain_text(["Architecture design", "Team leadership"])
    expect(reply.get_by_role("link", name="Read this section in the guide")).to_have_attribute(
        "href", re.compile(r"/kb/python-backend-developer#career-progression/senior-python-developer$"))
    expect(page.locator("#log .msg-user .bubble")).to_contain_text(SENIOR_Q)
    expect(page.locator(".typing")).to_be_hidden()


def test_related_entry_button_asks_for_that_entry(page, server):
    page.goto(server + "/")
    ask(page, SENIOR_Q)
    reply = last_reply(page)
    related = reply.locator(".related").get_by_role("button", name="Career Progression", exact=True)
    related.click()
    expect(page.locator("#log .msg-bot")).to_have_count(2)
    expect(last_reply(page).locator(".answer-title")).to_have_text("Career Progression")
    expect(page.locator("#log .msg-user").last).to_contain_text("Career Progression")


def test_source_link_lands_on_the_entry_in_the_guide(page, server):
    page.goto(server + "/")
    ask(page, SENIOR_Q)
    last_reply(page).get_by_role("link", name="Read this section in the guide").click()
    page.wait_for_url(re.compile(r"/kb/python-backend-developer#career-progression/senior-python-developer$"))
    target = page.locator(":target")
    expect(target.locator("h3")).to_contain_text("Senior Python Developer")
    expect(target).to_be_in_viewport()
    page.go_back()  # the conversation is kept for the tab (sessionStorage)
    expect(last_reply(page).locator(".answer-title")).to_have_text("Senior Python Developer")


def test_out_of_scope_question_shows_message_and_suggestions(page, server):
    page.goto(server + "/")
    ask(page, SALARY_Q)
    reply = last_reply(page)
    expect(reply.locator(".message")).to_contain_text("don't know")
    suggestion = reply.locator(".suggestions").get_by_role("button", name="What does a Python Backend Developer do?")
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(last_reply(page).locator(".answer-title")).to_have_text("What does a Python Backend Developer do?")


def test_starter_questions_on_first_load(page, server):
    page.goto(server + "/")
    starters = page.locator(".starters").get_by_role("button")
    expect(starters.first).to_be_visible()
    assert starters.count() >= 2
    starters.first.click()
    expect(last_reply(page).locator(".answer-title")).to_be_visible()


def test_keyboard_only(page, server):
    page.goto(server + "/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "question":
            break
    else:
        pytest.fail("Tab never reached the question box")
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    row_ring = page.locator(".composer-row").evaluate("e => getComputedStyle(e).boxShadow")
    assert row_ring != "none", "the focused question box shows no focus ring"
    page.keyboard.type("how many years")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("for a senior developer")
    assert page.get_by_label("Your question").input_value() == "how many years\nfor a senior developer"
    expect(page.locator("#log .msg")).to_have_count(0)  # Shift+Enter did not send
    page.keyboard.press("Enter")
    expect(last_reply(page).locator(".answer-title")).to_have_text("Senior Python Developer")
    assert page.evaluate("document.activeElement.id") == "question"
    # on to a related entry with the keyboard alone
    page.locator(".related .chip").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#log .msg-bot")).to_have_count(2)


def test_question_with_html_is_shown_as_text(page, server):
    page.goto(server + "/")
    ask(page, XSS_Q)
    expect(last_reply(page).locator(".message")).to_be_visible()
    expect(page.locator("#log .msg-user .bubble")).to_have_text("You asked: " + XSS_Q)
    assert page.locator("#log img").count() == 0
    page.wait_for_timeout(200)  # give an injected onerror handler the chance to run
    assert page.dialogs == []


def test_log_and_label_are_accessible(page, server):
    page.goto(server + "/")
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("textbox", name="Your question")).to_be_visible()
    expect(page.get_by_role("button", name="Send")).to_be_visible()


CONTRAST = """(selector) => {
    const rgba = c => c.match(/[\\d.]+/g).map(Number);
    const lum = ([r, g, b]) => {
        const f = v => (v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = el => {
        for (; el; el = el.parentElement) {
            const c = rgba(getComputedStyle(el).backgroundColor);
            if (c.length < 4 || c[3] > 0.5) return c.slice(0, 3);
        }
        return [255, 255, 255];
    };
    return [...document.querySelectorAll(selector)]
        .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
        .map(el => {
            const [hi, lo] = [lum(rgba(getComputedStyle(el).color)), lum(background(el))].sort((a, b) => b - a);
            return [el.className || el.tagName, el.textContent.trim().slice(0, 30), (hi + 0.05) / (lo + 0.05)];
        });
}"""

TEXT = (".intro-title, .intro-text, .chips-label, .chip, .msg-user .bubble, .answer-path, .answer-title, "
        ".answer-body p, .answer-body li, .answer-source, .message, .send, .hint, .brand-name, .brand-sub, "
        ".nav-link, .button-quiet, .msg-error p, .retry")


def test_text_contrast_passes_wcag_aa(page, server):
    page.goto(server + "/")
    ask(page, SENIOR_Q)
    expect(last_reply(page).locator(".answer-title")).to_be_visible()
    page.route("**/ask", lambda route: route.abort("connectionrefused"))
    ask(page, SALARY_Q)
    expect(page.locator("#log .msg-error")).to_be_visible()
    page.unroute("**/ask")
    page.locator(".retry").click()
    expect(page.locator("#log .msg-declined")).to_be_visible()
    page.route("**/ask", lambda route: route.abort("connectionrefused"))
    ask(page, "one more")
    expect(page.locator("#log .msg-error")).to_be_visible()
    page.emulate_media(reduced_motion="reduce")  # no colour transitions half way
    page.mouse.move(0, 0)
    measured = page.evaluate(CONTRAST, TEXT)
    assert len({m[0] for m in measured}) >= 15, measured
    low = [m for m in measured if m[2] < 4.5]
    assert low == [], f"text below 4.5:1: {low}"


def test_thumbs_down_posts_feedback_and_says_it_was_recorded(page, server, guide_app):
    from bot.store import Store

    page.goto(server + "/")
    ask(page, SENIOR_Q)
    reply = last_reply(page)
    expect(reply.locator(".answer-title")).to_have_text("Senior Python Developer")
    posted = []
    page.on("request", lambda r: posted.append(r.post_data_json) if r.url.endswith("/feedback") else None)
    down = reply.get_by_role("button", name="Not helpful")
    down.click()
    expect(reply.get_by_role("status")).to_have_text("Thanks, your feedback was recorded.")
    expect(down).to_have_attribute("aria-pressed", "true")
    query_id = down.get_attribute("data-query-id")
    assert posted == [{"query_id": query_id, "helpful": False}]
    with Store(guide_app.config["FAQBOT_DATABASE"], create=False) as store:
        assert store.verdict(query_id) == (False, None)
        assert store.get(query_id).entry_id == "career-progression/senior-python-developer"
    [(_, _, ratio)] = page.evaluate(CONTRAST, ".feedback-note")
    assert ratio >= 4.5


def test_rate_limit_and_network_failure_are_explained(page, server):
    page.goto(server + "/")
    page.route("**/ask", lambda route: route.fulfill(
        status=429, headers={"Retry-After": "30", "Access-Control-Expose-Headers": "Retry-After"},
        json={"error": {"code": "rate_limited", "message": "too many requests"}}))
    ask(page, SENIOR_Q)
    error = page.locator("#log .msg-error").last
    expect(error).to_contain_text("Please wait 30 seconds")
    page.unroute("**/ask")
    page.route("**/ask", lambda route: route.abort("connectionrefused"))
    error.get_by_role("button", name="Try again").click()
    expect(page.locator("#log .msg-error").last).to_contain_text("can't reach the FAQ service")
    page.unroute("**/ask")
    page.locator("#log .msg-error").last.get_by_role("button", name="Try again").click()
    expect(last_reply(page).locator(".answer-title")).to_have_text("Senior Python Developer")
    expect(page.locator("#log .msg-user")).to_have_count(1)  # retrying does not repeat the question
    expect(page.locator("#log .msg-error")).to_have_count(0)


def test_phone_width_has_no_horizontal_scroll(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    try:
        pg = context.new_page()
        pg.goto(server + "/")
        ask(pg, SENIOR_Q)
        expect(last_reply(pg).locator(".answer-title")).to_have_text("Senior Python Developer")
        ask(pg, XSS_Q + " " + "a-very-long-word-without-spaces" * 6)
        expect(pg.locator("#log .msg-bot")).to_have_count(2)
        assert pg.evaluate("document.documentElement.scrollWidth") <= 360
        shot(pg, "chat-page-360px.png")
        pg.goto(f"{server}/kb/{KB}")
        assert pg.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


def test_screenshot_of_an_answered_and_a_declined_question(page, server):
    page.goto(server + "/")
    ask(page, SENIOR_Q)
    expect(last_reply(page).locator(".answer-title")).to_have_text("Senior Python Developer")
    ask(page, SALARY_Q)
    expect(page.locator("#log .msg-declined")).to_have_count(1)
    expect(page.locator("#log .msg-declined .suggestions .chip").first).to_be_visible()
    # a viewport as tall as the page, so the sticky header and composer sit in their places
    page.set_viewport_size({"width": 1280, "height": page.evaluate("document.documentElement.scrollHeight")})
    path = shot(page, "chat-page.png")
    assert path.stat().st_size > 10_000


# --------------------------------------------------------------------------
# the widget on a page of another origin


def widget_state(page):
    """What a visitor sees of the widget: sizes, places and colours that host CSS could change."""
    return page.evaluate("""() => {
        const root = document.querySelector('faqbot-widget').shadowRoot;
        const pick = (sel, props) => {
            const el = root.querySelector(sel);
            const s = getComputedStyle(el), r = el.getBoundingClientRect();
            const out = {box: [r.x, r.y, r.width, r.height].map(Math.round)};
            for (const p of props) out[p] = s.getPropertyValue(p);
            return out;
        };
        return {
            launcher: pick('.fb-launcher', ['display', 'background-color', 'border-radius', 'visibility']),
            icon: pick('.fb-launcher svg:not([hidden])', ['display', 'fill']),
            panel: pick('.fb-panel', ['display', 'background-color', 'position']),
            title: pick('.fb-title', ['font-size', 'color', 'font-family']),
            input: pick('textarea', ['display', 'font-size']),
            chip: pick('.chip', ['display', 'color', 'border-top-color']),
        };
    }""")


def open_widget(page, host):
    page.goto(host + "/")
    launcher = page.get_by_role("button", name="Career questions")
    expect(launcher).to_be_visible()
    launcher.click()
    dialog = page.get_by_role("dialog", name="Career questions")
    expect(dialog).to_be_visible()
    return launcher, dialog


def test_widget_answers_through_cors_from_another_origin(page, host, server):
    assert host.split(":")[-1] != server.split(":")[-1]
    launcher, dialog = open_widget(page, host)
    assert page.locator("faqbot-widget").count() == 1  # the second script tag did nothing
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(dialog.get_by_label("Your question")).to_be_focused()
    asked = []
    page.on("request", lambda r: asked.append(r.url) if r.url.endswith("/ask") else None)
    dialog.get_by_label("Your question").fill(SENIOR_Q)
    dialog.get_by_label("Your question").press("Enter")
    reply = dialog.locator(".msg-bot").last
    expect(reply.locator(".answer-title")).to_have_text("Senior Python Developer")
    expect(reply.locator("li")).to_contain_text(["Architecture design"])
    assert asked and all(u == server + "/ask" for u in asked)
    expect(reply.get_by_role("link", name="Read this section in the guide")).to_have_attribute(
        "href", f"{server}/kb/{KB}#career-progression/senior-python-developer")
    reply.get_by_role("button", name="Helpful", exact=True).click()  # feedback crosses origins too
    expect(reply.get_by_role("status")).to_have_text("Thanks, your feedback was recorded.")
    shot(page, "widget-host.png")


def test_widget_is_not_changed_by_the_host_css(page, host):
    page.emulate_media(reduced_motion="reduce")  # no launcher hover transition caught half way
    open_widget(page, host)
    hostile = widget_state(page)
    page.evaluate("document.getElementById('hostile').sheet.disabled = true")
    plain = widget_state(page)
    assert hostile == plain
    assert hostile["launcher"]["box"][2:] == [60, 60]
    assert hostile["launcher"]["background-color"] == "rgb(15, 118, 110)"  # data-color
    assert hostile["title"]["font-size"] == "16px"


def test_widget_escape_closes_and_focus_returns_to_launcher(page, host):
    launcher, dialog = open_widget(page, host)
    dialog.get_by_label("Your question").press("Escape")
    expect(dialog).to_be_hidden()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(launcher).to_be_focused()
    page.keyboard.press("Enter")  # the launcher opens it again from the keyboard
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close chat").click()
    expect(dialog).to_be_hidden()
    expect(launcher).to_be_focused()


def test_widget_conversation_survives_navigation(page, host):
    _, dialog = open_widget(page, host)
    dialog.get_by_label("Your question").fill(XSS_Q)
    dialog.get_by_label("Your question").press("Enter")
    expect(dialog.locator(".msg-bot")).to_have_count(1)
    expect(dialog.locator(".msg-user .bubble")).to_have_text("You asked: " + XSS_Q)
    page.locator("#to-benefits").click()
    page.wait_for_url(host + "/other")
    dialog = page.get_by_role("dialog", name="Career questions")
    expect(dialog).to_be_visible()  # it was open: it stays open
    expect(dialog.locator(".msg-user .bubble")).to_have_text("You asked: " + XSS_Q)
    expect(dialog.locator(".msg-bot")).to_have_count(1)
    assert page.dialogs == []


# --------------------------------------------------------------------------
# prompts ("Next: ...") and the did-you-mean suggestion, on the page and in the widget

PROMPT_Q = "how many years until senior?"
NEXT_PROMPT = "Next: Lead Python Developer"
SENIOR_ID = "career-progression/senior-python-developer"
#: a chatty paraphrase the guide declines, with one entry standing out
DYM_Q = "leading a team eventually"
DYM_TITLE = "Lead Python Developer"


def ask_bodies(page):
    """The JSON bodies the page posts to /ask, as they are sent."""
    bodies = []
    page.on("request", lambda r: bodies.append(r.post_data_json) if r.url.endswith("/ask") else None)
    return bodies


@pytest.fixture
def dym_question(guide_app):
    """DYM_Q, checked to still get DYM_TITLE as did_you_mean from the engine (else the test would mislead)."""
    reply = guide_app.extensions["faqbot"].ask(DYM_Q)
    assert not reply.answered and reply.did_you_mean is not None, f"{DYM_Q!r} no longer gets a did_you_mean"
    assert reply.did_you_mean.entry.title == DYM_TITLE
    return DYM_Q


def test_widget_prompt_asks_the_next_question_in_the_answers_context(page, host, server):
    _, dialog = open_widget(page, host)
    bodies = ask_bodies(page)
    dialog.get_by_label("Your question").fill(PROMPT_Q)
    dialog.get_by_label("Your question").press("Enter")
    reply = dialog.locator(".msg-bot").last
    expect(reply.locator(".answer-title")).to_have_text("Senior Python Developer")
    prompts = reply.get_by_role("list", name="Ask next")
    prompt = prompts.get_by_role("button", name=NEXT_PROMPT, exact=True)
    expect(prompt).to_be_visible()
    prompt.click()
    expect(dialog.locator(".msg-bot")).to_have_count(2)
    lead = dialog.locator(".msg-bot").last
    expect(lead.locator(".answer-title")).to_have_text("Lead Python Developer")
    expect(lead.locator(".answer-body")).to_contain_text("6-8")
    expect(dialog.locator(".msg-user").last).to_contain_text(NEXT_PROMPT)
    assert bodies[-1]["question"] == NEXT_PROMPT
    assert bodies[-1]["context"] == {"previous": SENIOR_ID, "kb": KB}  # the answer's own context
    shot(page, "widget-prompt-clicked.png")


def test_chat_page_offers_did_you_mean_and_answers_it_in_one_click(page, server, dym_question):
    page.goto(server + "/")
    bodies = ask_bodies(page)
    ask(page, dym_question)
    reply = last_reply(page)
    expect(reply.locator(".message")).to_have_text(f"I'm not sure; did you mean \u201c{DYM_TITLE}\u201d?")
    offer = reply.get_by_role("group", name="Did you mean").get_by_role("button", name=DYM_TITLE, exact=True)
    expect(offer).to_be_visible()
    # prominent: filled with the accent colour, unlike the outlined chips
    assert offer.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(29, 78, 216)"
    # offered once: not repeated among the other candidates
    expect(reply.locator(".did-you-mean").get_by_role("button", name=DYM_TITLE, exact=True)).to_have_count(0)
    offer.click()
    expect(page.locator("#log .msg-bot")).to_have_count(2)
    answer = last_reply(page)
    expect(answer.locator(".answer-title")).to_have_text(DYM_TITLE)
    expect(answer.locator(".answer-body")).to_contain_text("6-8")
    assert bodies[-1]["question"] == DYM_TITLE
    page.set_viewport_size({"width": 1280, "height": page.evaluate("document.documentElement.scrollHeight")})
    shot(page, "chat-did-you-mean.png")


def test_widget_offers_the_same_did_you_mean(page, host, dym_question):
    _, dialog = open_widget(page, host)
    dialog.get_by_label("Your question").fill(dym_question)
    dialog.get_by_label("Your question").press("Enter")
    reply = dialog.locator(".msg-bot").last
    expect(reply.locator(".message")).to_contain_text(DYM_TITLE)
    offer = reply.get_by_role("group", name="Did you mean").get_by_role("button", name=DYM_TITLE, exact=True)
    expect(offer).to_be_visible()
    shot(page, "widget-did-you-mean.png")
    offer.focus()  # a real button: the keyboard works it too
    page.keyboard.press("Enter")
    expect(dialog.locator(".msg-bot")).to_have_count(2)
    expect(dialog.locator(".msg-bot").last.locator(".answer-title")).to_have_text(DYM_TITLE)


def test_prompts_and_suggestion_from_the_service_are_shown_as_text(page, server):
    """Whatever a reply carries in prompts and did_you_mean reaches the page as text, never as HTML."""
    evil = "<img src=x onerror=alert(1)>"
    replies = iter([
        {"question": "q1", "answered": True, "confidence": 0.9, "related": [], "context": {"previous": "x", "kb": KB},
         "answer": {"id": "x", "kb": KB, "title": "T", "path": ["T"], "text": "t", "url": "/kb/x"},
         "prompts": [{"text": "Next: " + evil, "id": "y"}]},
        {"question": "q2", "answered": False, "confidence": 0.3, "answer": None, "context": {"previous": "x", "kb": KB},
         "message": "I'm not sure; did you mean \u201c" + evil + "\u201d?",
         "related": [{"id": "z", "kb": KB, "title": evil, "confidence": 0.3}],
         "did_you_mean": {"id": "z", "kb": KB, "title": evil, "path": [evil], "text": evil, "url": "/kb/z"}},
    ])
    page.route("**/ask", lambda route: route.fulfill(json=next(replies)))
    page.goto(server + "/")
    ask(page, "q1")
    expect(last_reply(page).get_by_role("button", name="Next: " + evil)).to_be_visible()
    ask(page, "q2")
    expect(last_reply(page).get_by_role("button", name=evil, exact=True)).to_be_visible()
    assert page.locator("#log img").count() == 0
    page.wait_for_timeout(200)
    assert page.dialogs == []
