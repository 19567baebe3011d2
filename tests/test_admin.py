"""The owner's console (/admin): who may reach it, and what its pages show and change.

Every test of ``console_app`` (and so of ``console`` and ``owner``) runs on each backend: its question
log is the ``database`` fixture's, a SQLite file, then a PostgreSQL schema of its own (conftest.py)."""
from __future__ import annotations

import csv
import io
import re
import shutil
import time

import pytest
import yaml

from bot.store import Store
from web import create_app

from conftest import FIXTURE_KB

TOKEN = "owner-token-0123456789abcdef"
SECRET = "secret-key-for-tests-0123456789abcdef"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
HTML = {"Accept": "text/html"}
DECLINED = "how much is shipping to canada"
PAYLOADS = ("<script>alert('xss')</script>", "<img src=x onerror=alert(1)>")

#: every console route: (method, path)
ROUTES = [("GET", "/admin/"), ("GET", "/admin/fix"), ("GET", "/admin/try?q=wifi"), ("GET", "/admin/export.csv"),
          ("POST", "/admin/fix/accept"), ("POST", "/admin/fix/dismiss")]


@pytest.fixture
def kb_dir(tmp_path):
    """A copy of the tiny knowledge base: Accept writes curation files beside its sources."""
    target = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, target)
    return target


@pytest.fixture
def console_app(make_app, kb_dir, database):
    return make_app(FAQBOT_KNOWLEDGE=str(kb_dir), FAQBOT_ADMIN_TOKEN=TOKEN, FAQBOT_SECRET_KEY=SECRET,
                    FAQBOT_DATABASE=database)


@pytest.fixture
def console(console_app):
    return console_app.test_client()


def form_token(client, path="/admin/sign-in") -> str:
    """The CSRF token of the first form on ``path``."""
    page = client.get(path, headers=HTML)
    m = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert m, page.get_data(as_text=True)
    return m.group(1)


def sign_in(client, token=TOKEN):
    return client.post("/admin/sign-in", data={"token": token, "csrf_token": form_token(client)}, headers=HTML)


@pytest.fixture
def owner(console):
    """A client signed in through the form."""
    response = sign_in(console)
    assert response.status_code == 302, response.get_data(as_text=True)
    return console


def age(client, seconds):
    """Make the client's console session look ``seconds`` old (its cookie's path is /admin)."""
    with client.session_transaction("/admin/") as s:
        s["owner"] = {**s["owner"], "at": time.time() - seconds}


def ask(client, question, times=1):
    for _ in range(times):
        assert client.post("/ask", json={"question": question}).status_code == 200


def flush(app):
    app.extensions["faqbot_recorder"].flush()


# --------------------------------------------------------------------------
# access

@pytest.mark.parametrize("method,path", ROUTES + [("GET", "/admin"), ("GET", "/admin/sign-in"),
                                                  ("POST", "/admin/sign-in"), ("POST", "/admin/sign-out")])
def test_console_is_404_everywhere_without_a_token(client, method, path):
    for headers in ({}, BEARER, HTML):
        response = client.open(path, method=method, headers=headers)
        assert response.status_code == 404
        if "Accept" not in headers:
            assert response.json == {"error": {"code": "not_found", "message": "not found"}}


def test_token_without_secret_key_refuses_to_start(make_app, monkeypatch):
    with pytest.raises(ValueError, match="FAQBOT_ADMIN_TOKEN is set but FAQBOT_SECRET_KEY is not"):
        make_app(FAQBOT_ADMIN_TOKEN=TOKEN)
    monkeypatch.setenv("FAQBOT_ADMIN_TOKEN", TOKEN)
    with pytest.raises(ValueError, match="FAQBOT_SECRET_KEY"):
        create_app({"FAQBOT_KNOWLEDGE": str(FIXTURE_KB)})


def test_short_token_refuses_to_start(make_app):
    with pytest.raises(ValueError, match="shorter than 16 characters"):
        make_app(FAQBOT_ADMIN_TOKEN="secret", FAQBOT_SECRET_KEY=SECRET)


@pytest.mark.parametrize("method,path", ROUTES)
def test_unauthenticated_requests_are_refused(console, method, path):
    response = console.open(path, method=method)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    page = console.open(path, method=method, headers=HTML)  # a browser is sent to the sign-in form
    assert page.status_code == 302 and page.headers["Location"].startswith("/admin/sign-in")


@pytest.mark.parametrize("value", [f"Bearer {TOKEN}x", "Bearer ", f"Basic {TOKEN}", TOKEN, "Bearer wrong"])
def test_wrong_bearer_token_is_401(console, value):
    response = console.get("/admin/", headers={"Authorization": value})
    assert response.status_code == 401
    assert response.json == {"error": {"code": "unauthorized", "message": "wrong or malformed bearer token"}}


@pytest.mark.parametrize("path", ["/admin/", "/admin/fix", "/admin/try?q=wifi", "/admin/export.csv"])
def test_bearer_token_opens_every_page(console, path):
    response = console.get(path, headers=BEARER)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_wrong_token_in_the_form_is_401_and_starts_no_session(console):
    response = sign_in(console, token="not-the-token-at-all")
    assert response.status_code == 401
    assert "That token is not right." in response.get_data(as_text=True)
    assert console.get("/admin/").status_code == 401


def test_sign_in_sets_a_signed_httponly_samesite_strict_cookie(console):
    response = sign_in(console)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("faqbot_admin=")
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/admin", "Expires="):
        assert attribute in cookie, cookie
    assert "Secure" not in cookie  # plain http here; over https it is Secure (test below)
    page = console.get("/admin/")
    assert page.status_code == 200 and "<h1>Overview</h1>" in page.get_data(as_text=True)


def test_cookie_is_secure_over_https(console):
    token = form_token(console)
    response = console.post("/admin/sign-in", data={"token": TOKEN, "csrf_token": token},
                            base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(console):
    token = form_token(console)
    response = console.post("/admin/sign-in", data={"token": TOKEN, "csrf_token": token, "next": "/admin/fix?days=7"})
    assert response.headers["Location"] == "/admin/fix?days=7"
    for target in ("https://evil.example/admin", "//evil.example/admin", "/kb/x"):
        console.post("/admin/sign-out", data={"csrf_token": form_token(console, "/admin/")})
        token = form_token(console)
        response = console.post("/admin/sign-in", data={"token": TOKEN, "csrf_token": token, "next": target})
        assert response.headers["Location"] == "/admin/"


@pytest.mark.parametrize("path", ["/admin/fix/accept", "/admin/fix/dismiss", "/admin/sign-out"])
@pytest.mark.parametrize("csrf", [None, "forged", "wrong-but-signed"])
def test_post_without_a_valid_csrf_token_is_400(owner, console_app, path, csrf):
    data = {"question": DECLINED, "reason": "unanswered", "entry": "shipping/do-you-ship-internationally"}
    if csrf == "forged":
        data["csrf_token"] = "forged"
    elif csrf == "wrong-but-signed":  # signed with the right key, but not this session's secret
        from itsdangerous import URLSafeTimedSerializer
        data["csrf_token"] = URLSafeTimedSerializer(SECRET, salt="faqbot-admin-csrf").dumps("0" * 32)
    response = owner.post(path, data=data)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "csrf_failed"
    assert owner.get("/admin/").status_code == 200  # still signed in: nothing was done


def test_sign_in_without_a_csrf_token_is_400(console):
    response = console.post("/admin/sign-in", data={"token": TOKEN})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "csrf_failed"


def test_expired_session_is_sent_back_to_sign_in(owner, console_app):
    age(owner, 8 * 3600 + 1)  # FAQBOT_ADMIN_SESSION_HOURS defaults to 8
    response = owner.get("/admin/")
    assert response.status_code == 401
    assert response.json == {"error": {"code": "session_expired",
                                       "message": "Your session expired: sign in again."}}
    assert sign_in(owner).status_code == 302
    age(owner, 9 * 3600)
    page = owner.get("/admin/fix", headers=HTML)
    assert page.status_code == 302 and page.headers["Location"].startswith("/admin/sign-in?next=/admin/fix")
    form = owner.get(page.headers["Location"], headers=HTML)
    assert "Your session expired: sign in again." in form.get_data(as_text=True)


def test_a_new_token_signs_every_browser_out(owner, console_app):
    console_app.config["FAQBOT_ADMIN_TOKEN"] = TOKEN + "-rotated"
    assert owner.get("/admin/").status_code == 401


def test_sign_out_ends_the_session(owner):
    response = owner.post("/admin/sign-out", data={"csrf_token": form_token(owner, "/admin/")}, headers=HTML)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/sign-in"
    assert owner.get("/admin/").status_code == 401


def test_sign_in_attempts_are_rate_limited(make_app, kb_dir):
    app = make_app(FAQBOT_KNOWLEDGE=str(kb_dir), FAQBOT_ADMIN_TOKEN=TOKEN, FAQBOT_SECRET_KEY=SECRET)
    client = app.test_client()
    for _ in range(10):
        assert sign_in(client, token="wrong-token-guess-000").status_code == 401
    assert sign_in(client).status_code == 429  # the right token too, until the window passes
    response = client.get("/admin/", headers={"Authorization": "Bearer another-guess"})
    assert response.status_code == 429 and "Retry-After" in response.headers
    assert response.json["error"]["code"] == "rate_limited"


def test_successful_bearer_requests_are_not_rate_limited(console):
    for _ in range(15):
        assert console.get("/admin/export.csv", headers=BEARER).status_code == 200


def test_each_access_rule_refuses(make_app, console_app, kb_dir, capsys):
    """Prints the status and body of each refusal (the issue asks for this output)."""
    off = make_app().test_client()
    on = console_app.test_client()
    rows = [("no FAQBOT_ADMIN_TOKEN: GET /admin/", off.get("/admin/", headers=BEARER)),
            ("not signed in: GET /admin/", on.get("/admin/")),
            ("wrong bearer token: GET /admin/", on.get("/admin/", headers={"Authorization": "Bearer guess"}))]
    token = form_token(on)
    rows.append(("wrong token in the form: POST /admin/sign-in",
                 on.post("/admin/sign-in", data={"token": "wrong-guess-1234567", "csrf_token": token})))
    assert sign_in(on).status_code == 302
    rows.append(("signed in, no CSRF token: POST /admin/fix/accept",
                 on.post("/admin/fix/accept", data={"question": DECLINED, "entry": "shipping/do-you-ship-internationally"})))
    age(on, 9 * 3600)
    rows.append(("session older than FAQBOT_ADMIN_SESSION_HOURS: GET /admin/", on.get("/admin/")))
    for _ in range(9):
        on.get("/admin/", headers={"Authorization": "Bearer guess"})
    rows.append(("after 11 failed attempts within a minute: POST /admin/sign-in, right token",
                 on.post("/admin/sign-in", data={"token": TOKEN, "csrf_token": token})))
    expected = [404, 401, 401, 401, 400, 401, 429]
    with pytest.raises(ValueError) as refused:
        make_app(FAQBOT_ADMIN_TOKEN=TOKEN)
    with capsys.disabled():
        print(f"\naccess rules:\n  FAQBOT_ADMIN_TOKEN without FAQBOT_SECRET_KEY: create_app raises ValueError\n"
              f"    -> {refused.value}")
        for (what, response), status in zip(rows, expected):
            body = response.get_data(as_text=True)
            if response.mimetype == "text/html":
                body = " ".join(re.sub(r"<[^>]+>", " ", re.search(r"<main.*</main>", body, re.S).group(0)).split())
            print(f"  {what}\n    -> {response.status_code} {body.strip()}")
    assert [r.status_code for _, r in rows] == expected


# --------------------------------------------------------------------------
# pages

def test_overview_empty_state_explains_what_will_appear(owner):
    page = owner.get("/admin/").get_data(as_text=True)
    assert "Nothing asked in the last 30 days" in page
    assert "Once visitors ask" in page
    assert "<svg" not in page


def test_overview_shows_totals_chart_busiest_and_unanswered_groups(owner, console_app):
    ask(owner, DECLINED, 2)
    ask(owner, "How much is shipping to Canada?")
    ask(owner, "do you have wifi", 3)
    flush(console_app)
    with Store(console_app.config["FAQBOT_DATABASE"]) as store:
        qid = store.questions()[-1].query_id
    owner.post("/feedback", json={"query_id": qid, "helpful": True})
    response = owner.get("/admin/?days=7")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(r'id="total-questions">6<', page) and re.search(r'id="total-answered">3<', page)
    assert re.search(r'id="thumbs-up">1<', page) and re.search(r'id="thumbs-down">0<', page)
    today = time.strftime("%Y-%m-%d", time.gmtime())
    bar = re.search(rf'<rect class="bar"[^>]*data-day="{today}"[^>]*>', page).group(0)
    assert 'data-questions="6"' in bar and 'data-answered="3"' in bar and 'data-rate="0.500"' in bar
    assert page.count('<rect class="bar"') == 8  # the last 7 days and today
    assert "<polyline" in page
    unanswered = re.search(r'<table class="data" id="unanswered">.*?</table>', page, re.S).group(0)
    assert '<td class="num">3</td>' in unanswered and "how much is shipping to canada" in unanswered.lower()
    busiest = re.search(r'<table class="data" id="busiest">.*?</table>', page, re.S).group(0)
    assert "Wifi" in busiest and "cafe/wifi" in busiest


def test_overview_filters_by_knowledge_base(owner, console_app):
    ask(owner, "do you have wifi")
    ask(owner, DECLINED)
    flush(console_app)
    page = owner.get("/admin/?kb=cafe").get_data(as_text=True)
    assert re.search(r'id="total-questions">1<', page)


@pytest.mark.parametrize("query,status", [("days=5", 400), ("days=x", 400), ("kb=nope", 404), ("days=90", 200)])
def test_overview_checks_its_period_and_knowledge_base(owner, query, status):
    assert owner.get(f"/admin/?{query}").status_code == status


def test_pages_send_the_strict_csp_and_no_inline_script(owner, console_app):
    ask(owner, DECLINED)
    flush(console_app)
    for path in ("/admin/", "/admin/fix", "/admin/try?q=wifi", "/admin/sign-in"):
        response = owner.get(path)
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert "style-src 'self'" in response.headers["Content-Security-Policy"]
        page = response.get_data(as_text=True)
        assert "<script" not in page and " style=" not in page, path


def test_recorded_payloads_are_escaped_on_every_page(owner, console_app):
    for payload in PAYLOADS:
        ask(owner, payload, 2)
    flush(console_app)
    for path in ("/admin/", "/admin/fix"):
        page = owner.get(path).get_data(as_text=True)
        for payload in PAYLOADS:
            assert payload not in page, path
        assert "&lt;img src=x onerror=alert(1)&gt;" in page, path


def test_try_shows_the_answer_and_the_explanation_without_recording(owner, console_app):
    response = owner.get("/admin/try?q=" + DECLINED)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Declined: the best entry&#39;s confidence 0.28 is below the threshold 0.50" in page
    assert "shipping/how-long-does-shipping-take" in page and "Do you ship internationally?" in page
    assert re.search(r"<th scope=\"col\">bm25f</th>", page)
    answered = owner.get("/admin/try?q=do+you+have+wifi").get_data(as_text=True)
    assert "Answered: the best entry&#39;s confidence" in answered and 'class="answer-title">Wifi<' in answered
    flush(console_app)
    with Store(console_app.config["FAQBOT_DATABASE"]) as store:
        assert store.count() == 0


def test_export_streams_the_period_as_csv(owner, console_app):
    ask(owner, "do you have wifi")
    ask(owner, "=HYPERLINK(\"http://evil.example\")")
    flush(console_app)
    response = owner.get("/admin/export.csv?days=7")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.is_streamed
    assert response.headers["Content-Disposition"] == 'attachment; filename="faqbot-questions-7d.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["question"] for r in rows] == ["do you have wifi", "'=HYPERLINK(\"http://evil.example\")"]
    assert rows[0]["answered"] == "1" and rows[0]["entry_id"] == "wifi" and rows[0]["asked_at"].endswith("+00:00")


# --------------------------------------------------------------------------
# fixing

def test_fix_proposes_the_entry_learn_proposes(owner, console_app):
    ask(owner, DECLINED, 2)
    flush(console_app)
    page = owner.get("/admin/fix").get_data(as_text=True)
    assert "Unanswered, asked 2 times" in page
    assert f'name="question" value="{DECLINED}"' in page
    assert 'name="entry" value="shipping/how-long-does-shipping-take"' in page
    assert "Choose another entry" in page and 'value="shipping/do-you-ship-internationally"' in page


def test_fix_empty_state(owner):
    page = owner.get("/admin/fix").get_data(as_text=True)
    assert "Nothing to fix" in page
    assert "<strong>sign-in</strong> signed in from 127.0.0.1" in page  # the audit log


def test_accept_writes_the_curation_file_and_the_next_ask_answers_it(owner, console_app, kb_dir):
    curation = kb_dir / "shipping.yaml"
    curation.write_text("# my notes, kept\nsynonyms: {}  # none yet\n", encoding="utf-8")
    ask(owner, DECLINED, 2)
    flush(console_app)
    before = owner.post("/ask", json={"question": DECLINED}).json
    assert before["answered"] is False
    old_bot = console_app.extensions["faqbot"]

    response = owner.post("/admin/fix/accept", data={
        "csrf_token": form_token(owner, "/admin/fix"), "question": DECLINED, "reason": "unanswered",
        "entry": "shipping/do-you-ship-internationally", "days": "30"}, headers=HTML)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/fix?days=30"

    text = curation.read_text(encoding="utf-8")
    assert text.startswith("# my notes, kept\nsynonyms: {}  # none yet\n")
    assert yaml.safe_load(text)["questions"] == {"do-you-ship-internationally": [DECLINED]}
    assert console_app.extensions["faqbot"] is not old_bot  # swapped, no restart
    after = owner.post("/ask", json={"question": DECLINED}).json
    assert after["answered"] is True and after["answer"]["id"] == "do-you-ship-internationally"

    page = owner.get("/admin/fix").get_data(as_text=True)
    assert "reloaded: now answered by “Do you ship internationally?”" in page
    assert f'name="question" value="{DECLINED}"' not in page  # answered now: no longer proposed
    audit = re.search(r'<table class="data" id="audit">.*?</table>', page, re.S).group(0)
    with owner.session_transaction("/admin/") as s:
        sid = s["owner"]["sid"]
    assert f"session {sid}" in audit and "accept" in audit and "do-you-ship-internationally" in audit


def test_accept_refuses_an_unknown_entry_or_an_empty_question(owner):
    token = form_token(owner, "/admin/")
    bad_entry = owner.post("/admin/fix/accept", data={"csrf_token": token, "question": DECLINED, "entry": "shipping/nope"})
    assert bad_entry.status_code == 400 and bad_entry.json["error"]["code"] == "invalid_entry"
    empty = owner.post("/admin/fix/accept", data={"csrf_token": token, "question": "  ", "entry": "cafe/wifi"})
    assert empty.status_code == 400 and empty.json["error"]["code"] == "invalid_question"


def test_dismissed_group_stays_dismissed(owner, console_app, make_app, kb_dir):
    ask(owner, DECLINED, 2)
    ask(owner, "How much is shipping to Canada?")
    flush(console_app)
    response = owner.post("/admin/fix/dismiss", data={
        "csrf_token": form_token(owner, "/admin/fix"), "question": DECLINED, "reason": "unanswered",
        "phrasing": [DECLINED, "How much is shipping to Canada?"]}, headers=HTML)
    assert response.status_code == 302
    page = owner.get("/admin/fix").get_data(as_text=True)
    assert "Nothing to fix" in page and "(1 dismissed)" in page and "dismissed" in page
    ask(owner, "how much is shipping to canada??")  # a new phrasing of the same group
    flush(console_app)
    restarted = make_app(FAQBOT_KNOWLEDGE=str(kb_dir), FAQBOT_ADMIN_TOKEN=TOKEN, FAQBOT_SECRET_KEY=SECRET,
                         FAQBOT_DATABASE=console_app.config["FAQBOT_DATABASE"])
    page = restarted.test_client().get("/admin/fix", headers=BEARER).get_data(as_text=True)
    assert "Nothing to fix" in page
    overview = restarted.test_client().get("/admin/", headers=BEARER).get_data(as_text=True)
    assert '<small class="badge">dismissed</small>' in overview


def test_docs_explain_the_dashboard():
    from conftest import ROOT

    section = (ROOT / "docs" / "dashboard.md").read_text(encoding="utf-8")
    assert section.startswith("# Owner's dashboard\n")
    for text in ("FAQBOT_ADMIN_TOKEN", "FAQBOT_SECRET_KEY", "Security model", "Overview", "Fix", "Try",
                 "export.csv", "Authorization: Bearer"):
        assert text in section, text
