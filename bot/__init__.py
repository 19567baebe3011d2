"""faqbot's engine: knowledge bases, retrieval and answering. Pure Python, no web code."""
from .answering import Answer, Bot, Match
from .errors import FaqbotError, FetchError, InvalidQuestion, SourceError, UnknownKnowledgeBase
from .knowledge import Entry, KnowledgeBase, load, load_directory, load_source

__all__ = ["Answer", "Bot", "Entry", "FaqbotError", "FetchError", "InvalidQuestion", "KnowledgeBase", "Match",
           "SourceError", "UnknownKnowledgeBase", "load", "load_directory", "load_source"]
