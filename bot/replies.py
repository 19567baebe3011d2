"""What faqbot says itself, in the knowledge base's language: small talk and "I don't know".

English is ``bot/data/smalltalk.yaml`` and the ``en`` block of
``bot/data/messages.yaml`` (the replies faqbot has always given). Other
languages have ``bot/data/smalltalk.<lang>.yaml`` (same format) and their own
block of ``messages.yaml``; a language with neither replies in English. Small
talk in English is recognised whatever the knowledge base's language
("hello" works everywhere), the reply then in the knowledge base's language.
"""
from __future__ import annotations

import re
from functools import lru_cache

import yaml

from .languages import language_code
from .text import DATA, fold


_PUNCTUATION, _SPACES = re.compile(r"[^\w\s]"), re.compile(r"\s+")


@lru_cache(maxsize=16)
def _smalltalk(lang: str) -> tuple[tuple[str, re.Pattern, str], ...]:
    name = "smalltalk.yaml" if lang == "en" else f"smalltalk.{lang}.yaml"
    path = DATA / name
    if not path.is_file():
        return ()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for intent, spec in data.items():
        pattern = "|".join(f"(?:{p})" for p in spec["patterns"])
        out.append((intent, re.compile(rf"^(?:{pattern})$"), spec["reply"]))
    return tuple(out)


@lru_cache(maxsize=1)
def _messages() -> dict:
    return yaml.safe_load((DATA / "messages.yaml").read_text(encoding="utf-8"))


def languages() -> tuple[str, ...]:
    """Languages with their own replies."""
    return tuple(_messages())


def smalltalk_intent(question: str, lang: str = "en") -> tuple[str, str] | None:
    """``(intent, reply template)`` when the question is small talk, else None.

    The question is matched against ``lang``'s patterns, then English's; the
    reply is ``lang``'s for that intent (English's when ``lang`` has none).
    """
    lang = language_code(lang)
    # "what's" -> "whats", "aidez-moi" -> "aidezmoi"
    text = _SPACES.sub(" ", _PUNCTUATION.sub("", fold(question))).strip()
    own = _smalltalk(lang)
    for intent, pattern, reply in own + (_smalltalk("en") if lang != "en" else ()):
        if pattern.match(text):
            return intent, next((r for i, _, r in own if i == intent), reply)
    return None


def message(key: str, lang: str = "en") -> str:
    """One of ``messages.yaml``'s strings in ``lang`` (English when ``lang`` has none)."""
    msgs = _messages()
    return msgs.get(language_code(lang), {}).get(key) or msgs["en"][key]


def unknown_message(title: str, lang: str = "en", related: bool = False) -> str:
    """The "I don't know" reply: ``Sorry, I don't know the answer to that: the {title} ...`` in ``lang``."""
    return message("unknown", lang).format(title=title) + message("did_you_mean" if related else "try_these", lang)
