"""Fixtures in the flaskr style: ``app``, ``client``, ``runner``, and ``guide_app`` over the real guide."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

from web import create_app
from web.config import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_KB = ROOT / "tests" / "fixtures" / "kb"  # cafe.md (a Markdown guide) and shipping.csv (an FAQ)
GUIDE_KB = ROOT / "knowledge"


@pytest.fixture(autouse=True)
def _no_faqbot_settings_from_environment(monkeypatch, tmp_path):
    """Tests see the defaults plus what they pass to create_app, whatever the developer's shell exports;
    questions are recorded in a temporary database, never in the repository's instance/."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FAQBOT_DATABASE", str(tmp_path / "faqbot.db"))


@pytest.fixture
def make_app():
    """create_app over the tiny knowledge base, rate limit off, with ``overrides`` on top (their
    recorders are closed afterwards: a PostgreSQL one holds connections)."""
    apps = []

    def make(**overrides):
        config = {"TESTING": True, "FAQBOT_KNOWLEDGE": str(FIXTURE_KB), "FAQBOT_RATELIMIT": "off"}
        config.update(overrides)
        app = create_app(config)
        apps.append(app)
        return app

    yield make
    for app in apps:
        recorder = app.extensions.get("faqbot_recorder")
        if recorder is not None:
            recorder.close()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def guide_app(tmp_path_factory):
    """The service over knowledge/ (the real guide), built once for the session."""
    with pytest.MonkeyPatch.context() as mp:
        for name in SETTINGS:
            mp.delenv(name, raising=False)
        return create_app({"TESTING": True, "FAQBOT_KNOWLEDGE": str(GUIDE_KB), "FAQBOT_RATELIMIT": "off",
                           "FAQBOT_DATABASE": str(tmp_path_factory.mktemp("guide") / "faqbot.db")})


# --------------------------------------------------------------------------
# PostgreSQL and Redis: real servers, or a skip with the reason (a failure under FAQBOT_REQUIRE_SERVICES=1)

#: the PostgreSQL database tests may create schemas and roles in (as a superuser)
POSTGRES = os.environ.get("FAQBOT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
#: the Redis server rate-limit tests share counters through
REDIS = os.environ.get("FAQBOT_TEST_REDIS", "redis://127.0.0.1:6379/0")


def missing_service(what: str, reason: str):
    """Skip (or, with FAQBOT_REQUIRE_SERVICES=1 as in CI, fail) a test whose service does not answer."""
    message = f"{what} does not answer ({reason})"
    if os.environ.get("FAQBOT_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{message}; FAQBOT_REQUIRE_SERVICES=1 requires it", pytrace=False)
    pytest.skip(f"{message}; start it, or point the tests elsewhere with the environment variable")


@pytest.fixture(scope="session")
def postgres_admin():
    """A superuser connection to FAQBOT_TEST_POSTGRES (default: postgres@127.0.0.1:5432/test)."""
    import psycopg

    try:
        conn = psycopg.connect(POSTGRES, autocommit=True, connect_timeout=3)
    except psycopg.Error as e:
        missing_service(f"PostgreSQL at FAQBOT_TEST_POSTGRES={POSTGRES}", str(e).strip().splitlines()[0])
    with conn:
        yield conn


def schema_url(schema: str, url: str = POSTGRES) -> str:
    """``url`` with the schema as its search_path."""
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


@pytest.fixture
def postgres_url(postgres_admin):
    """A URL of a fresh schema of its own in the test database, dropped afterwards."""
    schema = f"faqbot_test_{secrets.token_hex(6)}"
    postgres_admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield schema_url(schema)
    finally:
        postgres_admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """FAQBOT_DATABASE on each backend: a SQLite file, then a PostgreSQL schema of the test's own."""
    if request.param == "sqlite":
        return str(tmp_path / "faqbot.db")
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session")
def redis_url():
    """FAQBOT_TEST_REDIS (default: redis://127.0.0.1:6379/0), when it answers."""
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
    except redis.RedisError as e:
        missing_service(f"Redis at FAQBOT_TEST_REDIS={REDIS}", str(e))
    return REDIS
