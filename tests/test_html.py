"""HTML sources and `faqbot import`: pages served by a local http.server, each failure named."""
from __future__ import annotations

import http.server
import socket
import threading
import time
from pathlib import Path

import pytest

from bot import SourceError, load_source
from bot.cli import main
from bot.errors import FetchError
from bot.fetch import default_name, fetch, import_page
from bot.knowledge.html import parse_html

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
WHATWG = FIXTURES / "whatwg-faq.html"

SHOP = """<!doctype html>
<html lang="en"><head><title>Help centre | Example Shop</title>
<link rel="canonical" href="https://shop.example/help">
<style>body { color: red }</style>
<script>var tracking = "Tracking script text";</script>
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": [
  {"@type": "Question", "name": "Do you ship abroad?",
   "acceptedAnswer": {"@type": "Answer", "text": "<p>Yes, to <b>30 countries</b> in Europe.</p>"}},
  {"@type": "Question", "name": "How long does delivery take?",
   "acceptedAnswer": {"@type": "Answer", "text": "Visible answer repeated"}}
]}
</script></head>
<body>
<header><a href="/">Example Shop</a> <a href="/login">Log in to your account</a></header>
<nav><ul><li>Home</li><li>Products</li><li>Contact us today</li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience.</div>
<main>
 <h1>Help centre</h1>
 <p>Answers to the questions our customers ask most.</p>
 <h2 id="delivery">Delivery</h2>
 <p>We ship from Berlin.
 <h3 id="how-long">How long does delivery take?</h3>
 <p>Orders arrive in 2-4 working days.
 <h2 id="payment">Payment</h2>
 <ul><li>Credit card</li><li>PayPal<ul><li>PayPal Pay Later</li></ul></li><li>Invoice</li></ul>
 <details id="refunds"><summary>Can I get a refund?</summary><p>Yes, within 30 days.</p>
   <ul><li>Unused items</li><li>Original packaging</li></ul></details>
 <details><summary>Do you accept gift cards?</summary>Only our own gift cards.</details>
 <h2>Glossary</h2>
 <dl>
  <dt>What is a voucher code?</dt><dd>A code that lowers the price of an order.</dd>
  <dt>Where do I enter it?</dt><dd><p>At checkout, under the basket.</p></dd>
 </dl>
 <form><label>Search the help centre</label><input name="q"><button>Search now</button></form>
 <aside>Related products you may like</aside>
</main>
<footer><p>© 2026 Example Shop GmbH. All rights reserved. Imprint</p></footer>
</body></html>
"""

CHROME = ["Log in to your account", "Contact us today", "We use cookies", "Tracking script text",
          "color: red", "Search the help centre", "Search now", "Related products", "All rights reserved", "Imprint"]


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    path = tmp_path_factory.mktemp("kb") / "shop.html"
    path.write_text(SHOP, encoding="utf-8")
    return load_source(path)


@pytest.fixture(scope="module")
def whatwg():
    return load_source(WHATWG)


def by_title(kb, title):
    found = [e for e in kb if e.title == title]
    assert found, f"no entry titled {title!r}; have {[e.title for e in kb]}"
    return found[0]


# ------------------------------------------------------------------ loading

@pytest.mark.parametrize("title,path,kind,text", [
    ("Help centre", ("Help centre",), "intro", "Answers to the questions our customers ask most."),
    ("Delivery", ("Delivery",), "section", "We ship from Berlin."),
    ("How long does delivery take?", ("Delivery", "How long does delivery take?"), "faq",
     "Orders arrive in 2-4 working days."),
    ("Payment", ("Payment",), "section", "• Credit card\n• PayPal\n• PayPal Pay Later\n• Invoice"),
    ("Can I get a refund?", ("Payment", "Can I get a refund?"), "faq",
     "Yes, within 30 days.\n• Unused items\n• Original packaging"),
    ("Do you accept gift cards?", ("Payment", "Do you accept gift cards?"), "faq", "Only our own gift cards."),
    ("What is a voucher code?", ("Glossary", "What is a voucher code?"), "faq",
     "A code that lowers the price of an order."),
    ("Where do I enter it?", ("Glossary", "Where do I enter it?"), "faq", "At checkout, under the basket."),
    ("Do you ship abroad?", ("Do you ship abroad?",), "faq", "Yes, to 30 countries in Europe."),
])
def test_html_headings_lists_details_dl_and_json_ld_become_entries(shop, title, path, kind, text):
    e = by_title(shop, title)
    assert (e.path, e.kind, e.text) == (path, kind, text)
    if kind == "faq":
        assert e.questions == (title,)


def test_json_ld_question_already_on_the_page_is_not_repeated(shop):
    assert [e.title for e in shop].count("How long does delivery take?") == 1


@pytest.mark.parametrize("chrome", CHROME)
def test_html_page_chrome_is_dropped(shop, chrome):
    assert not any(chrome in f"{e.title} {e.text}" for e in shop)


def test_answer_cites_the_original_page(shop):
    from bot import Bot

    reply = Bot([shop]).ask("can I get a refund?").to_dict()
    assert reply["answer"]["title"] == "Can I get a refund?"
    assert reply["answer"]["source_url"] == "https://shop.example/help#refunds"


def test_html_source_url_is_recorded_for_citations(shop):
    assert shop.source_url == "https://shop.example/help"
    assert shop.title == "Help centre"
    assert by_title(shop, "Can I get a refund?").metadata["source_url"] == "https://shop.example/help#refunds"
    assert by_title(shop, "How long does delivery take?").metadata["source_url"] == \
        "https://shop.example/help#how-long"


@pytest.mark.parametrize("title,start", [
    ("What is the WHATWG?", "The Web Hypertext Application Technology Working Group (WHATWG) is a community"),
    ("How do you spell and pronounce WHATWG?", "It is spelled WHATWG, all uppercase, no spaces."),
    ("Is participation free?", "Yes, everyone can contribute."),
    ("How does the WHATWG work?", "Working Mode describes the day-to-day process in detail. Most of the activity"),
    ("How should I go about proposing new features to WHATWG standards?",
     "The process is rather informal, but basically boils down to this:\n• Forget about"),
    ("What does “Living Standard” mean?", "The WHATWG standards are described as Living Standards."),
])
def test_real_faq_page_questions_become_entries(whatwg, title, start):
    e = by_title(whatwg, title)
    assert e.kind == "faq"
    assert e.text.startswith(start)


def test_real_faq_page_has_every_question_and_no_chrome(whatwg):
    assert sum(e.kind == "faq" and bool(e.questions) for e in whatwg) == 18  # (a long answer's later passages ask none)
    assert [e.title for e in whatwg if e.kind == "group"] == ["The WHATWG", "The WHATWG Process"]
    text = " ".join(f"{e.title} {e.text}" for e in whatwg)
    for chrome in ("Policies", "Copyright", "Creative Commons Attribution 4.0 International License"):
        assert chrome not in text
    assert whatwg.language == "en"


@pytest.mark.parametrize("html,message", [
    ("<html><body><nav><p>Home</p></nav><footer><p>Imprint</p></footer></body></html>",
     "no sections with text found"),
    ("<html><head><title>Empty</title></head><body></body></html>", "no sections with text found"),
])
def test_html_without_content_fails_naming_the_file(tmp_path, html, message):
    path = tmp_path / "empty.html"
    path.write_text(html, encoding="utf-8")
    with pytest.raises(SourceError, match=message) as info:
        load_source(path)
    assert str(path) in str(info.value)


def test_broken_json_ld_is_ignored():
    page = parse_html('<script type="application/ld+json">{not json</script><h2>Hours</h2><p>9 to 5.</p>')
    assert [s.title for s in page.roots] == ["Introduction", "Hours"]


# ------------------------------------------------------------------ import

PAGES = {
    "/faq.html": ("text/html; charset=utf-8", WHATWG.read_bytes()),
    "/shop.html": ("text/html", SHOP.encode("utf-8")),
    "/latin1.html": ("text/html; charset=iso-8859-1",
                     "<h2>Öffnungszeiten</h2><p>Täglich geöffnet, außer sonntags.</p>".encode("latin-1")),
    "/data.json": ("application/json", b'{"question": "no"}'),
    "/big.html": ("text/html", b"<p>" + b"x" * 5000 + b"</p>"),
}


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path == "/slow.html":
            time.sleep(1.5)
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/shop.html")
            self.end_headers()
            return
        if self.path not in PAGES and self.path != "/slow.html":
            self.send_error(404, "Not Found")
            return
        ctype, body = PAGES.get(self.path, ("text/html", b"<p>late</p>"))
        try:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout and size tests)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_import_then_check_lists_the_page_questions_without_chrome(server, tmp_path, capsys):
    out = tmp_path / "knowledge" / "whatwg.html"
    assert main(["import", f"{server}/faq.html", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"saved {server}/faq.html as {out}" in said and "18 questions" in said
    assert main(["check", str(out)]) == 0
    listed = capsys.readouterr().out
    assert f"language en, from {server}/faq.html)" in listed
    assert "What is the WHATWG?" in listed and "How should I go about proposing new features" in listed
    for chrome in ("Policies", "Copyright", "licensed under"):
        assert chrome not in listed
    kb = load_source(out)
    assert kb.source_url == f"{server}/faq.html"
    assert by_title(kb, "Is participation free?").metadata["source_url"] == f"{server}/faq.html#is-participation-free"


def test_import_keeps_the_page_canonical_address_and_follows_redirects(server, tmp_path):
    path = import_page(f"{server}/moved", directory=tmp_path)
    kb = load_source(path)
    assert kb.source_url == f"{server}/shop.html"  # where the page was fetched from, written on import
    assert by_title(kb, "Can I get a refund?").text.startswith("Yes, within 30 days.")


def test_import_decodes_the_page_charset(server, tmp_path):
    kb = load_source(import_page(f"{server}/latin1.html", tmp_path / "hours.html"))
    assert by_title(kb, "Öffnungszeiten").text == "Täglich geöffnet, außer sonntags."


def test_import_names_the_file_after_the_address():
    assert default_name("https://www.example.com/help/faq.html") == "example-com-help-faq.html"
    assert default_name("http://127.0.0.1:8000/") == "127-0-0-1.html"


@pytest.mark.parametrize("path,kwargs,message", [
    ("/missing.html", {}, "the server answered HTTP 404 Not Found"),
    ("/data.json", {}, "not an HTML page (Content-Type application/json); save other documents as files in the knowledge directory"),
    ("/big.html", {"max_bytes": 1000}, "too large (5,007 bytes; the limit is 1,000)"),
    ("/slow.html", {"timeout": 0.3}, "timed out after 0.3 s"),
])
def test_import_failure_says_what_went_wrong(server, path, kwargs, message):
    with pytest.raises(FetchError) as info:
        fetch(server + path, **kwargs)
    assert str(info.value) == f"{server}{path}: {message}"


def test_import_of_a_closed_port_says_connection_refused():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="cannot connect to 127.0.0.1: connection refused"):
        fetch(f"http://127.0.0.1:{port}/faq.html")


def test_import_of_an_unknown_host_says_dns(monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(FetchError, match=r"cannot find the host faq.invalid \(DNS: Name or service not known\)"):
        fetch("https://faq.invalid/help")


@pytest.mark.parametrize("url,message", [
    ("ftp://example.com/faq.html", "only http:// and https:// addresses can be imported"),
    ("faq.html", "only http:// and https:// addresses can be imported"),
])
def test_import_refuses_other_addresses(url, message):
    with pytest.raises(FetchError, match=message):
        fetch(url)


def test_import_does_not_overwrite_without_force(server, tmp_path, capsys):
    out = tmp_path / "shop.html"
    out.write_text("<p>mine</p>", encoding="utf-8")
    assert main(["import", f"{server}/shop.html", "--out", str(out)]) == 1
    assert "already exists (use --force to replace it)" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "<p>mine</p>"
    assert main(["import", f"{server}/shop.html", "--out", str(out), "--force"]) == 0
    assert "Can I get a refund?" in out.read_text(encoding="utf-8")


def test_readme_documents_html_sources_import_and_languages():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for text in ("**Web pages** (`.html`, `.htm`)", "faqbot import URL [--out knowledge/NAME.html]", "**Languages.**",
                 "`language: de`", "`FAQPage` JSON-LD"):
        assert text in readme, text
