"""The service's settings: defaults, then ``FAQBOT_*`` environment variables, then ``create_app(config)``.

Every setting is one ``FAQBOT_*`` key of ``app.config``; :data:`SETTINGS` is the
list the README documents. Values from the environment are strings and are
converted by :func:`resolve`, which also checks every value and names the
setting when one is wrong.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, MutableMapping

from limits import parse_many

from bot import settings as shared
from bot.store import DEFAULT_RETENTION_DAYS

OFF = "off"


def _ratelimit(value) -> str:
    text = str(value).strip()
    if text.lower() in ("", OFF, "none", "0", "false"):
        return OFF
    parse_many(text)  # ValueError on bad notation
    return text


def _prefix(value) -> str:
    text = str(value).strip()
    if not text or any(c.isspace() for c in text):
        raise ValueError("must be a non-empty word without spaces")
    return text


def _storage(value) -> str:
    text = str(value).strip()
    if not text:
        return ""  # the default: a SQLite file beside FAQBOT_DATABASE (web.ratelimit)
    from limits.errors import ConfigurationError
    from limits.storage import storage_from_string

    from . import ratelimit  # noqa: F401 - registers the sqlite:// scheme

    try:
        storage_from_string(text)  # connects to nothing yet
    except ConfigurationError as e:
        hint = "; pip install 'faqbot[redis]'" if text.startswith(("redis", "async+redis")) else ""
        raise ValueError(f"{e}{hint}") from None
    return text


def _proxies(value) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdecimal():
        raise ValueError("must be the number of reverse proxies in front of the service (0: none)")
    return int(text)


def _origins(value) -> str | list[str]:
    if isinstance(value, str):
        value = value.split(",")
    origins = [str(o).strip() for o in value if str(o).strip()]
    return "*" if not origins or "*" in origins else origins


def _frame_ancestors(value) -> str:
    sources = " ".join(str(value).replace(",", " ").split())
    if not sources or any(c in sources for c in ";\r\n"):
        raise ValueError("must be CSP sources separated by spaces, e.g. \"'self' https://example.com\"")
    return sources


def _size(value) -> int:
    n = int(value)
    if n <= 0:
        raise ValueError("must be a positive number of bytes")
    return n


def _days(value) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdecimal():
        raise ValueError("must be a whole number of days (0 keeps records forever)")
    return int(text)


def _hours(value) -> float:
    x = float(value)
    if not 0 < x <= 24 * 30:
        raise ValueError("must be a number of hours above 0 (at most 720)")
    return x


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("must be one of 1/0, true/false, yes/no, on/off")


#: name -> (default, converter, meaning). The README's configuration table.
SETTINGS: dict[str, tuple[Any, Callable[[Any], Any], str]] = {
    # the settings the command line shares (bot.settings): their defaults and checks are its own
    "FAQBOT_KNOWLEDGE": (*shared.SHARED["FAQBOT_KNOWLEDGE"],
                         "directory (or file) of knowledge sources, one knowledge base per file"),
    "FAQBOT_MIN_CONFIDENCE": (*shared.SHARED["FAQBOT_MIN_CONFIDENCE"],
                              "no-answer threshold in [0, 1]: below it the reply is answered=false"),
    # 1000/minute stops floods (it is ~2% of one worker's capacity) yet lets an
    # owner run a whole question set through `make run` from one address.
    "FAQBOT_RATELIMIT": ("1000/minute", _ratelimit,
                         "per-client limit on questions (every route that answers, together) and on feedback, "
                         "flask-limiter notation; off disables"),
    "FAQBOT_RATELIMIT_STORAGE": ("", _storage,
                                 "where rate-limit counters live: empty, a SQLite file beside FAQBOT_DATABASE that "
                                 "every worker shares; a redis:// URI shares them between machines"),
    "FAQBOT_TRUSTED_PROXIES": (0, _proxies,
                               "how many reverse proxies in front of the service set X-Forwarded-For (and -Proto, "
                               "-Host): the rate limit counts the address they forward; 0 trusts none"),
    "FAQBOT_RATELIMIT_PREFIX": ("faqbot", _prefix,
                                "prefix of the rate-limit keys in that storage: deployments sharing one Redis "
                                "keep separate budgets under different prefixes"),
    "FAQBOT_CORS_ORIGINS": ("*", _origins,
                            "origins allowed to call the JSON API from a browser, comma-separated; * for any (no credentials)"),
    "FAQBOT_FRAME_ANCESTORS": ("*", _frame_ancestors,
                               "CSP frame-ancestors of GET /embed: which sites may put the chat in an iframe"),
    "FAQBOT_MAX_BODY": (16 * 1024, _size, "largest request body in bytes; larger is 413"),
    "FAQBOT_DATABASE": (*shared.SHARED["FAQBOT_DATABASE"],
                        "where recorded questions and feedback live: a SQLite file, or a postgresql:// URL "
                        "that several instances share"),
    "FAQBOT_LOG_QUESTIONS": (True, _flag, "record visitors' questions in FAQBOT_DATABASE"),
    "FAQBOT_RETENTION_DAYS": (DEFAULT_RETENTION_DAYS, _days,
                              "delete recorded questions and feedback older than this many days; 0 keeps them"),
    # the owner's console (web/admin/): off without a token
    "FAQBOT_ADMIN_TOKEN": (None, shared.optional_text,
                           "switches the owner's console on at /admin: the token that signs in (long and random)"),
    "FAQBOT_SECRET_KEY": (None, shared.optional_text,
                          "signs the console's session cookie; required when FAQBOT_ADMIN_TOKEN is set"),
    "FAQBOT_ADMIN_SESSION_HOURS": (8.0, _hours, "a console sign-in lasts this many hours"),
}


def defaults() -> dict:
    return {name: default for name, (default, _, _) in SETTINGS.items()}


def from_env(environ: Mapping[str, str] | None = None) -> dict:
    """The settings present in the environment (as strings)."""
    return shared.environment(SETTINGS, environ)


def resolve(config: MutableMapping) -> None:
    """Convert and check every setting in place; ValueError names the bad one."""
    for name, (default, convert, _) in SETTINGS.items():
        value = config.get(name)
        if value is None:
            config[name] = default
            continue
        try:
            config[name] = convert(value)
        except (TypeError, ValueError) as e:
            raise ValueError(f"{name}={value!r}: {e}") from None
