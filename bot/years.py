"""Years of experience in a question, read as the ranges a document states ("I have 3 years" -> "2-4 years")."""
from __future__ import annotations

import re
from typing import Iterable

#: a range of years a document states ("2-4 years", "6 to 8 yrs") and an open one ("10+ years")
_RANGE = re.compile(r"\b(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})\s*(?:years?|yrs?)\b", re.I)
_OPEN_RANGE = re.compile(r"\b(\d{1,2})\s*\+\s*(?:years?|yrs?)\b", re.I)
_YEAR_WORDS = frozenset({"year", "years", "yr", "yrs", "yoe"})
#: English number words, read as digits before a year word ("two to four years" -> "2 to 4 years")
_NUMBER_WORDS = {w: str(n) for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split())}


def year_ranges(texts: Iterable[str]) -> list[tuple[int, int | None]]:
    """The ranges of years ``texts`` state, ``(low, high)`` or ``(low, None)`` for "10+ years", sorted."""
    ranges = set()
    for text in texts:
        ranges.update((int(lo), int(hi)) for lo, hi in _RANGE.findall(text))
        ranges.update((int(lo), None) for lo in _OPEN_RANGE.findall(text))
    return sorted(ranges, key=lambda r: (r[0], r[1] is None, r[1] or 0))


def as_ranges(raw: list[str], ranges: list, known: frozenset | set, language: str) -> list[str]:
    """A number of years the knowledge base never writes (not in ``known``), as the range of ``ranges`` that
    holds it: "I have 3 years" -> "I have 2 4 years" when an entry says "2-4 years"; in English, number words
    before a year word as digits ("two to four years"), and "a year of" ("just a year of experience") as 1."""
    out: list[str] = []
    if language == "en":
        raw = ["1" if w in ("a", "an") and raw[i + 1:i + 3] in (["year", "of"], ["yr", "of"]) else
               _NUMBER_WORDS[w] if w in _NUMBER_WORDS and any(x in _YEAR_WORDS for x in raw[i + 1:i + 4]) else w
               for i, w in enumerate(raw)]
    for i, w in enumerate(raw):
        if w.isdigit() and w not in known and any(x in _YEAR_WORDS for x in raw[i + 1:i + 3]):
            n = int(w)
            hit = next(((lo, hi) for lo, hi in ranges if lo <= n and (hi is None or n < hi)), None)
            if hit is not None:
                out.extend(str(x) for x in hit if x is not None)
                continue
        out.append(w)
    return out
