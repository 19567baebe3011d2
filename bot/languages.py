"""Languages: codes, stemmers, stop words and general word lists.

Reading follows the knowledge base's language (ISO 639-1 code, English by
default; :func:`detect_language` guesses it from text): the Snowball stemmer
of that language (:func:`stem`, :func:`stems`), its stop words
(:func:`stop_words`), and a general word list for spelling repair
(:func:`common_words`, :func:`commonness`). English reads exactly as it
always has.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

import Stemmer

from .text import DATA, data_lines, strip_accents, words

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


@lru_cache(maxsize=256)
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

@lru_cache(maxsize=200_000)
def stem(word: str, language: str = "en") -> str:
    """Snowball stem of one lower-case word in ``language`` (Porter2 for English; cached).

    Outside English, a word typed without its accents is first given them
    back (:func:`accented`: "mineria" -> "minería"), the stemmer reads the
    accented word (its suffixes are written with them: "confirmée",
    "sécurité"), and the stem's accents are removed, so "minería" and
    "mineria" read alike; a language without a stemmer keeps the word,
    accents removed.
    """
    if not word.isalpha():
        return word
    if language == "en":
        return _english_stemmer.stemWord(word)
    if word.isascii():
        word = accented(language).get(word, word)  # visitors often type without accents
    if language in _LOAN_ING and len(word) >= 6 and word.endswith("ing") and word in english_words():
        word = word[:-3]  # "Mining", "Staking": a borrowed English noun, read as its verb ("minen", "minar")
    if language in _LOAN_PLURALS and len(word) >= 4 and _LOAN_PLURAL.search(word):
        word = word[:-1]  # "bitcoins", "tokens": a borrowed plural, read as its singular
    stemmer = _stemmer_for(language)
    if stemmer is None:
        return strip_accents(word)
    if (language, word[-2:]) in _PLURALS and len(word) >= 5 + (language == "es"):
        one = accented(language).get(word[:-1], word[:-1])
        if one in _word_list(language)[0]:
            # "anónimos", "perdus": a plural whose singular is a word reads as it (the Spanish stemmer cuts
            # "-imos" as a verb ending, the French one keeps a participle's "-us")
            word = one
    if language == "pt" and len(word) >= 4 and word.endswith("s"):
        word = _pt_singular(word)
    if language == "fr" and word.endswith("ent") and _is_verb_plural(word):
        word = word[:-2]  # "coûtent", "arrivent": the stemmer keeps a verb's "-ent", read as "coûte", "arrive"
    out = strip_accents(stemmer.stemWord(word))
    if language == "de" and len(out) >= 6 and out.endswith(("iert", "ier")):
        # the German stemmer leaves a "-ieren" verb's "-iert" forms and "-ierung" nouns apart from it
        # ("skalieren" -> "skali", "skaliert" -> "skaliert", "Skalierung" -> "skalier"): all read "skali"
        out = out[:-3] if out.endswith("t") else out[:-2]
    elif language == "de" and len(out) >= 9 and out.endswith(("ation", "ationar", "ationell")):
        # ... and its "-ation" noun and adjectives too: "Synchronisation" reads as "synchronisieren",
        # "Deflation" as "deflationär"
        out = out[:out.rindex("ation")] + "i"
    return out


def _is_verb_plural(word: str) -> bool:
    """Whether a French word in "-ent" is an "-er" verb's third person plural ("coûtent", "arrivent"):
    its "-e" form and its infinitive are words, the infinitive the more frequent ("parent", "content",
    "excellent", "président" are not: "parer" and "contenter" are rarer than they are)."""
    freq = _word_list("fr")[0]
    if word.endswith("ment") or len(word) < 6 or word[:-2] not in freq:
        return False
    return freq.get(word[:-2] + "r", 0) >= max(freq.get(word, 0), 1)


_PT_EUROPEAN = str.maketrans({"ô": "ó", "ê": "é"})  # "anônimo" (Brazil) is "anónimo" in the word list (Portugal)


def _pt_singular(word: str) -> str:
    """A Portuguese plural whose singular is a word of the general list, as that singular; a borrowed
    plural ("bitcoins", "apps", "hackers") as its singular; any other word unchanged.

    The Portuguese stemmer leaves many plurals apart from their singulars: "transações" ("transaco") and
    "transação" ("transaca"), "digitais" ("digit") and "digital", "mensagens" and "mensagem" ("mensag"),
    "anônimos" ("anon") and "anônimo" ("anonim"), and a borrowed "bitcoins" from "bitcoin".
    """
    freq = _word_list("pt")[0]

    def known(w: str) -> bool:
        return w in freq or w.translate(_PT_EUROPEAN) in freq

    if len(word) < 5 and not word.endswith("ns") and not _LOAN_PLURAL.search(word):
        return word  # "mais" is not a plural of "mal"
    if word.endswith(("ões", "ães")):
        candidates = [word[:-3] + "ão"]
    elif word.endswith("ais"):
        candidates = [word[:-3] + "al"]
    elif word.endswith("éis"):
        candidates = [word[:-3] + "el"]
    elif word.endswith("eis"):
        candidates = [word[:-3] + "el", word[:-3] + "il"]  # "possíveis" -> "possível", "fáceis" -> "fácil"
    elif word.endswith("óis"):
        candidates = [word[:-3] + "ol"]
    elif word.endswith("ns"):
        if known(word[:-2] + "m"):
            return word[:-2] + "m"  # "mensagens" -> "mensagem"
        return word[:-1] if not known(word) else word  # "bitcoins", "tokens": borrowed
    elif _LOAN_PLURAL.search(word):
        return word[:-1] if not known(word) else word  # "apps", "wallets", "hackers"
    elif word.endswith(("os", "as")):
        candidates = [word[:-1]]  # "anônimos" -> "anônimo"
    else:
        return word
    return next((c for c in candidates if known(c)), word)


#: languages whose writers spell an umlaut without its dots as the vowel and "e" ("ae", "oe", "ue", "ss")
_TRANSLITERATED = frozenset({"de"})
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
#: plural endings the stemmers misread, by language
_PLURALS = frozenset({("es", "os"), ("es", "as"), ("fr", "us")})
#: languages that borrow English nouns in "-ing" ("Mining", "Staking") beside verbs of their own ("minen")
_LOAN_ING = frozenset({"de", "fr", "es", "it", "pt"})
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


#: what French and Italian elisions leave as words of their own ("l'", "dell'"), see :func:`words`
_ELIDED = frozenset("c d j l m n s t qu jusqu lorsqu puisqu quoiqu quelqu dell dall nell sull all coll un quest "
                    "quell tutt".split())


@lru_cache(maxsize=16)
def stop_words(language: str = "en") -> frozenset[str]:
    """Function words and chat filler that say nothing about a topic, in ``language``.

    English: ``bot/data/stopwords.txt``. Others: the ``stop-words`` package's
    list for the language plus ``bot/data/stopwords.<language>.txt`` (question
    words and chat filler), folded like text, with and without accents (none
    for a language it lacks). Lines of that file that start with ``-`` name
    words of the package's list that carry a topic ("comprare", "valor",
    "pièce"), which stay words.
    """
    if language == "en":
        text = (DATA / "stopwords.txt").read_text(encoding="utf-8")
        return frozenset(w for line in data_lines(text) for w in line.split())
    from stop_words import LANGUAGE_MAPPING, get_stop_words

    listed = list(get_stop_words(language)) if language in LANGUAGE_MAPPING else []
    extra = DATA / f"stopwords.{language}.txt"  # question words and chat filler the package lacks
    lines = list(data_lines(extra.read_text(encoding="utf-8"))) if extra.is_file() else []
    listed += [line for line in lines if not line.startswith("-")]
    topical = {w for line in lines if line.startswith("-") for w in words(line[1:])}
    out = {w for phrase in listed for w in words(phrase)}
    out |= {strip_accents(w) for w in out}  # visitors often type without accents
    out -= topical | {strip_accents(w) for w in topical}
    if language in ("fr", "it", "ca"):
        out |= _ELIDED
    return frozenset(out)
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


@lru_cache(maxsize=16)
def accented(language: str) -> dict[str, str]:
    """Words of ``language``'s general list (:func:`common_words`) as typed without accents -> the
    word ("mineria" -> "minería", "securite" -> "sécurité"; in German, where the stemmer reads "a" as
    "ä" itself, as typed with "ae", "oe", "ue", "ss": "bestaetigt" -> "bestätigt"), the most frequent
    when several share a spelling; only where the list has no word spelt that way ("esta", "neue")."""
    language = language_code(language)
    freq = _word_list(language)[0]
    plain = (lambda w: w.translate(_UMLAUTS)) if language in _TRANSLITERATED else strip_accents
    best: dict[str, tuple[int, str]] = {}
    for w, n in freq.items():
        if w.isascii() or not w.isalpha():
            continue
        bare = plain(w)
        if bare not in freq and bare.isascii() and n > best.get(bare, (0, ""))[0]:
            best[bare] = (n, w)
    return {bare: w for bare, (_, w) in best.items()}


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
    language = language_code(language)
    freq, log_total = _word_list(language)
    count = freq.get(word, 0) or (language != "en" and freq.get(accented(language).get(word, ""), 0))
    if not count:  # nor as typed without accents ("gehoert" is "gehört", "tambien" "también")
        return 0.0
    idf = log_total - math.log(count)
    return max(0.0, min(1.0, (COMMON_IDF_RARE - idf) / (COMMON_IDF_RARE - COMMON_IDF_EVERYDAY)))


@lru_cache(maxsize=50_000)
def everyday(word: str, language: str = "en") -> float:
    """:func:`commonness`, where in English an inflected form is as ordinary as its base ("helps" as "help",
    "keeps" as "keep"): how much a word the document lacks only frames a question. (Spelling repair asks
    :func:`commonness` of the form itself.)"""
    if language_code(language) != "en":
        return commonness(word, language)
    return max(commonness(w, "en") for w in (word, *_english_bases(word)))


def _english_bases(word: str) -> tuple[str, ...]:
    """The forms ``word`` may inflect: "helps" -> "help", "watches" -> "watch" (a form that is no word finds
    nothing in the list); not "-ed", whose base may be another verb's past ("founded" is not "found"), nor
    "-ing", whose noun may name a topic its verb does not ("gaming" is not "game")."""
    out: list[str] = []
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
        if word.endswith("es"):
            out.append(word[:-2])
    return tuple(out)


COMMON_IDF_EVERYDAY = 6.5   # "make", "find"
COMMON_IDF_RARE = 12.5      # "refund", "password"


@lru_cache(maxsize=16)
def stop_stems(language: str = "en") -> frozenset[str]:
    """The stems of :func:`stop_words` (what :class:`bot.analyzer.Analyzer` drops)."""
    return frozenset(stem(w, language) for w in stop_words(language))


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
