"""Synonym tables: equivalent terms, applied to sources and queries alike.

:class:`Synonyms` is a table (the general English one is
``bot/data/synonyms.txt``, :func:`default_synonyms`; a knowledge base's
curation file extends it), and :func:`defined_abbreviations` finds the
abbreviations a document defines itself ("Site Reliability Engineering (SRE)").
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .languages import language_code, stem
from .text import DATA, fold, words


#: words that may stand between a phrase's words in a text ("find the jobs"), by language (their stems)
_DETERMINERS = {"en": frozenset({"the", "a", "an", "these", "those", "such", "this", "that", "some", "my", "your",
                                 "their", "our", "his", "her", "it", "ani"})}


class Synonyms:
    """A table of equivalent terms, applied to sources and queries alike.

    Each line of a synonyms file reads ``canonical: alternate, alternate``.
    Alternates may be several words (``work from home``). Matching happens on
    stems, so ``yr``, ``yrs`` and ``years`` all become the canonical token
    whether singular or plural. Tables merge with :meth:`extend`, later lines
    winning, which is how a knowledge base's curation file adds its own.
    """

    def __init__(self, groups: dict[str, list[str]] | None = None, language: str = "en"):
        #: the language the table's words are stemmed in
        self.language = language_code(language)
        self.groups: dict[str, list[str]] = {}
        self._single: dict[str, tuple[str, ...]] = {}
        self._phrases: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        self._by_pair: dict[tuple[str, str], list] = {}
        self._firsts: frozenset[str] = frozenset()
        if groups:
            self.extend(groups)

    @classmethod
    def parse(cls, text: str, source: str = "<synonyms>", language: str = "en") -> "Synonyms":
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
        return cls(groups, language)

    def extend(self, groups: dict[str, Iterable[str]]) -> "Synonyms":
        """Add groups (``canonical -> alternates``); returns self.

        A canonical word or phrase is read through the groups before it ("job
        platform" after "role: job" becomes the terms of "role platform";
        "Geldbörse: Portemonnaie" after "wallet: Geldbörse" joins "wallet"), so
        an alternate gives the terms the canonical gives in a text.
        """
        lang = self.language
        for canonical, alts in groups.items():
            stems = [stem(w, lang) for w in words(canonical)]
            # read through the groups before it: a canonical that is already an alternate joins that group
            target = tuple(t2 for t in stems for t2 in self._single.get(t, (t,)))
            if not target:
                continue
            alts = list(alts)
            self.groups.setdefault(canonical, []).extend(alts)
            for alt in alts:
                key = tuple(stem(w, lang) for w in words(alt))
                if not key or key == target:
                    continue
                if len(key) == 1:
                    self._single[key[0]] = target
                else:
                    self._phrases.append((key, target))
        self._phrases.sort(key=lambda p: -len(p[0]))
        # phrases by their first two stems: a text's common words ("the", "in") start many, its pairs few
        self._by_pair: dict[tuple[str, str], list] = {}
        for key, target in self._phrases:
            self._by_pair.setdefault(key[:2], []).append((key, target))
        self._firsts = frozenset(key[0] for key, _ in self._phrases)
        return self

    def abbreviate(self, short: str, phrase: str) -> bool:
        """Let ``short`` stand for ``phrase`` (as the table already reads the phrase); False if ``short`` is taken.

        For abbreviations a document defines itself ("Certified Kubernetes
        Administrator (CKA)", see :func:`defined_abbreviations`): the table's
        own entries win, and the phrase is read through the table, so "CKA" and
        the phrase give the same terms.
        """
        key = stem(fold(short), self.language)
        if not key.isalnum() or key in self._single or key in self._firsts:
            return False
        target = tuple(self.apply([stem(w, self.language) for w in words(phrase)]))
        if not target or target == (key,):
            return False
        self._single[key] = target
        self.groups.setdefault(phrase, []).append(short)
        return True

    def copy(self) -> "Synonyms":
        return Synonyms({k: list(v) for k, v in self.groups.items()}, self.language)

    def apply(self, stems: list[str]) -> list[str]:
        """Rewrite alternates (longest phrase first) to their canonical stems."""
        pairs, firsts = self._by_pair, self._firsts
        single = self._single
        hits = [i for i, t in enumerate(stems) if t in single or t in firsts]
        if not hits:
            return list(stems)
        out: list[str] = []
        done = 0  # stems before this index are in out
        for i in hits:
            if i < done:
                continue  # inside a phrase already rewritten
            out.extend(stems[done:i])
            t = stems[i]
            for key, target in pairs.get(tuple(stems[i:i + 2]), ()):
                if tuple(stems[i:i + len(key)]) == key:
                    out.extend(target)
                    done = i + len(key)
                    break
            else:
                end, target = self._across_determiners(stems, i)
                out.extend(target if end else single.get(t, (t,)))
                done = end or i + 1
        out.extend(stems[done:])
        return out

    def _across_determiners(self, stems: list[str], i: int) -> tuple[int, tuple[str, ...]]:
        """``(end, target)`` of a phrase that starts at ``i`` with determiners between its words ("find the
        jobs", "look for those jobs" are "find jobs", "look for jobs"), else ``(0, ())``."""
        skip = _DETERMINERS.get(self.language)
        if not skip:
            return 0, ()
        j = i + 1
        while j < len(stems) and stems[j] in skip:
            j += 1
        if j >= len(stems):
            return 0, ()
        for key, target in self._by_pair.get((stems[i], stems[j]), ()):
            k, n = 1, j
            while k < len(key) and n < len(stems):
                if stems[n] == key[k]:
                    k, n = k + 1, n + 1
                elif stems[n] in skip and stems[n] not in key:
                    n += 1
                else:
                    break
            if k == len(key) and n - i > len(key):  # (an exact match was tried first)
                return n, target
        return 0, ()

    def vocabulary(self) -> set[str]:
        """Every surface word the table knows (for spelling repair)."""
        return {w for canonical, alts in self.groups.items()
                for phrase in (canonical, *alts) for w in words(phrase)}

    def __len__(self) -> int:
        return sum(len(v) for v in self.groups.values())


#: "Long Words Like This (LWLT)": a capitalised phrase, then its initials in brackets
_DEFINED = re.compile(r"((?:[A-Z][\w/+-]*\s+(?:(?:of|and|for|the|in|on|&)\s+)?){1,7})\(([A-Z][A-Za-z0-9&]{1,7})\)")
_LINKING = {"of", "and", "for", "the", "in", "on", "&"}
_BRACKETED = re.compile(r"\([A-Z][A-Za-z0-9&]{1,7}\)")


def defined_abbreviations(text: str) -> dict[str, str]:
    """Abbreviations a text defines: ``{"CKA": "Certified Kubernetes Administrator"}``.

    A bracketed upper-case abbreviation counts when the capitalised words
    just before it give its letters as initials, in order ("Site Reliability
    Engineering (SRE)"; "of", "and"... may sit between them).
    """
    out: dict[str, str] = {}
    if not _BRACKETED.search(text):  # the cheap test first: most texts define nothing
        return out
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


#: a word of a title that can begin a name: a capital letter, then letters (a "+" or digits may close it)
_CAPITALISED = re.compile(r"[A-Z][a-z]+[a-z0-9+]*$")
#: an initialism stands for three to five capitalised words
INITIALISM_WORDS = (3, 5)


def title_initialisms(titles: Iterable[str], taken=frozenset()) -> dict[str, str]:
    """Initialisms of the names a document's titles repeat: ``{"SRE": "Site Reliability Engineer"}``.

    A visitor writes "SRE" where the document always spells out "Site
    Reliability Engineer". A run of three to five capitalised words that
    appears in two titles or more is a name, and its initials may stand for
    it, unless they spell a word in ``taken`` (the document's own words and the
    language's general words: "cat" stays a cat) or another name of the titles
    has them too.
    A title written twice (a guide's title is its introduction's) counts once.
    """
    low, high = INITIALISM_WORDS
    seen: dict[str, dict[tuple, list]] = {}  # initials -> the name's stems -> [name, titles naming it]
    for title in dict.fromkeys(titles):
        ws = [w.strip("?!.,:;()\"'") for w in title.split()]
        names = set()
        for i in range(len(ws)):
            for j in range(i + low, min(i + high, len(ws)) + 1):
                run = ws[i:j]
                if not all(_CAPITALISED.match(w) for w in run):
                    break
                names.add(" ".join(run))
        for name in names:
            short = "".join(w[0] for w in name.split()).lower()
            key = tuple(stem(w.lower()) for w in name.split())  # "Engineers" is the name "Engineer" names
            seen.setdefault(short, {}).setdefault(key, [name, 0])[1] += 1
    out = {}
    for short, names in seen.items():
        (name, count), = names.values() if len(names) == 1 else ((None, 0),)  # another name's initials: neither
        if count >= 2 and short not in taken:
            out[short.upper()] = name
    return out


def _table_name(language: str) -> str:
    return "synonyms.txt" if language == "en" else f"synonyms.{language}.txt"


@lru_cache(maxsize=16)
def _default_synonym_text(language: str = "en") -> str:
    path = DATA / _table_name(language)
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def default_synonyms(language: str = "en") -> Synonyms:
    """The general-purpose table for ``language`` (a fresh copy).

    ``bot/data/synonyms.txt`` for English, ``bot/data/synonyms.<code>.txt`` for
    another language (German, French, Spanish, Italian and Portuguese have one); an empty table for a
    language without one. A knowledge base's curation synonyms extend it.
    """
    language = language_code(language)
    return Synonyms.parse(_default_synonym_text(language), f"bot/data/{_table_name(language)}", language)


def load_synonyms(path: Path) -> Synonyms:
    return Synonyms.parse(Path(path).read_text(encoding="utf-8"), str(path))
