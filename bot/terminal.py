"""What the owner's commands print: visitors' text with its control characters shown escaped.

A question or a feedback comment is typed by anyone. Printed raw, ``\\x1b[2J``
clears the owner's screen, ``\\x1b]8;;...`` plants a link and ``\\u202e``
turns the rest of a line around; :func:`printable` shows each such character
as a ``\\uXXXX`` escape instead (valid inside a JSON string too), so
``faqbot report``, ``faqbot learn`` and ``faqbot eval`` print what was typed,
not what it would do to a terminal.

>>> printable("clear \\x1b[2J me")
'clear \\\\u001b[2J me'
"""
from __future__ import annotations

import re

#: C0 and C1 control characters and DEL; line and paragraph separators; the
#: bidirectional marks, embeddings, overrides and isolates (Trojan Source)
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text, keep: str = "") -> str:
    """``text`` with every control, separator and bidirectional-control character escaped as ``\\uXXXX``.

    ``keep`` names characters to leave alone, e.g. ``"\\n"`` for output that is
    already laid out in lines.
    """
    return _UNPRINTABLE.sub(lambda m: m.group() if m.group() in keep else f"\\u{ord(m.group()):04x}", str(text))
