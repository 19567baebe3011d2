"""Follow-ups read against the previous answer's place in the document (see :mod:`bot.followup`).

:class:`FollowUpMoves`, the base of :class:`bot.moves.SearcherMoves` (mixed into
:class:`bot.decision._Searcher`, which provides ``kb``, ``index``, ``tuning``,
``position``, ``outline``, ``series``, ``title_words`` and ``_can_answer``):
a step along the previous answer's series, the relative a question names,
the options it is one of ("what else ...?"), or the previous answer itself. The moves among plans and sibling
options it takes ("the other plan", "and the paid one?") are :class:`bot.plans.PlanMoves`', beside it in
:class:`bot.moves.SearcherMoves`.
"""
from __future__ import annotations

import re

from .confidence import confidence
from .followup import ANCHORED_STEP, DEMONSTRATIVE, Turn, names, without
from .prompts import MORE
from .kinds import DEFINITION, DURATION, HOW_TO, MONEY
from .knowledge import Entry
from .reading import Query
from .text import words

#: "the other plan", "the other one", "the other skills": the one sibling there is besides the previous answer


#: "after senior", "next after junior", "above lead": a step along a series (see SearcherMoves._step)
_STEPS = {"after": 1, "above": 1, "beyond": 1, "past": 1, "following": 1, "b4": -1,
          "before": -1, "below": -1, "under": -1, "preceding": -1}
_STEP_FILLER = frozenset({"the", "a", "an", "being", "my", "level", "lvl", "stage", "role", "position"})
#: the kinds of question that pick one sibling by what it can answer ("the paid one": the one with a price)
_PICKING_KINDS = frozenset({MONEY, DURATION})
#: a step lands only where what these kinds ask is told ("which is better to start with, AWS or Azure?" asks a
#: comparison that a list of certifications does not make)
_TOLD_KINDS = frozenset({DEFINITION, HOW_TO})


#: "which of them is the highest?": the end of the series the previous answer is in, not of a longer one
_WITHIN = re.compile(r"\bof\s+(?:them|those|these|the\s+(?:levels|stages|steps))\b", re.I)
#: "is that free?", "is it only in the paid one?": whether the previous answer is paid or free, not another plan
_OF_PREV = re.compile(r"\b(?:is|are|was|were)\s+(?:that|it|this|they|those|these)\b", re.I)


class FollowUpMoves:
    """Follow-up moves (see the module's docstring for what the searcher provides)."""

    def follow_up(self, question: str, prev: Entry, turn: Turn, q: Query | None = None):
        """A ranked row for a follow-up read against ``prev``'s place in the document, or None.

        In order: a step along ``prev``'s series (from the stage the question names, "below lead"; to the
        stage it names, "the lead stage below it"); the relative (sibling, parent, child) whose key holds the
        question's new words; ``prev`` itself when it holds (nearly) all of them. See :mod:`bot.followup`.
        """
        more = self.outline.by_id.get(prev.metadata.get("next", ""))  # "read more" of a long section's passage
        if more is not None and MORE.search(question):
            return (self.tuning.structural_confidence, float("inf"), 1.0, more)
        origin, step = (prev, turn.step) if turn.step not in (0, 1, -1) else self._step_from(question, prev)
        if not step and turn.step:
            origin, step = prev, turn.step
            named = self._stage_named(question, prev) if ANCHORED_STEP.search(question) else None
            if named is not None:  # "the lead stage just below it": the stage it names, not where a step lands
                return (self.tuning.structural_confidence, float("inf"), 1.0, named)
        q = self.index.read(question) if q is None else q  # ``q``: the question as already read
        if step:
            target = self._stepped(self._section_of(origin) if origin.kind == "faq" else origin, step, question)
            for _ in range(turn.by - 1 if step in (1, -1) else 0):  # "two rungs below that"
                target = self._stepped(target, step, question) if target is not None else None
            if target is not None and not (q.kinds & _TOLD_KINDS and not self._can_answer(q, self.position[target.id])):
                return (self.tuning.structural_confidence, float("inf"), 1.0, target)
        pointed = self._demonstrated(question)  # "the other plan": the one sibling besides ``prev`` (that holds
        # what is asked), before a relative "plan" names
        priced = self.tuning.priced_siblings and not _OF_PREV.search(question)  # ... or the plan it describes
        other = (self._the_other(q, prev, question) if turn.other is not None else None) or (
            self._priced_sibling(question, q, prev) if priced else None)
        if other is not None:
            return (self.tuning.structural_confidence, float("inf"), 1.0, other)
        # "what about the paid one?" / "and the paid plan?": the sibling the word describes, before a relative
        # the rest names ("plan" names the subscription they are plans of)
        named = self._described_sibling(q, prev, question) if q.kinds & _PICKING_KINDS and not pointed else None
        if named is None:
            named = self._named_relative(q, prev, pointed)
        if named is not None:
            i = self.position[named.id]
            sim = self.index.similarity(q, i)
            conf = max(self.tuning.structural_confidence, confidence(self.index.coverage(q, i), max(sim, self.tuning.strength_scale),
                                                          self.tuning))
            return (conf, float("inf"), sim, named)
        # "what else does a junior do?" after Junior Level asks more of the stage it names, not another option
        if turn.other is not None and not pointed and not self._names_own_stage(question, prev):
            row = self._other_option(q, prev, turn.other)
            if row is not None:
                return row
        i = self.position[prev.id]
        if not self._can_answer(q, i):  # ... unless a namesake in another series states it ("how long to get there?")
            other = self._namesake(q, prev) if turn.pronoun or pointed else None
            return None if other is None else (self.tuning.structural_confidence, 0.0, 0.0, other)
        # the words pointing at ``prev`` ("that stage") are ``prev``'s by definition; the everyday words framing a
        # question of a kind that ``prev`` answers, pointing at it ("how long does that last?"), ask nothing more
        rest = without(q, pointed | self._frame(q) if q.kinds and (pointed or turn.pronoun) else pointed)
        if (rest is not q or q.kinds) and not rest.terms:  # "what do they do at that stage?", "how long": only
            return (self.tuning.structural_confidence, 0.0, 0.0, prev)             # ``prev`` is asked about
        cov = self.index.coverage(rest, i)
        if cov < self.tuning.follow_up_cover:
            return None
        sim = self.index.similarity(rest, i)
        return (confidence(cov, max(sim, self.tuning.strength_scale), self.tuning), sim, sim, prev)

    def beyond(self, q: Query, prev: Entry, question: str) -> bool:
        """Whether a question about ``prev`` asks what neither it nor its relatives can say (a price, a duration)
        and names nothing else, no word of any entry's title: "how much does it cost?" after the certifications
        is out of scope (after Jobicy+, whose plans have prices, it is not)."""
        if not q.kinds & _PICKING_KINDS or any(self._can_answer(q, self.position[e.id])
                                                for e in [prev] + self.outline.relatives(prev)):
            return False
        return not self._titled_terms() & set(without(q, self._demonstrated(question)).terms)

    def _titled_terms(self) -> frozenset:
        """Every title's terms (made once)."""
        titled = self.__dict__.get("_titled")
        if titled is None:
            titled = self._titled = frozenset().union(*(self._title_terms(e) for e in self.kb.entries))
        return titled

    def _other_option(self, q: Query, prev: Entry, other: str):
        """"What else is required?", "is there something cheaper?": the options ``prev`` is one of, i.e. its
        parent, when the parent holds the rest of the question (all but ``other``, the words asking for another)."""
        parent = self.outline.parent(prev)
        if parent is None:
            return None
        i = self.position[parent.id]
        rest = without(q, frozenset(self.index.analyzer_.terms_of_words(words(other))))
        if not self._can_answer(q, i):
            return None
        if not rest.terms:
            return (self.tuning.structural_confidence, float("inf"), 0.0, parent)
        cov = self.index.coverage(rest, i)
        if cov < self.tuning.follow_up_cover:
            return None
        sim = self.index.similarity(rest, i)
        return (confidence(cov, max(sim, self.tuning.strength_scale), self.tuning), float("inf"), sim, parent)

    def _stage_named(self, question: str, prev: Entry) -> Entry | None:
        """The one other stage of ``prev``'s series that ``question`` names, if there is one."""
        asked = frozenset(self.index.analyzer_.terms_of_words(words(question)))
        hits = [i for i in self.series.get(prev.id, ()) if i != prev.id and self._stage_terms(i) & asked]
        return self.outline.by_id[hits[0]] if len(hits) == 1 else None

    def _names_own_stage(self, question: str, prev: Entry) -> bool:
        """Whether ``question`` names ``prev`` as a stage of its series ("junior" after Junior Level)."""
        return prev.id in self.series and any(self._names_stage(w, prev.id) for w in words(question))

    def _names_stage(self, word: str, entry_id: str) -> bool:
        """Whether ``word`` names the stage ``entry_id`` (a word of its own title, or a synonym of one:
        "mid" names Middle Level)."""
        return word in self.title_words[entry_id] or bool(
            self._stage_terms(entry_id) & frozenset(self.index.analyzer_.terms_of_words([word])))

    def _stage_terms(self, entry_id: str) -> frozenset:
        """The terms of the words that tell stage ``entry_id`` from the rest of its series (made once each)."""
        cache = self.__dict__.setdefault("_stage_terms_of", {})
        got = cache.get(entry_id)
        if got is None:
            got = cache[entry_id] = frozenset(self.index.analyzer_.terms_of_words(sorted(self.title_words[entry_id])))
        return got

    def _frame(self, q: Query) -> frozenset:
        """The everyday words of ``q`` the knowledge base never uses (``Tuning.follow_up_frame``)."""
        low = self.tuning.follow_up_frame * self.index.max_idf_
        known = self.index.term_idf_
        return frozenset(t for t, w in zip(dict.fromkeys(q.terms), q.weights) if w < low and t not in known)

    def _step_from(self, question: str, prev: Entry) -> tuple[Entry, int]:
        """``(stage, +1 or -1)`` when the question steps from a stage of the previous answer's series that it
        names ("anything above lead?" after Lead Python Developer, "and above senior?" after Python
        Developer), else ``(prev, 0)``."""
        series = self.series.get(prev.id)
        if not self.tuning.steps or series is None:
            return prev, 0
        for step, stage in _steps_named(words(question)):
            named = [e for e in series if self._names_stage(stage, e)]
            if len(named) == 1:
                return self.outline.by_id[named[0]], step
        return prev, 0

    def _section_of(self, faq: Entry) -> Entry:
        """The section of the document an FAQ entry asks about ("What is the career progression ...?" is about
        Career Progression), for steps along its parts; the entry itself when no one section is."""
        cache = self.__dict__.setdefault("_section_of_faq", {})
        if faq.id not in cache:
            asked = self._title_terms(faq)
            groups = self.__dict__.get("_groups")
            if groups is None:  # the entries with parts, once
                groups = self._groups = [e for e in self.kb.entries if e.kind != "faq" and self.outline.kids(e)]
            sections = [e for e in groups if self._title_terms(e) and self._title_terms(e) <= asked]
            if not sections:  # ... else the one group whose title shares a word with it ("key responsibilities")
                sections = [e for e in groups if self._title_terms(e) & asked]
            cache[faq.id] = sections[0] if len(sections) == 1 else faq
        return cache[faq.id]

    def _step_across(self, prev: Entry, step: int) -> Entry | None:
        """A step past the end of ``prev``'s series taken in another series that has a stage of that name.

        "and the one after that?" after Senior Level (the last of Junior, Middle and
        Senior Level) steps from Senior Python Developer to Lead Python Developer.
        """
        for ids, pos in self._same_stage(prev):
            if 0 <= pos + step < len(ids):
                return self.outline.by_id[ids[pos + step]]
        return None

    def _stepped(self, origin: Entry, step, question: str) -> Entry | None:
        """Where ``step`` (+1, -1, "first", "last", ...) leads from ``origin``: along its series, else across to
        the series of its namesake; an end is the end of a longer series that has the stage ("the top one?" after
        Middle Level is Principal), unless the question keeps to these ("which of them is the highest?")."""
        target = self.outline.step(origin, step)
        if target is None and step in (1, -1):
            return self._step_across(origin, step)
        if target is not None and step in ("first", "last") and (target is origin or not _WITHIN.search(question)):
            return self._end_across(target, step) or target
        return target

    def _end_across(self, prev: Entry, end: str) -> Entry | None:
        """The first or last stage of another series with a stage named as ``prev`` is, when ``prev`` already
        ends its own and that series goes on past its namesake: "the top one?" after Senior Level (the last of Junior, Middle and Senior Level) is
        Principal Python Developer, the last of the career stages."""
        for ids, pos in self._same_stage(prev):
            place = 0 if end == "first" else len(ids) - 1
            if place != pos:  # that series goes on past ``prev``'s namesake
                return self.outline.by_id[ids[place]]
        return None

    def _same_stage(self, prev: Entry):
        """``(series, position)`` of each stage of another series named as ``prev`` is ("senior" in Senior Level
        and Senior Python Developer)."""
        name = self.title_words.get(prev.id)
        own = self.series.get(prev.id)
        if own is None:
            return
        for ids in {tuple(v) for v in self.series.values()}:
            if prev.id in ids:
                continue
            named = [pos for pos, entry_id in enumerate(ids) if name and name <= self.title_words[entry_id]]
            yield from ((ids, pos) for pos in named)
            if not named:  # "Middle Level" between Junior and Senior Level is "Python Developer" between the
                between = self._between(own, prev.id, ids)  # junior and senior stages of the career path
                if between is not None:
                    yield ids, between

    def _between(self, own, entry_id: str, ids) -> int | None:
        """The position in series ``ids`` of the one stage between the stages named as ``entry_id``'s neighbours
        in its own series ``own`` are, if there is one."""
        k = list(own).index(entry_id)
        if k == 0 or k == len(own) - 1:
            return None
        before, after = self.title_words.get(own[k - 1]), self.title_words.get(own[k + 1])
        if not before or not after:
            return None
        lo = [pos for pos, i in enumerate(ids) if before <= self.title_words[i]]
        hi = [pos for pos, i in enumerate(ids) if after <= self.title_words[i]]
        return lo[0] + 1 if len(lo) == 1 and len(hi) == 1 and hi[0] - lo[0] == 2 else None

    def _namesake(self, q: Query, prev: Entry, named: bool = False) -> Entry | None:
        """"How long to get there?" after Senior Level (responsibilities, no years): the stage of that name in
        another series that states what a price or duration question asks (Senior Python Developer, 4-6
        years), when the question names no other entry (no word of a title; ``named``: it may, a fresh
        question naming the stage itself)."""
        if not q.kinds & _PICKING_KINDS:
            return None
        if not named and self._titled_terms() & set(without(q, self._demonstrated(q.text)).terms):
            return None
        return next((self.outline.by_id[ids[pos]] for ids, pos in self._same_stage(prev)
                     if self._can_answer(q, self.position[ids[pos]])), None)

    def _title_terms(self, e: Entry) -> frozenset:
        got = self._titles.get(e.id)
        if got is None:
            got = self._titles[e.id] = frozenset(self.index.analyzer_.terms(e.title))
        return got

    def _demonstrated(self, question: str) -> frozenset:
        """The terms of the nouns a question points at ("that plan", "this level"): the previous answer itself."""
        nouns = [m.group(1) or m.group(2) for m in DEMONSTRATIVE.finditer(question)]
        return frozenset(self.index.analyzer_.terms_of_words(nouns)) if nouns else frozenset()

    def _named_relative(self, q: Query, prev: Entry, pointed: frozenset = frozenset()) -> Entry | None:
        """The sibling (else the parent, else the child) of ``prev`` whose title names a new word of the question.

        "and the free plan?" after Plus names Free; "and which certifications?"
        after Required Education names Recommended Certifications (the parent,
        Education & Certification, names it too, but a sibling comes first);
        "the tech ones" after Soft Skills names Technical Skills (a word may be
        the start of a title's word). A word the question points at ("what else
        is in that plan?") names the previous answer, not a relative. After an
        FAQ entry about a section, the section's parts count too ("and for the
        middle level?" after "What are the key responsibilities ...?").
        """
        new = set(q.terms) - self._title_terms(prev) - pointed
        if not new:
            return None
        parent = self.outline.parent(prev)
        groups = [self.outline.siblings(prev), [parent] if parent else [], self.outline.kids(prev)]
        section = self._section_of(prev) if prev.kind == "faq" else prev
        if section is not prev:  # an FAQ entry about a section ("What are the key responsibilities ...?"): its parts
            groups.append(self.outline.kids(section))
        for group in groups:
            hits = [e for e in group if names(new, self._title_terms(e))]
            if len(hits) > 1:  # "the senior level" names every level; "senior" names one of the series
                hits = [e for e in hits if e.id in self.series and self._stage_terms(e.id) & new] or hits
            if len(hits) == 1 and self._can_answer(q, self.position[hits[0].id]):
                return hits[0]
            if len(hits) > 1:
                return None
        # "and a regular python developer?" after Junior Python Developer: the one sibling the question names whole
        asked = set(q.terms)
        whole = [e for e in self.outline.siblings(prev) if self._title_terms(e) and self._title_terms(e) <= asked]
        if len(whole) == 1 and self._can_answer(q, self.position[whole[0].id]):
            return whole[0]
        return None


def _steps_named(ws) -> list[tuple[int, str]]:
    """``(+1 or -1, the word it steps from)`` for each step word of ``ws`` followed by a stage's name
    ("after senior", "b4 the mid level" -> "mid")."""
    ws = list(ws)
    out = []
    for i, w in enumerate(ws):
        step = _STEPS.get(w)
        after = [x for x in ws[i + 1:i + 4] if x not in _STEP_FILLER] if step else None
        if after:
            out.append((step, after[0]))
    return out

