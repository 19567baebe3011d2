"""The chat page and the widget speak the knowledge base's language (English by default)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from web.strings import STRINGS, language_of, strings_for

LANG = Path(__file__).resolve().parent / "fixtures" / "lang"


@pytest.fixture
def german_client(make_app, tmp_path):
    shutil.copy(LANG / "de-faq.csv", tmp_path / "bitcoin.csv")
    (tmp_path / "bitcoin.yaml").write_text("title: Bitcoin-FAQ\n", encoding="utf-8")
    return make_app(FAQBOT_KNOWLEDGE=str(tmp_path)).test_client()


@pytest.mark.parametrize("path", ["/", "/embed"])
def test_chat_page_speaks_the_knowledge_base_language(german_client, path):
    html = german_client.get(path).get_data(as_text=True)
    assert '<html lang="de">' in html
    for text in ("Fragen zu Bitcoin-FAQ", "Stellen Sie eine Frage…", "Senden", "Häufige Fragen"):
        assert text in html
    assert "Ask a question" not in html and "Popular questions" not in html


def test_chat_page_hands_the_strings_to_the_script(german_client):
    html = german_client.get("/").get_data(as_text=True)
    assert "data-strings=" in html and "War diese Antwort hilfreich?" in html


def test_widget_carries_the_strings_of_each_knowledge_base(german_client):
    source = german_client.get("/widget.js").get_data(as_text=True)
    config = json.loads(source[source.rindex("})(") + 3:source.rindex(");")])
    assert config["strings"]["bitcoin"]["close"] == "Chat schließen"
    assert config["strings"][""]["placeholder"] == "Stellen Sie eine Frage…"


def test_english_knowledge_base_keeps_the_english_interface(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Ask a question…" in html and "Popular questions" in html


@pytest.mark.parametrize("language", sorted(STRINGS))
def test_every_language_translates_every_string(language):
    assert set(STRINGS[language]) == set(STRINGS["en"])


@pytest.mark.parametrize("language,send", [("de", "Senden"), ("fr", "Envoyer"), ("es", "Enviar"), ("it", "Send"),
                                           (None, "Send"), ("de-AT", "Senden"), ("pt", "Enviar"), ("pt-BR", "Enviar")])
def test_strings_fall_back_to_english(language, send):
    assert strings_for(language)["send"] == send


def test_interface_language_of_several_knowledge_bases():
    class KB:
        def __init__(self, language):
            self.language = language

    assert language_of({"a": KB("de"), "b": KB("de")}, None) == "de"
    assert language_of({"a": KB("de"), "b": KB("fr")}, None) == "en"
    assert language_of({"a": KB("de"), "b": KB("fr")}, "b") == "fr"


def test_portuguese_knowledge_base_gets_the_portuguese_interface(make_app, tmp_path):
    shutil.copy(LANG / "pt-faq.csv", tmp_path / "bitcoin.csv")
    (tmp_path / "bitcoin.yaml").write_text("title: FAQ do Bitcoin\n", encoding="utf-8")
    html = make_app(FAQBOT_KNOWLEDGE=str(tmp_path)).test_client().get("/").get_data(as_text=True)
    assert '<html lang="pt">' in html
    for text in ("Pergunte sobre FAQ do Bitcoin", "Faça uma pergunta…", "Perguntas frequentes", "Esta resposta foi útil?"):
        assert text in html
    assert "Ask a question" not in html
