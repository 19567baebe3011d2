"""faqbot's engine: knowledge bases, retrieval and answering. Pure Python, no web code."""
from .answering import Answer, Bot, Match
from .errors import FaqbotError, InvalidQuestion, SourceError, UnknownKnowledgeBase
from .knowledge import Entry, KnowledgeBase, load, load_directory, load_source

__all__ = ["Answer", "Bot", "Entry", "FaqbotError", "InvalidQuestion", "KnowledgeBase", "Match",
           "SourceError", "UnknownKnowledgeBase", "load", "load_directory", "load_source"]
