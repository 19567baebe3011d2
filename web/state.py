"""The one way web/ reaches the bot: :func:`get_bot` (and :func:`set_bot`, which installs or replaces it)."""
from __future__ import annotations

from flask import Flask, current_app

from bot.answering import Bot

#: app.extensions key of the process's bot
BOT = "faqbot"


def get_bot(app: Flask | None = None) -> Bot:
    """The bot answering this process's requests (``app``'s, else the current app's); replaced when the
    knowledge is reloaded, so read it per request rather than keeping it."""
    return (app or current_app).extensions[BOT]


def set_bot(app: Flask, bot: Bot) -> None:
    """Install ``bot`` (one reference assignment: atomic for the threads of this process)."""
    app.extensions[BOT] = bot
