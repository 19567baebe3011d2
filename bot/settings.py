"""The settings the command line and the service share, read from the environment in one place.

:func:`environment` is the one reader of ``FAQBOT_*`` variables: ``faqbot``'s
commands resolve ``--knowledge``, ``--min-confidence`` and ``--database``
through :func:`setting` (the option, else the variable, else the default),
and ``web.config`` takes its settings from :func:`environment` and checks the
shared ones with the converters below. The shared command-line options are
added by :func:`add_knowledge_options`, :func:`add_database_option` and
:func:`add_answer_options`.
"""
from __future__ import annotations

import argparse
import os
from typing import Any, Callable, Iterable, Mapping

from .contract import DEFAULT_TOP, MAX_TOP, check_top
from .store import DEFAULT_DATABASE

DEFAULT_KNOWLEDGE = "knowledge"
DEFAULT_MIN_CONFIDENCE = 0.5


def text(value) -> str:
    return str(value).strip()


def optional_text(value) -> str | None:
    return None if value is None or str(value).strip() == "" else str(value).strip()


def min_confidence(value) -> float:
    x = float(value)
    if not 0.0 <= x <= 1.0:
        raise ValueError("must be between 0 and 1")
    return x


#: the settings both read: name -> (default, converter)
SHARED: dict[str, tuple[Any, Callable[[Any], Any]]] = {
    "FAQBOT_KNOWLEDGE": (DEFAULT_KNOWLEDGE, text),
    "FAQBOT_MIN_CONFIDENCE": (DEFAULT_MIN_CONFIDENCE, min_confidence),
    "FAQBOT_DATABASE": (DEFAULT_DATABASE, optional_text),
}


def environment(names: Iterable[str], environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The variables among ``names`` that the environment sets (as strings)."""
    environ = os.environ if environ is None else environ
    return {name: environ[name] for name in names if name in environ}


def setting(name: str, given=None, environ: Mapping[str, str] | None = None):
    """A shared setting: ``given`` (a command-line option) when set, else the environment's, else the
    default; checked, ValueError naming the setting when it is wrong."""
    default, convert = SHARED[name]
    label = "--" + name.removeprefix("FAQBOT_").lower().replace("_", "-") if given not in (None, "") else name
    value = given if given not in (None, "") else environment([name], environ).get(name)
    if value in (None, ""):
        return default
    try:
        converted = convert(value)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{label}={value!r}: {e}") from None
    return default if converted is None else converted


# ------------------------------------------------------ command-line options
def add_knowledge_options(parser, *, threshold: str = "no-answer threshold in [0, 1]") -> None:
    """``--knowledge`` and ``--min-confidence``, as every command that answers takes them."""
    parser.add_argument("--knowledge", metavar="DIR", help="directory (or file) of knowledge sources "
                                                           f"(default: $FAQBOT_KNOWLEDGE or {DEFAULT_KNOWLEDGE}/)")
    parser.add_argument("--min-confidence", type=float, metavar="X",
                        help=f"{threshold} (default: $FAQBOT_MIN_CONFIDENCE or {DEFAULT_MIN_CONFIDENCE:g})")


def add_database_option(parser) -> None:
    """``--database``: the question log the service records."""
    parser.add_argument("--database", metavar="PATH|URL", help="the question log: a SQLite file or a postgresql:// "
                                                               f"URL (default: $FAQBOT_DATABASE or {DEFAULT_DATABASE})")


def _top(value: str) -> int:
    try:
        return check_top(int(value))
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def add_answer_options(parser) -> None:
    """``--kb`` and ``--top``, as the commands that ask take them."""
    parser.add_argument("--kb", help="knowledge base to ask (default: all)")
    parser.add_argument("--top", type=_top, default=DEFAULT_TOP,
                        help=f"entries in answer + related (1-{MAX_TOP}, default {DEFAULT_TOP})")
