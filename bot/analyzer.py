"""The analyzer: text -> stemmed content terms, the same for sources and queries.

:class:`Analyzer` splits text into words (:func:`bot.text.words`), joins or
splits compounds the document writes both ways (German compounds split
against the document's own words), stems them in the knowledge base's
language (:mod:`bot.languages`), applies the synonym table
(:mod:`bot.synonyms`) and drops stop words.
"""
from __future__ import annotations

import copy

from .languages import (COMPOUNDING, stop_stems, common_stems, commonness, common_words, everyday, language_code,
                        stem, stems, stop_words)
from .synonyms import Synonyms, default_synonyms
from .text import strip_accents, words

_LINKING_ELEMENTS = ("s", "es", "n", "en", "e")  # German Fugenelemente: Transaktion-s-gebühren


class Analyzer:
    """Text -> stemmed content terms, with synonyms applied and stop words dropped.

    An index fits its own copy (``Index.analyzer_``, which learns the
    compounds its knowledge base writes) and reads every query with it, so
    both sides always agree. ``language`` (an ISO 639-1
    code) picks the stemmer, the stop words and, for German, compound
    splitting; without it the synonym table's language is used (a knowledge
    base's table carries its language), else English.

    >>> Analyzer(language="de").terms("Wie hoch sind die Gebühren?")
    ['hoch', 'gebuhr']
    """

    def __init__(self, synonyms: Synonyms | None = None, language: str | None = None):
        if language is None:
            language = synonyms.language if synonyms is not None else "en"
        #: the language it reads (ISO 639-1)
        self.language = language_code(language)
        self.synonyms = synonyms if synonyms is not None else default_synonyms(self.language)
        self._stop = stop_stems(self.language)
        #: the language's stop words (surface forms), e.g. for spelling repair's known words
        self.stop_words = stop_words(self.language)
        #: word pairs read as one word: ("front", "end") -> "frontend" (see :meth:`learn_compounds`)
        self.compounds: dict[tuple[str, str], str] = {}
        #: stems of the document's own words, which compounds are split into (German)
        self.vocabulary_stems: frozenset[str] = frozenset()
        #: outside English: a stem of the document's words -> the shorter stem of the same word family
        #: ("kontrolliert" -> "kontroll"; see :meth:`learn_families`)
        self.families: dict[str, str] = {}
        self._splits: dict[str, tuple[str, ...]] = {}

    def stem(self, word: str) -> str:
        """One word's stem in this analyzer's language."""
        return stem(word, self.language)

    def common_words(self):
        """A general word list of this language (empty mapping if none): see :func:`common_words`."""
        return common_words(self.language)

    def is_word_form(self, word: str) -> bool:
        """Whether ``word`` is a form of a word of this language's general list (never in English):
        see :func:`common_stems`."""
        return self.language != "en" and self.stem(word) in common_stems(self.language)

    def commonness(self, word: str) -> float:
        """How ordinary ``word`` is in this language: see :func:`commonness`."""
        return commonness(word, self.language)

    def everyday(self, word: str) -> float:
        """How ordinary ``word`` or, in English, its base is: see :func:`everyday`."""
        return everyday(word, self.language)

    def copy(self) -> "Analyzer":
        """A copy to learn into (an index fits its own: :meth:`bot.index.Index.fit` mutates no argument)."""
        out = copy.copy(self)
        out._splits = {}
        return out

    def learn_compounds(self, texts) -> "Analyzer":
        """Read a compound one way however ``texts`` write it: where they write both
        "frontend" and "front-end" (or "front end"), both become "frontend".

        In German (:data:`COMPOUNDING`) the stems of the texts' words are also
        kept, so that a compound made of two of them is read as both
        ("Transaktionsgebühren" -> "transaktion", "gebühren"; see :meth:`split_compound`).
        """
        return self.learn_compounds_of_words([words(t) for t in texts])

    def learn_compounds_of_words(self, split: list[list[str]]) -> "Analyzer":
        """:meth:`learn_compounds` of texts already split into words."""
        vocabulary = {w for ws in split for w in ws}
        stop = self.stop_words
        self.compounds = {(a, b): a + b for ws in split for a, b in zip(ws, ws[1:])
                          if a + b in vocabulary and len(a) >= 3 and len(b) >= 3 and a.isalpha() and b.isalpha()
                          and a not in stop and b not in stop}
        self._splits = {}
        if self.language in COMPOUNDING:
            self.vocabulary_stems = frozenset(self.stem(w) for w in vocabulary
                                              if w.isalpha() and len(w) >= 4 and w not in stop)
        return self

    #: a family's shortest stem has this many letters at least, and its other stems are at most
    #: ``FAMILY_STRETCH`` times as long
    FAMILY_MIN, FAMILY_STRETCH = 6, 1.5

    def learn_families(self, split: list[list[str]]) -> "Analyzer":
        """Outside English, read the stems of one word family in ``split`` (texts split into words) as one.

        The Snowball stemmers of other languages keep derivational endings:
        German "Kontrolle" and "kontrolliert" stem "kontroll" and "kontrolliert",
        "Bestätigung" and "bestätigt" "bestatig" and "bestatigt". Where the
        document writes both, a question with one form must find an entry
        with the other, so a stem that starts with another stem of the
        document (6 letters or more, the longer at most half as long again)
        is read as that shorter one, in the document and in questions alike.
        English's stemmer joins such forms itself, and English is left as it is.
        """
        self.families = {}
        if self.language == "en":
            return self
        stop = self.stop_words
        found = sorted({t for ws in split for t in stems([w for w in ws if w.isalpha() and w not in stop],
                                                          self.language)})
        roots: list[str] = []  # the open chain of stems, each a prefix of the next
        for t in found:
            while roots and not t.startswith(roots[-1]):
                roots.pop()
            root = next((r for r in roots if len(r) >= self.FAMILY_MIN and len(t) <= self.FAMILY_STRETCH * len(r)),
                        None)
            if root is not None and root != t:
                self.families[t] = root
            roots.append(t)
        return self

    def split_compound(self, word: str) -> tuple[str, ...]:
        """``word`` as two words of the document when it is a compound of them, else ``(word,)``.

        German joins words, often with a linking "s" ("Transaktion-s-gebühren"),
        "es", "n", "en" or "e". A word of 8 letters or more splits where both
        halves (4 letters or more, the first without its linking element) are
        stems of the document's own words; of several such splits, the most
        balanced wins.
        """
        known = self.vocabulary_stems
        if not known or len(word) < 8 or not word.isalpha():
            return (word,)
        done = self._splits.get(word)
        if done is not None:
            return done
        best, balance = (word,), 0
        for i in range(4, len(word) - 3):
            left, right = word[:i], word[i:]
            if self.stem(right) not in known or right in self.stop_words:
                continue
            for link in ("",) + _LINKING_ELEMENTS:
                head = left[:-len(link)] if link else left
                if link and not left.endswith(link):
                    continue
                if len(head) >= 4 and self.stem(head) in known and head not in self.stop_words:
                    if min(len(head), len(right)) > balance:
                        best, balance = (head, right), min(len(head), len(right))
                    break
        if len(self._splits) < 50_000:
            self._splits[word] = best
        return best

    def terms_of_words(self, raw: list[str]) -> list[str]:
        """Content terms of already split words (see :func:`words`)."""
        stop = self._stop
        if self.vocabulary_stems:
            raw = [part for w in raw for part in self.split_compound(w)]
        if self.compounds and len(raw) > 1:
            joined: list[str] = []
            for w in raw:
                both = self.compounds.get((joined[-1], w)) if joined else None
                if both:
                    joined[-1] = both
                else:
                    joined.append(w)
            raw = joined
        st = stems(raw, self.language)
        out = self.synonyms.apply(st)
        if self.families:
            family = self.families.get
            out = [family(t, t) for t in out]
        if self.language != "en" and len(out) == len(st):
            # outside English a word whose stem is only a stop word's stem stays ("sicher" and "sich" both
            # stem "sich", "sûr" is "sur" without accents): a stop word is one of the list, or a form
            # of one that the language's general list lacks
            listed, common = self.stop_words, self.common_words()
            return [t for t, w in zip(out, raw)
                    if t not in stop or (w not in listed and strip_accents(w) not in listed and w in common)]
        return [t for t in out if t not in stop]

    def terms(self, text: str) -> list[str]:
        """Content terms of ``text``: stemmed, synonyms applied, stop words dropped."""
        return self.terms_of_words(words(text))

    __call__ = terms
