"""Entries, knowledge bases and the loaders that build them.

A knowledge base is one source file (a career-guide text, a Markdown
document, a web page or an FAQ file in CSV, JSON or JSONL) plus an optional
curation file beside it (``<stem>.yaml``) holding alternate questions,
synonyms and list items. Every loader produces the same thing: a tuple of
:class:`Entry`.

The package's modules: :mod:`.model` (entries, knowledge bases, ids),
:mod:`.sections` (the section tree the document loaders share),
:mod:`.guide`, :mod:`.markdown`, :mod:`.html` and :mod:`.faq` (one loader per
format; :mod:`.html_walker` walks a page's content for :mod:`.html`),
:mod:`.curation` (the curation file and the one YAML reader) and
:mod:`.loading` (the entry points: ``load_source``, ``load``, ``sources`` ...;
not named ``sources``, which is the public function ``bot.knowledge.sources``).
"""
from .curation import Curation, _line_of, curation_path, read_yaml
from .faq import load_faq
from .guide import GuideParser
from .markdown import parse_markdown
from .model import BULLET, Entry, KnowledgeBase, slug
from .sections import Section, sections_to_entries
from .loading import (BINARY_MIN, BINARY_SHARE, SOURCE_SUFFIXES, directory_sources, load, load_directory,
                      load_source, skipped_files, source_files, sources, synonym_table, synonyms_for)

__all__ = [
    "BINARY_MIN", "BINARY_SHARE", "BULLET", "Curation", "Entry", "GuideParser", "KnowledgeBase", "SOURCE_SUFFIXES",
    "Section", "curation_path", "directory_sources", "load", "load_directory", "load_faq", "load_source",
    "parse_markdown", "read_yaml", "sections_to_entries", "skipped_files", "slug", "source_files", "sources",
    "synonym_table", "synonyms_for",
]
