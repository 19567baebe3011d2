"""The JSON API contract (DESIGN.md): /ask, /healthz, CORS, the rate limit, headers and settings."""
from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from bot.answering import DEFAULT_MIN_CONFIDENCE, Bot
from bot.store import Store
from web import create_app
from web.security import content_security_policy

ANSWER_FIELDS = {"id", "kb", "title", "path", "text", "url"}
RELATED_FIELDS = {"id", "kb", "title", "confidence"}


def ask(client, question, **fields):
    return client.post("/ask", json={"question": question, **fields})


def assert_contract(body: dict, question: str) -> None:
    """The fields every /ask reply carries, with their types."""
    assert {"question", "answered", "confidence", "answer", "related", "context"} <= set(body)
    assert body["question"] == question.strip()
    assert isinstance(body["answered"], bool)
    assert 0.0 <= body["confidence"] <= 1.0
    assert isinstance(body["context"], dict)
    for match in body["related"]:
        assert set(match) == RELATED_FIELDS
        assert 0.0 <= match["confidence"] <= 1.0
    if body["answered"]:
        answer = body["answer"]
        assert set(answer) == ANSWER_FIELDS
        assert answer["url"] == f"/kb/{answer['kb']}#{answer['id']}"
        assert answer["path"][-1] == answer["title"]
        assert body["context"]["previous"] == answer["id"]
    else:
        assert body["answer"] is None
        assert isinstance(body["message"], str) and body["message"]


# ----------------------------------------------------------------- answers

@pytest.mark.parametrize("question, kb, title, phrase", [
    ("when are you open?", "cafe", "Opening Hours", "7am to 6pm"),
    ("what is the wifi password", "cafe", "Wifi", "on your receipt"),
    ("do you ship internationally", "shipping", "Do you ship internationally?", "over 40 countries"),
    ("how long does shipping take", "shipping", "How long does shipping take?", "3-5 business days"),
])
def test_ask_answers_with_the_matching_entry(client, question, kb, title, phrase):
    response = ask(client, question)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert_contract(body, question)
    assert body["answered"] is True
    assert body["confidence"] >= DEFAULT_MIN_CONFIDENCE
    assert body["answer"]["kb"] == kb
    assert body["answer"]["title"] == title
    assert phrase in body["answer"]["text"]


@pytest.mark.parametrize("question", ["what is the capital of france", "who won the football world cup"])
def test_ask_says_it_does_not_know_out_of_scope(client, question):
    body = ask(client, question).get_json()
    assert_contract(body, question)
    assert body["answered"] is False
    assert body["answer"] is None
    assert body["confidence"] < DEFAULT_MIN_CONFIDENCE
    assert "don't know" in body["message"]


def test_ask_answers_from_the_real_guide(guide_app):
    body = ask(guide_app.test_client(), "how many years until senior?").get_json()
    assert_contract(body, "how many years until senior?")
    assert body["answered"] is True
    assert body["answer"]["id"] == "career-progression/senior-python-developer"
    assert body["answer"]["path"] == ["Career Progression", "Senior Python Developer"]
    assert "4-6 years" in body["answer"]["text"]


def test_ask_declines_what_the_real_guide_does_not_cover(guide_app):
    body = ask(guide_app.test_client(), "how do I cancel my netflix subscription").get_json()
    assert_contract(body, "how do I cancel my netflix subscription")
    assert body["answered"] is False


def test_get_ask_equals_post_ask(client):
    posted = client.post("/ask", json={"question": "when are you open?", "kb": "cafe", "top": 2}).get_json()
    got = client.get("/ask", query_string={"q": "when are you open?", "kb": "cafe", "top": "2"}).get_json()
    assert got.pop("query_id") != posted.pop("query_id")  # each question is recorded on its own
    assert got == posted
    assert got["answer"]["title"] == "Opening Hours"


def test_ask_trims_the_question(client):
    body = ask(client, "   when are you open?\n").get_json()
    assert body["question"] == "when are you open?"
    assert body["answer"]["title"] == "Opening Hours"


def test_ask_treats_control_characters_as_spaces(client):
    body = ask(client, "\x00when\x07are you open?\x1b").get_json()
    assert body["question"] == "when are you open?"
    assert body["answer"]["title"] == "Opening Hours"


def test_ask_limits_entries_to_top(client):
    for top in (1, 2, 3):
        body = ask(client, "shipping", top=top).get_json()
        assert body["answered"] is True
        assert len(body["related"]) <= top - 1


def test_ask_searches_only_the_named_kb(client):
    body = ask(client, "how long does shipping take", kb="cafe").get_json()
    kbs = {m["kb"] for m in body["related"]} | ({body["answer"]["kb"]} if body["answer"] else set())
    assert kbs <= {"cafe"}
    assert body["answer"] is None or body["answer"]["kb"] == "cafe"


@pytest.mark.parametrize("kb", [None, ""])
def test_ask_without_kb_searches_every_kb(client, kb):
    assert ask(client, "do you ship internationally", kb=kb).get_json()["answer"]["kb"] == "shipping"
    assert ask(client, "when are you open?", kb=kb).get_json()["answer"]["kb"] == "cafe"


def test_ask_returns_the_context_of_an_unanswered_follow_up(client):
    context = {"previous": "opening-hours", "kb": "cafe"}
    body = ask(client, "what is the capital of france", context=context).get_json()
    assert body["answered"] is False
    assert body["context"] == context


def test_ask_context_of_an_answer_points_at_it(client):
    body = ask(client, "do you ship internationally").get_json()
    assert body["context"] == {"previous": "do-you-ship-internationally", "kb": "shipping"}


def test_ask_ignores_unknown_fields(client):
    assert ask(client, "when are you open?", extra={"x": 1}).status_code == 200


# ------------------------------------------------------------------ healthz

def test_healthz_lists_knowledge_bases_with_entry_counts(app, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    kbs = app.extensions["faqbot"].knowledge_bases
    assert response.get_json() == {
        "status": "ok",
        "knowledge_bases": [
            {"name": "cafe", "title": "Corner Cafe Guide", "entries": len(kbs["cafe"].entries)},
            {"name": "shipping", "title": "Shipping", "entries": len(kbs["shipping"].entries)},
        ],
        "checks": {"database": "ok", "ratelimit": "off"},
    }
    assert all(len(kb.entries) > 0 for kb in kbs.values())


def test_bot_is_built_once_at_app_creation(app, client, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the bot was built again during a request")

    monkeypatch.setattr(Bot, "from_path", refuse)
    assert ask(client, "when are you open?").status_code == 200
    assert client.get("/healthz").status_code == 200


# --------------------------------------------------------------------- CORS

PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}


def test_cors_preflight_allows_any_origin_without_credentials(client):
    response = client.options("/ask", headers={"Origin": "https://shop.example", **PREFLIGHT})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()
    assert int(response.headers["Access-Control-Max-Age"]) >= 600
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize("path", ["/ask?q=wifi", "/healthz", "/openapi.json"])
def test_cors_allows_any_origin_on_the_json_api(client, path):
    response = client.get(path, headers={"Origin": "https://shop.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_is_restricted_by_faqbot_cors_origins(make_app):
    client = make_app(FAQBOT_CORS_ORIGINS="https://shop.example, https://blog.example").test_client()
    allowed = client.options("/ask", headers={"Origin": "https://blog.example", **PREFLIGHT})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://blog.example"
    assert "Origin" in allowed.headers["Vary"]
    refused = client.options("/ask", headers={"Origin": "https://evil.example", **PREFLIGHT})
    assert "Access-Control-Allow-Origin" not in refused.headers
    refused = client.get("/ask?q=wifi", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in refused.headers


ORIGIN_CASES = [
    ("https://blog.example", 200),   # listed
    ("https://evil.example", 403),   # not listed
    ("null", 403),                   # a sandboxed frame or a file
    ("http://localhost", 200),       # the service's own pages (the test client's host)
    ("https://localhost", 200),      # the same, behind a proxy that terminates TLS
    (None, 200),                     # not a browser's cross-site request
]


@pytest.mark.parametrize("origin, status", ORIGIN_CASES)
@pytest.mark.parametrize("send", ["POST /ask", "GET /ask"])
def test_a_question_from_a_refused_origin_is_refused_and_not_recorded(make_app, origin, status, send):
    app = make_app(FAQBOT_CORS_ORIGINS="https://shop.example, https://blog.example")
    client = app.test_client()
    headers = {"Origin": origin} if origin else {}
    if send == "POST /ask":
        response = client.post("/ask", json={"question": "is there wifi"}, headers=headers)
    else:
        response = client.get("/ask?q=is+there+wifi", headers=headers)
    assert response.status_code == status
    if status == 403:
        assert response.get_json() == {"error": {"code": "forbidden_origin", "message": (
            f"this API does not take requests from pages of {origin} (FAQBOT_CORS_ORIGINS)")}}
    app.extensions["faqbot_recorder"].flush()
    with Store(app.config["FAQBOT_DATABASE"]) as store:
        assert store.count() == (1 if status == 200 else 0)


def test_feedback_from_a_refused_origin_is_refused(make_app):
    client = make_app(FAQBOT_CORS_ORIGINS="https://shop.example").test_client()
    query_id = client.get("/ask?q=wifi").get_json()["query_id"]
    feedback = {"query_id": query_id, "helpful": False, "comment": "spam"}
    assert client.post("/feedback", json=feedback, headers={"Origin": "https://evil.example"}).status_code == 403
    assert client.post("/feedback", json=feedback, headers={"Origin": "https://shop.example"}).status_code == 200


def test_any_origin_may_ask_by_default(client):
    response = client.post("/ask", json={"question": "wifi"}, headers={"Origin": "https://anyone.example"})
    assert response.status_code == 200


# --------------------------------------------------------------- rate limit

def test_rate_limit_answers_429_with_retry_after(make_app):
    client = make_app(FAQBOT_RATELIMIT="2/minute").test_client()
    assert ask(client, "when are you open?").status_code == 200
    assert client.get("/ask?q=wifi").status_code == 200  # GET and POST share the limit
    response = ask(client, "when are you open?")
    assert response.status_code == 429
    assert response.get_json() == {"error": {"code": "rate_limited",
                                             "message": "too many requests (2 per 1 minute); try again later"}}
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_rate_limit_counts_per_client_address(make_app):
    client = make_app(FAQBOT_RATELIMIT="1/minute").test_client()
    first = {"REMOTE_ADDR": "192.0.2.1"}
    assert client.get("/ask?q=wifi", environ_base=first).status_code == 200
    assert client.get("/ask?q=wifi", environ_base=first).status_code == 429
    assert client.get("/ask?q=wifi", environ_base={"REMOTE_ADDR": "192.0.2.2"}).status_code == 200


def test_rate_limit_leaves_healthz_and_preflight_alone(make_app):
    client = make_app(FAQBOT_RATELIMIT="1/minute").test_client()
    assert client.get("/ask?q=wifi").status_code == 200
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
        assert client.options("/ask", headers={"Origin": "https://shop.example", **PREFLIGHT}).status_code == 200


def test_rate_limit_counts_questions_asked_without_javascript(make_app):
    client = make_app(FAQBOT_RATELIMIT="1/minute").test_client()
    for _ in range(3):
        assert client.get("/").status_code == 200  # page views are not questions
        assert client.get("/embed").status_code == 200
    assert client.post("/", data={"q": "is there wifi"}).status_code == 200
    response = client.post("/", data={"q": "is there wifi"}, headers={"Accept": "text/html"})
    assert response.status_code == 429
    assert client.get("/embed?q=wifi").status_code == 429  # the same counter: one limit for every route


ANSWERING_ROUTES = {
    "POST /ask": lambda c, **kw: c.post("/ask", json={"question": "is there wifi"}, **kw),
    "GET /ask": lambda c, **kw: c.get("/ask?q=is+there+wifi", **kw),
    "GET /?q=": lambda c, **kw: c.get("/?q=is+there+wifi", **kw),
    "POST /": lambda c, **kw: c.post("/", data={"q": "is there wifi"}, **kw),
    "GET /embed?q=": lambda c, **kw: c.get("/embed?q=is+there+wifi", **kw),
}


@pytest.mark.parametrize("last", list(ANSWERING_ROUTES))
def test_rate_limit_is_one_bucket_for_every_route_that_answers(make_app, last):
    client = make_app(FAQBOT_RATELIMIT="4/minute").test_client()
    others = [send for name, send in ANSWERING_ROUTES.items() if name != last]
    assert [send(client).status_code for send in others] == [200] * 4
    response = ANSWERING_ROUTES[last](client)
    assert response.status_code == 429
    assert response.get_json() == {"error": {"code": "rate_limited",
                                             "message": "too many requests (4 per 1 minute); try again later"}}
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert client.post("/feedback", json={"query_id": "q_1", "helpful": True}).status_code == 404  # its own bucket


def test_rate_limit_holds_across_workers_sharing_the_default_storage(make_app, tmp_path):
    """Two apps over one FAQBOT_DATABASE stand for two gunicorn workers: their counters are one."""
    workers = [make_app(FAQBOT_RATELIMIT="3/minute").test_client() for _ in range(2)]
    statuses = [workers[n % 2].get("/ask?q=wifi").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert (tmp_path / "faqbot.ratelimit.db").is_file()  # beside the question log


def test_rate_limit_falls_back_to_memory_when_its_file_cannot_be_used(make_app, tmp_path, caplog):
    (tmp_path / "file").write_text("not a directory")
    client = make_app(FAQBOT_RATELIMIT="2/minute", FAQBOT_LOG_QUESTIONS=False,
                      FAQBOT_RATELIMIT_STORAGE=f"sqlite:///{tmp_path}/file/ratelimit.db").test_client()
    assert [client.get("/ask?q=wifi").status_code for _ in range(3)] == [200, 200, 429]  # served, still limited
    assert any("falling back to in-memory storage" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("proxies, forwarded, statuses", [
    (0, ["198.51.100.1", "198.51.100.2"], [200, 429]),  # trusts no proxy: a forged header gets no bucket
    (1, ["198.51.100.1", "198.51.100.2"], [200, 200]),  # behind one proxy: each visitor has a bucket
    (1, ["203.0.113.9, 198.51.100.1", "203.0.113.9, 198.51.100.1"], [200, 429]),  # what the visitor wrote is not read
    (2, ["203.0.113.9, 198.51.100.1, 10.0.0.2", "203.0.113.8, 198.51.100.2, 10.0.0.2"], [200, 200]),
])
def test_trusted_proxies_give_each_visitor_a_bucket(make_app, proxies, forwarded, statuses):
    client = make_app(FAQBOT_RATELIMIT="1/minute", FAQBOT_TRUSTED_PROXIES=proxies).test_client()
    got = [client.get("/ask?q=wifi", headers={"X-Forwarded-For": f}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
           .status_code for f in forwarded]
    assert got == statuses


@pytest.mark.parametrize("name, value", [("FAQBOT_TRUSTED_PROXIES", "-1"), ("FAQBOT_TRUSTED_PROXIES", "yes"),
                                         ("FAQBOT_RATELIMIT_STORAGE", "nosuch://here"),
                                         ("FAQBOT_RATELIMIT_STORAGE", "sqlite://")])
def test_rate_limit_settings_are_checked(make_app, name, value):
    with pytest.raises(ValueError, match=name):
        make_app(**{name: value})


def test_sqlite_counters_are_one_per_file_and_open_a_new_window_when_one_closes(tmp_path, monkeypatch):
    from limits.storage import storage_from_string

    from web import ratelimit

    clock = SimpleNamespace(time=lambda: 1000.0)
    monkeypatch.setattr(ratelimit, "time", clock)
    uri = f"sqlite:///{tmp_path}/counters.db"
    one, other = storage_from_string(uri), storage_from_string(uri)  # two workers
    assert [one.incr("k", 60), other.incr("k", 60), one.incr("k", 60, amount=2)] == [1, 2, 4]
    assert (other.get("k"), other.get_expiry("k"), other.get("unknown")) == (4, 1060.0, 0)
    clock.time = lambda: 1060.0  # the window has closed
    assert (one.get("k"), one.incr("k", 60), one.get_expiry("k")) == (0, 1, 1120.0)
    other.clear("k")
    assert one.get("k") == 0 and one.check()


def _redis_url() -> str | None:
    import socket

    pytest.importorskip("redis")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return None
    return "redis://127.0.0.1:6379/15"


def test_rate_limit_counters_can_live_in_redis(make_app):
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis on 127.0.0.1:6379")
    address = {"REMOTE_ADDR": f"192.0.2.{os.getpid() % 250 + 1}"}  # a bucket of this run's own
    workers = [make_app(FAQBOT_RATELIMIT="2/minute", FAQBOT_RATELIMIT_STORAGE=url).test_client() for _ in range(2)]
    try:
        assert [workers[n % 2].get("/ask?q=wifi", environ_base=address).status_code for n in range(3)] == [200, 200, 429]
    finally:
        workers[0].application.extensions["faqbot_limiter"].reset()


def test_rate_limit_default_is_1000_per_minute(make_app):
    app = make_app(FAQBOT_RATELIMIT=None)  # None: the default
    assert app.config["FAQBOT_RATELIMIT"] == "1000/minute"
    client = app.test_client()
    statuses = [client.get("/ask?q=wifi").status_code for _ in range(1001)]
    assert statuses == [200] * 1000 + [429]


@pytest.mark.parametrize("value", ["off", "OFF", ""])
def test_rate_limit_off_disables_it(make_app, value):
    client = make_app(FAQBOT_RATELIMIT=value).test_client()
    statuses = {client.get("/ask?q=wifi").status_code for _ in range(70)}
    assert statuses == {200}


# ----------------------------------------------------------------- headers

DEFAULT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")


@pytest.mark.parametrize("method, path", [
    ("GET", "/healthz"), ("GET", "/ask?q=wifi"), ("POST", "/ask"), ("GET", "/openapi.json"),
    ("GET", "/no-such-page"), ("DELETE", "/ask"), ("GET", "/"),
])
def test_security_headers_on_every_response(client, method, path):
    response = client.open(path, method=method)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Content-Security-Policy"] == DEFAULT_CSP
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_content_security_policy_builds_the_default_policy():
    assert content_security_policy() == DEFAULT_CSP
    assert content_security_policy("*").endswith("frame-ancestors *")


@pytest.mark.parametrize("setting, expected", [
    (None, "frame-ancestors *"),
    ("https://shop.example https://blog.example", "frame-ancestors https://shop.example https://blog.example"),
    ("https://shop.example,https://blog.example", "frame-ancestors https://shop.example https://blog.example"),
])
def test_embed_frame_ancestors_come_from_the_setting(make_app, setting, expected):
    client = make_app(FAQBOT_FRAME_ANCESTORS=setting).test_client()
    csp = client.get("/embed").headers["Content-Security-Policy"]
    assert csp.endswith(expected)
    assert "script-src 'self';" in csp
    # only the embeddable page may be framed by other sites
    assert client.get("/healthz").headers["Content-Security-Policy"] == DEFAULT_CSP


# ---------------------------------------------------------------- settings

def test_settings_come_from_defaults_then_environment_then_mapping(make_app, monkeypatch):
    assert make_app().extensions["faqbot"].min_confidence == DEFAULT_MIN_CONFIDENCE
    monkeypatch.setenv("FAQBOT_MIN_CONFIDENCE", "0.8")
    monkeypatch.setenv("FAQBOT_MAX_BODY", "1000")
    app = make_app()
    assert app.extensions["faqbot"].min_confidence == 0.8
    assert app.config["MAX_CONTENT_LENGTH"] == 1000
    assert make_app(FAQBOT_MIN_CONFIDENCE=0.3).extensions["faqbot"].min_confidence == 0.3


def test_settings_read_the_knowledge_directory_from_the_environment(monkeypatch, tmp_path):
    (tmp_path / "pets.csv").write_text("question,answer\nCan I bring my dog?,Dogs are welcome.\n")
    monkeypatch.setenv("FAQBOT_KNOWLEDGE", str(tmp_path))
    monkeypatch.setenv("FAQBOT_RATELIMIT", "off")
    client = create_app().test_client()
    assert ask(client, "can I bring my dog").get_json()["answer"]["text"] == "Dogs are welcome."


def test_settings_keep_recording_keys(make_app, monkeypatch):
    monkeypatch.setenv("FAQBOT_DATABASE", "/tmp/faqbot.sqlite3")
    monkeypatch.setenv("FAQBOT_LOG_QUESTIONS", "no")
    app = make_app()
    assert app.config["FAQBOT_DATABASE"] == "/tmp/faqbot.sqlite3"
    assert app.config["FAQBOT_LOG_QUESTIONS"] is False


@pytest.mark.parametrize("name, value", [
    ("FAQBOT_MIN_CONFIDENCE", "2"),
    ("FAQBOT_MIN_CONFIDENCE", "high"),
    ("FAQBOT_RATELIMIT", "lots"),
    ("FAQBOT_MAX_BODY", "-1"),
    ("FAQBOT_FRAME_ANCESTORS", "* ; script-src *"),
    ("FAQBOT_LOG_QUESTIONS", "maybe"),
])
def test_bad_settings_fail_at_start_naming_the_setting(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        create_app()
