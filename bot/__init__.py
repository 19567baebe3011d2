"""faqbot's engine: knowledge bases, retrieval and answering. Pure Python, no web code."""
import os

# A question's matrix products are small: BLAS threads only cost CPU (twice the CPU per question on
# two cores, for the same wall time) and fight the server's own workers. Set before numpy loads.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
from .answer import Answer, Match
from .answering import Bot
from .errors import FaqbotError, FetchError, InvalidQuestion, SourceError, UnknownKnowledgeBase
from .knowledge import Entry, KnowledgeBase, load, load_directory, load_source

__all__ = ["Answer", "Bot", "Entry", "FaqbotError", "FetchError", "InvalidQuestion", "KnowledgeBase", "Match",
           "SourceError", "UnknownKnowledgeBase", "load", "load_directory", "load_source"]
