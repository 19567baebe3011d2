"""/openapi.json is a valid OpenAPI 3.1 document that covers every JSON route, and the API keeps to it."""
from __future__ import annotations

import atexit
import re
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
    assert bool(re.fullmatch(QUESTION_PATTERN, question)) is valid
    assert (client.post("/ask", json={"question": question}).status_code == 200) is valid


#: characters on their own and around a word: every blank the code trims, and a few that it keeps
PATTERN_CHARACTERS = [chr(c) for c in range(0x00, 0xa1)] + [
    "\u1680", "\u2000", "\u200a", "\u200b", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff",
    "\u00ad", "\u202e", "é", "\U0001F600"]


def test_question_pattern_reads_the_same_in_ecma_262_and_python():
    """Clients validate with ECMA-262 regular expressions, this test with Python's: ``\\s``, ``\\w`` and ``\\d``
    differ between them (Python's ``\\s`` holds U+0085, ECMA's U+FEFF), so the pattern names its characters."""
    assert not re.search(r"\\[sSwWdDbB]", QUESTION_PATTERN.replace(r"[\s\S]", ""))


@pytest.fixture(scope="module")
def unrecorded_client():
    """One client for many requests (nothing recorded)."""
    return create_app({**defaults(), "TESTING": True, "FAQBOT_KNOWLEDGE": str(FIXTURE_KB), "FAQBOT_RATELIMIT": "off",
                       "FAQBOT_LOG_QUESTIONS": False}).test_client()


@pytest.mark.parametrize("character", PATTERN_CHARACTERS, ids=[f"U+{ord(c):04X}" for c in PATTERN_CHARACTERS])
def test_question_pattern_and_the_server_agree_on_every_blank(unrecorded_client, character):
    for question in (character, f"{character}wifi{character}", f"wifi{character}wifi"):
        documented = re.search(QUESTION_PATTERN, question) is not None
        for response in (unrecorded_client.get("/ask", query_string={"q": question}),
                         unrecorded_client.post("/ask", json={"question": question})):
            assert response.status_code in (200, 400)
            assert (response.status_code == 200) is documented, (question, response.get_json())


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


@pytest.mark.parametrize("body", [
    {"question": "how many years until senior?"},                 # answered, with prompts
    {"question": "leading a team eventually"},                # declined, with did_you_mean
    {"question": "what is the salary range?"},                    # declined, with suggestions
    {"question": "and the free plan?", "context": {"previous": "jobicy-plus-subscription/plus",
                                                  "kb": "python-backend-developer"}},  # a follow-up
])
def test_replies_of_every_kind_conform_to_the_answer_schema(guide_app, body):
    """Each optional part of a reply (prompts, did_you_mean, suggestions, context) as the document describes it."""
    import jsonschema

    spec = guide_app.test_client().get("/openapi.json").get_json()
    reply = guide_app.test_client().post("/ask", json=body).get_json()
    answer_schema = {"components": spec["components"], **spec["components"]["schemas"]["Answer"]}
    jsonschema.validate(reply, answer_schema)  # its $refs resolve against the components beside it
    if body["question"].startswith("hmm"):
        assert set(reply["did_you_mean"]) == {"id", "kb", "title", "confidence"}
