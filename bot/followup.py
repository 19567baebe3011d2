"""Follow-up questions: a turn read in the light of the previous answer.

Visitors chat: "what does a junior developer do?", then "and a senior one?",
"how many years does that take?", "what comes next?". A reply's ``context``
names the entry it answered with; the next question may lean on it. This
module decides how:

1. :func:`read_turn` tells a follow-up from a fresh question by its words: an
   elliptic start ("and ...", "what about ..."), a pronoun ("they", "it",
   "that"), a step ("next", "the level below", "the first step"), or another
   option asked for ("what else ...?", "anything cheaper?"). It reads the
   question without the reaction before it ("neat. and ...", "hmm, ok, and
   ...", :func:`core`). A fresh question answered on its own is never pulled
   back to the previous topic, nor is one that announces a new topic
   ("different question: ...").
2. :class:`Outline` knows each entry's place in its document: its parent, its
   children, its siblings, and the series it belongs to (three or more
   sibling sections whose titles share a word: career stages, levels, plans).
3. The bot then tries, in order (:mod:`bot.followmoves`): a step along the
   series (or into a group's first or last part); a relative of the previous
   entry (sibling, parent, child) whose title or questions hold the new words
   ("the free plan" after "Plus" is "Free"), or the one other sibling that
   answers what is asked ("and the cheaper one?"); the options the previous
   entry is one of, its parent, for another option; the previous entry
   itself when the question adds nothing but words pointing at it ("what do
   they do at that stage?"); and last the question with the previous entry's
   subject added ("how many years does that take?" + "senior").

A conversation's first question that is declined still leaves a topic: the
entry it offered, else the nearest one (:meth:`bot.answering.Bot.ask`).

:func:`prompts` offers the natural next questions for an answer ("Next:
Lead Python Developer", "What about Free?"); sent back with the reply's
context they resolve to those entries.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .prompts import MORE
from .reading import _THIS_ROLE, Query
from .knowledge import Entry
from .text import sentences, words

_ELLIPTIC = re.compile(r"^\W*(?:(?:ok(?:ay)?|so|hmm+|cool|great|thanks|wait)\W+)*"
                       r"(?:and|also|plus|then|what\s+about|how\s+about|what\s+of|same\s+for|n)\b", re.I)
_PRONOUN = re.compile(r"\b(?:it|its|they|them|their|theirs|that|this|those|these|there|ones?|he|she|his|her)\b",
                      re.I)
_NEXT = re.compile(r"\b(?:next|nxt|afterwards?|(?:after|above|beyond|past)\s+(?:that|this|it|them|those|these|his|hers"
                   r"|theirs)|higher"
                   r"|comes\s+after|(?:steps?|levels?|ones?|notch(?:es)?|rungs?)\s+up|up\s+one|up\s+a\s+(?:notch|level|step|rung|stage)"
                   r"|following\s+(?:one|step|level|stage|that|this|it|them)|succeeding|subsequent"
                   r"|(?:level|lvl|step|stage|one)\s+(?:above|after|beyond))\b"
                   # a turn that is only "then?", "and then what?", "what comes then?", "and after?"
                   r"|^\W*(?:and\s+|n\s+|so\s+)?(?:then(?:\s+what)?|what\s+(?:comes\s+|happens\s+)?then|after)\W*$", re.I)
_PREVIOUS = re.compile(r"\b(?:(?:before|b4|below|under)\s+(?:that|this|it|them|those|these|his|hers|theirs)"
                       r"|lower|previous|prev|prior|preceding"
                       r"|comes\s+before|(?:steps?|levels?|ones?|notch(?:es)?|rungs?)\s+down|down\s+one"
                       r"|down\s+a\s+(?:notch|level|step|rung|stage)"
                       r"|(?:level|lvl|step|stage|one)\s+(?:below|before|b4|under))\b"
                       r"|^\W*(?:and\s+|n\s+|so\s+)?(?:below|under|b4)\W*$", re.I)  # "n below?" alone
_FIRST = re.compile(r"\b(?:first|1st|starting|entry|beginning|lowest|bottom)\s+(?:\w+\s+)?"
                    r"(?:step|stage|level|lvl|one|position|role|rung|title|rank|tier|job)\b"
                    r"|\bthe\s+(?:very\s+)?(?:first|lowest|earliest)(?:\s+ones?)?\W*$"
                    r"|\bwhere\s+(?:\w+\s+){0,3}(?:start|begin)s?\b|\bstart\s+(?:with|from)\b"
                    r"|\bthe\s+(?:very\s+)?(?:start|beginning|bottom)\b"
                    r"|^\W*(?:and\s+|n\s+)?(?:the\s+)?(?:very\s+)?(?:first|lowest|bottom)\W*$", re.I)
_LAST = re.compile(r"\b(?:last|final|top|highest|most\s+senior)\s+(?:\w+\s+)?"
                   r"(?:step|stage|level|lvl|one|position|role|rung|title|rank|tier|job)\b"
                   r"|\bthe\s+(?:very\s+)?(?:last|highest|top|most\s+senior)(?:\s+ones?)?"
                   r"(?:\W+(?:then|now|though))?\W*$"
                   r"|\b(?<!on )(?<!on the )(?:the\s+)?(?:very\s+)?(?!end\s+of\s+the\s+day\b)(?:top|end)\s+of\s+"
                   r"(?:it|that|this|them|the\s+\w+)\b"  # not "on top of", "at the end of the day"
                   r"|\bwhere\s+(?:\w+\s+){0,3}ends?\b(?!\s+up\b)"  # not "where do they end up working?"
                   r"|^\W*(?:and\s+|n\s+)?(?:the\s+)?(?:very\s+)?(?:top|highest|last|final)\W*$"  # "top?" alone
                   r"|\b(?:highest|furthest|farthest)\s+(?:\w+\s+){0,4}?(?:can|could|will)\s+"
                   r"(?:go|get|reach|climb|rise)\b",
                   re.I)
#: "the second step", "the third level": a part of a series by its place
#: "two levels up", "3 steps below": a step of more than one stage
_COUNTS = {"two": 2, "2": 2, "three": 3, "3": 3, "four": 4, "4": 4}
_STEP_COUNT = re.compile(r"\b(" + "|".join(_COUNTS) + r")\s+(?:more\s+)?(?:rungs?|levels?|lvls?|steps?|stages?|notch(?:es)?"
                         r"|tiers?|titles?)\s+(?:up|down|above|below|higher|lower|before|after|beyond|under|on)\b", re.I)
_ORDINALS = {"second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5}
_NTH = re.compile(r"\b(" + "|".join(_ORDINALS) + r")(?:\s+(?:step|stage|level|lvl|one|position|role|rung|title|tier)\b"
                  r"|\W*$)", re.I)  # "the third level", or a turn that ends with it ("and the third?")
#: "all the levels", "every stage", "the whole path": the previous entry's parent
_PARENT = re.compile(r"\b(?:all|every|each)\s+(?:of\s+)?(?:the\s+|them\b|these\b|those\b)?(?:\w+\s+)?"
                     r"(?:levels?|lvls?|stages?|steps?|plans?|options?|skills?|of\s+them)\b"
                     r"|\b(?:whole|entire|full|overall)\s+(?:path|list|picture|progression|thing|overview)\b"
                     r"|\b(?:together|overview|big\s+picture)\b"
                     r"|\bfrom\s+(?:the\s+)?(?:start|beginning|bottom|first)\s+(?:to|till|until)\s+(?:the\s+)?(?:top|end|last)\b",
                     re.I)


#: a step from the previous answer itself, "below it", "after that": a stage named with it is where it lands
ANCHORED_STEP = re.compile(r"\b(?:after|above|beyond|past|following|before|b4|below|under|preceding)\s+"
                           r"(?:that|this|it|them|those|these)\b",
                           re.I)
#: "what else ...", "any other ...", "something cheaper": another option than the previous answer
_OTHER = re.compile(r"\b(?:else|other|others|another|alternatives?)\b"
                    r"|\b(?:something|anything)\s+(?:(?:more|less)\s+[^\W\d_]+"
                    r"|(?!(?:after|over|under|ever)\b)[^\W\d_]{2,}er)\b", re.I)
#: "what else is included / comes with it / does it add": more of what the previous answer holds
_MORE_OF = re.compile(r"\b(?:includ(?:e|es|ed|ing)|comes?\s+with|add(?:s|ed)?|offers?|bundled|contains?|in\s+it)\b",
                      re.I)
#: a reaction to the previous answer before the question: "neat.", "good to know!", "wow, ok!", "really??"
_REACTION = re.compile(r"^\s*(?:[^\W\d_]+\W*){1,3}?(?:[.!]+|[?!]{2,})\s+(?=\S)")
#: words that only react or hold the floor ("ok cool, and ...", "hmm and ...", "oh wait, ..."), at the start
_INTERJECTION = re.compile(r"^\W*(?:(?:ok(?:ay)?|k+|alright|right|so|well|hmm*|hm+|um+|uh+|er+|ah+|aha|oh+|wow"
                           r"|cool|great|nice|neat|sweet|awesome|perfect|fine|good|interesting|thanks|thx|ty|sorry"
                           r"|yes|yeah|yep|yup|sure|gotcha|got\s+it|i\s+see|makes\s+sense|wait|hey|hi|hello|lol)"
                           r"\b\W*)+", re.I)
#: ... when a mark ends them or a conjunction follows ("great jobs?" keeps its "great")
_AFTER_INTERJECTION = re.compile(r"^(?:and|so|but|also|then|plus|what|how|which|where|when|who|why)\b", re.I)
#: a new topic announced: "totally different question - ...", "on another note, ...", "btw ..."
_NEW_TOPIC = re.compile(r"^\W*(?:(?:totally|completely|entirely|a|an|one)\s+)?"
                        r"(?:different|unrelated|separate|new|other|another)\s+"
                        r"(?:question|topic|thing|subject|one)\b\W*"
                        r"|^\W*(?:on\s+(?:another|a\s+different)\s+note|by\s+the\s+way|btw"
                        r"|(?:(?:totally|completely|entirely)\s+)?unrelated(?:ly)?"
                        r"|chang(?:e|ing)\s+(?:the\s+)?(?:topic|subject)"
                        r"|switch(?:ing)?\s+(?:gears|topics?|subjects?)(?:\s+(?:totally|completely|a\s+bit))?"
                        r"|random\s+(?:q|question|one)|(?:(?:totally|completely)\s+)?off[\s-]topic)"
                        r"(?:\s+but)?\b\W*", re.I)


@dataclass(frozen=True)
class Turn:
    """How a question leans on the previous answer."""

    marked: bool           # it says so: an elliptic start, a pronoun or a step
    step: int | str = 0    # +1 / -1 along a series, "first" / "last" into a group, "parent", 0 none;
    #                        2, 3, ... (an ordinal, see _ORDINALS) the series' part of that place
    pronoun: bool = False  # "they", "it", "that": the previous subject is meant
    text: str = ""         # the question itself, without a reaction or interjections before it (see core)
    other: str | None = None  # it asks for another option: the words saying so ("what else", "something cheaper")
    fresh: bool = False    # it announces a new topic ("different question - ..."): never a follow-up
    by: int = 1            # how many stages a step of +1 / -1 goes ("two levels up": 2)


def core(text: str) -> tuple[str, bool]:
    """``(the question, whether it announces a new topic)``: ``text`` without the reactions, interjections
    and topic announcement before it ("cool cool. totally different question - what skills ...?" asks
    "what skills ...?"; "hmm and how long ...?" asks "and how long ...?")."""
    out, fresh = text, False
    while True:
        before = out
        out = _REACTION.sub("", out)
        run = _INTERJECTION.match(out)
        if run and out[run.end():] and (not run.group().rstrip()[-1:].isalnum() or
                                        _AFTER_INTERJECTION.match(out[run.end():])):
            out = out[run.end():]
        announced = _NEW_TOPIC.sub("", out)
        if announced != out and announced.strip():
            out, fresh = announced, True
        if out == before:
            return out.strip() or text, fresh


def read_turn(text: str) -> Turn:
    """Whether ``text`` reads as a follow-up, and whether it asks for a step.

    A turn of several sentences is read by the one that asks (:func:`_asking`): "and the one before? like
    the step just below him?" asks "and the one before?"; "and for seniors? I'm curious where this
    leads." asks about seniors, and its aside's "this" points at nothing. A later question that asks
    afresh of the same answer is read with it ("healthcare's in there? what share of those hires go to it?").
    """
    text, fresh = core(text)
    if fresh:
        return Turn(False, text=text, fresh=True)
    parts = _asking(text)
    asked = [_read_one(p) for p in parts]
    first = next((i for i, t in enumerate(asked) if t.marked), None)
    if first is None:
        return asked[-1] if asked else _read_one(text)
    later = [i for i in range(first + 1, len(asked)) if asked[i].marked and _ASKS.search(parts[i])]
    if not later:
        return asked[first]
    # "healthcare's in there? ... what percentage of those hires go to healthcare?": a later question that
    # leans on the answer too (a question word and a reference) asks it as well; both are read as one turn
    both = " ".join(parts[first:later[-1] + 1])
    whole = _read_one(both)
    return whole if whole.marked else replace(asked[first], text=both)


#: question words: a turn that has one asks a whole question, however short ("why?" aside)
_ASKS = re.compile(r"\b(?:what|whats|what's|which|who|whom|whose|where|when|how|why|wat|wht)\b", re.I)


#: a turn of this many words at most, with no question word, is a fragment ("yrs?", "cost?", "duties")
TERSE_WORDS = 1


def _terse(text: str) -> bool:
    """Whether a turn is a fragment too short to ask on its own ("yrs?", "cost?", "duties"): it leans on
    the previous answer (two words already often ask afresh: "remote work?", "yearly price?")."""
    return 0 < len(words(text)) <= TERSE_WORDS and not _ASKS.search(text)


def end_asked(text: str) -> Turn | None:
    """``text`` read as a turn (:func:`read_turn`) when it asks for an end of a series ("what is the first
    level?", "the top one"); None at once for the many questions that name no end."""
    if not (_FIRST.search(text) or _LAST.search(text)):
        return None
    turn = read_turn(text)
    if turn.fresh:  # "random q but what's the very top of the ladder?": a new topic may ask for an end too
        turn = _read_one(turn.text)
    return turn if turn.step in ("first", "last") else None


def _asking(text: str) -> list[str]:
    """The sentences of a turn of several that ask (end with a question mark), in order; none for a turn of
    one sentence or with no question mark."""
    parts = sentences(text)
    return [p for p in parts if p.endswith(("?", "？"))] if len(parts) > 1 else []


def _read_one(text: str) -> Turn:
    """:func:`read_turn` of one sentence."""
    step: int | str = 0
    nth = _NTH.search(text)
    if _PARENT.search(text):
        step = "parent"
    elif nth:
        step = _ORDINALS[nth.group(1).lower()]
    elif _FIRST.search(text):
        step = "first"
    elif _LAST.search(text):
        step = "last"
    elif _NEXT.search(text):
        step = 1
    elif _PREVIOUS.search(text):
        step = -1
    count = _STEP_COUNT.search(text) if step in (1, -1) else None  # "two rungs below that"
    by = _COUNTS[count.group(1).lower()] if count else 1
    # "this job" is the document's subject, not a reference; "that position" points back at the previous answer
    pronoun = bool(_PRONOUN.search(_THIS_ROLE.sub(lambda m: m.group() if m.group()[:4].lower() == "that" else " ", text)))
    other = _OTHER.search(text)
    marked = bool(step) or bool(_ELLIPTIC.search(text)) or pronoun or bool(other) or _terse(text) or bool(MORE.search(text))
    if other is not None and other.group().lower() == "else" and _MORE_OF.search(text):
        other, pronoun = None, True  # "what else is included?": more of the previous answer, not another option
        text = _MORE_OF.sub(" ", text)  # ... which holds it by definition
    return Turn(marked, step, pronoun, text, other=other.group() if other else None, by=by)


class Outline:
    """Each entry's place in its document: parent, children, siblings, series."""

    def __init__(self, entries: tuple[Entry, ...], series: dict[str, list[str]]):
        # a long section's later passages (bot.knowledge.passages) are not sections of their own
        placed = [e for e in entries if e.kind != "faq" and not e.continues]
        self.by_path = {e.path: e for e in placed}
        self.children: dict[tuple, list[Entry]] = {}
        for e in placed:
            if len(e.path) >= 2:
                self.children.setdefault(e.path[:-1], []).append(e)
        self.by_id = {e.id: e for e in entries}
        self.series = series

    def parent(self, e: Entry) -> Entry | None:
        return self.by_path.get(e.path[:-1]) if e.kind != "faq" and len(e.path) >= 2 else None

    def siblings(self, e: Entry) -> list[Entry]:
        if e.kind == "faq" or len(e.path) < 2:
            return []
        return [s for s in self.children.get(e.path[:-1], []) if s.id != e.id]

    def kids(self, e: Entry) -> list[Entry]:
        return self.children.get(e.path, []) if e.kind != "faq" else []

    def relatives(self, e: Entry) -> list[Entry]:
        """Siblings first, then the parent and the children: where a follow-up's new words look first."""
        parent = self.parent(e)
        return self.siblings(e) + ([parent] if parent else []) + self.kids(e)

    def step(self, e: Entry, step: int | str) -> Entry | None:
        """The entry ``step`` away from ``e`` along its series, a group's first or last part, or its parent."""
        if step == "parent":
            return self.parent(e)
        if step in ("first", "last") or (isinstance(step, int) and step >= 2):
            parts = self.kids(e) or ([e] + self.siblings(e) if e.id in self.series else [])
            ids = self.series.get(parts[0].id) if parts and parts[0].id in self.series else [p.id for p in parts]
            place = {"first": 0, "last": len(ids) - 1}.get(step, step - 1 if isinstance(step, int) else -1)
            return self.by_id[ids[place]] if 0 <= place < len(ids) else None
        ids = self.series.get(e.id)
        if ids is None:
            kids = self.kids(e)
            if kids and step == 1:  # "the next step" after an overview: its first part
                first = kids[0]
                return self.by_id[self.series[first.id][0]] if first.id in self.series else first
            return None
        pos = ids.index(e.id) + int(step)
        return self.by_id[ids[pos]] if 0 <= pos < len(ids) else None


def subject_words(e: Entry, title_words: frozenset | None) -> str:
    """The words that name what ``e`` is about: its own title words ("senior" in a series of levels)."""
    own = title_words if title_words else frozenset(words(e.title))
    return " ".join(w for w in words(e.title) if w in own)


def without(q: Query, terms: frozenset) -> Query:
    """``q`` without ``terms`` (and their weights)."""
    if not terms or not terms & set(q.terms):
        return q
    kept = [(t, w) for t, w in zip(dict.fromkeys(q.terms), q.weights) if t not in terms]
    return replace(q, terms=tuple(t for t in q.terms if t not in terms), weights=tuple(w for _, w in kept))


#: "that plan", "this level", "the same stage": a noun pointing at what was just answered; "people at that
#: level", "folks in this role": the people it is about
DEMONSTRATIVE = re.compile(r"\b(?:that|this|these|those|the\s+same)\s+([^\W\d_]+)"
                           r"|\b(people|folks|guys|someone|somebody|persons?)"
                           r"(?=(?:\s+[^\W\d_]+){0,3}?\s+(?:at|in|on|of)\s+(?:that|this|these|those)\b)", re.I)
#: "what about the paid one?", "and the cheaper ones": another relative, described by a word
DESCRIBED = re.compile(r"^\W*(?:and|or|what\s+about|how\s+about)\s+(?:for\s+|with\s+|in\s+|on\s+|under\s+)?"
                       r"(?:the\s+([^\W\d_]+)\s+(?:ones?|plan|version|tier|option)\b|(?:the\s+)?([^\W\d_]+)\W*$)", re.I)
#: a question's word names a title's word when it is that word or, from this many letters, its start ("tech")
_PREFIX_MIN = 4


def names(words_: set, title: frozenset) -> bool:
    """Whether a question's terms name a title: one of them is a title term, the start of one ("tech" of
    "technical"), or one with "-er" / "-est" ("the softer stuff" names Soft Skills)."""
    return bool(words_ & title) or any((len(w) >= _PREFIX_MIN and t.startswith(w))
                                       or (len(t) >= 3 and w.startswith(t) and w[len(t):] in _DEGREES)
                                       for w in words_ for t in title)


#: the endings of an adjective's comparative and superlative ("softer", "softest")
_DEGREES = frozenset({"er", "est"})
