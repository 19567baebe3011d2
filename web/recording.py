"""Recording questions: the one way the API and the pages answer, and the recorder they share.

The storage is :mod:`bot.store`; this module only wires it to the app. With
``FAQBOT_LOG_QUESTIONS`` on (the default) every answer is recorded in
``FAQBOT_DATABASE`` and the reply carries its ``query_id``; off, nothing is
recorded and replies carry none.
"""
from __future__ import annotations

from typing import Mapping

from bot.contract import DEFAULT_TOP

from flask import Flask, current_app

from web.recorder import Recorder
from web.state import get_bot

EXTENSION = "faqbot_recorder"


def init_app(app: Flask) -> None:
    """Open (create, migrate, trim) the question log when recording is on."""
    recorder = None
    if app.config["FAQBOT_LOG_QUESTIONS"] and app.config["FAQBOT_DATABASE"]:
        recorder = Recorder(app.config["FAQBOT_DATABASE"], retention_days=app.config["FAQBOT_RETENTION_DAYS"],
                            logger=app.logger)
    app.extensions[EXTENSION] = recorder


def get_recorder() -> Recorder | None:
    """The app's recorder, or None when questions are not recorded."""
    return current_app.extensions.get(EXTENSION)


def answer(question, kb: str | None = None, top: int = DEFAULT_TOP, context: Mapping | None = None) -> dict:
    """Ask the bot and record the question: the reply body, with ``query_id`` when it was recorded.

    Raises what :meth:`bot.Bot.ask` raises (InvalidQuestion, UnknownKnowledgeBase).
    """
    reply = get_bot().ask(question, kb=kb, top=top, context=context)
    body = reply.to_dict()
    recorder = get_recorder()
    if recorder is not None:
        query_id = recorder.record(reply, kb)
        if query_id:
            body["query_id"] = query_id
    return body
