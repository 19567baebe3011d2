"""Hostile requests (tests/hostile.py) never get a 5xx or a reply that is not JSON, and recording survives them.

A short run of what ``python benchmarks/fuzz_api.py`` runs at length.
"""
from __future__ import annotations

from pathlib import Path

import hostile
import pytest
from hypothesis import HealthCheck, given, settings

from bot.store import Store
from web import create_app
from web.config import defaults

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"
#: query ids of the questions the fuzzing got answered: every one must be recorded
ANSWERED: list[str] = []


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    """One app for every example (hypothesis runs many): the tiny knowledge base, recording on."""
    database = tmp_path_factory.mktemp("fuzz") / "faqbot.db"
    return create_app({**defaults(), "TESTING": True, "FAQBOT_KNOWLEDGE": str(FIXTURE_KB), "FAQBOT_RATELIMIT": "off",
                       "FAQBOT_DATABASE": str(database)})


@given(request=hostile.requests())
@settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_hostile_requests_get_no_5xx_and_only_valid_json(fuzz_app, request):
    response = request.send(fuzz_app.test_client())
    assert hostile.problems(response) == [], request
    if response.status_code == 200 and request.path.startswith("/ask"):
        ANSWERED.append(response.get_json()["query_id"])


def test_recording_survives_hostile_requests(fuzz_app):
    client = fuzz_app.test_client()
    for body in (rb'{"question": "senior \ud800"}', b'{"question": "x", "context": ' + b"[" * 5000 + b"]" * 5000 + b"}",
                 b'{"question": "zzz", "context": {"x": NaN}}'):
        assert client.post("/ask", data=body, content_type="application/json").status_code == 400
    final = client.post("/ask", json={"question": "when are you open?"}).get_json()["query_id"]
    assert fuzz_app.extensions["faqbot_recorder"].flush(timeout=10)
    with Store(fuzz_app.config["FAQBOT_DATABASE"]) as store:
        assert store.get(final) is not None
        assert all(store.get(query_id) is not None for query_id in ANSWERED)
