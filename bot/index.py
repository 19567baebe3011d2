"""Lexical retrieval over one knowledge base, at any size.

:class:`Index` follows scikit-learn's conventions: settings in ``__init__``,
learning in :meth:`Index.fit` (returns self), learned attributes end in ``_``.
Everything it learns is sparse or bounded, so building grows with the text and
memory with its distinct words, never with entries x entries; it is saved as
memory-mapped arrays (:meth:`Index.save`, :meth:`Index.load`) so a process
loads a large knowledge base in milliseconds, without scikit-learn.

Terms (stems, synonyms applied) are numbered in alphabetical order. For a
question, :meth:`Index.candidates` gives the best entries by a *rank* (the
family ranker of :mod:`bot.ranking`, which reads only the postings of the
question's terms) together with, for each of them:

* a *similarity* in [0, 1]: the cosine of word TF-IDF (stems and stem
  bigrams) with the entry's key and answer text, which the confidence uses
  as the strength of the match;
* a *coverage*: the share of the question's informative weight the entry
  holds (:meth:`Index.coverage`);
* whether the question *repeats* the entry's title or one of its questions,
  or one of the items it lists.

Before any of that, :meth:`Index.read` brings a question's words to the
knowledge base's own: compounds written as it writes them ("oncall" ->
"on call"), a number of years as the range it states that holds it ("3
years" -> "2-4 years"), misspelt words repaired against its vocabulary (and
rare real words that are slips for common ones: "carer" -> "career").
"""
from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .arrays import ArrayFolder, for_questions, row, row_sum
from .knowledge import BULLET, Entry
from .ranking import FamilyRanker, content_words, raw_text
from .text import Analyzer, fold, words

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


def _set_key(terms) -> int:
    """A stable 63-bit key for a set of terms (saved, so not Python's salted ``hash``)."""
    digest = hashlib.blake2b("\x1f".join(sorted(set(terms))).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


@dataclass(frozen=True)
class Query:
    """A question as the index reads it."""

    text: str
    words: tuple[str, ...]        # surface words after spelling repair
    corrections: tuple[tuple[str, str], ...]
    terms: tuple[str, ...]        # stemmed content terms (synonyms applied)
    weights: tuple[float, ...] = ()  # how much each distinct term says (see Index.read)


@dataclass(frozen=True)
class Candidates:
    """The ranker's best entries for a question, with what the decision needs of each."""

    ids: np.ndarray         # entry positions (every entry, in order, for a small knowledge base)
    rank: np.ndarray        # the family ranker's fused score (unbounded; higher ranks first)
    similarity: np.ndarray  # word TF-IDF cosine with key + answer, in [0, 1]
    coverage: np.ndarray    # share of the question's informative weight each entry holds
    repeats: np.ndarray     # True where the question's terms are exactly a title's or question's
    lists: np.ndarray       # True where they are exactly one of the entry's listed items
    key_cover: np.ndarray   # share of the question's weight the entry's key (title, questions) holds


class _Lookup:
    """Sets of terms (a title's, an item's) -> the entries that have them, as sorted arrays."""

    def __init__(self, keys: np.ndarray, indptr: np.ndarray, entries: np.ndarray):
        self.keys, self.indptr, self.entries = keys, indptr, entries

    @classmethod
    def build(cls, pairs: list[tuple[int, int]]) -> "_Lookup":
        by_key: dict[int, set[int]] = {}
        for key, i in pairs:
            by_key.setdefault(key, set()).add(i)
        keys = np.array(sorted(by_key), dtype=np.int64)
        lists = [sorted(by_key[k]) for k in keys.tolist()]
        indptr = np.zeros(len(keys) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(v) for v in lists])
        flat = np.array([i for v in lists for i in v], dtype=np.int64)
        return cls(keys, indptr, flat)

    def get(self, terms, key: int | None = None) -> np.ndarray | None:
        """The entries whose set of terms is ``terms`` (``key``: its :func:`_set_key`, when known)."""
        if not terms:
            return None
        key = _set_key(terms) if key is None else key
        pos = int(np.searchsorted(self.keys, key))
        if pos < len(self.keys) and int(self.keys[pos]) == key:
            return np.asarray(self.entries[self.indptr[pos]:self.indptr[pos + 1]])
        return None


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
    #: entries read between two progress reports
    PROGRESS_STEP = 2000

    def fit(self, entries, progress=None) -> "Index":
        """Learn from ``entries``; ``progress(phase, done, total)`` hears how far it is."""
        entries = tuple(entries)
        if not entries:
            raise ValueError("cannot index an empty knowledge base")
        report = progress or (lambda phase, done, total: None)
        self.entries_ = entries
        an = self.analyzer
        n = len(entries)
        key_words, lines = [], []
        for i, e in enumerate(entries):
            if i % self.PROGRESS_STEP == 0:
                report("reading entries", i, n)
            key_words.append(words(key_text(e)))
            lines.append([(line.startswith(BULLET), words(line)) for line in e.text.splitlines()])
        body_words = [[w for _, ws in ls for w in ws] for ls in lines]
        full_words = [k + b for k, b in zip(key_words, body_words)]
        an.learn_compounds_of_words(full_words)
        report("analysing words", 0, 1)
        key_terms = [an.terms_of_words(ws) for ws in key_words]
        body_terms = [an.terms_of_words(ws) for ws in body_words]

        self.terms_ = sorted({t for ts in key_terms for t in ts} | {t for ts in body_terms for t in ts})
        self.term_id_ = {t: i for i, t in enumerate(self.terms_)}
        tid = self.term_id_
        key_ids = [np.array([tid[t] for t in ts], dtype=np.int64) for ts in key_terms]
        body_ids = [np.array([tid[t] for t in ts], dtype=np.int64) for ts in body_terms]
        report("similarity", 0, 1)
        self._fit_similarity([np.concatenate((k, b)) for k, b in zip(key_ids, body_ids)])
        self.key_ = _rows([sorted(set(k.tolist())) for k in key_ids], len(self.terms_))
        report("ranking model", 0, 1)
        self._fit_families(entries, key_ids, body_ids, key_words, lines)
        report("titles and lists", 0, 1)
        self._fit_lookups(entries, lines, key_terms, body_terms)
        report("spelling", 0, 1)
        self._fit_spelling(entries, full_words)
        self._derive()
        report("done", n, n)
        return self

    def _fit_similarity(self, full_ids: list[np.ndarray]) -> None:
        """Word TF-IDF (stems and stem bigrams) of key + answer; each term's IDF; who holds which term."""
        v = len(self.terms_)
        n = len(full_ids)
        bigram_keys = [d[:-1] * v + d[1:] for d in full_ids]
        self.bigrams_ = _unique(np.concatenate(bigram_keys)) if n else np.zeros(0, np.int64)
        docs = [np.concatenate((d, v + np.searchsorted(self.bigrams_, b))) for d, b in zip(full_ids, bigram_keys)]
        lengths = np.fromiter((len(d) for d in docs), np.int64, n)
        counts = sp.csr_matrix((np.ones(int(lengths.sum())), (np.repeat(np.arange(n), lengths), np.concatenate(docs))),
                               shape=(n, v + len(self.bigrams_)))
        counts.sum_duplicates()
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log((1 + n) / (1 + df)) + 1.0
        counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        x = sp.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ counts
        self.feature_idf_ = idf
        self.similarity_ = sp.csr_matrix(x.T)                                   # features x entries
        held = sp.csr_matrix(self.similarity_[:v])
        held.data = np.ones(len(held.data), dtype=np.float32)
        self.held_ = held                                                       # terms x entries, 1 where held

    def _fit_families(self, entries, key_ids, body_ids, key_words, lines) -> None:
        """The ranker works on families: the entries that answer one question."""
        families: dict[str, list[int]] = {}
        for i, e in enumerate(entries):
            families.setdefault(fold(e.title), []).append(i)
        members = list(families.values())
        self.family_of_ = np.zeros(len(entries), dtype=np.int64)
        for j, ids in enumerate(members):
            self.family_of_[ids] = j
        keys = [np.array(list(dict.fromkeys(t for i in ids for t in key_ids[i].tolist())), dtype=np.int64)
                for ids in members]
        stop = self.analyzer.stop_words

        def raw():  # surface words for the classifier, built only when it is trained
            key_raw = [raw_text([w for i in ids for w in key_words[i]], stop) if len(ids) == 1 else
                       raw_text(words("\n".join(dict.fromkeys(key_text(entries[i]) for i in ids))), stop)
                       for ids in members]
            body_raw = [[raw_text([w for _, ws in lines[i] for w in ws], stop) for i in ids] for ids in members]
            return key_raw, body_raw

        self.ranker_ = (self.ranker or FamilyRanker()).fit(
            len(self.terms_), keys, [[body_ids[i] for i in ids] for ids in members], raw,
            [fold(entries[ids[0]].title) for ids in members], text_chars=sum(len(e.text) for e in entries))

    def _fit_lookups(self, entries, lines, key_terms, body_terms) -> None:
        """Exact titles, questions and list items; what each entry says itself, and in prose."""
        an = self.analyzer
        exact, items = [], []
        own_rows, prose_rows = [], []
        tid = self.term_id_
        for i, e in enumerate(entries):
            heads = [an.terms(q) for q in dict.fromkeys((e.title, *e.questions))]
            exact += [(_set_key(ts), i) for ts in heads if ts]
            items += [(_set_key(ts), i) for bullet, ws in lines[i] if bullet for ts in [an.terms_of_words(ws)] if ts]
            own = {t for ts in heads for t in ts} | set(body_terms[i])
            if any(bullet for bullet, _ in lines[i]):
                heading_words = [w for p in e.path for w in words(p)] + [w for q in e.questions for w in words(q)]
                prose = set(an.terms_of_words(heading_words + [w for bullet, ws in lines[i] if not bullet for w in ws]))
            else:  # all of the text is prose: its terms are known already
                prose = set(key_terms[i]) | set(body_terms[i])
            own_rows.append(sorted(tid[t] for t in own if t in tid))
            prose_rows.append(sorted(tid[t] for t in prose if t in tid))
        self.exact_ = _Lookup.build(exact)
        self.items_ = _Lookup.build(items)
        self.own_ = _rows(own_rows, len(self.terms_))
        self.prose_ = _rows(prose_rows, len(self.terms_))

    def _fit_spelling(self, entries, full_words) -> None:
        """The surface words this knowledge base (and the shared tables) know; year ranges; word pairs."""
        surface = {w for ws in full_words for w in ws}
        stop = self.analyzer.stop_words
        self.known_list_ = sorted(surface | stop | self.analyzer.synonyms.vocabulary())
        self.slip_list_ = sorted(w for w in surface | stop if w.isalpha() and len(w) >= 4)
        by_stem: dict[str, str] = {}
        for w in self.known_list_:
            by_stem.setdefault(self.analyzer.stem(w), w)
        self.term_surface_ = {t: by_stem[t] for t in self.terms_ if t in by_stem}
        ranges = set()
        for e in entries:
            ranges.update((int(lo), int(hi)) for lo, hi in _RANGE.findall(e.text))
            ranges.update((int(lo), None) for lo in _OPEN_RANGE.findall(e.text))
        self.year_ranges_ = sorted(ranges, key=lambda r: (r[0], r[1] is None, r[1] or 0))
        # compounds: the word pairs the knowledge base writes ("on-call", "back end"), as keys of word ids
        position = {w: i for i, w in enumerate(self.known_list_)}
        n = len(self.known_list_)
        keys = [np.array([position[w] for w in ws], dtype=np.int64) for ws in full_words]
        self.pairs_ = _unique(np.concatenate([k[:-1] * n + k[1:] for k in keys])) if keys else np.zeros(0, np.int64)

    def _derive(self) -> None:
        """What is computed from the learned attributes, after fitting or loading."""
        self.n_entries_ = len(self.entries_)
        v = len(self.terms_)
        self.term_idf_ = dict(zip(self.terms_, np.asarray(self.feature_idf_[:v]).tolist()))
        self.max_idf_ = float(np.max(self.feature_idf_[:v]))
        self.known_words_ = frozenset(self.known_list_)
        self.word_position_ = {w: i for i, w in enumerate(self.known_list_)}
        self.spell_list_ = [w for w in self.known_list_ if w.isalpha() and len(w) >= 3]
        self.term_list_ = sorted(t for t in self.term_surface_ if t.isalpha() and len(t) >= 5)
        self.prefix_list_ = [t for t in self.terms_ if len(t) >= 5 and t.isalpha()]
        self._q_similarity = for_questions(self.similarity_)
        self._q_held = for_questions(self.held_)
        self.analyzer.common_words()  # load the language's word list now: ask() must do no I/O
        self._correct = lru_cache(maxsize=20_000)(self._correct_word)
        self._near_term = lru_cache(maxsize=20_000)(self._near_term_of)
        self._relatives = lru_cache(maxsize=20_000)(self._relatives_of)

    # --------------------------------------------------------- save / load
    FORMAT = 1

    def save(self, folder: ArrayFolder) -> None:
        """Write every learned attribute into ``folder`` (see :mod:`bot.arrays`)."""
        folder.meta["index"] = {
            "format": self.FORMAT, "terms": self.terms_, "known": self.known_list_, "slips": self.slip_list_,
            "term_surface": self.term_surface_, "year_ranges": self.year_ranges_,
            "compounds": [[a, b] for (a, b) in self.analyzer.compounds],
        }
        folder.put("bigrams", self.bigrams_)
        folder.put("feature_idf", self.feature_idf_)
        folder.put("family_of", self.family_of_)
        folder.put("pairs", self.pairs_)
        folder.put_sparse("similarity", self.similarity_)
        folder.put_sparse("own", self.own_)
        folder.put_sparse("key", self.key_)
        folder.put_sparse("prose", self.prose_)
        for name, lookup in (("exact", self.exact_), ("items", self.items_)):
            folder.put(f"{name}.keys", lookup.keys)
            folder.put(f"{name}.indptr", lookup.indptr)
            folder.put(f"{name}.entries", lookup.entries)
        self.ranker_.save(folder)

    @classmethod
    def load(cls, folder: ArrayFolder, entries, analyzer: Analyzer) -> "Index":
        """An index saved by :meth:`save`, for ``entries`` (those it was fitted on)."""
        meta = folder.meta["index"]
        if meta.get("format") != cls.FORMAT:
            raise ValueError(f"index format {meta.get('format')} is not {cls.FORMAT}")
        self = cls(analyzer)
        self.entries_ = tuple(entries)
        self.terms_ = meta["terms"]
        self.term_id_ = {t: i for i, t in enumerate(self.terms_)}
        self.known_list_, self.slip_list_ = meta["known"], meta["slips"]
        self.term_surface_ = meta["term_surface"]
        self.year_ranges_ = [tuple(r) for r in meta["year_ranges"]]
        analyzer.compounds = {(a, b): a + b for a, b in meta["compounds"]}
        self.bigrams_ = folder.get("bigrams")
        self.feature_idf_ = folder.get("feature_idf")
        self.family_of_ = folder.get("family_of")
        self.pairs_ = folder.get("pairs")
        self.similarity_ = folder.get_sparse("similarity")
        v = len(self.terms_)
        held = self.similarity_[:v]
        held.data = np.ones(len(held.data), dtype=np.float32)
        self.held_ = held
        self.own_ = folder.get_sparse("own")
        self.key_ = folder.get_sparse("key")
        self.prose_ = folder.get_sparse("prose")
        self.exact_ = _Lookup(folder.get("exact.keys"), folder.get("exact.indptr"), folder.get("exact.entries"))
        self.items_ = _Lookup(folder.get("items.keys"), folder.get("items.indptr"), folder.get("items.entries"))
        self.ranker_ = FamilyRanker.load(folder)
        self._derive()
        if len(self.entries_) != len(self.family_of_):
            raise ValueError("the saved index does not match its entries")
        return self

    # -------------------------------------------------------------- queries
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
        if w in self.analyzer.common_words():
            return self._real_word_slip(w)
        cutoff = 1 if n < self.LONG_WORD else 2
        bucket = self._bucket(self.spell_list_, w[0])
        if n <= 4:  # short words: one candidate at distance 1, or swapped letters
            near = process.extract(w, bucket, scorer=OSA.distance, score_cutoff=1, limit=2)
            if len(near) == 1 or (near and sorted(near[0][0]) == sorted(w)):
                return near[0][0]
            return w
        best = process.extractOne(w, bucket, scorer=OSA.distance, score_cutoff=cutoff)
        if best is None:
            t = self.analyzer.stem(w)
            if len(t) < 5 or t in self.term_idf_:
                return w
            best = process.extractOne(t, self._bucket(self.term_list_, t[0]), scorer=OSA.distance,
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
        if not self.SLIP_RATIO or self.analyzer.commonness(w) >= self.SLIP_RARE:
            return w
        freq = self.analyzer.common_words()
        best = process.extractOne(w, self._bucket(self.slip_list_, w[0]), scorer=OSA.distance, score_cutoff=1)
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
        prefix = term[:5]
        lo = bisect.bisect_left(self.prefix_list_, prefix)
        for cand in self.prefix_list_[lo:]:
            if not cand.startswith(prefix):
                break
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
        common = {self.analyzer.stem(w): self.analyzer.commonness(w) for w in fixed}
        top = self.max_idf_ * self.UNKNOWN_WEIGHT
        weights = tuple(idf[t] if t in idf else top * (1 - self.COMMON_DISCOUNT * common.get(t, 0.0) ** self.COMMON_POWER)
                        for t in dict.fromkeys(terms))
        return Query(text, tuple(fixed), tuple(corrections), tuple(terms), weights)

    def _features(self, q: Query) -> tuple[np.ndarray, np.ndarray]:
        """The question's distinct features (term ids, then bigram ids) and ``1 + log tf`` of each."""
        tid = self.term_id_
        ids = [tid.get(t) for t in q.terms]
        v = len(self.terms_)
        feats = [i for i in ids if i is not None]
        if len(self.bigrams_):
            pairs = np.array([a * v + b for a, b in zip(ids, ids[1:]) if a is not None and b is not None],
                             dtype=np.int64)
            if len(pairs):
                pos = np.searchsorted(self.bigrams_, pairs)
                pos = np.minimum(pos, len(self.bigrams_) - 1)
                feats += (v + pos[self.bigrams_[pos] == pairs]).tolist()
        counts: dict[int, int] = {}
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
        idx = np.fromiter(counts, np.int64, len(counts))
        return idx, 1.0 + np.log(np.fromiter(counts.values(), np.float64, len(counts)))

    def _similarity(self, feats: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Every entry's similarity to the question (``feats``/``w`` from :meth:`_features`)."""
        if not len(feats):
            return np.zeros(self.n_entries_)
        qw = w * self.feature_idf_[feats]
        return row_sum(self._q_similarity, feats, qw) / float(np.sqrt(qw @ qw))

    #: A query term the knowledge base knows but this entry lacks costs this
    #: share of its weight (a term the knowledge base never uses costs all of it).
    MISSING_KNOWN_COST = 0.5

    def _coverage(self, q: Query) -> np.ndarray:
        """Every entry's coverage (see :meth:`coverage`)."""
        idf, tid = self.term_idf_, self.term_id_
        distinct = list(dict.fromkeys(q.terms))
        known = np.array([tid[t] for t in distinct if t in tid], dtype=np.int64)
        cost = self.MISSING_KNOWN_COST
        lacking = sum(w * cost if t in idf else w for t, w in zip(distinct, q.weights))
        held = row_sum(self._q_held, known, self.feature_idf_[known])
        total = lacking + (1 - cost) * held
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, held / np.where(total > 0, total, 1.0), 0.0)

    def coverage(self, q: Query, i: int) -> float:
        """Share of the question's informative weight (``Query.weights``) entry ``i`` contains.

        A term an entry holds counts fully on both sides of the ratio; a term it
        lacks costs its weight, or MISSING_KNOWN_COST of it when the knowledge
        base uses the term elsewhere.
        """
        return float(self._coverage(q)[i])

    def similarity(self, q: Query, i: int) -> float:
        """Entry ``i``'s similarity to the question."""
        return float(self._similarity(*self._features(q))[i])

    def _entry_rank(self, q: Query, feats: np.ndarray, w: np.ndarray) -> np.ndarray:
        """The fused rank of every entry: its family's, or -inf outside the ranker's candidates."""
        v = len(self.terms_)
        uni = feats < v
        families, fused = self.ranker_.score(feats[uni], w[uni], content_words(q.words, self.analyzer.stop_words), fold(q.text))
        if families is None:
            return fused[self.family_of_]
        per_family = np.full(self.ranker_.n_families_, -np.inf)
        per_family[families] = fused
        return per_family[self.family_of_]

    #: a key term that is another form of a question's term ("treatment" for "treated") counts this much
    KEY_RELATIVE = 0.8
    #: ... when one stem starts the other, has this many letters at least, and the longer is at most
    #: RELATIVE_STRETCH times as long
    RELATIVE_MIN = 5
    RELATIVE_STRETCH = 2.0

    def _relatives_of(self, term: str) -> frozenset:
        """The ids of knowledge-base terms that are other forms of ``term``: "treat" and "treatment"."""
        if len(term) < self.RELATIVE_MIN or not term.isalpha():
            return frozenset()
        out = set()
        lo = bisect.bisect_left(self.prefix_list_, term)
        for cand in self.prefix_list_[lo:]:
            if not cand.startswith(term):
                break
            if cand != term and len(cand) <= self.RELATIVE_STRETCH * len(term):
                out.add(self.term_id_[cand])
        for n in range(self.RELATIVE_MIN, len(term)):
            t = term[:n]
            if t in self.term_id_ and len(term) <= self.RELATIVE_STRETCH * n:
                out.add(self.term_id_[t])
        return frozenset(out)

    def _key_cover(self, q: Query, ids: np.ndarray) -> np.ndarray:
        """For each entry of ``ids``: the share of the question's weight its key holds (another form of
        a term counting KEY_RELATIVE)."""
        distinct = list(dict.fromkeys(q.terms))
        total = sum(q.weights)
        out = np.zeros(len(ids))
        if not distinct or total <= 0:
            return out
        tid = self.term_id_
        for pos, i in enumerate(ids.tolist()):
            key = set(self._row(self.key_, i).tolist())
            got = 0.0
            for t, w in zip(distinct, q.weights):
                j = tid.get(t)
                if j is not None and j in key:
                    got += w
                elif self._relatives(t) & key:
                    got += self.KEY_RELATIVE * w
            out[pos] = got / total
        return out

    def candidates(self, q: Query, pool: int, key_cover: bool = True) -> Candidates:
        """The ``pool`` entries of best rank (every entry, in order, when there are no more).

        ``key_cover=False`` leaves :attr:`Candidates.key_cover` at zero (it costs a loop in Python).
        """
        feats, w = self._features(q)
        rank = self._entry_rank(q, feats, w)
        n = self.n_entries_
        ids = np.argpartition(-rank, pool - 1)[:pool] if n > pool else np.arange(n)
        similarity = self._similarity(feats, w)[ids]
        coverage = self._coverage(q)[ids]
        terms = frozenset(q.terms)
        key = _set_key(terms) if terms else None
        repeats, lists = (self._marked(ids, hit) for hit in (self.exact_.get(terms, key), self.items_.get(terms, key)))
        return Candidates(ids, rank[ids], similarity, coverage, repeats, lists,
                          self._key_cover(q, ids) if key_cover else np.zeros(len(ids)))

    def _marked(self, ids: np.ndarray, hit: np.ndarray | None) -> np.ndarray:
        """Which of ``ids`` are in ``hit``."""
        if hit is None:
            return np.zeros(len(ids), dtype=bool)
        mask = np.zeros(self.n_entries_, dtype=bool)
        mask[hit] = True
        return mask[ids]

    def _row(self, m: sp.csr_matrix, i: int) -> np.ndarray:
        return row(m, i)

    def covers_itself(self, q: Query, i: int) -> bool:
        """Whether entry ``i``'s own title, questions and text hold every term of the question."""
        tid = self.term_id_
        if not q.terms or any(t not in tid for t in q.terms):
            return False
        return {tid[t] for t in q.terms} <= set(self._row(self.own_, i).tolist())

    def only_lists(self, q: Query, i: int) -> bool:
        """Whether entry ``i`` names the question's subject only as an item of a list ("• Django/Flask/FastAPI").

        Such an entry can say that the subject matters, not what it is.
        """
        tid = self.term_id_
        known = {tid[t] for t in q.terms if t in tid}  # what the knowledge base can speak of
        return (bool(known) and known <= set(self._row(self.own_, i).tolist())
                and known.isdisjoint(self._row(self.prose_, i).tolist()))

    def signals(self, q: Query) -> dict[str, np.ndarray]:
        """Every signal's value for every entry (NaN outside the ranker's candidates), for ``--explain``."""
        feats, w = self._features(q)
        uni = feats < len(self.terms_)
        families, sig = self.ranker_.signals_for(feats[uni], w[uni], content_words(q.words, self.analyzer.stop_words), fold(q.text))
        out = {}
        for name, values in sig.items():
            per_family = np.full(self.ranker_.n_families_, np.nan)
            per_family[slice(None) if families is None else families] = values
            out[name] = per_family[self.family_of_]
        out["similarity"] = self._similarity(feats, w)
        return out


def _unique(x: np.ndarray) -> np.ndarray:
    """The sorted distinct values of ``x`` (a sort and a comparison: faster than np.unique's hashing here)."""
    x = np.sort(x)
    return x[np.concatenate(([True], x[1:] != x[:-1]))] if len(x) else x


def _rows(rows: list[list[int]], width: int) -> sp.csr_matrix:
    """A binary CSR matrix from sorted column lists."""
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.array([c for r in rows for c in r], dtype=np.int64)
    return sp.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(rows), width))
