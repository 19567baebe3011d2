"""Text normalisation shared by sources and queries.

Everything that turns raw text into comparable tokens lives here, so that a
knowledge base and a visitor's question are treated exactly alike:

* :func:`repair` fixes mojibake (ftfy first, then legacy code pages ftfy's
  heuristics miss, such as UTF-8 read as cp1253);
* :func:`fold` normalises unicode, case, quotes and dashes;
* :class:`Analyzer` turns text into stemmed tokens, applying a synonym table
  (:class:`Synonyms`) and dropping stop words.
"""
from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy-windows-*" codecs)
import Stemmer

# --------------------------------------------------------------------------
# mojibake

#: Code pages that UTF-8 text is commonly mis-decoded as, tried in order.
_LEGACY_CODECS = (
    "sloppy-windows-1252",
    "sloppy-windows-1253",
    "sloppy-windows-1251",
    "sloppy-windows-1250",
    "sloppy-windows-1254",
    "latin-1",
)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")


def _redecode(run: str) -> str:
    """Return ``run`` re-decoded as UTF-8 if it is UTF-8 read in a legacy code page."""
    for codec in _LEGACY_CODECS:
        try:
            fixed = run.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        # A real repair always shrinks the run (2-4 bytes became one character)
        # and never yields control characters.
        if len(fixed) < len(run) and not any(unicodedata.category(c) == "Cc" for c in fixed):
            return fixed
    return run


_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Unicode's Cc category: C0 controls, DEL and C1 controls
_CC = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def repair(text: str) -> str:
    """Repair mojibake and unicode oddities in source text.

    ftfy handles the common cases; runs of non-ASCII characters that are still
    UTF-8 bytes decoded in a legacy code page (``β€Ί`` is ``›`` read as cp1253,
    which ftfy 6.3 does not recognise) are re-decoded one run at a time, so
    genuine non-Latin text is never touched. Plain ASCII without control
    characters has nothing to repair and is returned at once.
    """
    if text.isascii() and not _ASCII_CONTROL.search(text):
        return text
    text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False, fix_latin_ligatures=False,
                         fix_character_width=False, fix_line_breaks=False)
    return _NON_ASCII_RUN.sub(lambda m: _redecode(m.group(0)), text)


# --------------------------------------------------------------------------
# folding

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_QUOTES = re.compile(r"[\u2018\u2019\u02bc`´]")
_DQUOTES = re.compile(r"[\u201c\u201d\u201e]")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Unicode-normalise, lower-case and unify dashes, quotes and spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DASHES.sub("-", text)
    text = _QUOTES.sub("'", text)
    text = _DQUOTES.sub('"', text)
    return _SPACES.sub(" ", text).strip()


def clean_line(text: str) -> str:
    """Normalise one line of display text: NFC, single spaces, no control chars."""
    text = unicodedata.normalize("NFC", text)
    text = _CC.sub(lambda m: m.group(0) if m.group(0) == "\t" else "", text)
    return _SPACES.sub(" ", text).strip()


# --------------------------------------------------------------------------
# tokens

# Words: letters/digits, keeping c++ / c# style names whole. Possessive 's is
# removed first and other apostrophes are dropped ("don't" -> "dont").
_TOKEN = re.compile(r"[a-z][+#]{1,2}(?![a-z0-9])|[a-z0-9]+")
_POSSESSIVE = re.compile(r"'s\b")


def words(text: str) -> list[str]:
    """Split folded text into raw word tokens (no stemming, no stop words)."""
    # ASCII folds to its lower case (no dashes, quotes or compatibility forms to unify)
    text = text.lower().replace("`", "'") if text.isascii() else fold(text)
    text = _POSSESSIVE.sub("", text).replace("'", "")
    return _TOKEN.findall(text)


_stemmer = Stemmer.Stemmer("english")
_STEMS: dict[str, str] = {}
_STEM_CACHE = 200_000


def stem(word: str) -> str:
    """Porter2 stem of one lower-case word (cached: a vocabulary is small)."""
    got = _STEMS.get(word)
    if got is None:
        got = _stemmer.stemWord(word) if word.isalpha() else word
        if len(_STEMS) >= _STEM_CACHE:
            _STEMS.clear()
        _STEMS[word] = got
    return got


def stems(ws: list[str]) -> list[str]:
    """:func:`stem` of every word (one dictionary look-up each for words seen before)."""
    get = _STEMS.get
    out = [get(w) for w in ws]
    if None in out:
        out = [s if s is not None else stem(w) for s, w in zip(out, ws)]
    return out


# --------------------------------------------------------------------------
# data files: stop words and synonyms

DATA = resources.files("bot") / "data"


def _data_lines(text: str) -> Iterable[str]:
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            yield line


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Function words and chat filler that say nothing about a topic."""
    text = (DATA / "stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w for line in _data_lines(text) for w in line.split())


class Synonyms:
    """A table of equivalent terms, applied to sources and queries alike.

    Each line of a synonyms file reads ``canonical: alternate, alternate``.
    Alternates may be several words (``work from home``). Matching happens on
    stems, so ``yr``, ``yrs`` and ``years`` all become the canonical token
    whether singular or plural. Tables merge with :meth:`extend`, later lines
    winning, which is how a knowledge base's curation file adds its own.
    """

    def __init__(self, groups: dict[str, list[str]] | None = None):
        self.groups: dict[str, list[str]] = {}
        self._single: dict[str, tuple[str, ...]] = {}
        self._phrases: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        self._by_first: dict[str, list] = {}
        if groups:
            self.extend(groups)

    @classmethod
    def parse(cls, text: str, source: str = "<synonyms>") -> "Synonyms":
        """Parse ``canonical: alt, alt`` lines; raise ValueError naming the line."""
        groups: dict[str, list[str]] = {}
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            head, sep, tail = line.partition(":")
            alts = [a.strip() for a in tail.split(",") if a.strip()]
            if not sep or not head.strip() or not alts:
                raise ValueError(f"{source}, line {number}: expected 'canonical: alternate, ...'")
            groups.setdefault(head.strip(), []).extend(alts)
        return cls(groups)

    def extend(self, groups: dict[str, Iterable[str]]) -> "Synonyms":
        """Add groups (``canonical -> alternates``); returns self.

        A canonical phrase is read through the groups before it ("job
        platform" after "role: job" becomes the terms of "role platform"), so
        an alternate gives the terms the canonical phrase gives in a text.
        """
        for canonical, alts in groups.items():
            stems = [stem(w) for w in words(canonical)]
            target = tuple(t2 for t in stems for t2 in self._single.get(t, (t,))) if len(stems) > 1 else tuple(stems)
            if not target:
                continue
            alts = list(alts)
            self.groups.setdefault(canonical, []).extend(alts)
            for alt in alts:
                key = tuple(stem(w) for w in words(alt))
                if not key or key == target:
                    continue
                if len(key) == 1:
                    self._single[key[0]] = target
                else:
                    self._phrases.append((key, target))
        self._phrases.sort(key=lambda p: -len(p[0]))
        self._by_first: dict[str, list] = {}
        for key, target in self._phrases:
            self._by_first.setdefault(key[0], []).append((key, target))
        return self

    def abbreviate(self, short: str, phrase: str) -> bool:
        """Let ``short`` stand for ``phrase`` (as the table already reads the phrase); False if ``short`` is taken.

        For abbreviations a document defines itself ("Certified Kubernetes
        Administrator (CKA)", see :func:`defined_abbreviations`): the table's
        own entries win, and the phrase is read through the table, so "CKA" and
        the phrase give the same terms.
        """
        key = stem(fold(short))
        if not key.isalnum() or key in self._single or key in self._by_first:
            return False
        target = tuple(self.apply([stem(w) for w in words(phrase)]))
        if not target or target == (key,):
            return False
        self._single[key] = target
        self.groups.setdefault(phrase, []).append(short)
        return True

    def copy(self) -> "Synonyms":
        return Synonyms({k: list(v) for k, v in self.groups.items()})

    def apply(self, stems: list[str]) -> list[str]:
        """Rewrite alternates (longest phrase first) to their canonical stems."""
        phrases = self._by_first
        single = self._single
        hits = [i for i, t in enumerate(stems) if t in single or t in phrases]
        if not hits:
            return list(stems)
        out: list[str] = []
        done = 0  # stems before this index are in out
        for i in hits:
            if i < done:
                continue  # inside a phrase already rewritten
            out.extend(stems[done:i])
            t = stems[i]
            for key, target in phrases.get(t, ()):
                if tuple(stems[i:i + len(key)]) == key:
                    out.extend(target)
                    done = i + len(key)
                    break
            else:
                out.extend(single.get(t, (t,)))
                done = i + 1
        out.extend(stems[done:])
        return out

    def vocabulary(self) -> set[str]:
        """Every surface word the table knows (for spelling repair)."""
        return {w for canonical, alts in self.groups.items()
                for phrase in (canonical, *alts) for w in words(phrase)}

    def __len__(self) -> int:
        return sum(len(v) for v in self.groups.values())


#: "Long Words Like This (LWLT)": a capitalised phrase, then its initials in brackets
_DEFINED = re.compile(r"((?:[A-Z][\w/+-]*\s+(?:(?:of|and|for|the|in|on|&)\s+)?){1,7})\(([A-Z][A-Za-z0-9&]{1,7})\)")
_LINKING = {"of", "and", "for", "the", "in", "on", "&"}


def defined_abbreviations(text: str) -> dict[str, str]:
    """Abbreviations a text defines: ``{"CKA": "Certified Kubernetes Administrator"}``.

    A bracketed upper-case abbreviation counts when the capitalised words
    just before it give its letters as initials, in order ("Site Reliability
    Engineering (SRE)"; "of", "and"... may sit between them).
    """
    out: dict[str, str] = {}
    for m in _DEFINED.finditer(text):
        short = m.group(2)
        letters = [c for c in short.lower() if c.isalpha()]
        ws = m.group(1).split()
        # take the shortest tail of the phrase whose capitalised words' initials spell the abbreviation
        for start in range(len(ws) - 1, -1, -1):
            tail = ws[start:]
            initials = [w[0].lower() for w in tail if w.lower() not in _LINKING]
            if initials == letters and tail[0].lower() not in _LINKING:
                out.setdefault(short, " ".join(tail))
                break
    return out


@lru_cache(maxsize=1)
def _default_synonym_text() -> str:
    return (DATA / "synonyms.txt").read_text(encoding="utf-8")


def default_synonyms() -> Synonyms:
    """The general-purpose table shipped in ``bot/data/synonyms.txt`` (a fresh copy)."""
    return Synonyms.parse(_default_synonym_text(), "bot/data/synonyms.txt")


def load_synonyms(path: Path) -> Synonyms:
    return Synonyms.parse(Path(path).read_text(encoding="utf-8"), str(path))


@lru_cache(maxsize=1)
def _english() -> tuple[dict, float]:
    from spellchecker import SpellChecker

    freq = SpellChecker(language="en", distance=1).word_frequency
    return freq.dictionary, math.log(max(freq.total_words, 2))


def english_words():
    """A general English word list (pyspellchecker's), so real words are never "corrected"."""
    return _english()[0]


@lru_cache(maxsize=50_000)
def commonness(word: str) -> float:
    """How ordinary ``word`` is in general English, in [0, 1].

    1 for everyday words ("make", "long", "find"), falling to 0 for rare
    ones ("salary" is 0.55, "netflix" 0). Computed from pyspellchecker's
    frequency list as ``(COMMON_IDF_RARE - idf) / (COMMON_IDF_RARE - COMMON_IDF_EVERYDAY)``.
    """
    freq, log_total = _english()
    count = freq.get(word, 0)
    if not count:
        return 0.0
    idf = log_total - math.log(count)
    return max(0.0, min(1.0, (COMMON_IDF_RARE - idf) / (COMMON_IDF_RARE - COMMON_IDF_EVERYDAY)))


COMMON_IDF_EVERYDAY = 6.5   # "make", "find"
COMMON_IDF_RARE = 12.5      # "refund", "password"


@lru_cache(maxsize=1)
def _stop_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in stop_words())


class Analyzer:
    """Text -> stemmed content terms, with synonyms applied and stop words dropped.

    The same analyzer instance fits a knowledge base's index and reads every
    query against it, so both sides always agree.
    """

    def __init__(self, synonyms: Synonyms | None = None):
        self.synonyms = synonyms if synonyms is not None else default_synonyms()
        self._stop = _stop_stems()
        #: word pairs read as one word: ("front", "end") -> "frontend" (see :meth:`learn_compounds`)
        self.compounds: dict[tuple[str, str], str] = {}

    def learn_compounds(self, texts) -> "Analyzer":
        """Read a compound one way however ``texts`` write it: where they write both
        "frontend" and "front-end" (or "front end"), both become "frontend"."""
        return self.learn_compounds_of_words([words(t) for t in texts])

    def learn_compounds_of_words(self, split: list[list[str]]) -> "Analyzer":
        """:meth:`learn_compounds` of texts already split into words."""
        vocabulary = {w for ws in split for w in ws}
        stop = stop_words()
        self.compounds = {(a, b): a + b for ws in split for a, b in zip(ws, ws[1:])
                          if a + b in vocabulary and len(a) >= 3 and len(b) >= 3 and a.isalpha() and b.isalpha()
                          and a not in stop and b not in stop}
        return self

    def terms_of_words(self, raw: list[str]) -> list[str]:
        """Content terms of already split words (see :func:`words`)."""
        stop = self._stop
        if self.compounds and len(raw) > 1:
            joined: list[str] = []
            for w in raw:
                both = self.compounds.get((joined[-1], w)) if joined else None
                if both:
                    joined[-1] = both
                else:
                    joined.append(w)
            raw = joined
        return [t for t in self.synonyms.apply(stems(raw)) if t not in stop]

    def terms(self, text: str) -> list[str]:
        """Content terms of ``text``: stemmed, synonyms applied, stop words dropped."""
        return self.terms_of_words(words(text))

    __call__ = terms
