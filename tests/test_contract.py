"""The API contract's limits and defaults (bot.contract) are the ones every surface states."""
from __future__ import annotations

import json
import re

import pytest

from bot import contract
from bot.cli import build_parser, main
from bot.contract import DEFAULT_TOP, MAX_COMMENT_CHARS, MAX_QUERY_ID_CHARS, MAX_QUESTION_CHARS, MAX_TOP
from bot.settings import SHARED, setting
from web.openapi import SPEC


def _schema(path: str, method: str = "post") -> dict:
    schema = SPEC["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_the_openapi_document_states_the_limits():
    ask = _schema("/ask")["properties"]
    assert ask["top"]["maximum"] == MAX_TOP and ask["top"]["default"] == DEFAULT_TOP
    assert f"1-{MAX_QUESTION_CHARS} characters" in ask["question"]["description"]
    assert re.search(rf"\{{0,{MAX_QUESTION_CHARS - 2}\}}", ask["question"]["pattern"])
    feedback = _schema("/feedback")["properties"]
    assert feedback["comment"]["maxLength"] == MAX_COMMENT_CHARS
    assert feedback["query_id"]["maxLength"] == MAX_QUERY_ID_CHARS


def test_the_api_takes_exactly_the_limits(client):
    assert len(client.post("/ask", json={"question": "wifi"}).json["related"]) + 1 <= DEFAULT_TOP
    assert client.post("/ask", json={"question": "wifi", "top": MAX_TOP}).status_code == 200
    assert client.post("/ask", json={"question": "wifi", "top": MAX_TOP + 1}).json["error"]["code"] == "invalid_top"
    assert client.post("/ask", json={"question": "x" * MAX_QUESTION_CHARS}).status_code == 200
    too_long = client.post("/ask", json={"question": "x" * (MAX_QUESTION_CHARS + 1)})
    assert too_long.json["error"]["code"] == "invalid_question"


@pytest.mark.parametrize("command", ["ask", "chat"])
def test_the_cli_top_takes_the_same_range(command, capsys):
    args = [command, "q"] if command == "ask" else [command]
    assert build_parser().parse_args(args).top == DEFAULT_TOP
    assert build_parser().parse_args([*args, "--top", str(MAX_TOP)]).top == MAX_TOP
    with pytest.raises(SystemExit):
        build_parser().parse_args([*args, "--top", str(MAX_TOP + 1)])
    assert f"from 1 to {MAX_TOP}" in capsys.readouterr().err


def test_the_page_and_the_widget_get_the_question_limit(client):
    html = client.get("/").get_data(as_text=True)
    assert f'data-max-chars="{MAX_QUESTION_CHARS}"' in html and f'maxlength="{MAX_QUESTION_CHARS}"' in html
    widget = client.get("/widget.js").get_data(as_text=True)
    config = json.loads(widget[widget.rindex("})(") + 3:widget.rindex(");")])
    assert config["max_question_chars"] == MAX_QUESTION_CHARS
    assert "500" not in "".join(open(f"web/static/{name}", encoding="utf-8").read()
                                for name in ("chat.js", "page.js", "widget-body.js")).replace("status < 500", "")


def test_the_bot_checks_top_with_the_same_rule():
    assert contract.check_top(MAX_TOP) == MAX_TOP
    for bad in (0, MAX_TOP + 1, True, 2.0, "3"):
        with pytest.raises(ValueError):
            contract.check_top(bad)


def test_shared_settings_come_from_one_reader(monkeypatch):
    monkeypatch.setenv("FAQBOT_MIN_CONFIDENCE", "0.7")
    assert setting("FAQBOT_MIN_CONFIDENCE") == 0.7
    assert setting("FAQBOT_MIN_CONFIDENCE", 0.0) == 0.0  # an option of 0 is not "unset"
    monkeypatch.setenv("FAQBOT_MIN_CONFIDENCE", "2")
    with pytest.raises(ValueError, match="FAQBOT_MIN_CONFIDENCE"):
        setting("FAQBOT_MIN_CONFIDENCE")
    monkeypatch.delenv("FAQBOT_MIN_CONFIDENCE")
    assert setting("FAQBOT_MIN_CONFIDENCE") == SHARED["FAQBOT_MIN_CONFIDENCE"][0]
    from web.config import SETTINGS
    for name, (default, convert) in SHARED.items():
        assert SETTINGS[name][:2] == (default, convert)


def test_the_cli_refuses_a_threshold_out_of_range(capsys):
    assert main(["ask", "wifi", "--min-confidence", "2"]) == 2
    assert "--min-confidence=2.0: must be between 0 and 1" in capsys.readouterr().err
