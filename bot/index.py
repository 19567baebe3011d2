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

Before any of that, :meth:`Index.read` (:mod:`bot.reading`) brings a question's
words to the knowledge base's own.

Question-time retrieval is :class:`bot.candidates.CandidateSearch`, mixed into
:class:`Index`; this module fits, saves and loads it.
"""
from __future__ import annotations

import copy

import numpy as np
import scipy.sparse as sp

from .analyzer import Analyzer
from .arrays import ArrayFolder, Lookup, binary_rows, for_questions, set_key, unique_sorted
from .candidates import PROSE, CandidateSearch
from .knowledge import BULLET, Entry
from .ranking import FamilyRanker, raw_text
from .reading import Reader
from .stacked import Stacked
from .text import fold, words
from .tuning import DEFAULT_TUNING, Tuning


def key_text(e: Entry) -> str:
    """The fields that say what an entry is about: title, heading path, questions.

    An introduction's title is the document's title, whose words are in every
    entry's context; it says nothing about what the introduction covers.
    """
    if e.kind == "intro":
        return "\n".join(e.questions)
    return "\n".join(dict.fromkeys((e.title, *e.path, *e.questions)))


class Index(CandidateSearch, Reader):
    """Fitted retrieval structures for one knowledge base.

    Parameters
    ----------
    analyzer : Analyzer
        Turns text into stemmed content terms (the knowledge base's synonyms). Never changed: the
        index fits a copy, ``analyzer_``, which also learns the compounds the knowledge base writes.
    ranker : FamilyRanker
        The ranking model (default settings, with ``tuning.ranker_signals`` when set, when omitted);
        a copy of it is fitted, ``ranker_``.
    tuning : Tuning
        The switches and values it builds and reads questions with (see :mod:`bot.tuning`).
    """

    def __init__(self, analyzer: Analyzer | None = None, *, ranker: FamilyRanker | None = None,
                 tuning: Tuning = DEFAULT_TUNING):
        self.analyzer = analyzer or Analyzer()
        self.ranker = ranker
        self.tuning = tuning

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
        an = self.analyzer_ = self.analyzer.copy()
        n = len(entries)
        key_words, lines = [], []
        for i, e in enumerate(entries):
            if i % self.PROGRESS_STEP == 0:
                report("reading entries", i, n)
            key_words.append(words(key_text(e)))
            lines.append([(line.startswith(BULLET), words(line)) for line in e.text.splitlines()])
        body_words = [[w for _, ws in ls for w in ws] for ls in lines]
        full_words = [k + b for k, b in zip(key_words, body_words)]
        if self.tuning.compounds:
            an.learn_compounds_of_words(full_words)
        if self.tuning.families:
            an.learn_families(full_words)
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
        self.key_ = binary_rows([sorted(set(k.tolist())) for k in key_ids], len(self.terms_))
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
        self.bigrams_ = unique_sorted(np.concatenate(bigram_keys)) if n else np.zeros(0, np.int64)
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
        stop = self.analyzer_.stop_words

        def raw():  # surface words for the classifier, built only when it is trained
            key_raw = [raw_text([w for i in ids for w in key_words[i]], stop) if len(ids) == 1 else
                       raw_text(words("\n".join(dict.fromkeys(key_text(entries[i]) for i in ids))), stop)
                       for ids in members]
            body_raw = [[raw_text([w for _, ws in lines[i] for w in ws], stop) for i in ids] for ids in members]
            return key_raw, body_raw

        signals = self.tuning.ranker_signals
        ranker = copy.deepcopy(self.ranker) if self.ranker is not None else \
            FamilyRanker() if signals is None else FamilyRanker(signals=signals)
        self.ranker_ = ranker.fit(
            len(self.terms_), keys, [[body_ids[i] for i in ids] for ids in members], raw,
            [fold(entries[ids[0]].title) for ids in members], text_chars=sum(len(e.text) for e in entries))

    def _fit_lookups(self, entries, lines, key_terms, body_terms) -> None:
        """Exact titles, questions and list items; what each entry says itself, and in prose."""
        an = self.analyzer_
        exact, items = [], []
        own_rows, prose_rows = [], []
        tid = self.term_id_
        for i, e in enumerate(entries):
            heads = [an.terms(q) for q in dict.fromkeys((e.title, *e.questions))]
            exact += [(set_key(ts), i) for ts in heads if ts]
            items += [(set_key(ts), i) for bullet, ws in lines[i] if bullet for ts in [an.terms_of_words(ws)] if ts]
            own = {t for ts in heads for t in ts} | set(body_terms[i])
            if any(bullet for bullet, _ in lines[i]):
                heading_words = [w for p in e.path for w in words(p)] + [w for q in e.questions for w in words(q)]
                prose = set(an.terms_of_words(heading_words + [w for bullet, ws in lines[i] if not bullet for w in ws]))
            else:  # all of the text is prose: its terms are known already
                prose = set(key_terms[i]) | set(body_terms[i])
            own_rows.append(sorted(tid[t] for t in own if t in tid))
            prose_rows.append(sorted(tid[t] for t in prose if t in tid))
        self.exact_ = Lookup.build(exact)
        self.items_ = Lookup.build(items)
        self.own_ = binary_rows(own_rows, len(self.terms_))
        self.prose_ = binary_rows(prose_rows, len(self.terms_))

    def _derive(self) -> None:
        """What is computed from the learned attributes, after fitting or loading."""
        self.n_entries_ = len(self.entries_)
        v = len(self.terms_)
        self.term_idf_ = dict(zip(self.terms_, np.asarray(self.feature_idf_[:v]).tolist()))
        self.max_idf_ = float(np.max(self.feature_idf_[:v]))
        self._derive_reading()
        self._q_similarity = for_questions(self.similarity_)
        self._q_held = for_questions(self.held_)
        own, prose = for_questions(self.own_), for_questions(self.prose_)
        # a small knowledge base's own and prose terms, read together by a question (bot.candidates._masks)
        self._q_marks = ((own > 0).astype(np.int32) + PROSE * (prose > 0)
                         if isinstance(own, np.ndarray) and isinstance(prose, np.ndarray) else None)
        bigrams = self.bigrams_
        self._bigram_pos = ({int(p): i for i, p in enumerate(np.asarray(bigrams).tolist())}
                            if len(bigrams) <= self.BIGRAM_DICT else None)
        family_of = np.asarray(self.family_of_)
        self.one_per_family_ = bool(np.array_equal(family_of, np.arange(len(family_of))))
        # each family's entries, for choosing candidates by family
        self._by_family = np.argsort(family_of, kind="stable")
        self._family_start = np.concatenate(([0], np.cumsum(np.bincount(family_of))))
        self._stack = Stacked.of(self)  # a small knowledge base reads its question sums at once

    # --------------------------------------------------------- save / load
    #: 2: the analyzer's compound vocabulary (German) is saved too; 3: and its stem families
    FORMAT = 3

    def save(self, folder: ArrayFolder) -> None:
        """Write every learned attribute into ``folder`` (see :mod:`bot.arrays`)."""
        folder.meta["index"] = {
            "format": self.FORMAT, "terms": self.terms_, "known": self.known_list_, "slips": self.slip_list_,
            "term_surface": self.term_surface_, "year_ranges": self.year_ranges_,
            "compounds": [[a, b] for (a, b) in self.analyzer_.compounds],
            "vocabulary_stems": sorted(self.analyzer_.vocabulary_stems),
            "families": self.analyzer_.families,
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
    def load(cls, folder: ArrayFolder, entries, analyzer: Analyzer, tuning: Tuning = DEFAULT_TUNING) -> "Index":
        """An index saved by :meth:`save`, for ``entries`` (those it was fitted on), read with ``tuning``."""
        meta = folder.meta["index"]
        if meta.get("format") != cls.FORMAT:
            raise ValueError(f"index format {meta.get('format')} is not {cls.FORMAT}")
        self = cls(analyzer, tuning=tuning)
        self.entries_ = tuple(entries)
        self.terms_ = meta["terms"]
        self.term_id_ = {t: i for i, t in enumerate(self.terms_)}
        self.known_list_, self.slip_list_ = meta["known"], meta["slips"]
        self.term_surface_ = meta["term_surface"]
        self.year_ranges_ = [tuple(r) for r in meta["year_ranges"]]
        an = self.analyzer_ = analyzer.copy()
        an.compounds = {(a, b): a + b for a, b in meta["compounds"]}
        an.vocabulary_stems = frozenset(meta["vocabulary_stems"])  # a German question's compounds split alike
        an.families = dict(meta["families"])  # a question's stems join their families alike
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
        self.exact_ = Lookup(folder.get("exact.keys"), folder.get("exact.indptr"), folder.get("exact.entries"))
        self.items_ = Lookup(folder.get("items.keys"), folder.get("items.indptr"), folder.get("items.entries"))
        self.ranker_ = FamilyRanker.load(folder)
        self._derive()
        if len(self.entries_) != len(self.family_of_):
            raise ValueError("the saved index does not match its entries")
        return self
