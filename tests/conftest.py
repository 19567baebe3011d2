"""Fixtures in the flaskr style: ``app``, ``client``, ``runner``, and ``guide_app`` over the real guide."""
from __future__ import annotations

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
    """create_app over the tiny knowledge base, rate limit off, with ``overrides`` on top."""

    def make(**overrides):
        config = {"TESTING": True, "FAQBOT_KNOWLEDGE": str(FIXTURE_KB), "FAQBOT_RATELIMIT": "off"}
        config.update(overrides)
        return create_app(config)

    return make


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
