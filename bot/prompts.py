"""Prompts: the natural next questions an answer offers ("Next: Lead Python Developer", "What about Free?",
"Read more"), worded in the knowledge base's language, and the turns that ask to read on."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .replies import message

if TYPE_CHECKING:
    from .followup import Outline
    from .knowledge import Entry


#: the turns that ask for the rest of a long section: "tell me more", "go on", and the "Read more" prompt in each
#: language of ``bot/data/messages.yaml`` ("Weiterlesen", "Lire la suite", ...)
MORE = re.compile(r"^\W*(?:(?:ok(?:ay)?|and|so|please|pls|yes|sure)\W+)*(?:read|tell\s+me|show\s+me|give\s+me)?\s*"
                  r"more(?:\s+(?:please|pls|of\s+(?:it|that|this)))?\W*$"
                  r"|^\W*(?:(?:ok(?:ay)?|and|so|please|yes|sure)\W+)*(?:go\s+on|continue|keep\s+going)\W*$"
                  r"|^\W*(?:weiterlesen|mehr\s+lesen|lire\s+la\s+suite|seguir\s+leyendo|leer\s+m[aá]s"
                  r"|continuar\s+lendo|ler\s+mais)\W*$", re.I)


def prompts(e: "Entry", outline: "Outline", limit: int = 3, lang: str = "en") -> tuple[dict, ...]:
    """Natural next questions after answering with ``e``, as ``{"text", "id"}`` (ids of their entries), worded
    in ``lang`` (``bot/data/messages.yaml``)."""
    out: list[dict] = []
    more = outline.by_id.get(e.metadata.get("next", ""))  # the rest of a long section (bot.knowledge.passages)
    if more is not None:
        out.append({"text": message("prompt_more", lang), "id": more.id})
    nxt = outline.step(e, 1) if e.id in outline.series or outline.kids(e) else None
    if nxt is not None:
        out.append({"text": message("prompt_next", lang).format(title=nxt.title), "id": nxt.id})
    series = set(outline.series.get(e.id, ()))
    for s in outline.siblings(e):
        if len(out) >= limit:
            break
        if s.id not in series and (nxt is None or s.id != nxt.id):
            out.append({"text": message("prompt_about", lang).format(title=s.title), "id": s.id})
    return tuple(out[:limit])
