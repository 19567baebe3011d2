"""The entry points: a source file, or a directory of them, loaded as knowledge bases."""
from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

from ..errors import SourceError
from ..languages import common_words, detect_language
from ..synonyms import INITIALISM_WORDS, Synonyms, default_synonyms, defined_abbreviations, title_initialisms
from ..text import repair
from ..tuning import DEFAULT_TUNING, Tuning
from .curation import Curation, curation_path
from .faq import load_faq
from .guide import GuideParser
from .markdown import parse_markdown
from .model import KnowledgeBase
from .passages import split_long
from .sections import sections_to_entries

log = logging.getLogger("faqbot.knowledge")

#: control characters that text sources do not hold (tab, line feed, form feed and carriage return do)
_BINARY = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd]")
#: a source with any NUL, or with more of them than this share of its characters (and at least
#: BINARY_MIN), is binary data; a stray one (an old editor's end-of-file mark) is not
BINARY_SHARE = 0.01
BINARY_MIN = 8


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise SourceError(path, f"cannot read file ({e.strerror or e})") from None
    try:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = raw.decode("utf-16")
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    _refuse_binary(path, text)
    if not text.strip():
        raise SourceError(path, "file is empty")
    return text


def _refuse_binary(path: Path, text: str) -> None:
    """SourceError when ``text`` is binary data (an image, a .docx renamed .txt, random bytes), not text."""
    found = _BINARY.findall(text)
    if "\x00" in text or len(found) > max(BINARY_MIN, BINARY_SHARE * len(text)):
        first = _BINARY.search(text)
        line = text.count("\n", 0, first.start()) + 1
        raise SourceError(path, f"binary data, not text ({len(found)} control or undecodable bytes, "
                                f"the first on this line): save the source as UTF-8 text", line)


SOURCE_SUFFIXES = {".txt": "guide", ".md": "markdown", ".markdown": "markdown",
                   ".csv": "faq", ".json": "faq", ".jsonl": "faq", ".html": "html", ".htm": "html"}


def load_source(path, name: str | None = None) -> KnowledgeBase:
    """Load one source file (and its curation file, if any) as a knowledge base."""
    path = Path(path)
    if not path.is_file():
        raise SourceError(path, "not a file" if path.exists() else "no such file")
    kind = SOURCE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise SourceError(path, f"unsupported file type {path.suffix or '(none)'} "
                                f"(expected one of {', '.join(sorted(SOURCE_SUFFIXES))})")
    name = name or path.stem
    cpath = curation_path(path)
    curation = Curation.load(cpath) if cpath else Curation()
    text = _read_text(path)

    source_url = language = None
    if kind == "faq":
        title = curation.title or name.replace("-", " ").replace("_", " ").title()
        entries = load_faq(path, name, text)
    elif kind == "html":
        from .html import load_html

        page, entries = load_html(path, name, text)
        title = curation.title or page.title or name.replace("-", " ").title()
        source_url, language = page.source_url, page.language
    else:
        if kind == "guide":
            title, roots = GuideParser(curation.items).parse(repair(text))
        else:
            title, roots = parse_markdown(repair(text))
        title = curation.title or title or name.replace("-", " ").title()
        entries = sections_to_entries(roots, name)
        if not entries:
            raise SourceError(path, "no sections with text found")
    entries = curation.apply(entries)
    if kind != "faq":  # a document's long sections as passages; an FAQ file's answers are the owner's own
        entries = split_long(entries)
    language = curation.language or language or detect_language(
        " ".join(f"{e.title} {e.text}" for e in entries[:200]))
    # "Certified Kubernetes Administrator (CKA)": a question may say "CKA"
    abbreviations = [pair for entry in entries for pair in defined_abbreviations(entry.text).items()]
    # "SRE" where every title spells out "Site Reliability Engineer" (applied under ``Tuning.initialisms``)
    abbreviations += [(short, name, "title") for short, name in _initialisms(title, entries, language).items()]
    synonyms = synonym_table(language, curation.synonyms, abbreviations)
    return KnowledgeBase(name=name, title=title, entries=tuple(entries), source=str(path),
                         synonyms=synonyms, curation=str(cpath) if cpath else None,
                         synonym_additions=curation.synonyms, abbreviations=abbreviations,
                         language=language, source_url=source_url)


def synonym_table(language: str, additions, abbreviations, tuning: Tuning = DEFAULT_TUNING) -> Synonyms:
    """A knowledge base's synonym table: the general table of ``language`` (unless ``tuning.synonyms`` is off),
    its curation's ``additions``, then the ``abbreviations`` its document defines (unless ``tuning.abbreviations``
    is off; those marked as initialisms of its titles' names unless ``tuning.initialisms`` is off too)."""
    synonyms = default_synonyms(language) if tuning.synonyms else Synonyms(language=language)
    if additions:
        synonyms.extend(additions)
    if tuning.abbreviations:
        for short, phrase, *how in abbreviations:
            if tuning.initialisms or not how:
                synonyms.abbreviate(short, phrase)
    return synonyms


def _initialisms(title: str, entries, language: str) -> dict[str, str]:
    """The initialisms of the names ``entries``' titles repeat, but none that spells a word of ``language``'s
    general list or that the document writes itself (:func:`bot.synonyms.title_initialisms`). The text is
    read once for words of an initialism's length only: a large knowledge base is not split into words here."""
    found = title_initialisms([title] + [e.title for e in entries], common_words(language))
    if not found:
        return found
    low, high = INITIALISM_WORDS
    text = "\n".join(f"{e.title}\n{e.text}" for e in entries).lower()
    written = set(re.findall(rf"\b[a-z]{{{low},{high}}}\b", text))  # the words an initialism could spell
    return {short: name for short, name in found.items() if short.lower() not in written}


def synonyms_for(kb: KnowledgeBase, tuning: Tuning = DEFAULT_TUNING) -> Synonyms:
    """The synonym table ``kb`` is read with under ``tuning``: its own, or one made again without what
    ``tuning`` switches off."""
    if tuning.synonyms and tuning.abbreviations and tuning.initialisms:
        return kb.synonyms
    return synonym_table(kb.language, kb.synonym_additions, kb.abbreviations, tuning)


def source_files(directory) -> list[Path]:
    """The knowledge sources in a directory (curation files excluded), sorted."""
    directory = Path(directory)
    return sorted(p for p in directory.iterdir()
                  if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES and not p.name.startswith("."))


def directory_sources(directory) -> list[Path]:
    """The sources of a knowledge directory, one knowledge base each; SourceError when there are none."""
    directory = Path(directory)
    if not directory.is_dir():
        raise SourceError(directory, "no such directory")
    files = source_files(directory)
    if not files:
        raise SourceError(directory, "no knowledge sources found "
                                     f"(expected files ending in {', '.join(sorted(SOURCE_SUFFIXES))})")
    names: dict[str, Path] = {}
    for p in files:
        if p.stem in names:
            raise SourceError(p, f"two sources are named {p.stem!r} ({names[p.stem].name} and {p.name})")
        names[p.stem] = p
    skipped = skipped_files(directory)
    if skipped:
        log.warning("faqbot: %s: skipped %d file(s) that are not knowledge sources: %s "
                    "(sources end in %s; curation files are <source name>.yaml)", directory, len(skipped),
                    ", ".join(p.name for p in skipped), ", ".join(sorted(SOURCE_SUFFIXES)))
    return files


def sources(path) -> list[Path]:
    """A source file, or the sources of a directory."""
    path = Path(path)
    if not path.exists():
        raise SourceError(path, "no such file or directory")
    return directory_sources(path) if path.is_dir() else [path]


def load_directory(directory) -> list[KnowledgeBase]:
    """Load every source in ``directory`` as its own knowledge base, named by file stem."""
    return [load_source(p) for p in directory_sources(directory)]


def skipped_files(directory) -> list[Path]:
    """The files in ``directory`` that are neither sources nor a source's curation file (hidden ones aside)."""
    directory = Path(directory)
    sources = source_files(directory)
    curations = {curation_path(p) for p in sources}
    return sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith(".")
                  and p not in sources and p not in curations)


def load(path) -> list[KnowledgeBase]:
    """A file or a directory of sources -> knowledge bases."""
    return [load_source(p) for p in sources(path)]
