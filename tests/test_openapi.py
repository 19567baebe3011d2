"""/openapi.json is a valid OpenAPI 3.1 document that covers every JSON route, and the API keeps to it."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate

from web import create_app
from web.config import defaults
from web.openapi import QUESTION_PATTERN

FIXTURE_KB = Path(__file__).parent / "fixtures" / "kb"


@pytest.fixture
def spec(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_openapi_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"].startswith("3.1")
    validate(spec)  # raises on an invalid document


def test_openapi_documents_every_json_route(app, spec):
    routes = {
        (rule.rule, method.lower())
        for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert routes == documented


def test_openapi_documents_the_error_shape(spec):
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    assert error["properties"]["error"]["required"] == ["code", "message"]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for status, response in op["responses"].items():
                if status >= "400":
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (path, method, status)


@pytest.mark.parametrize("question, valid", [
    ("a", True), ("  why?  ", True), ("\x00why\x01", True), ("a" * 500, True), (" " + "a" * 500 + "\x00", True),
    ("", False), ("   ", False), ("\x00\x1f", False), ("a" * 501, False), ("a" + " " * 499 + "b", False),
])
def test_question_pattern_matches_what_the_server_accepts(client, question, valid):
    import re

    assert bool(re.fullmatch(QUESTION_PATTERN, question)) is valid
    assert (client.post("/ask", json={"question": question}).status_code == 200) is valid


def _schema_app():
    """The tiny-knowledge-base app, built at collection (schemathesis parametrizes from it).

    Every setting is given, so the developer's environment does not leak in; it
    records into a temporary database.
    """
    folder = tempfile.mkdtemp(prefix="faqbot-openapi-")
    atexit.register(shutil.rmtree, folder, True)
    database = Path(folder) / "faqbot.db"
    return create_app({**defaults(), "TESTING": True, "FAQBOT_KNOWLEDGE": str(FIXTURE_KB), "FAQBOT_RATELIMIT": "off",
                       "FAQBOT_DATABASE": str(database)})


schema = schemathesis.openapi.from_wsgi("/openapi.json", _schema_app())


@schema.parametrize()
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case):
    """Generated requests, valid and invalid: never a 500, every response as documented."""
    case.call_and_validate()
