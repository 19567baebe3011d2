"""Several instances: rate limits shared through Redis (two real servers, one budget), Redis down,
and what /healthz says about the shared services."""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from test_server import free_port

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_KB = ROOT / "tests" / "fixtures" / "kb"


def unique_prefix() -> str:
    """Rate-limit keys of this test alone (other runs may share the Redis)."""
    return f"faqbot-test-{secrets.token_hex(6)}"


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as e:
        return e.code


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.loads(resp.read())


# ------------------------------------------------------------- /healthz

def test_healthz_reports_the_shared_services_reachable(make_app, database, redis_url):
    client = make_app(FAQBOT_DATABASE=database, FAQBOT_RATELIMIT="100/minute",
                      FAQBOT_RATELIMIT_STORAGE=redis_url, FAQBOT_RATELIMIT_PREFIX=unique_prefix()).test_client()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok", "ratelimit": "ok"}


def test_healthz_reports_unreachable_services_and_stays_ok(make_app, tmp_path):
    (tmp_path / "file").write_text("not a directory")
    dead_postgres = f"postgresql://postgres@127.0.0.1:{free_port()}/test"
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    for database in (str(tmp_path / "file" / "faqbot.db"), dead_postgres):
        client = make_app(FAQBOT_DATABASE=database, FAQBOT_RATELIMIT="100/minute",
                          FAQBOT_RATELIMIT_STORAGE=dead_redis).test_client()
        response = client.get("/healthz")
        assert response.status_code == 200
        body = response.get_json()
        assert body["status"] == "ok" and body["knowledge_bases"]
        assert body["checks"] == {"database": "unavailable", "ratelimit": "unavailable"}
        assert client.get("/ask?q=wifi").status_code == 200  # answering still works


def test_healthz_says_off_for_what_is_not_configured(make_app):
    client = make_app(FAQBOT_LOG_QUESTIONS=False).test_client()
    assert client.get("/healthz").get_json()["checks"] == {"database": "off", "ratelimit": "off"}


# ------------------------------------------------------------ Redis down

def test_redis_down_falls_back_to_counting_in_memory(make_app):
    """Redis unreachable: no 500s; each process holds the limit on its own until Redis is back."""
    client = make_app(FAQBOT_RATELIMIT="3/minute",
                      FAQBOT_RATELIMIT_STORAGE=f"redis://127.0.0.1:{free_port()}/0").test_client()
    statuses = [client.get("/ask?q=wifi").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_limits_through_redis_hold_across_apps(make_app, redis_url):
    settings = {"FAQBOT_RATELIMIT": "4/minute", "FAQBOT_RATELIMIT_STORAGE": redis_url,
                "FAQBOT_RATELIMIT_PREFIX": unique_prefix()}
    first, second = make_app(**settings).test_client(), make_app(**settings).test_client()
    statuses = [c.get("/ask?q=wifi").status_code for c in (first, second, first, second, first, second)]
    assert statuses == [200, 200, 200, 200, 429, 429]


# ------------------------------------------------- two real servers, one budget

@pytest.fixture
def two_servers(redis_url, tmp_path):
    """Two ``faqbot serve`` instances (2 workers each) on two ports, sharing a 5/minute budget in Redis."""
    from test_reload import start_server, stop_server

    env = {"FAQBOT_RATELIMIT": "5/minute", "FAQBOT_RATELIMIT_STORAGE": redis_url,
           "FAQBOT_RATELIMIT_PREFIX": unique_prefix(), "FAQBOT_LOG_QUESTIONS": "false"}
    servers = []
    try:
        for _ in range(2):
            servers.append(start_server(FIXTURE_KB, env, workers=2))
        yield [url for _, url, _ in servers]
    finally:
        for proc, _, _ in servers:
            stop_server(proc)


def test_two_servers_sharing_redis_grant_the_limit_once_between_them(two_servers):
    a, b = two_servers
    statuses = [status_of(f"{url}/ask?q=wifi") for _ in range(6) for url in (a, b)]
    assert statuses.count(200) == 5
    assert statuses.count(429) == 7
    assert get_json(f"{a}/healthz")["checks"]["ratelimit"] == "ok"
