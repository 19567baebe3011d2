"""The owner's console in a real browser (Playwright driving Debian's Chromium, as test_browser.py does).

Signs in, reads the chart, accepts a proposal and sees the answer change;
screenshots of every page at 1280 px and 390 px go to tests/artifacts/.
The console runs over a copy of knowledge/ (Accept writes its curation file).
"""
from __future__ import annotations

import re
import shutil
import time

import pytest

from browser.servers import ServerThread
from conftest import FIXTURE_KB, GUIDE_KB
from test_browser import ARTIFACTS, browser, expect, shot  # noqa: F401  (browser is a fixture)
from bot.store import DAY, Record, Store, new_query_id
from web import create_app
from web.config import SETTINGS

TOKEN = "browser-owner-token-0123456789"
SENIOR = "at what point am i a senior python person"  # declined; its closest entry is Senior Python Developer
CERTS = "what certifications should I get"      # answered; marked unhelpful below
PAYLOADS = ("<script>alert('xss')</script>", "<img src=x onerror=alert(1)>")
WIDTHS = (1280, 390)
KB = "python-backend-developer"


def history(now: float) -> list[Record]:
    """Two weeks before today: a few questions a day, some answered, so the chart has a shape."""
    records = []
    for day in range(1, 15):
        asked, answered = 2 + (day * 5) % 7, 1 + (day * 3) % 4
        for i in range(asked):
            t = now - day * DAY + i
            ok = i < min(answered, asked)
            records.append(Record(new_query_id(t), t, "do I need a degree" if ok else "what salary can I expect",
                                  ok, 0.9 if ok else 0.0, None, "answer" if ok else "unknown",
                                  KB if ok else None, "education-certification/required-education" if ok else None))
    return records


@pytest.fixture(scope="module")
def console_app(tmp_path_factory):
    """The service over a copy of the guide, console on, with questions recorded today."""
    root = tmp_path_factory.mktemp("console")
    shutil.copytree(GUIDE_KB, root / "knowledge")
    with pytest.MonkeyPatch.context() as mp:
        for name in SETTINGS:
            mp.delenv(name, raising=False)
        app = create_app({"TESTING": True, "FAQBOT_KNOWLEDGE": str(root / "knowledge"), "FAQBOT_RATELIMIT": "off",
                          "FAQBOT_DATABASE": str(root / "faqbot.db"), "FAQBOT_ADMIN_TOKEN": TOKEN,
                          "FAQBOT_SECRET_KEY": "browser-test-secret-key-0123456789"})
    client = app.test_client()
    for question, times in [(SENIOR, 3), (PAYLOADS[0], 2), (PAYLOADS[1], 2), ("do I need a degree", 2), (CERTS, 1)]:
        for _ in range(times):
            reply = client.post("/ask", json={"question": question}).json
    client.post("/feedback", json={"query_id": reply["query_id"], "helpful": False,
                                   "comment": "<img src=x onerror=alert('comment')>"})
    app.extensions["faqbot_recorder"].flush()
    with Store(root / "faqbot.db") as store:
        store.add(history(time.time()))
    app.curation = root / "knowledge" / "python-backend-developer.yaml"
    return app


@pytest.fixture(scope="module")
def console_url(console_app):
    with ServerThread(console_app) as s:
        yield s.url


@pytest.fixture(scope="module")
def empty_url(tmp_path_factory):
    """The console of a service nobody has asked anything yet (the tiny knowledge base)."""
    root = tmp_path_factory.mktemp("empty")
    shutil.copytree(FIXTURE_KB, root / "kb")
    with pytest.MonkeyPatch.context() as mp:
        for name in SETTINGS:
            mp.delenv(name, raising=False)
        app = create_app({"TESTING": True, "FAQBOT_KNOWLEDGE": str(root / "kb"), "FAQBOT_RATELIMIT": "off",
                          "FAQBOT_DATABASE": str(root / "faqbot.db"), "FAQBOT_ADMIN_TOKEN": TOKEN,
                          "FAQBOT_SECRET_KEY": "browser-test-secret-key-0123456789"})
    with ServerThread(app) as s:
        yield s.url


def new_page(browser, width=1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    pg.dialogs, pg.errors = [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    return context, pg


@pytest.fixture
def page(browser):
    context, pg = new_page(browser)
    yield pg
    context.close()
    assert pg.dialogs == [], f"a dialog opened: {pg.dialogs}"
    assert pg.errors == [], f"JavaScript errors: {pg.errors}"


def sign_in(page, url, path="/admin/"):
    page.goto(url + path)
    expect(page.get_by_role("heading", name="Sign in to the console")).to_be_visible()
    page.get_by_label("Token").fill(TOKEN)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_every_page(browser, console_url, width):
    context, pg = new_page(browser, width)
    try:
        pg.goto(console_url + "/admin/sign-in")
        shot(pg, f"admin-sign-in-{width}px.png", full_page=True)
        pg.get_by_label("Token").fill(TOKEN)
        pg.get_by_role("button", name="Sign in").click()
        pages = [("overview", "/admin/"), ("fix", "/admin/fix"),
                 ("try", "/admin/try?q=" + SENIOR.replace(" ", "+")), ("try-declined", "/admin/try?q=what+is+the+salary")]
        for name, path in pages:
            pg.goto(console_url + path)
            expect(pg.locator("main h1")).to_be_visible()
            overflow = pg.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
            path_png = shot(pg, f"admin-{name}-{width}px.png", full_page=True)
            assert path_png.stat().st_size > 10_000
        assert pg.dialogs == [] and pg.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_empty_states_explain_what_will_appear(browser, empty_url, width):
    context, pg = new_page(browser, width)
    try:
        sign_in(pg, empty_url)
        expect(pg.locator("#empty-state")).to_contain_text("Once visitors ask")
        expect(pg.locator("svg.chart")).to_have_count(0)
        shot(pg, f"admin-overview-empty-{width}px.png", full_page=True)
        pg.get_by_role("link", name="Fix").click()
        expect(pg.locator("#nothing-to-fix")).to_contain_text("When visitors ask")
        shot(pg, f"admin-fix-empty-{width}px.png", full_page=True)
        pg.get_by_role("button", name="Sign out").click()
        expect(pg.locator(".flash-ok")).to_have_text("You are signed out.")
        pg.goto(empty_url + "/admin/fix")
        expect(pg.get_by_role("heading", name="Sign in to the console")).to_be_visible()
        assert pg.dialogs == [] and pg.errors == []
    finally:
        context.close()


def test_sign_in_read_the_chart_accept_and_the_answer_changes(page, console_url, console_app):
    sign_in(page, console_url)
    expect(page.get_by_role("heading", name="Overview", exact=True)).to_be_visible()

    # the chart: today's bar holds every question recorded above (small talk aside)
    today = time.strftime("%Y-%m-%d", time.gmtime())
    bar = page.locator(f"svg.chart rect.bar[data-day='{today}']")
    expect(bar).to_have_attribute("data-questions", "10")
    expect(bar).to_have_attribute("data-answered", "3")
    assert re.match(r"\d+ \w+: 10 question\(s\), 3 answered \(30%\)$", bar.locator("title").text_content())
    expect(page.locator("svg.chart rect.bar")).to_have_count(31)  # the last 30 days and today
    expect(page.locator("svg.chart .rate circle")).to_have_count(15)  # a point a day with questions
    yesterday = page.locator("svg.chart rect.bar").nth(29)
    expect(yesterday).to_have_attribute("data-questions", "7")
    expect(yesterday).to_have_attribute("data-answered", "4")
    expect(page.locator("#total-questions")).to_have_text(str(10 + len(history(time.time()))))
    expect(page.locator("#thumbs-down")).to_have_text("1")
    expect(page.locator("#unanswered")).to_contain_text(SENIOR)

    # before: the visitor is not answered (the Try page says why)
    page.get_by_role("link", name="Try").click()
    page.get_by_label("Ask as a visitor would").fill(SENIOR)
    page.get_by_role("button", name="Ask").click()
    expect(page.locator("#decision")).to_contain_text("Declined")
    expect(page.locator("#candidates")).to_contain_text("Senior Python Developer")

    # the fix page proposes Senior Python Developer: accept it
    page.get_by_role("link", name="Fix").click()
    card = page.locator(f".proposal[data-question='{SENIOR}']")
    expect(card.locator(".entry-title")).to_have_text("Senior Python Developer")
    card.get_by_role("button", name="Accept").click()
    expect(page.locator(".flash-ok")).to_contain_text(
        f"Added “{SENIOR}” to “Senior Python Developer” in python-backend-developer.yaml; reloaded: now answered")
    expect(page.locator(f".proposal[data-question='{SENIOR}']")).to_have_count(0)
    expect(page.locator("#audit")).to_contain_text("accept")
    shot(page, "admin-fix-accepted-1280px.png", full_page=True)
    assert SENIOR in console_app.curation.read_text(encoding="utf-8")

    # after: the Try page and the public chat page answer it, without a restart
    page.get_by_role("link", name="Try").click()
    page.get_by_label("Ask as a visitor would").fill(SENIOR)
    page.get_by_role("button", name="Ask").click()
    expect(page.locator("#decision")).to_contain_text("Answered")
    expect(page.locator("#try-reply .answer-title")).to_have_text("Senior Python Developer")
    shot(page, "admin-try-answered-1280px.png", full_page=True)
    page.goto(console_url + "/")
    box = page.get_by_label("Your question")
    box.fill(SENIOR)
    box.press("Enter")
    expect(page.locator("#log .msg-bot").last.locator(".answer-title")).to_have_text("Senior Python Developer")


def test_payloads_in_recorded_questions_never_run(page, console_url):
    sign_in(page, console_url)
    for payload in PAYLOADS:  # the overview lists every unanswered question
        expect(page.locator("#unanswered").get_by_text(payload, exact=True)).to_be_visible()
    page.goto(console_url + "/admin/fix")  # the thumbs-down comment, and the questions as proposals or notes
    expect(page.locator(".proposal .comment").filter(has_text="<img src=x onerror=alert('comment')>")).to_be_visible()
    text = page.locator("main").text_content()
    assert all(p in text for p in PAYLOADS)
    page.goto(console_url + "/admin/try?q=" + "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    expect(page.get_by_label("Ask as a visitor would")).to_have_value(PAYLOADS[1])
    expect(page.locator(".msg-bot")).to_be_visible()
    for path in ("/admin/", "/admin/fix", "/admin/try?q=%3Cscript%3Ealert(1)%3C/script%3E"):
        page.goto(console_url + path)
        expect(page.locator("img[src='x']")).to_have_count(0)
        expect(page.locator("script")).to_have_count(0)
    # the page fixture asserts that no dialog (alert) opened and no script error happened


def test_choose_another_entry_and_dismiss(page, console_url, console_app):
    sign_in(page, console_url, "/admin/fix")
    card = page.locator(f".proposal[data-question='{CERTS}']")
    expect(card.locator(".reason")).to_contain_text("Marked unhelpful 1 time")
    card.get_by_text("Choose another entry").click()
    card.get_by_label("Add the question to").select_option(index=1)
    chosen = card.get_by_label("Add the question to").evaluate("s => s.options[s.selectedIndex].text")
    card.get_by_role("button", name="Add to this entry").click()
    expect(page.locator(".flash-ok")).to_contain_text(f"Added “{CERTS}” to “{chosen.rsplit(' (', 1)[0]}”")

    card = page.locator(".proposal").first
    question = card.get_attribute("data-question")
    card.get_by_role("button", name="Dismiss").click()
    expect(page.locator(".flash-ok")).to_have_text(f"Dismissed “{question}”.")
    page.reload()
    expect(page.locator(".proposal[data-question]").filter(has_text=question)).to_have_count(0)
