"""Reading a question: its words brought to the knowledge base's own, its terms weighed.

:class:`Reader` is the part of :class:`bot.index.Index` that reads questions
(:meth:`Reader.read`): compounds written as the knowledge base writes them
("oncall" -> "on call"), a number of years as the range it states that holds
it ("3 years" -> "2-4 years"), misspelt words repaired against its vocabulary
(and rare real words that are slips for common ones: "carer" -> "career"),
stems it leaves apart joined ("verif" -> "verifi"), and each term weighed.
What it needs is learned with the index (:meth:`Reader._fit_spelling`).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .arrays import unique_sorted
from .frames import origin_frame, request_frame, span_frame, step_frame
from .kinds import COUNT, DURATION, PERCENT, duration_frame, kinds_of
from .text import words
from .years import as_ranges, year_ranges

#: time units: "yearly", "monthly", "daily" ask when, not how
_TIME_UNITS = frozenset({"year", "month", "week", "day", "hour", "night"})


#: languages that capitalise names but not common nouns (not German)
_NAMES_CAPITALISED = frozenset({"en", "fr", "es", "it", "pt", "nl"})
#: a capitalised word after another word of its sentence ("Does Google hire ...", "in demand in Toronto")
_NAME = re.compile(r"(?<=[^\W\d_])[,;]?\s+([A-Z][a-z]+)\b")


def _names(text: str) -> list[str]:
    """The words of ``text`` written as names: capitalised, not first in their sentence, not "I"."""
    return [m.group(1).lower() for m in _NAME.finditer(text)]


def _is_adverb(word: str, an) -> bool:
    """Whether ``word`` is an English adverb made from a common word ("usually", "normally", "roughly"): it
    says how something is asked, not what, and weighs as an everyday word when the document lacks it."""
    if an.language != "en" or len(word) < 6 or not word.endswith("ly"):
        return False
    base = word[:-2]
    forms = {base, base + "e", base[:-1] + "y" if base.endswith("i") else base,
             base[:-2] if base.endswith("al") else base, base + "l" if base.endswith("l") else base}  # "fully": "full"
    if forms & _TIME_UNITS:
        return False
    if word.endswith("ically") and word[:-4] in an.common_words():  # "realistically": "realistic", a word
        return True                                                  # of the list however rare
    return any(an.commonness(f) > ADVERB_BASE_COMMONNESS for f in forms)


#: English verbs that ask for a telling ("which skills should I list?", "can you name the levels?"): when the
#: document never uses them, they weigh as everyday words (a document that does, "how do I list files?", keeps them)
_REQUEST_VERBS = frozenset("list lists listed show name describe summarize summarise outline mention".split())
#: the commonness (bot.languages.commonness) a "-ly" word's base needs for the word to count as an adverb
ADVERB_BASE_COMMONNESS = 0.3
#: texting shorthand: "how 2 build", "certs 4 backend" (a 2 or 4 between words that count nothing)
_TEXTING = re.compile(r"(?<=[^\W\d_] )([24])(?= [^\W\d_])(?! (?:years?|yrs?|y|months?|mos?|weeks?|days?|hours?|hrs?"
                      r"|minutes?|mins?|plans?|levels?|lvls?|stages?|steps?|tiers?|times?|alerts?|jobs?|roles?"
                      r"|people|devs?|developers?|of)\b)", re.I)
_TEXTED = {"2": "to", "4": "for"}
#: "education-wise", "salary wise": "-wise" only says "as for" what it follows
_WISE = re.compile(r"(?<=[a-z])[\s-]wise\b", re.I)
#: languages whose verbs take "re-" ("ri-" in Italian) for doing again or back: "racheter", "revender", "ricomprare"
_REPEATING = frozenset({"fr", "es", "it", "pt", "ca"})
_R_VOWEL = frozenset({"ra", "re", "ri", "ro", "ru"})
#: "for this job", "in this field": the document's own subject, which every entry is about
_THIS_ROLE = re.compile(r"\b(?:this|that)\s+(?:job|role|position|career(?:\s+path)?|field|profession|occupation"
                        r"|line\s+of\s+work|kind\s+of\s+work|gig|path|track)\b", re.I)


@dataclass(frozen=True)
class Query:
    """A question as the index reads it."""

    text: str
    words: tuple[str, ...]        # surface words after spelling repair
    corrections: tuple[tuple[str, str], ...]
    terms: tuple[str, ...]        # stemmed content terms (synonyms applied)
    weights: tuple[float, ...] = ()  # how much each distinct term says (see Index.read)
    kinds: frozenset[str] = frozenset()  # what it asks for (bot.kinds.kinds_of): a how-to, an amount, ...


class Reader:
    """Question reading, mixed into :class:`bot.index.Index` (which provides ``analyzer_``, ``tuning``,
    ``terms_``, ``term_idf_`` and ``max_idf_``).

    ``tuning`` (:class:`bot.tuning.Tuning`) switches its steps on and off (``compounds``, ``years``,
    ``spelling``, ``near_stems``) and holds its values (``common_discount``, ``unknown_weight``,
    ``long_word``, ``slip_ratio``, ``key_relative``, ...).
    """

    #: the terms of the document's subject ("python backend developer"), set by :class:`bot.decision._Searcher`
    subject_: frozenset = frozenset()


    def _fit_spelling(self, entries, full_words) -> None:
        """The surface words this knowledge base (and the shared tables) know; year ranges; word pairs."""
        surface = {w for ws in full_words for w in ws}
        stop = self.analyzer_.stop_words
        self.known_list_ = sorted(surface | stop | self.analyzer_.synonyms.vocabulary())
        self.slip_list_ = sorted(w for w in surface | stop if w.isalpha() and len(w) >= 4)
        by_stem: dict[str, str] = {}
        for w in self.known_list_:
            by_stem.setdefault(self.analyzer_.stem(w), w)
        self.term_surface_ = {t: by_stem[t] for t in self.terms_ if t in by_stem}
        self.year_ranges_ = year_ranges(e.text for e in entries)
        # compounds: the word pairs the knowledge base writes ("on-call", "back end"), as keys of word ids
        position = {w: i for i, w in enumerate(self.known_list_)}
        n = len(self.known_list_)
        keys = [np.array([position[w] for w in ws], dtype=np.int64) for ws in full_words]
        self.pairs_ = unique_sorted(np.concatenate([k[:-1] * n + k[1:] for k in keys])) if keys else np.zeros(0, np.int64)

    def _derive_reading(self) -> None:
        """What reading computes from the learned attributes, after fitting or loading."""
        self.known_words_ = frozenset(self.known_list_)
        self.word_position_ = {w: i for i, w in enumerate(self.known_list_)}
        self.spell_list_ = [w for w in self.known_list_ if w.isalpha() and len(w) >= 3]
        self.term_list_ = sorted(t for t in self.term_surface_ if t.isalpha() and len(t) >= 5)
        self.prefix_list_ = [t for t in self.terms_ if len(t) >= 5 and t.isalpha()]
        self.analyzer_.common_words()  # load the language's word list now: ask() must do no I/O
        self.analyzer_.is_word_form("a")  # ... and, outside English, the stems of its words
        self._correct = lru_cache(maxsize=20_000)(self._correct_word)
        self._near_term = lru_cache(maxsize=20_000)(self._near_term_of)
        self._relatives = lru_cache(maxsize=20_000)(self._relatives_of)

    def _bucket(self, sorted_words: list[str], first: str) -> list[str]:
        """The words of a sorted list that start with ``first``."""
        lo = bisect.bisect_left(sorted_words, first)
        hi = bisect.bisect_left(sorted_words, chr(ord(first) + 1), lo)
        return sorted_words[lo:hi]

    def _correct_word(self, w: str) -> str:
        """The knowledge base's word for a misspelt ``w`` (or ``w`` itself)."""
        n = len(w)
        if n < 4 or not w.isalpha():
            return w
        if w in self.analyzer_.common_words():
            return self._real_word_slip(w)
        if self.analyzer_.is_word_form(w):  # "salen", "inventó": forms another language's list lacks
            return w
        cutoff = 1 if n < self.tuning.long_word else 2
        bucket = self._bucket(self.spell_list_, w[0])
        if n <= 4:  # short words: one candidate at distance 1, or swapped letters
            near = process.extract(w, bucket, scorer=OSA.distance, score_cutoff=1, limit=2)
            if len(near) == 1 or (near and sorted(near[0][0]) == sorted(w)):
                return near[0][0]
            return w
        best = process.extractOne(w, bucket, scorer=OSA.distance, score_cutoff=cutoff)
        if best is None:
            t = self.analyzer_.stem(w)
            if len(t) < 5 or t in self.term_idf_:
                return w
            # outside English one edit at most: inflected stems lie close to other words' ("recomiend",
            # of "recomendar", is two from "recompens")
            best = process.extractOne(t, self._bucket(self.term_list_, t[0]), scorer=OSA.distance,
                                      score_cutoff=1 if len(t) <= 8 or self.analyzer_.language != "en" else 2)
            return self.term_surface_[best[0]] if best is not None else w
        return best[0]

    def _real_word_slip(self, w: str) -> str:
        """A rare English word taken for a slip of a far more frequent one the knowledge base uses."""
        ratio = self.tuning.slip_ratio
        if not ratio or self.analyzer_.language != "en" or self.analyzer_.commonness(w) >= self.tuning.slip_rare:
            # other languages' lists count a word only as written lower-case (German's nouns look rare:
            # "wetter", "kurs"), so their counts cannot tell a rare word from a slip
            return w
        freq = self.analyzer_.common_words()
        best = process.extractOne(w, self._bucket(self.slip_list_, w[0]), scorer=OSA.distance, score_cutoff=1)
        if best is not None and freq.get(best[0], 0) >= ratio * max(freq.get(w, 0), 1):
            return best[0]
        return w

    def _near_term_of(self, term: str) -> str:
        """A knowledge-base term that ``term`` is a variant of ("verif" -> "verifi"), or itself.

        Stemmers leave some pairs apart (verification/verified, principle/
        principal); a shared prefix of 5+ letters covering 80% of the longer
        stem joins them (but not scientist/science). Outside English, whose stemmers keep derivational
        suffixes ("déflation"/"déflationniste", "deflación"/"deflacionaria"), a whole stem of 6+ letters
        that starts a knowledge-base term at most half as long again joins it too.
        """
        best, best_len = term, 0
        whole = self.analyzer_.language != "en" and len(term) >= 6
        prefix = term[:5]
        lo = bisect.bisect_left(self.prefix_list_, prefix)
        for cand in self.prefix_list_[lo:]:
            if not cand.startswith(prefix):
                break
            n = 5
            limit = min(len(cand), len(term))
            while n < limit and cand[n] == term[n]:
                n += 1
            near = n >= 0.8 * max(len(cand), len(term)) or (whole and n == len(term) and len(cand) <= 1.5 * n)
            if near and (n > best_len or (n == best_len and self.term_idf_[cand] < self.term_idf_[best])):
                best, best_len = cand, n
        if best == term and self.analyzer_.language in _REPEATING:
            # "racheter", "revendre", "ricomprare": the verb again ("acheter") when the knowledge base has it
            bare = term[2:] if term.startswith(("re", "ri")) else term[1:] if term[:2] in _R_VOWEL else ""
            if len(bare) >= 4 and bare in self.term_idf_:
                best = bare
        return best

    def _years(self, raw: list[str]) -> list[str]:
        """``raw`` with a number of years read as the range that holds it (:func:`bot.years.as_ranges`)."""
        return as_ranges(raw, self.year_ranges_, self.known_words_, self.analyzer_.language)

    def _is_pair(self, a: str, b: str) -> bool:
        """Whether the knowledge base writes ``a`` then ``b``."""
        pa, pb = self.word_position_.get(a), self.word_position_.get(b)
        if pa is None or pb is None:
            return False
        key = pa * len(self.known_list_) + pb
        pos = int(np.searchsorted(self.pairs_, key))
        return pos < len(self.pairs_) and int(self.pairs_[pos]) == key

    def _compounds(self, raw: list[str]) -> list[str]:
        """Write compounds as the knowledge base does: "oncall" -> "on call" (it says "on-call"),
        "back end" -> "backend" (it never says "back end")."""
        known = self.known_words_
        out: list[str] = []
        for w in raw:
            if out and out[-1] + w in known and not self._is_pair(out[-1], w):
                out[-1] += w
            elif w not in known and len(w) >= 5 and w.isalpha():
                split = next(((w[:i], w[i:]) for i in range(1, len(w) - 1) if self._is_pair(w[:i], w[i:])), None)
                out.extend(split or (w,))
            else:
                out.append(w)
        return out

    def read(self, text: str) -> Query:
        """Split, spell-repair and analyse a question, and weigh its terms.

        A term the knowledge base uses weighs its IDF; one it never uses weighs
        at least as much as its rarest term, less for everyday English words
        (:func:`bot.languages.commonness`), since those often only frame a question.
        "This role" is every entry's subject and weighs nothing, unless it is all
        that is asked ("what does this role entail?": then it is the role).
        """
        q = self._read(text)
        if not q.terms and _THIS_ROLE.search(text):
            return self._read(_THIS_ROLE.sub(lambda m: " " + m.group(0).split(None, 1)[1], text))
        return q

    def _read(self, text: str) -> Query:
        tuning = self.tuning
        if self.analyzer_.language == "en" and tuning.texting:
            text = _WISE.sub("", _TEXTING.sub(lambda m: _TEXTED[m.group(1)], text))
        raw = words(_THIS_ROLE.sub(" ", text))
        if tuning.compounds:
            raw = self._compounds(raw)
        if tuning.years:
            raw = self._years(raw)
        fixed, corrections = self._repaired(raw)
        idf = self.term_idf_
        asks = kinds_of(text, self.analyzer_.language)
        if asks:  # a kind switched off is not asked
            asks = asks - {k for k, factor in ((PERCENT, tuning.percent_mismatch), (COUNT, tuning.count_mismatch))
                           if factor >= 1.0}
        # "how long" frames a duration question: what it asks is carried by the kind, not by "long"
        lang = self.analyzer_.language
        frame = set(self.analyzer_.terms_of_words(duration_frame(text, lang))) if DURATION in asks and tuning.duration_frame else ()
        # "d'où viennent ...?", "woher kommen ...?": the verb asks where from, what is asked about is the rest
        said = origin_frame(text, lang) if tuning.origin_frame else []
        origin = set(self.analyzer_.terms_of_words(said + request_frame(text, lang))) if tuning.origin_frame else ()
        if tuning.steps:  # "what comes after senior?", "the highest title": how a step or an end is asked
            verbs, ends = step_frame(text, lang)
            verbs = verbs + span_frame(text, lang)
            if verbs or ends:
                origin = set(origin) | set(self.analyzer_.terms_of_words(verbs))
                frame = set(frame) | set(self.analyzer_.terms_of_words(ends))
        terms = []
        for t in self.analyzer_.terms_of_words(fixed):
            if (t in frame and t not in idf) or t in origin:  # ("years", "experience" stay: entries state them)
                continue
            if tuning.near_stems and t not in idf and len(t) >= 5:
                t = self._near_term(t)
            terms.append(t)
        distinct = dict.fromkeys(terms)
        an = self.analyzer_  # how common each word is, read only when a term is unknown
        adverbs = tuning.adverbs
        common = ({an.stem(w): 1.0 if adverbs and (_is_adverb(w, an) or w in _REQUEST_VERBS and an.language == "en")
                   else an.everyday(w) for w in fixed}
                  if any(t not in idf for t in distinct) else {})
        if common and tuning.names and lang in _NAMES_CAPITALISED:  # "Does Google hire ...?": a name the document
            for name in _names(text):                                # lacks asks about what it does not say
                common[an.stem(name)] = 0.0
        top = self.max_idf_ * tuning.unknown_weight
        discount, power = tuning.common_discount, tuning.common_power
        weights = tuple(idf[t] if t in idf else top * (1 - discount * common.get(t, 0.0) ** power)
                        for t in distinct)
        if self.subject_ and tuning.drop_subject:
            terms, weights = self._without_subject(terms, distinct, weights)
        surface = tuple(w for w in fixed if w not in said) if said else tuple(fixed)  # ("leads to" says nothing to
        # the rankers' surface words either)
        return Query(text, surface, tuple(corrections), tuple(terms), weights, asks)

    def _repaired(self, raw: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
        """``(words, corrections)``: ``raw`` with each word the knowledge base lacks spelling-repaired
        (``Tuning.spelling``)."""
        fixed, corrections = [], []
        known, spelling = self.known_words_, self.tuning.spelling
        for w in raw:
            c = w if w in known or not spelling else self._correct(w)
            if c != w:
                corrections.append((w, c))
            fixed.append(c)
        return fixed, corrections

    def _without_subject(self, terms: list[str], distinct: dict, weights: tuple) -> tuple[list[str], tuple]:
        """``(terms, weights)`` without the document's subject when it is named whole beside something else the
        knowledge base speaks of ("which companies hire python backend developers?"): every entry is about it.
        A question about the subject alone keeps it ("what does a python backend developer do?")."""
        subject, idf = self.subject_, self.term_idf_
        if not subject <= distinct.keys() or not any(t in idf for t in distinct if t not in subject):
            return terms, weights
        return ([t for t in terms if t not in subject],
                tuple(w for t, w in zip(distinct, weights) if t not in subject))

    def _relatives_of(self, term: str) -> frozenset:
        """The ids of knowledge-base terms that are other forms of ``term``: "treat" and "treatment"."""
        shortest, stretch = self.tuning.relative_min, self.tuning.relative_stretch
        if len(term) < shortest or not term.isalpha():
            return frozenset()
        out = set()
        lo = bisect.bisect_left(self.prefix_list_, term)
        for cand in self.prefix_list_[lo:]:
            if not cand.startswith(term):
                break
            if cand != term and len(cand) <= stretch * len(term):
                out.add(self.term_id_[cand])
        for n in range(shortest, len(term)):
            t = term[:n]
            if t in self.term_id_ and len(term) <= stretch * n:
                out.add(self.term_id_[t])
        return frozenset(out)
