"""Lexical retrieval over one knowledge base.

:class:`Index` follows scikit-learn's conventions: settings in ``__init__``,
learning in :meth:`Index.fit` (returns self), learned attributes end in ``_``.
Fitting uses scikit-learn; a question is then read with what was learned (the
fitted vocabularies and IDF, stacked into one :class:`bot.ranking.Projection`)
rather than through ``transform``, whose input validation alone costs ~0.6 ms.

For a question, every entry gets (:meth:`Index.scores`):

* a *rank*: the family ranker of :mod:`bot.ranking` (a classifier, explicit
  and latent semantic analysis, BM25F; z-scored and summed);
* a *similarity* in [0, 1]: the cosine of word TF-IDF (stems and stem
  bigrams, synonyms applied) with the entry's key and answer text, which the
  confidence uses as the strength of the match;
* whether the question *repeats* the entry's title or one of its questions.

The index also knows which query terms each entry contains (:meth:`Index.coverages`),
which the answering layer uses to decide whether the knowledge base covers a
question at all (see :mod:`bot.answering`).

Before any of that, :meth:`Index.read` brings a question's words to the
knowledge base's own: compounds written as it writes them ("oncall" ->
"on call"), a number of years as the range it states that holds it ("3
years" -> "2-4 years"), misspelt words repaired against its vocabulary (and
rare real words that are slips for common ones: "carer" -> "career").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from rapidfuzz import process
from rapidfuzz.distance import OSA
from sklearn.feature_extraction.text import TfidfVectorizer

from .knowledge import Entry
from .ranking import FamilyRanker, Projection, content_words, raw_text
from .text import Analyzer, commonness, english_words, fold, stem, stop_words, words


_RANGE = re.compile(r"\b(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})\s*(?:years?|yrs?)\b", re.I)
_OPEN_RANGE = re.compile(r"\b(\d{1,2})\s*\+\s*(?:years?|yrs?)\b", re.I)
_YEAR_WORDS = frozenset({"year", "years", "yr", "yrs", "yoe"})
#: "for this job", "in this field": the document's own subject, which every entry is about
_THIS_ROLE = re.compile(r"\b(?:this|that)\s+(?:job|role|position|career|field|profession|occupation|line\s+of\s+work"
                        r"|kind\s+of\s+work|gig)\b", re.I)


def key_text(e: Entry) -> str:
    """The fields that say what an entry is about: title, heading path, questions.

    An introduction's title is the document's title, whose words are in every
    entry's context; it says nothing about what the introduction covers.
    """
    if e.kind == "intro":
        return "\n".join(e.questions)
    return "\n".join(dict.fromkeys((e.title, *e.path, *e.questions)))


def _bigrams(terms: list[str]) -> list[str]:
    return terms + [f"{a} {b}" for a, b in zip(terms, terms[1:])]


@dataclass(frozen=True)
class Query:
    """A question as the index reads it."""

    text: str
    words: tuple[str, ...]        # surface words after spelling repair
    corrections: tuple[tuple[str, str], ...]
    terms: tuple[str, ...]        # stemmed content terms (synonyms applied)
    weights: tuple[float, ...] = ()  # how much each distinct term says (see Index.read)


@dataclass(frozen=True)
class Scores:
    """Everything the answering layer needs about one question, for every entry."""

    rank: np.ndarray        # the family ranker's fused score (unbounded; higher ranks first)
    similarity: np.ndarray  # word TF-IDF cosine with key + answer, in [0, 1]
    repeats: np.ndarray     # True where the question's terms are exactly a title's or question's
    lists: np.ndarray       # True where they are exactly one of the entry's listed items
    coverage: np.ndarray    # share of the question's informative weight each entry holds (Index.coverages)


class Index:
    """Fitted retrieval structures for one knowledge base.

    Parameters
    ----------
    analyzer : Analyzer
        Turns text into stemmed content terms (the knowledge base's synonyms).
    ranker : FamilyRanker
        The ranking model (default settings when omitted).
    """

    def __init__(self, analyzer: Analyzer | None = None, *, ranker: FamilyRanker | None = None):
        self.analyzer = analyzer or Analyzer()
        self.ranker = ranker

    # ------------------------------------------------------------------ fit
    def fit(self, entries) -> "Index":
        entries = list(entries)
        if not entries:
            raise ValueError("cannot index an empty knowledge base")
        self.entries_ = entries
        n = len(entries)
        keys = [key_text(e) for e in entries]
        fulls = [f"{k}\n{e.text}" for k, e in zip(keys, entries)]
        self.analyzer.learn_compounds(fulls)
        key_terms = [self.analyzer.terms(t) for t in keys]
        body_terms = [self.analyzer.terms(e.text) for e in entries]
        full_terms = [k + b for k, b in zip(key_terms, body_terms)]
        projection = Projection()

        # similarity: word TF-IDF (stems and stem bigrams) of key + answer
        wv = TfidfVectorizer(analyzer=_bigrams, sublinear_tf=True, dtype=np.float64).fit(full_terms)
        names = sorted(wv.vocabulary_, key=wv.vocabulary_.get)
        projection.add("similarity", names, wv.transform(full_terms).T, idf=wv.idf_, norm=True)

        # the ranker works on families: the entries that answer one question
        families: dict[str, list[int]] = {}
        for i, e in enumerate(entries):
            families.setdefault(fold(e.title), []).append(i)
        members = list(families.values())
        self.family_of_ = np.zeros(n, dtype=np.int64)
        for j, ids in enumerate(members):
            self.family_of_[ids] = j
        self.ranker_ = self.ranker or FamilyRanker()
        self.ranker_.fit(
            projection,
            [list(dict.fromkeys(t for i in ids for t in key_terms[i])) for ids in members],
            [raw_text(words("\n".join(dict.fromkeys(keys[i] for i in ids)))) for ids in members],
            [[body_terms[i] for i in ids] for ids in members],
            [[raw_text(words(entries[i].text)) for i in ids] for ids in members])

        # how much each term says (Query.weights): its IDF
        self.term_idf_ = {t: float(wv.idf_[j]) for t, j in wv.vocabulary_.items() if " " not in t}
        self.max_idf_ = float(wv.idf_.max())

        # coverage (see coverages): which entries hold each term, its IDF
        # folded in, a repeated term counted once
        self.entry_terms_ = [frozenset(t) for t in full_terms]
        unigrams = [t for t in names if " " not in t]
        column = {t: j for j, t in enumerate(unigrams)}
        cells = [(column[t], i) for i, ts in enumerate(self.entry_terms_) for t in sorted(ts)]  # sorted: the same sums every run
        holds = sp.csr_matrix((np.ones(len(cells)), tuple(zip(*cells))), shape=(len(unigrams), n))
        projection.add("coverage", unigrams, holds, idf=np.array([self.term_idf_[t] for t in unigrams]),
                       binary=True)
        projection.build()
        self.projection_ = projection

        # a question that is exactly an entry's title or one of its questions
        exact: dict[frozenset, list[int]] = {}
        for i, e in enumerate(entries):
            for q in dict.fromkeys((e.title, *e.questions)):
                terms = frozenset(self.analyzer.terms(q))
                if terms:
                    exact.setdefault(terms, []).append(i)
        self.exact_ = {k: np.array(v, dtype=np.int64) for k, v in exact.items()}
        self.no_repeats_ = np.zeros(n, dtype=bool)
        # ... or exactly one of the items an entry lists ("• Technical Leadership")
        items: dict[frozenset, list[int]] = {}
        for i, e in enumerate(entries):
            for line in e.text.splitlines():
                if line.startswith("• "):
                    terms = frozenset(self.analyzer.terms(line))
                    if terms:
                        items.setdefault(terms, []).append(i)
        self.items_ = {k: np.array(sorted(set(v)), dtype=np.int64) for k, v in items.items()}
        # what an entry says itself, without the headings above it
        self.own_terms_ = [frozenset(self.analyzer.terms("\n".join((e.title, *e.questions, e.text))))
                           for e in entries]
        # ... and what it says in sentences, not only as an item of a list
        self.prose_terms_ = [frozenset(self.analyzer.terms("\n".join(
            (*e.path, *e.questions, *(line for line in e.text.splitlines() if not line.startswith("• "))))))
            for e in entries]

        by_prefix: dict[str, list[str]] = {}
        for t in sorted(self.term_idf_):
            if len(t) >= 5 and t.isalpha():
                by_prefix.setdefault(t[:5], []).append(t)
        self.term_prefixes_ = by_prefix
        self._near_term = lru_cache(maxsize=20_000)(self._near_term_of)

        # spelling repair: the surface words this knowledge base (and the
        # shared tables) know, bucketed by first letter
        split = [words(t) for t in fulls]
        surface_words = {w for ws in split for w in ws}
        known = surface_words | stop_words() | self.analyzer.synonyms.vocabulary()
        self.known_words_ = frozenset(known)
        english_words()  # load the English word list now: ask() must do no I/O
        buckets: dict[str, list[str]] = {}
        for w in known:
            if w.isalpha() and len(w) >= 3:
                buckets.setdefault(w[0], []).append(w)
        self.word_buckets_ = {k: sorted(v) for k, v in buckets.items()}  # sorted: ties break the same way every run
        content: dict[str, list[str]] = {}  # what a rare real word may be a slip for ("dose" -> "does")
        for w in surface_words | stop_words():
            if w.isalpha() and len(w) >= 4:
                content.setdefault(w[0], []).append(w)
        self.content_buckets_ = {k: sorted(v) for k, v in content.items()}
        # ... and, failing that, against its terms ("juniours" -> "junior")
        surface: dict[str, str] = {}
        for w in sorted(known):
            surface.setdefault(stem(w), w)
        self.term_surface_ = {t: surface[t] for t in self.term_idf_ if t in surface}
        term_buckets: dict[str, list[str]] = {}
        for t in sorted(self.term_surface_):
            if t.isalpha() and len(t) >= 5:
                term_buckets.setdefault(t[0], []).append(t)
        self.term_buckets_ = term_buckets
        # year ranges the knowledge base states ("2-4 years", "8+ years"), for "I have 3 years"
        ranges = set()
        for e in entries:
            for lo, hi in _RANGE.findall(e.text):
                ranges.add((int(lo), int(hi)))
            for lo in _OPEN_RANGE.findall(e.text):
                ranges.add((int(lo), None))
        self.year_ranges_ = sorted(ranges, key=lambda r: (r[0], r[1] is None, r[1] or 0))
        # compounds: the word pairs the knowledge base writes ("on-call", "back end")
        self.pairs_ = frozenset(p for ws in split for p in zip(ws, ws[1:]))
        self._correct = lru_cache(maxsize=20_000)(self._correct_word)
        return self

    # -------------------------------------------------------------- queries
    def _correct_word(self, w: str) -> str:
        """The knowledge base's word for a misspelt ``w`` (or ``w`` itself)."""
        n = len(w)
        if n < 4 or not w.isalpha():
            return w
        if w in english_words():
            return self._real_word_slip(w)
        cutoff = 1 if n < self.LONG_WORD else 2
        if n <= 4:  # short words: one candidate at distance 1, or swapped letters
            near = process.extract(w, self.word_buckets_.get(w[0], ()), scorer=OSA.distance, score_cutoff=1,
                                   limit=2)
            if len(near) == 1 or (near and sorted(near[0][0]) == sorted(w)):
                return near[0][0]
            return w
        best = process.extractOne(w, self.word_buckets_.get(w[0], ()), scorer=OSA.distance,
                                  score_cutoff=cutoff)
        if best is None:
            t = stem(w)
            if len(t) < 5 or t in self.term_idf_:
                return w
            best = process.extractOne(t, self.term_buckets_.get(t[0], ()), scorer=OSA.distance,
                                      score_cutoff=1 if len(t) <= 8 else 2)
            return self.term_surface_[best[0]] if best is not None else w
        return best[0]

    #: words of this length and longer are repaired up to 2 edits away (shorter ones 1)
    LONG_WORD = 8
    #: a real but rare English word one edit from one of the knowledge base's own
    #: words that is SLIP_RATIO times as frequent is taken for a slip ("carer" -> "career")
    SLIP_RATIO = 20.0
    SLIP_RARE = 0.3

    def _real_word_slip(self, w: str) -> str:
        """A rare English word taken for a slip of a far more frequent one the knowledge base uses."""
        if not self.SLIP_RATIO or commonness(w) >= self.SLIP_RARE:
            return w
        freq = english_words()
        best = process.extractOne(w, self.content_buckets_.get(w[0], ()), scorer=OSA.distance, score_cutoff=1)
        if best is not None and freq.get(best[0], 0) >= self.SLIP_RATIO * max(freq.get(w, 0), 1):
            return best[0]
        return w

    def _near_term_of(self, term: str) -> str:
        """A knowledge-base term that ``term`` is a variant of ("verif" -> "verifi"), or itself.

        Stemmers leave some pairs apart (verification/verified, principle/
        principal); a shared prefix of 5+ letters covering 80% of the longer
        stem joins them (but not scientist/science).
        """
        best, best_len = term, 0
        for cand in self.term_prefixes_.get(term[:5], ()):
            n = 5
            limit = min(len(cand), len(term))
            while n < limit and cand[n] == term[n]:
                n += 1
            if n >= 0.8 * max(len(cand), len(term)) and (n > best_len or (n == best_len and
                                                     self.term_idf_[cand] < self.term_idf_[best])):
                best, best_len = cand, n
        return best

    def _years(self, raw: list[str]) -> list[str]:
        """A number of years the knowledge base never writes, as the range it states that holds it:
        "I have 3 years" -> "I have 2 4 years" when an entry says "2-4 years"."""
        out: list[str] = []
        for i, w in enumerate(raw):
            if w.isdigit() and w not in self.known_words_ and any(
                    x in _YEAR_WORDS for x in raw[i + 1:i + 3]):
                n = int(w)
                hit = next(((lo, hi) for lo, hi in self.year_ranges_ if lo <= n and (hi is None or n < hi)), None)
                if hit is not None:
                    out.extend(str(x) for x in hit if x is not None)
                    continue
            out.append(w)
        return out

    def _compounds(self, raw: list[str]) -> list[str]:
        """Write compounds as the knowledge base does: "oncall" -> "on call" (it says "on-call"),
        "back end" -> "backend" (it never says "back end")."""
        known, pairs = self.known_words_, self.pairs_
        out: list[str] = []
        for w in raw:
            if out and out[-1] + w in known and (out[-1], w) not in pairs:
                out[-1] += w
            elif w not in known and len(w) >= 5 and w.isalpha():
                split = next(((w[:i], w[i:]) for i in range(1, len(w) - 1) if (w[:i], w[i:]) in pairs), None)
                out.extend(split or (w,))
            else:
                out.append(w)
        return out

    #: An unknown term weighs UNKNOWN_WEIGHT x (1 - COMMON_DISCOUNT x commonness)
    #: of the rarest known term: "netflix" counts fully, "make" far less.
    UNKNOWN_WEIGHT = 1.3
    COMMON_DISCOUNT = 0.9
    COMMON_POWER = 2.0

    def read(self, text: str) -> Query:
        """Split, spell-repair and analyse a question, and weigh its terms.

        A term the knowledge base uses weighs its IDF; one it never uses weighs
        at least as much as its rarest term, less for everyday English words
        (:func:`bot.text.commonness`), since those often only frame a question.
        """
        raw = self._years(self._compounds(words(_THIS_ROLE.sub(" ", text))))
        fixed, corrections = [], []
        known = self.known_words_
        for w in raw:
            if w in known:
                fixed.append(w)
                continue
            c = self._correct(w)
            if c != w:
                corrections.append((w, c))
            fixed.append(c)
        idf = self.term_idf_
        terms = []
        for t in self.analyzer.terms_of_words(fixed):
            if t not in idf and len(t) >= 5:
                t = self._near_term(t)
            terms.append(t)
        common = {stem(w): commonness(w) for w in fixed}
        top = self.max_idf_ * self.UNKNOWN_WEIGHT
        weights = tuple(idf[t] if t in idf else top * (1 - self.COMMON_DISCOUNT * common.get(t, 0.0) ** self.COMMON_POWER)
                        for t in dict.fromkeys(terms))
        return Query(text, tuple(fixed), tuple(corrections), tuple(terms), weights)

    def scores(self, q: Query) -> Scores:
        """Rank, similarity and exact-question flags of every entry for the question."""
        values, norms = self.projection_.project(list(q.terms))
        rank = self.ranker_.score(values, content_words(q.words))[self.family_of_]
        norm = norms["similarity"]
        similarity = values["similarity"] / norm if norm > 0 else np.zeros(len(self.entries_))
        terms = frozenset(q.terms)
        repeats = lists = self.no_repeats_
        hit = self.exact_.get(terms)
        if hit is not None:
            repeats = repeats.copy()
            repeats[hit] = True
        hit = self.items_.get(terms)
        if hit is not None:
            lists = lists.copy()
            lists[hit] = True
        return Scores(rank, similarity, repeats, lists, self._coverages(q, values["coverage"]))

    def covers_itself(self, q: Query, i: int) -> bool:
        """Whether entry ``i``'s own title, questions and text hold every term of the question."""
        own = self.own_terms_[i]
        return bool(q.terms) and all(t in own for t in q.terms)

    def only_lists(self, q: Query, i: int) -> bool:
        """Whether entry ``i`` names the question's subject only as an item of a list ("• Django/Flask/FastAPI").

        Such an entry can say that the subject matters, not what it is.
        """
        terms = {t for t in q.terms if t in self.term_idf_}  # what the knowledge base can speak of
        return bool(terms) and terms <= self.own_terms_[i] and not terms & self.prose_terms_[i]

    def signals(self, q: Query) -> dict[str, np.ndarray]:
        """Every signal's value for every entry (for ``faqbot ask --explain``)."""
        values, _ = self.projection_.project(list(q.terms))
        raw = content_words(q.words)
        out = {name: v[self.family_of_] for name, v in self.ranker_.signals(values, raw).items()}
        out["similarity"] = self.scores(q).similarity
        return out

    #: A query term the knowledge base knows but this entry lacks costs this
    #: share of its weight (a term the knowledge base never uses costs all of it).
    MISSING_KNOWN_COST = 0.5

    def coverages(self, q: Query) -> np.ndarray:
        """Share of the question's informative weight (``Query.weights``) each entry contains.

        A term an entry holds counts fully on both sides of the ratio; a term it
        lacks costs its weight, or MISSING_KNOWN_COST of it when the knowledge
        base uses the term elsewhere.
        """
        return self.scores(q).coverage

    def _coverages(self, q: Query, held: np.ndarray) -> np.ndarray:
        """:meth:`coverages` from ``held``: the summed weight of the question's terms each entry holds.

        A known term's weight is its IDF, which the projection's ``coverage``
        block folds in, so ``held`` costs nothing extra; what every entry lacks
        is summed here.
        """
        idf = self.term_idf_
        cost = self.MISSING_KNOWN_COST
        lacking = sum(w * cost if t in idf else w for t, w in zip(dict.fromkeys(q.terms), q.weights))
        total = lacking + (1 - cost) * held
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, held / np.where(total > 0, total, 1.0), 0.0)

    def coverage(self, q: Query, i: int) -> float:
        """Coverage of entry ``i`` alone (see :meth:`coverages`)."""
        return float(self.coverages(q)[i])
