"""Text normalisation shared by sources and queries.

Everything that turns raw text into comparable tokens lives here, so that a
knowledge base and a visitor's question are treated exactly alike:

* :func:`repair` fixes mojibake (ftfy first, then legacy code pages ftfy's
  heuristics miss, such as UTF-8 read as cp1253);
* :func:`fold` normalises unicode, case, quotes and dashes;
* :class:`Analyzer` turns text into stemmed tokens, applying a synonym table
  (:class:`Synonyms`) and dropping stop words.

Reading follows the knowledge base's language (ISO 639-1 code, English by
default; :func:`detect_language` guesses it from text): the Snowball stemmer
of that language, its stop words, German compounds split against the
document's own words, and a general word list for spelling repair
(:func:`common_words`). English reads exactly as it always has.
"""
from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy-windows-*" codecs)
import Stemmer

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


#: ISO 639-1 code -> PyStemmer's Snowball algorithm
STEMMERS = {"en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian",
            "pt": "portuguese", "nl": "dutch", "sv": "swedish", "da": "danish", "no": "norwegian",
            "nb": "norwegian", "fi": "finnish", "ru": "russian", "hu": "hungarian", "ro": "romanian",
            "tr": "turkish", "ca": "catalan", "cs": "czech", "el": "greek", "pl": "polish", "ar": "arabic",
            "eu": "basque", "id": "indonesian", "ga": "irish", "lt": "lithuanian", "et": "estonian",
            "hi": "hindi", "ne": "nepali", "sr": "serbian", "ta": "tamil", "hy": "armenian", "yi": "yiddish",
            "fa": "persian", "eo": "esperanto"}
#: languages whose compounds are split against the document's words ("Transaktionsgebühren")
COMPOUNDING = frozenset({"de"})


def language_code(language: str | None) -> str:
    """``"de"``, ``"DE"``, ``"de-AT"`` -> ``"de"``; empty -> ``"en"``."""
    code = (language or "en").strip().lower().replace("_", "-").split("-")[0]
    return code or "en"


@lru_cache(maxsize=64)
def _stemmer_for(language: str):
    name = STEMMERS.get(language)
    if name is None or name not in Stemmer.algorithms():
        return None
    return Stemmer.Stemmer(name)


def strip_accents(text: str) -> str:
    """``"téléphone"`` -> ``"telephone"``: visitors often type without accents."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def stem(word: str, language: str = "en") -> str:
    """Snowball stem of one lower-case word in ``language`` (Porter2 for English; cached).

    Outside English, accents are removed before stemming, so "minería" and
    "mineria" read alike (visitors often type without them); a language
    without a stemmer keeps the word, accents removed.
    """
    if not word.isalpha():
        return word
    if language == "en":
        return _english_stemmer.stemWord(word)
    word = strip_accents(word)  # before stemming, so both spellings take the same path through the stemmer
    if language in _LOAN_PLURALS and len(word) >= 4 and _LOAN_PLURAL.search(word):
        word = word[:-1]  # "bitcoins", "tokens": a borrowed plural, read as its singular
    stemmer = _stemmer_for(language)
    if stemmer is None:
        return word
    out = stemmer.stemWord(word)
    if language == "de" and len(out) >= 6 and out.endswith(("iert", "ier")):
        # the German stemmer leaves a "-ieren" verb's "-iert" forms and "-ierung" nouns apart from it
        # ("skalieren" -> "skali", "skaliert" -> "skaliert", "Skalierung" -> "skalier"): all read "skali"
        out = out[:-3] if out.endswith("t") else out[:-2]
    return out


#: languages whose own words never end in a consonant and "s" (their plurals end in a vowel, "-es" or
#: change the vowel), so such a word is a borrowed plural ("bitcoins", "wallets", "apps") that
#: their stemmers leave whole, apart from its singular
_LOAN_PLURALS = frozenset({"es", "it"})
_LOAN_PLURAL = re.compile(r"[b-df-hj-np-rtv-z]s$")

_english_stemmer = Stemmer.Stemmer("english")
_STEMS: dict[str, dict[str, str]] = {}
_STEM_CACHE = 200_000


def stems(ws: list[str], language: str = "en") -> list[str]:
    """:func:`stem` of every word (one dictionary look-up each for words seen before)."""
    cache = _STEMS.get(language)
    if cache is None or len(cache) > _STEM_CACHE:
        cache = _STEMS[language] = {}
    get = cache.get
    out = [get(w) for w in ws]
    if None in out:
        for k, (s, w) in enumerate(zip(out, ws)):
            if s is None:
                out[k] = cache[w] = stem(w, language)
    return out


# --------------------------------------------------------------------------
# data files: stop words and synonyms

DATA = resources.files("bot") / "data"


def _data_lines(text: str) -> Iterable[str]:
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            yield line


#: what French and Italian elisions leave as words of their own ("l'", "dell'"), see :func:`words`
_ELIDED = frozenset("c d j l m n s t qu jusqu lorsqu puisqu quoiqu quelqu dell dall nell sull all coll un quest "
                    "quell tutt".split())


@lru_cache(maxsize=16)
def stop_words(language: str = "en") -> frozenset[str]:
    """Function words and chat filler that say nothing about a topic, in ``language``.

    English: ``bot/data/stopwords.txt``. Others: the ``stop-words`` package's
    list for the language plus ``bot/data/stopwords.<language>.txt`` (question
    words and chat filler), folded like text, with and without accents (none
    for a language it lacks).
    """
    if language == "en":
        text = (DATA / "stopwords.txt").read_text(encoding="utf-8")
        return frozenset(w for line in _data_lines(text) for w in line.split())
    from stop_words import LANGUAGE_MAPPING, get_stop_words

    listed = list(get_stop_words(language)) if language in LANGUAGE_MAPPING else []
    extra = DATA / f"stopwords.{language}.txt"  # question words and chat filler the package lacks
    if extra.is_file():
        listed += list(_data_lines(extra.read_text(encoding="utf-8")))
    out = {w for phrase in listed for w in words(phrase)}
    out |= {strip_accents(w) for w in out}  # visitors often type without accents
    if language in ("fr", "it", "ca"):
        out |= _ELIDED
    return frozenset(out)


class Synonyms:
    """A table of equivalent terms, applied to sources and queries alike.

    Each line of a synonyms file reads ``canonical: alternate, alternate``.
    Alternates may be several words (``work from home``). Matching happens on
    stems, so ``yr``, ``yrs`` and ``years`` all become the canonical token
    whether singular or plural. Tables merge with :meth:`extend`, later lines
    winning, which is how a knowledge base's curation file adds its own.
    """

    def __init__(self, groups: dict[str, list[str]] | None = None, language: str = "en"):
        #: the language the table's words are stemmed in
        self.language = language_code(language)
        self.groups: dict[str, list[str]] = {}
        self._single: dict[str, tuple[str, ...]] = {}
        self._phrases: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        self._by_first: dict[str, list] = {}
        if groups:
            self.extend(groups)

    @classmethod
    def parse(cls, text: str, source: str = "<synonyms>", language: str = "en") -> "Synonyms":
        """Parse ``canonical: alt, alt`` lines; raise ValueError naming the line."""
        groups: dict[str, list[str]] = {}
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            head, sep, tail = line.partition(":")
            alts = [a.strip() for a in tail.split(",") if a.strip()]
            if not sep or not head.strip() or not alts:
                raise ValueError(f"{source}, line {number}: expected 'canonical: alternate, ...'")
            groups.setdefault(head.strip(), []).extend(alts)
        return cls(groups, language)

    def extend(self, groups: dict[str, Iterable[str]]) -> "Synonyms":
        """Add groups (``canonical -> alternates``); returns self.

        A canonical phrase is read through the groups before it ("job
        platform" after "role: job" becomes the terms of "role platform"), so
        an alternate gives the terms the canonical phrase gives in a text.
        """
        lang = self.language
        for canonical, alts in groups.items():
            stems = [stem(w, lang) for w in words(canonical)]
            target = tuple(t2 for t in stems for t2 in self._single.get(t, (t,))) if len(stems) > 1 else tuple(stems)
            if not target:
                continue
            alts = list(alts)
            self.groups.setdefault(canonical, []).extend(alts)
            for alt in alts:
                key = tuple(stem(w, lang) for w in words(alt))
                if not key or key == target:
                    continue
                if len(key) == 1:
                    self._single[key[0]] = target
                else:
                    self._phrases.append((key, target))
        self._phrases.sort(key=lambda p: -len(p[0]))
        self._by_first: dict[str, list] = {}
        for key, target in self._phrases:
            self._by_first.setdefault(key[0], []).append((key, target))
        return self

    def abbreviate(self, short: str, phrase: str) -> bool:
        """Let ``short`` stand for ``phrase`` (as the table already reads the phrase); False if ``short`` is taken.

        For abbreviations a document defines itself ("Certified Kubernetes
        Administrator (CKA)", see :func:`defined_abbreviations`): the table's
        own entries win, and the phrase is read through the table, so "CKA" and
        the phrase give the same terms.
        """
        key = stem(fold(short), self.language)
        if not key.isalnum() or key in self._single or key in self._by_first:
            return False
        target = tuple(self.apply([stem(w, self.language) for w in words(phrase)]))
        if not target or target == (key,):
            return False
        self._single[key] = target
        self.groups.setdefault(phrase, []).append(short)
        return True

    def copy(self) -> "Synonyms":
        return Synonyms({k: list(v) for k, v in self.groups.items()}, self.language)

    def apply(self, stems: list[str]) -> list[str]:
        """Rewrite alternates (longest phrase first) to their canonical stems."""
        phrases = self._by_first
        single = self._single
        hits = [i for i, t in enumerate(stems) if t in single or t in phrases]
        if not hits:
            return list(stems)
        out: list[str] = []
        done = 0  # stems before this index are in out
        for i in hits:
            if i < done:
                continue  # inside a phrase already rewritten
            out.extend(stems[done:i])
            t = stems[i]
            for key, target in phrases.get(t, ()):
                if tuple(stems[i:i + len(key)]) == key:
                    out.extend(target)
                    done = i + len(key)
                    break
            else:
                out.extend(single.get(t, (t,)))
                done = i + 1
        out.extend(stems[done:])
        return out

    def vocabulary(self) -> set[str]:
        """Every surface word the table knows (for spelling repair)."""
        return {w for canonical, alts in self.groups.items()
                for phrase in (canonical, *alts) for w in words(phrase)}

    def __len__(self) -> int:
        return sum(len(v) for v in self.groups.values())


#: "Long Words Like This (LWLT)": a capitalised phrase, then its initials in brackets
_DEFINED = re.compile(r"((?:[A-Z][\w/+-]*\s+(?:(?:of|and|for|the|in|on|&)\s+)?){1,7})\(([A-Z][A-Za-z0-9&]{1,7})\)")
_LINKING = {"of", "and", "for", "the", "in", "on", "&"}
_BRACKETED = re.compile(r"\([A-Z][A-Za-z0-9&]{1,7}\)")


def defined_abbreviations(text: str) -> dict[str, str]:
    """Abbreviations a text defines: ``{"CKA": "Certified Kubernetes Administrator"}``.

    A bracketed upper-case abbreviation counts when the capitalised words
    just before it give its letters as initials, in order ("Site Reliability
    Engineering (SRE)"; "of", "and"... may sit between them).
    """
    out: dict[str, str] = {}
    if not _BRACKETED.search(text):  # the cheap test first: most texts define nothing
        return out
    for m in _DEFINED.finditer(text):
        short = m.group(2)
        letters = [c for c in short.lower() if c.isalpha()]
        ws = m.group(1).split()
        # take the shortest tail of the phrase whose capitalised words' initials spell the abbreviation
        for start in range(len(ws) - 1, -1, -1):
            tail = ws[start:]
            initials = [w[0].lower() for w in tail if w.lower() not in _LINKING]
            if initials == letters and tail[0].lower() not in _LINKING:
                out.setdefault(short, " ".join(tail))
                break
    return out


@lru_cache(maxsize=1)
def _default_synonym_text() -> str:
    return (DATA / "synonyms.txt").read_text(encoding="utf-8")


def default_synonyms(language: str = "en") -> Synonyms:
    """The general-purpose table for ``language`` (a fresh copy).

    English: ``bot/data/synonyms.txt``. Other languages have no general
    table: an empty one, which a knowledge base's curation synonyms extend.
    """
    language = language_code(language)
    if language != "en":
        return Synonyms(language=language)
    return Synonyms.parse(_default_synonym_text(), "bot/data/synonyms.txt")


def load_synonyms(path: Path) -> Synonyms:
    return Synonyms.parse(Path(path).read_text(encoding="utf-8"), str(path))


#: languages pyspellchecker ships a word-frequency list for
WORD_LISTS = frozenset({"en", "de", "fr", "es", "it", "pt", "nl", "ru", "ar", "eu", "lv", "fa"})


@lru_cache(maxsize=8)
def _word_list(language: str) -> tuple[dict, float]:
    if language not in WORD_LISTS:
        return {}, math.log(2)
    from spellchecker import SpellChecker

    try:
        freq = SpellChecker(language=language, distance=1).word_frequency
    except (ValueError, OSError):  # a pyspellchecker without this language's list
        return {}, math.log(2)
    return freq.dictionary, math.log(max(freq.total_words, 2))


def _english() -> tuple[dict, float]:
    return _word_list("en")


def common_words(language: str = "en"):
    """A general word list of ``language`` (pyspellchecker's; word -> count), so real words are
    never "corrected"; an empty mapping for a language without one."""
    return _word_list(language_code(language))[0]


@lru_cache(maxsize=8)
def common_stems(language: str) -> frozenset[str]:
    """Stems of every word of ``language``'s general list (:func:`common_words`), outside English.

    The lists of other languages lack many inflected forms (Spanish's has
    "invento" but not "inventó", "salir" but not "salen"), so a word the list
    lacks is still a real word when its stem is one of these; English's list
    is complete enough, and English reads as it always has (empty).
    """
    language = language_code(language)
    if language == "en":
        return frozenset()
    return frozenset(stems([w for w in common_words(language) if w.isalpha()], language))


def english_words():
    """A general English word list (pyspellchecker's), so real words are never "corrected"."""
    return common_words("en")


@lru_cache(maxsize=50_000)
def commonness(word: str, language: str = "en") -> float:
    """How ordinary ``word`` is in general ``language`` (English by default), in [0, 1].

    1 for everyday words ("make", "long", "find"), falling to 0 for rare
    ones ("salary" is 0.55, "netflix" 0). Computed from pyspellchecker's
    frequency list as ``(COMMON_IDF_RARE - idf) / (COMMON_IDF_RARE - COMMON_IDF_EVERYDAY)``;
    0 for every word of a language without a list.
    """
    freq, log_total = _word_list(language_code(language))
    count = freq.get(word, 0)
    if not count:
        return 0.0
    idf = log_total - math.log(count)
    return max(0.0, min(1.0, (COMMON_IDF_RARE - idf) / (COMMON_IDF_RARE - COMMON_IDF_EVERYDAY)))


COMMON_IDF_EVERYDAY = 6.5   # "make", "find"
COMMON_IDF_RARE = 12.5      # "refund", "password"


@lru_cache(maxsize=16)
def _stop_stems(language: str = "en") -> frozenset[str]:
    return frozenset(stem(w, language) for w in stop_words(language))


_LINKING_ELEMENTS = ("s", "es", "n", "en", "e")  # German Fugenelemente: Transaktion-s-gebühren


ENGLISH_SHARE = 0.1


def detect_language(text: str, default: str = "en") -> str:
    """The language ``text`` is written in (ISO 639-1), by py3langid; ``default`` when unsure.

    Short or mixed texts that py3langid is not confident about (probability
    below 0.8, or under 40 letters) count as ``default``. A text whose words
    are at least :data:`ENGLISH_SHARE` English stop words is English at once
    (English prose has 30-50%, English guides of lists 14-16%, German, French, Spanish
    and Italian FAQs 1-3%).
    """
    if sum(c.isalpha() for c in text[:2000]) < 40:
        return default
    sample = words(text[:5000])
    if len(sample) >= 20 and sum(w in stop_words("en") for w in sample) >= ENGLISH_SHARE * len(sample):
        return "en"  # plainly English: no need to load the model (about half a second)
    code, prob = _language_identifier().classify(text[:20_000])
    return language_code(code) if prob >= 0.8 else default


@lru_cache(maxsize=1)
def _language_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


class Analyzer:
    """Text -> stemmed content terms, with synonyms applied and stop words dropped.

    The same analyzer instance fits a knowledge base's index and reads every
    query against it, so both sides always agree. ``language`` (an ISO 639-1
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
        self._stop = _stop_stems(self.language)
        #: the language's stop words (surface forms), e.g. for spelling repair's known words
        self.stop_words = stop_words(self.language)
        #: word pairs read as one word: ("front", "end") -> "frontend" (see :meth:`learn_compounds`)
        self.compounds: dict[tuple[str, str], str] = {}
        #: stems of the document's own words, which compounds are split into (German)
        self.vocabulary_stems: frozenset[str] = frozenset()
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
