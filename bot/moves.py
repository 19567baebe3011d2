"""The searcher's moves along a document's structure, and its preferences among near ties.

:class:`SearcherMoves`, mixed into :class:`bot.decision._Searcher`:

* follow-ups read against the previous answer's place in the document
  (:meth:`bot.followmoves.FollowUpMoves.follow_up`, its base): a step along
  its series, the relative a question names, or the previous answer itself;
* a step asked in a question ("what comes after senior?", :meth:`SearcherMoves._step`);
* a section preferred to its summary, or a parent's overview to two sibling
  sections that tie (:meth:`SearcherMoves._prefer_specific`, :meth:`SearcherMoves._prefer_overview`);
* how a title agrees with the question's frame, in knowledge bases of
  templated questions (:meth:`SearcherMoves._surface`);
* plans described as paid or free, or compared (:class:`bot.plans.PlanMoves`).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from . import kinds
from .frames import asks_span
from .followup import without
from .followmoves import FollowUpMoves, _steps_named
from .plans import PlanMoves
from .knowledge import Entry
from .reading import Query
from .text import words


class SearcherMoves(PlanMoves, FollowUpMoves):
    """Structural moves, mixed into :class:`bot.decision._Searcher` (which provides ``kb``, ``index``,
    ``tuning``, ``position``, ``outline``, ``series``, ``title_words`` and :meth:`_can_answer`)."""

    def _series(self) -> tuple[dict[str, list[str]], dict[str, frozenset]]:
        """Entries that are stages of a series (see :meth:`_step`): id -> the series' ids in order."""
        siblings: dict[tuple, list[Entry]] = {}
        for e in self.kb.entries:
            if len(e.path) >= 2 and e.kind != "faq":
                siblings.setdefault((e.path[:-1], e.kind), []).append(e)
        title_words = {e.id: frozenset(words(e.title)) for e in self.kb.entries}
        series: dict[str, list[str]] = {}
        for group in siblings.values():
            if len(group) < 3:
                continue
            shared = frozenset.intersection(*(title_words[e.id] for e in group))
            if shared:
                # a stage is named by its own words: "senior" in "Senior Python Developer"
                ids = [e.id for e in group]
                for e in group:
                    series[e.id] = ids
                    title_words[e.id] = title_words[e.id] - shared
        return series, title_words

    def _surface(self, q: Query, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each entry of ``ids``: how its title agrees with the question's frame, in [0, 1], and
        whether the title has exactly the question's words.

        The frame counts every word, stop words too: the share of the question's words
        and word pairs the title has, and (weighing ``Tuning.frame_lead`` times as much)
        the share of the question's words that start the title in the same order.
        "What are the of Sialadenitis" agrees with "What are the symptoms of Sialadenitis ?"
        more than with "What is (are) Sialadenitis ?", whose terms it holds alike: in a
        knowledge base of templated questions the frame is what is left to tell them apart.
        """
        asked = words(q.text)
        frame, same = np.zeros(len(ids)), np.zeros(len(ids), dtype=bool)
        if not asked:
            return frame, same
        asked_set, lead = _surface_of(asked), self.tuning.frame_lead
        cache, entries = self._title_surface, self.kb.entries
        for pos, i in enumerate(ids.tolist()):
            got = cache.get(i)
            if got is None:
                title = words(entries[i].title)
                got = cache[i] = (title, _surface_of(title))
            title, title_set = got
            k = 0
            while k < min(len(asked), len(title)) and asked[k] == title[k]:
                k += 1
            frame[pos] = (len(asked_set & title_set) / len(asked_set) + lead * k / len(asked)) / (1 + lead)
            same[pos] = asked_set == title_set
        return frame, same

    def _step(self, q: Query, out: list) -> list:
        """"What comes after senior?": the stage after (or before) the best entry, when it is one of a series.

        A series is three or more sibling entries whose titles share a word
        ("Junior Python Developer" ... "Principal Python Developer"; "Junior
        Level" ... "Senior Level"). The step is taken only when the word right
        after "after"/"above" (or "before"/"below") names the best entry
        ("senior"). When that entry's series ends there (Senior Level), another
        candidate of that name steps instead (Senior Python Developer -> Lead).
        Not at all when ``Tuning.steps`` is off.
        """
        if not self.tuning.steps:
            return out
        for step, stage in _steps_named(q.words):
            if not out or not self._names_stage(stage, self.kb.entries[out[0][3]].id):
                continue  # the best entry must be the stage the question steps from
            # ... or, when its series has no stage that way, another series' entry of that name
            for row in out:
                e = self.kb.entries[row[3]]
                series = self.series.get(e.id)
                if series is None or not self._names_stage(stage, e.id):
                    continue
                pos = series.index(e.id) + step
                if 0 <= pos < len(series):
                    target = self.position[series[pos]]
                    return [(row[0], row[1], row[2], target)] + [r for r in out if r[3] != target]
        return out

    def _prefer_specific(self, out: list, covering: Callable[[np.ndarray], np.ndarray], q: Query | None = None) -> list:
        """When a summary wins but one of its sections says all the question asks, answer with that section.

        "what does a python developer with 2-4 years do" finds Career Progression
        (which lists every level's years) and Python Developer alike; the section
        is the better answer. "career progression" stays with the summary: no
        section's own text holds those words. ``covering(ids)``: which of those candidates' own title,
        questions and text hold every term of the question (:meth:`bot.candidates.Candidates.covers_itself`).
        """
        if not out:
            return out
        entries = self.kb.entries
        best = entries[out[0][3]]
        if best.kind != "group":
            return out
        near = [pos for pos, row in enumerate(out[1:], 1)  # its sections, nearly as sure
                if entries[row[3]].path[:-1] == best.path and row[0] >= out[0][0] - self.tuning.specific_margin]
        if not near:
            return out
        holds = covering(np.array([out[pos][3] for pos in near]))
        staged = self._stage_nouns & set(q.terms) if q is not None and self.tuning.specific_stage_cover else ()
        rest = without(q, frozenset(staged)) if staged else None  # a stage holds "level" ("what level is 7 years?")
        for pos, ok in zip(near, holds.tolist()):
            if ok or (rest is not None and rest.terms and entries[out[pos][3]].id in self.series
                      and self.index.coverage(rest, out[pos][3]) >= self.tuning.specific_stage_cover):
                return [out[pos]] + out[:pos] + out[pos + 1:]
        return out

    def _prefer_able(self, q: Query, out: list) -> list:
        """When the best entry cannot give what a how-to, price or duration question asks ("Wie komme ich an
        Bitcoins ran?" finds "Was ist Bitcoin?" first), a runner-up among the next two that can, ranked at least
        ``Tuning.able_share`` as high and surer, answers ("Wie erhält man Bitcoins?")."""
        share = self.tuning.able_share
        if not share or len(out) < 2 or not q.kinds - {kinds.DEFINITION} or self._can_answer(q, out[0][3]):
            return out
        for pos in range(1, min(len(out), 3)):
            row = out[pos]
            if row[1] < share * out[0][1]:
                break
            if row[0] > out[0][0] and self._can_answer(q, row[3]):
                return [row] + out[:pos] + out[pos + 1:]
        return out

    def _prefer_namesake(self, q: Query, out: list) -> list:
        """"How long does the junior stage last?": when the best entry is a stage that cannot state the price or
        duration asked (Junior Level, its responsibilities), its namesake in another series that does (Junior
        Python Developer, 0-2 years) answers, as sure as the best entry was before its kind counted against it."""
        if not out or not q.kinds & {kinds.MONEY, kinds.DURATION}:
            return out
        best = self.kb.entries[out[0][3]]
        if self._can_answer(q, out[0][3]):
            return out
        other = self._namesake(q, best, named=True)
        if other is None:
            return out
        t = self.tuning
        before = out[0][0] / ((t.money_mismatch if kinds.MONEY in q.kinds else 1.0)
                              * (t.duration_mismatch if kinds.DURATION in q.kinds else 1.0))
        j = self.position[other.id]
        mine = next((row for row in out if row[3] == j), None)
        row = (max(before, mine[0] if mine else 0.0), out[0][1], out[0][2], j)
        return [row] + [r for r in out if r[3] != j]

    def _prefer_overview(self, out: list, q: Query | None = None) -> list:
        """When the question fits two sibling sections equally, answer with their parent's overview.

        "what skills do I need" matches Technical Skills and Soft Skills alike;
        Required Skills, which summarises both, is the better answer. A question that names the first by the
        words of its title the parent's lacks ("the Jobicy+ Plus plan") and not the second keeps the first.
        """
        if len(out) < 2:
            return out
        entries = self.kb.entries
        a, b = entries[out[0][3]], entries[out[1][3]]
        t = self.tuning
        if (len(a.path) < 2 or a.path[:-1] != b.path[:-1] or a.kind == "faq"
                or abs(out[0][0] - out[1][0]) > t.overview_tie or out[1][1] < t.overview_rank_share * out[0][1]):
            return out
        if q is not None and self._names_apart(q, a) and not self._names_apart(q, b):
            return out
        for pos, row in enumerate(out[2:], 2):
            e = entries[row[3]]
            if e.kind == "group" and e.path == a.path[:-1] and row[0] >= out[0][0] - t.overview_margin:
                return [row] + out[:pos] + out[pos + 1:]
        return out

    def _pass_plain_stage(self, q: Query, out: list) -> list:
        """When the best entry is the stage named as the document's subject (:meth:`_plain_stage`: "Site
        Reliability Engineer" between Junior and Senior Site Reliability Engineer, in a guide to that role),
        and the question names no stage (no stage noun, no duration or years, no words of the stage's own
        text the runner-up lacks), the question names the role, not the stage: the best candidate outside
        the series answers when it is at most ``Tuning.plain_stage_margin`` less sure ("what does a site
        reliability engineer do?", "is site reliability engineer a good career?")."""
        margin = self.tuning.plain_stage_margin
        if not margin or not out:
            return out
        e = self.kb.entries[out[0][3]]
        series = self.series.get(e.id)
        if series is None or not self._plain_stage(e) or kinds.DURATION in q.kinds or self._stage_nouns & set(q.terms) \
                or any(c.isdigit() for w in q.words for c in w):  # "... with 2-4 years", "... at 3 yrs"
            return out
        for pos, row in enumerate(out[1:4], 1):
            other = self.kb.entries[row[3]]
            if other.id in series or row[0] < out[0][0] - margin:
                continue
            if any(self.index.holds(t, out[0][3]) and not self.index.holds(t, row[3]) for t in set(q.terms)):
                return out  # the stage's own words: "... expected to own at 2-5 years"
            return [row] + out[:pos] + out[pos + 1:]
        return out

    def _span(self, q: Query, out: list) -> list:
        """A question over a whole series ("all the levels from junior to principal", "the career stages from
        start to the top"): it asks for a span (:data:`bot.frames.SPAN`) between two of its stages named by
        their own words, or from one of its ends to the other (:data:`bot.frames.FROM_TO`); the section
        that holds the series answers (of two such series, the one whose section's title the question names,
        else the longer), as sure as the best entry of such a series (or its section) ranked."""
        if not self.tuning.series_span or not out:
            return out
        ends, span = asks_span(q.text, self.kb.language)
        if not span:
            return out  # two stages named in passing ("my lead just got promoted to principal") span nothing
        terms, seen, found = set(q.terms), set(), []
        for row in out:
            e = self.kb.entries[row[3]]
            series = self.series.get(e.id)
            if series is None or series[0] in seen:
                continue
            seen.add(series[0])
            parent = self.outline.parent(e)
            if parent is not None and (ends or self._stages_named(series, terms) >= 2):
                found.append((row, series, parent))
        if not found:
            return out
        # the series whose section the question names, else the longest ("all the stages": the fullest)
        row, series, parent = next((f for f in found if self._title_terms(f[2]) & terms),
                                   max(found, key=lambda f: len(f[1])))
        j = self.position[parent.id]
        members = {i for f in found for i in f[1]} | {f[2].id for f in found}
        best = max(r[0] for r in out if self.kb.entries[r[3]].id in members)
        idf, frame = self.index.term_idf_, self.tuning.follow_up_frame * self.index.max_idf_
        if ends and self._can_answer(q, j) and all(t not in idf and w < frame for t, w in zip(dict.fromkeys(q.terms),
                                                                                             q.weights)):
            best = max(best, self.tuning.structural_confidence)  # the span is all it asks, in everyday words ("how
            # long does it take to go from total newbie to the very top?"), of a kind the section answers
        return [(best, out[0][1], row[2], j)] + [r for r in out if r[3] != j]

    def _stages_named(self, series: list[str], terms: set) -> int:
        """How many stages of ``series`` the question's ``terms`` name by a word that names no other stage
        ("junior", "principal"; not "developer", the word of several: "Frontend Developer", "Senior Frontend
        Developer")."""
        owners: dict[str, list[str]] = {}
        for i in series:
            for t in self._stage_terms(i) & terms:
                owners.setdefault(t, []).append(i)
        return len({ids[0] for ids in owners.values() if len(ids) == 1})

    def _plain_stage(self, e) -> bool:
        """Whether stage ``e`` is named as the document's own subject ("Data Engineer" in the "Data Engineer
        Career Guide"; not "Python Developer" in the "Python Backend Developer Career Guide"): its title is
        written in the knowledge base's title."""
        got = self._plain.get(e.id)
        if got is None:
            got = self._plain[e.id] = f" {' '.join(words(e.title))} " in f" {' '.join(words(self.kb.title))} "
        return got


def _surface_of(ws: list[str]) -> frozenset:
    """Words and their pairs of neighbours."""
    return frozenset(ws) | frozenset(zip(ws, ws[1:]))
