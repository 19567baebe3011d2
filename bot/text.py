"""Text normalisation shared by sources and queries.

Everything that turns raw text into comparable words lives here, so that a
knowledge base and a visitor's question are treated exactly alike:

* :func:`repair` fixes mojibake (ftfy first, then legacy code pages ftfy's
  heuristics miss, such as UTF-8 read as cp1253);
* :func:`fold` normalises unicode, case, quotes and dashes;
* :func:`words` splits folded text into raw word tokens, and
  :func:`strip_accents` removes accents ("téléphone" -> "telephone").

Languages (stemmers, stop words, word lists) are :mod:`bot.languages`,
synonym tables :mod:`bot.synonyms`, and turning text into stemmed content
terms :mod:`bot.analyzer`. :data:`DATA` is the engine's folder of word
tables (``bot/data``), which they read.
"""
from __future__ import annotations

import re
import unicodedata
from importlib import resources
from typing import Iterable

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy-windows-*" codecs)


# --------------------------------------------------------------------------
# mojibake

#: Code pages that UTF-8 text is commonly mis-decoded as, tried in order.
_LEGACY_CODECS = (
    "sloppy-windows-1252",
    "sloppy-windows-1253",
    "sloppy-windows-1251",
    "sloppy-windows-1250",
    "sloppy-windows-1254",
    "latin-1",
)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")


def _redecode(run: str) -> str:
    """Return ``run`` re-decoded as UTF-8 if it is UTF-8 read in a legacy code page."""
    for codec in _LEGACY_CODECS:
        try:
            fixed = run.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        # A real repair always shrinks the run (2-4 bytes became one character)
        # and never yields control characters.
        if len(fixed) < len(run) and not any(unicodedata.category(c) == "Cc" for c in fixed):
            return fixed
    return run


_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Unicode's Cc category: C0 controls, DEL and C1 controls
_CC = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def repair(text: str) -> str:
    """Repair mojibake and unicode oddities in source text.

    ftfy handles the common cases; runs of non-ASCII characters that are still
    UTF-8 bytes decoded in a legacy code page (``β€Ί`` is ``›`` read as cp1253,
    which ftfy 6.3 does not recognise) are re-decoded one run at a time, so
    genuine non-Latin text is never touched.
    """
    if text.isascii() and not _ASCII_CONTROL.search(text):
        return text  # plain ASCII without control characters has nothing to repair
    text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False, fix_latin_ligatures=False,
                         fix_character_width=False, fix_line_breaks=False)
    return _NON_ASCII_RUN.sub(lambda m: _redecode(m.group(0)), text)


# --------------------------------------------------------------------------
# folding

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_QUOTES = re.compile(r"[\u2018\u2019\u02bc`´]")
_DQUOTES = re.compile(r"[\u201c\u201d\u201e]")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Unicode-normalise, lower-case and unify dashes, quotes and spaces."""
    if text.isascii():  # nothing to normalise, no typographic dashes or quotes
        return _SPACES.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DASHES.sub("-", text)
    text = _QUOTES.sub("'", text)
    text = _DQUOTES.sub('"', text)
    return _SPACES.sub(" ", text).strip()


def clean_line(text: str) -> str:
    """Normalise one line of display text: NFC, single spaces, no control chars."""
    text = unicodedata.normalize("NFC", text)
    text = _CC.sub(lambda m: m.group(0) if m.group(0) == "\t" else "", text)
    return _SPACES.sub(" ", text).strip()


# --------------------------------------------------------------------------
# tokens

# Words: letters/digits of any script, keeping c++ / c# style names whole.
# Possessive 's is removed first; French and Italian elisions ("l'adresse",
# "qu'est", "dell'ordine") are split off; other apostrophes are dropped
# ("don't" -> "dont").
_TOKEN = re.compile(r"[a-z][+#]{1,2}(?![^\W_])|[^\W_]+")
_POSSESSIVE = re.compile(r"'s\b")
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu|quelqu|dell|dall|nell|sull|all|coll|un|quest"
                      r"|quell|tutt)'(?=[^\W\d_])")


def words(text: str) -> list[str]:
    """Split folded text into raw word tokens (no stemming, no stop words)."""
    # ASCII folds to its lower case (no dashes, quotes or compatibility forms to unify)
    text = text.lower().replace("`", "'") if text.isascii() else fold(text)
    if "'" in text:  # possessives and elisions ("l'adresse") need an apostrophe
        text = _ELISION.sub(lambda m: m.group(0)[:-1] + " ", _POSSESSIVE.sub("", text)).replace("'", "")
    return _TOKEN.findall(text)


#: where one sentence of a question ends: . ! ? ; : … then a space, a dash between spaces, an emoji
_SENTENCE_BREAK = re.compile(r"(?<=[.!?;:…])\s+|\s+[-–—]\s+|\s*[\u2600-\u27bf\U0001f300-\U0001faff]+\s*")


def sentences(text: str) -> list[str]:
    """``text``'s sentences: split after . ! ? ; : and …, at spaced dashes and at emoji ("Quick one, sorry if
    this is silly: how long ...?" asks the part after the colon)."""
    return [p for p in (s.strip() for s in _SENTENCE_BREAK.split(text)) if p]


#: English words that introduce the question a sentence embeds after its story ("I just finished a bootcamp,
#: so I'm curious what a junior actually does"; "..., and I'm wondering which certifications you'd recommend")
_EMBEDS = re.compile(r"\b(?:i'?m|i\s+am|i\s+was)\s+(?:(?:just|really|so|a\s+bit|kind\s+of|kinda)\s+)?"
                     r"(?:curious|wondering|not\s+sure)\b(?:\s+(?:about|as\s+to))?"
                     r"|\b(?:have|got|with)\s+(?:no|zero)\s+(?:clue|idea)\b(?:\s+(?:about|as\s+to))?"
                     r"|\b(?:not|never)\s+(?:really\s+)?sure\b(?:\s+(?:about|as\s+to))?"
                     r"|\b(?:asked|asks|asking)(?:\s+(?:me|us|him|her|them))?(?=\s+(?:what|which|how|where|when|why|who|whether)\b)"
                     r"|\bi\s+(?:wonder|wanted\s+to\s+(?:check|ask|know)|want\s+to\s+(?:check|ask|know))\b"
                     r"|\b(?:need|want|like|love)\s+to\s+(?:know|understand|find\s+out|learn)\b", re.I)


#: a request for the answer that says nothing of what is asked ("..., could you explain it in plain terms?", "how
#: would you explain that?"): the question is what comes before it
_BARE_REQUEST = re.compile(r"(?:^|,|\s)\W*(?:(?:so|and|but|ok|okay)\s+)?(?:(?:could|can|would|will)\s+you"
                           r"|how\s+(?:would|could|do)\s+you)\s+(?:please\s+)?"
                           r"(?:explain|describe|clarify|elaborate(?:\s+on)?|tell\s+me(?:\s+more)?|help(?:\s+me)?)"
                           r"(?:\s+(?:it|that|this|them|please|more|a\s+bit|to\s+me|simply|briefly|lol|haha|"
                           r"in\s+(?:plain|simple|layman'?s?|easy)\s+(?:terms|words|english)))*[\s?!.]*$", re.I)


#: a sentence that starts by asking ("is django or fastapi better ..., which one ...?"): its first clause asks
_ASKS_FIRST = re.compile(r"\W*(?:is|are|do|does|did|can|could|should|would|will|what|whats|what's|which|how|where"
                         r"|when|why|who)\b", re.I)
#: a question clause after a comma that ends the sentence ("..., what soft skills does this job need?")
_CLAUSE = re.compile(r",\s+(?:(?:so|and|but|then|now)\s+)?((?:what|which|how|where|when|why|who|whats|what's)\b[^,]*)$",
                     re.I)
#: a yes/no question clause after a comma that ends a sentence whose opening is a statement of its own, of
#: ``_STATEMENT_WORDS`` words or more ("I hate meetings and talking to people, is communication ...?"; not
#: "Besides the degree, is there anything else ...?", whose opening belongs to the question)
_YES_NO_CLAUSE = re.compile(r",\s+(?:(?:so|and|but|then|now)\s+)?((?:is|are|do|does|can|could|should|would|will)\b[^,]*)$",
                            re.I)
_STATEMENT_WORDS = 4
#: a wh-clause that only points back at the words before it ("..., what's that about?"); a yes/no one ("my
#: friend says they pay well, is that true?") asks about a statement, and the statement is read as its story
_POINTING_CLAUSE = re.compile(r"(?:(?:what|whats|how|which|is|are|was|does|do|did|can|could|would|it|that|this|they|"
                              r"those|these|them|'s|s|about|exactly|really|actually|even|mean|means|involve|entail|"
                              r"true|right|so|all|like|then|now)\b[\s'?!.]*)+$", re.I)
#: ", or is it ...", "or should I ...", "or nah": the visitor's guess at another answer after the question
_OR_GUESS = re.compile(r",?\s+or\s+(?:is|are|am|was|were|do|does|did|should|would|will|can|could|just|nah|not|rather)\b.*$",
                       re.I)
#: a purpose clause that ends a question ("... expected at the middle level so I can prepare?")
_PURPOSE = re.compile(r",?\s+so\s+(?:that\s+)?(?:i|we)\s+(?:can|could|will|would|may|might|know|understand)\b[^?]*\??\s*$"
                      r"|,?\s+(?:in\s+order\s+)?to\s+(?:get|be)\s+hired\b[^?]*\??\s*$"  # "do I need a degree to get hired?"
                      r"|,?\s+(?:in\s+order\s+)?to\s+(?:land|get|find)\s+(?:a|an|the|my\s+first|my)\s+(?:job|role|position)\b[^?]*\??\s*$",
                      re.I)


def asking_sentence(text: str) -> str | None:
    """The sentence that asks, in a question of several ("I've been a teacher for 10 years. What schooling do
    people in this job have?" -> the second): the last that ends with a question mark, else the last; in a
    question of one sentence, what follows the words that introduce the question it embeds after a story
    (:data:`_EMBEDS`: "..., so I'm curious what a junior does" -> "what a junior does"), or the question clause
    that ends a statement (:data:`_CLAUSE`, :data:`_YES_NO_CLAUSE`); in any of them without the visitor's guess
    at another answer (:data:`_OR_GUESS`, "... or is it just cleanup?") or why they ask (:data:`_PURPOSE`,
    "... so I can prepare?"); None when that leaves the question as it is."""
    parts = sentences(text)
    whole = text
    if len(parts) > 1 and _BARE_REQUEST.match(parts[-1]):  # "... what they do all day. could you explain?"
        parts = parts[:-1]
        whole = " ".join(parts)
    asking = [p for p in parts if p.endswith(("?", "？", "¿"))]
    sentence = (asking[-1] if asking else parts[-1]) if len(parts) > 1 else whole
    bare = _BARE_REQUEST.search(sentence)
    if bare is not None and bare.start() > 0 and len(sentence[:bare.start()].split()) >= 3:
        sentence = sentence[:bare.start()].rstrip(" ,;-") + "?"  # "..., could you explain it in plain terms?"
    marks = list(_EMBEDS.finditer(sentence))
    embedded = sentence[marks[-1].end():].strip(" ,:;-") if marks and marks[-1].start() > 0 else ""
    clause = None
    if not embedded and sentence.endswith(("?", "？")) and not _ASKS_FIRST.match(sentence):
        clause = _CLAUSE.search(sentence)
        if clause is None:
            clause = _YES_NO_CLAUSE.search(sentence)
            if clause is not None and len(sentence[:clause.start()].split()) < _STATEMENT_WORDS:
                clause = None
    if clause is not None and clause.re is _CLAUSE and _POINTING_CLAUSE.match(clause.group(1)):
        clause = None  # "the top level, principal, what's that about?": the opening is what it asks
    if clause is not None:  # "Honestly I'm nervous about the people part, what soft skills does it need?"
        embedded = sentence[clause.start(1):]
    asked = embedded if len(embedded.split()) >= 2 else sentence if len(parts) > 1 else whole
    guess = _OR_GUESS.search(asked)  # "do juniors build features or is it just cleanup?": the visitor's guess at
    if guess is not None and len(asked[:guess.start()].split()) >= _STATEMENT_WORDS:  # the other answer is an aside
        asked = asked[:guess.start()] + "?" * asked.endswith(("?", "？"))
    purpose = _PURPOSE.search(asked)  # "..., so I can prepare?": why the visitor asks, not what
    if purpose is not None and len(asked[:purpose.start()].split()) >= 3:
        asked = asked[:purpose.start()] + "?" * asked.endswith(("?", "？"))
    return asked if asked != text else None


def strip_accents(text: str) -> str:
    """``"téléphone"`` -> ``"telephone"``: visitors often type without accents."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --------------------------------------------------------------------------
# data files: stop words, synonyms, word tables

DATA = resources.files("bot") / "data"


def data_lines(text: str) -> Iterable[str]:
    """The lines of a data file that say something: ``#`` comments and blank lines dropped."""
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            yield line
