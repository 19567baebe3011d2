"""Frames: the words that say how a question is put, not what it asks about.

"List the top industries", "which skills should I start learning?", "what
comes after senior?", "the career stages from start to the top", "d'où
viennent les bitcoins ?": a request, a verb of acquiring, a step or an end of
a series, a span, an origin. :class:`bot.reading.Reader` drops these words (or,
for an end, those of them the document lacks), so that what is asked about
carries the question; :mod:`bot.moves` reads a span of a series.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .languages import language_code
from .text import words

_I = re.I


#: "where do X come from", "what does X depend on": the verb frames the question ("d'où viennent les nouveaux
#: bitcoins ?" asks how they come about, "de quoi dépend le prix ?" what sets it, whatever verb an answer
#: uses), per language
_ORIGIN = {
    "en": re.compile(r"\blead(?:s|ing)?\s+(?:up\s+)?(?:to|into)\b", _I),  # "what path leads to ...": a verb, not a rank
    "de": re.compile(r"\bwoher\s+(?:kommt|kommen|stammt|stammen)\b|\bwovon\s+(?:hängt|hängen|haengt|haengen)\b", _I),
    "fr": re.compile(r"\bd['’]\s*o[uù]\s+(?:vient|viennent|provient|proviennent|sort|sortent)\b"
                     r"|\bde\s+quoi\s+d[ée]pend(?:ent)?\b|\bd[ée]pend(?:ent)?\s+de\s+quoi\b", _I),
    "es": re.compile(r"\bde\s+d[oó]nde\s+(?:viene|vienen|sale|salen|proviene|provienen)\b"
                     r"|\bde\s+qu[eé]\s+depende(?:n)?\b|\bdepende(?:n)?\s+de\s+qu[eé]\b", _I),
    "pt": re.compile(r"\bde\s+onde\s+(?:vem|vêm|veem|vem|surge|surgem|sai|saem|aparece|aparecem|prov[eé]m)\b"
                     r"|\bde\s+qu[eê]\s+depende(?:m)?\b|\bdepende(?:m)?\s+de\s+qu[eê]\b", _I),
    "it": re.compile(r"\bda\s+dove\s+(?:viene|vengono|arriva|arrivano|proviene|provengono|esce|escono)\b"
                     r"|\bda\s+cosa\s+dipend(?:e|ono)\b|\bdipend(?:e|ono)\s+da\s+cosa\b", _I),
}


#: a request that opens a question ("list the top industries", "show me the plans", "please describe ..."): it
#: asks for the rest, whatever the document calls it; per language (English only so far)
_REQUEST = {
    "en": re.compile(r"^\W*(?:(?:ok(?:ay)?|so|hi|hey|hello|please|pls|plz|can\s+you|could\s+you|would\s+you)\W+)*"
                     r"(?:(?:list|show|name|describe|summari[sz]e|outline|give|sum\s+up|recap|go\s+over|break\s+down)(?:\s+(?:me|us))?"
                     r"|(?:walk|take|run|talk)\s+(?:me|us)\s+through(?:\s+the\s+whole)?)\b"
                     r"|^\W*(?:is|would)\s+it\s+(?:be\s+)?possible\b", _I),
}
#: ... or asks the bot's advice on the rest ("where would you suggest I look ...?"; not "recommend", which a
#: document may say of what it recommends: "Can you recommend a good Django course?" keeps it)
_ADVICE = {"en": re.compile(r"\b(?:would|could|do|can|will)\s+you\s+(?:suggest|advise|propose)\b", _I)}
#: ... or that ends it ("wfh possible?")
_REQUEST_END = {"en": re.compile(r"\b(?:possible|doable|an\s+option)\W*$", _I)}
#: ... when what is asked for is several things or a kind ("which skills", "what kind of degree"; not "which
#: Python version should I learn first?", one thing the document would have to name)
_KINDS_OF = re.compile(r"(?:[a-z]{3,}s|\b(?:kind|type|sort)s?\s+of\s+\w+)\s*$", _I)
#: which things to acquire: "which skills should I (start) learn(ing)?", "what frameworks do I pick up?", "which
#: certifications would help me stand out?" ask which skills, frameworks, certifications, whatever the verb
_ACQUIRE = {"en": re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:which|what)\s+(?P<object>(?:\w+\s+){1,3}?)"
    r"(?:should|would|could|must|do|does|can|to|need\s+to|have\s+to|ought\s+to)\s+"
    r"(?:(?:i|we|you|one|they|he|she|people|someone|a\s+beginner|beginners)\s+)?"
    r"(?P<verb>(?:(?:start|begin|first|also|really|ideally|still|actually|go\s+and|try\s+to|be|need\s+to|"
    r"have\s+to|want\s+to|got\s+to)\s+)*"
    r"(?:learn(?:ing)?|study(?:ing)?|pick(?:ing)?\s+up|master(?:ing)?|acquir(?:e|ing)|focus(?:ing)?\s+on|"
    r"work(?:ing)?\s+on|brush(?:ing)?\s+up\s+on|go\s+for|aim\s+for|pursu(?:e|ing)|"
    r"us(?:e|ing)|check(?:ing)?(?:\s+out)?|tr(?:y|ying)(?:\s+out)?|visit(?:ing)?|consider(?:ing)?|look(?:ing)?\s+(?:at|into)|"
    r"help\s+(?:me|you|them|someone|one)\s+(?:to\s+)?stand\s+out))\b", _I)}


def request_frame(text: str, lang: str = "en") -> list[str]:
    """The verb of a request that opens ``text`` ("list", "show me", "could you describe", "is it possible to"),
    the words that end it asking whether something can be ("wfh possible?"), or the verb that asks which things
    to acquire ("which skills should I start learning?", :data:`_ACQUIRE`): they frame the question; what it
    asks for is the rest."""
    lang = language_code(lang)
    pattern, end, acquire = _REQUEST.get(lang), _REQUEST_END.get(lang), _ACQUIRE.get(lang)
    m = pattern.match(text) if pattern is not None and text else None
    m_end = end.search(text) if end is not None and text else None
    m_acq = acquire.match(text) if acquire is not None and text else None
    advice = _ADVICE.get(lang)
    asked = [w for a in advice.finditer(text) for w in words(a.group(0))] if advice is not None and text else []
    verb = words(m_acq.group("verb")) if m_acq and _KINDS_OF.search(m_acq.group("object")) else []
    return (words(m.group(0)) if m else []) + (words(m_end.group(0)) if m_end else []) + verb + asked


#: a step or an end of a series asked: "what comes after senior?", "the highest title", "the final boss level";
#: the verb of the step always frames the question, the words of the end when the document lacks them
_STEP_VERB = {"en": re.compile(r"\b(?:comes?|coming|goes|follows?)(?=\s+(?:right\s+|just\s+|directly\s+|straight\s+)?"
                               r"(?:after|before|next|above|below)\b)"
                               r"|\bnext(?=\s+(?:[^\W\d_]+\s+){0,2}?(?:after|above|beyond|past|from)\b)", _I)}  # "next step after"
_END_PHRASE = {"en": re.compile(r"\b(?:last|final|top|highest|lowest|first|earliest|most\s+senior)\s+(?:\w+\s+)?"
                                r"(?:step|stage|level|lvl|position|role|rung|title|rank|grade|tier|job)s?\b"
                                r"|\b(?:highest|furthest|farthest|top|max|maximum)\s+(?:\w+\s+){0,4}?"
                                r"(?:can|could|will)\s+"
                                r"(?:go|get|reach|climb|rise|advance)\b", _I)}  # "the highest you can go"


#: "at which level does team leadership start?", "at what stage do you start managing a team?": the verb asks
#: which stage holds the rest, not about starting
_STAGE_STARTS = {"en": re.compile(r"\b(?:what|which)\s+(?:\w+\s+)?(?:level|stage|step|point|rung|tier|grade|lvl)\b"
                                  r"[^.?!]*?\b((?:start|begin|kick|come)(?:s|ing)?(?:\s+in)?)\b", _I)}


@lru_cache(maxsize=4096)
def step_frame(text: str, lang: str = "en") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words that ask for a step along a series or for its end: ``(verbs, ends)``. The verb of a step
    ("comes" in "what comes after senior?") frames the question whatever the document says; the words of an
    end ("highest title", "final boss level") frame it where the document lacks them."""
    lang = language_code(lang)
    verb, end = _STEP_VERB.get(lang), _END_PHRASE.get(lang)
    if verb is None or not text:
        return (), ()
    starts = _STAGE_STARTS.get(lang)
    return (tuple(w for m in verb.finditer(text) for w in words(m.group(0)))
            + (tuple(w for m in starts.finditer(text) for w in words(m.group(1))) if starts is not None else ()),
            tuple(w for m in end.finditer(text) for w in words(m.group(0))))


#: "from start to the top", "from the beginning to the end", "first to last": both ends of a series, by language
FROM_TO = {"en": re.compile(r"\b(?:from\s+)?(?:the\s+|a\s+)?(?:very\s+|total\s+|complete\s+|absolute\s+)?"
                            r"(?:start|beginning|bottom|first|entry[\s-]level|lowest|newbie|beginner|novice|"
                            r"scratch|zero)"
                            r"\s+(?:\w+\s+){0,4}?(?:to|till|until|through)\s+(?:the\s+)?(?:very\s+)?"
                            r"(?:top|end|last|finish|highest)\b", _I)}


#: a span between two things named: "from junior to principal", "between junior and senior", "all the levels"
SPAN = {"en": re.compile(r"\bfrom\b.+\b(?:to|till|until|through)\b|\bbetween\b.+\band\b"
                         r"|\ball\s+(?:the\s+)?(?:\w+\s+)?"
                         r"(?:levels|stages|steps|ranks|titles|positions|roles|tiers)\b", _I)}


@lru_cache(maxsize=4096)
def span_frame(text: str, lang: str = "en") -> tuple[str, ...]:
    """The words that ask for a whole series by its ends ("from start to the top"): they frame the question."""
    pattern = FROM_TO.get(language_code(lang))
    return tuple(w for m in pattern.finditer(text) for w in words(m.group(0))) if pattern is not None and text else ()


def origin_frame(text: str, lang: str = "en") -> list[str]:
    """The words that ask "where from" or "on what" ("d'où viennent", "woher kommen", "de qué depende"): a
    frame, not the topic, which is the thing whose origin or cause is asked."""
    pattern = _ORIGIN.get(language_code(lang))
    if pattern is None or not text:
        return []
    return [w for m in pattern.finditer(text) for w in words(m.group(0))]


#: a plan described as paid ("the paid tier", "premium", "if I pay", "upgraded") or as free ("no-cost", "free"), by
#: language
_PAID = {"en": re.compile(r"\b(?:paid|premium|(?<!without\s)(?<!not\s)(?:paying|upgrad(?:e|es|ed|ing))|non[\s-]free"
                          r"|not\s+free|(?:if|when)\s+i\s+pay|priciest|pricier|most\s+expensive)\b", _I)}
_FREE = {"en": re.compile(r"(?<![-\w])(?<!ad )(?<!ads )(?:free|no[\s-]cost|gratis|without\s+(?:paying|upgrading)|unpaid"
                          r"|cheapest|cheaper|least\s+expensive)\b",
                          _I)}


@lru_cache(maxsize=4096)
def paid_or_free(text: str, lang: str = "en") -> str | None:
    """"paid" or "free" when ``text`` describes a plan as one and not the other ("how much is the paid tier?"),
    else None."""
    lang = language_code(lang)
    paid, free = _PAID.get(lang), _FREE.get(lang)
    if paid is None or not text:
        return None
    p, f = bool(paid.search(text)), bool(free.search(text))
    return "paid" if p and not f else "free" if f and not p else None


@lru_cache(maxsize=4096)
def price_words(text: str, lang: str = "en") -> tuple[str, ...]:
    """The words that describe a plan as paid or free in ``text`` ("premium", "if I pay", "no-cost")."""
    lang = language_code(lang)
    said = paid_or_free(text, lang)
    pattern = (_PAID if said == "paid" else _FREE).get(lang) if said else None
    return tuple(w for m in pattern.finditer(text) for w in words(m.group(0))) if pattern is not None else ()


@lru_cache(maxsize=4096)
def asks_span(text: str, lang: str = "en") -> tuple[bool, bool]:
    """``(ends, span)``: whether ``text`` asks from one end of a series to the other (:data:`FROM_TO`), and
    whether it asks for a span at all (:data:`SPAN`, or the ends)."""
    lang = language_code(lang)
    ends = FROM_TO.get(lang)
    span = SPAN.get(lang)
    e = bool(ends.search(text)) if ends is not None else False
    return e, e or (bool(span.search(text)) if span is not None else False)


#: a question about the document itself: "what's this guide about?", "what does this page cover?", by language
_ABOUT_DOCUMENT = {"en": re.compile(
    r"\bwhat(?:'?s|\s+is)\s+(?:this|the|your)\s+(?:guide|page|document|doc|article|site|website|faq)\s+"
    r"(?:(?:even|all|really|actually|mainly)\s+)*(?:about|for)\W*$"
    r"|\bwhat\s+(?:does|do)\s+(?:this|the|your)\s+(?:guide|page|document|doc|article|site|website|faq)\s+"
    r"(?:(?:even|really|actually|mainly)\s+)*(?:cover|say|explain|talk\s+about)\W*$", _I)}


@lru_cache(maxsize=4096)
def asks_about_document(text: str, lang: str = "en") -> bool:
    """Whether ``text`` asks what the document itself is about ("what's this guide even about?")."""
    return _finds(_ABOUT_DOCUMENT, text, lang)


#: the words that name a series or its stages as such ("the ladder", "the first level", "the very beginning"), not
#: a visitor's own "first job"
_SERIES_NOUN = {"en": re.compile(r"\b(?:levels?|lvls?|stages?|steps?|rungs?|ladder|tiers?|grades?|titles?|ranks?|path"
                                 r"|progression|phase)\b|\bvery\s+(?:top|beginning|start|bottom|first|last|end)\b", _I)}


@lru_cache(maxsize=4096)
def names_series(text: str, lang: str = "en") -> bool:
    """Whether ``text`` names a series or its stages as such (:data:`_SERIES_NOUN`)."""
    return _finds(_SERIES_NOUN, text, lang)


def _finds(patterns: dict, text: str, lang: str) -> bool:
    """Whether the pattern of ``lang`` (if it has one) is found in ``text``."""
    pattern = patterns.get(language_code(lang))
    return bool(pattern is not None and text and pattern.search(text))


#: the words that compare two things: "plus vs free", "the difference between", "what does X add on top of Y"
_COMPARING = {"en": re.compile(r"\b(?:vs\.?|versus|diff(?:erence)?s?|compared?\s+(?:to|with)|comparison|on\s+top\s+of"
                               r"|extra|more\s+than|adds?|over|between)\b", _I)}


@lru_cache(maxsize=4096)
def compared_words(text: str, lang: str = "en") -> tuple[str, ...]:
    """The words of ``text`` that compare two things (:data:`_COMPARING`)."""
    pattern = _COMPARING.get(language_code(lang))
    return tuple(w for m in pattern.finditer(text) for w in words(m.group(0))) if pattern is not None and text else ()
