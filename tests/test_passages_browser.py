"""The chat page over a web page with a long answer: "Read more" reads on, in a real browser (Playwright)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from browser.servers import ServerThread
from test_browser import ask, browser, expect, last_reply, page, shot  # noqa: F401  (browser, page: fixtures)
from web import create_app
from web.config import SETTINGS

WHATWG = Path(__file__).resolve().parent / "fixtures" / "html" / "whatwg-faq.html"
PROPOSING = "How should I go about proposing new features to WHATWG standards?"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The service over the WHATWG FAQ page (tests/fixtures/html), on a real port."""
    root = tmp_path_factory.mktemp("passages")
    (root / "knowledge").mkdir()
    shutil.copy(WHATWG, root / "knowledge" / WHATWG.name)
    with pytest.MonkeyPatch.context() as mp:
        for name in SETTINGS:
            mp.delenv(name, raising=False)
        app = create_app({"TESTING": True, "FAQBOT_KNOWLEDGE": str(root / "knowledge"), "FAQBOT_RATELIMIT": "off",
                          "FAQBOT_DATABASE": str(root / "faqbot.db")})
    with ServerThread(app) as s:
        yield s.url


def test_read_more_shows_the_next_passage_of_a_long_answer(page, server):
    page.goto(server + "/")
    ask(page, PROPOSING)
    first = last_reply(page)
    expect(first.locator(".answer-title")).to_have_text(PROPOSING)
    expect(first.locator(".answer-body")).to_contain_text("The process is rather informal")
    more = first.get_by_role("list", name="Ask next").get_by_role("button", name="Read more", exact=True)
    expect(more).to_be_visible()
    more.click()
    expect(page.locator("#log .msg-bot")).to_have_count(2)
    second = last_reply(page)
    expect(second.locator(".answer-title")).to_have_text(f"{PROPOSING} (continued)")
    expect(second.locator(".answer-body")).not_to_contain_text("The process is rather informal")
    expect(second.get_by_role("button", name="Read more", exact=True)).to_be_visible()  # three passages more
    shot(page, "chat-read-more.png")
