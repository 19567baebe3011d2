"""The answering's tuning values, in one frozen dataclass passed down through constructors.

``Bot(..., tuning=Tuning())`` (the default) answers as the values below say;
:func:`dataclasses.replace` makes a variant (``benchmarks/ablation.py`` switches
features off this way). See :mod:`bot.decision` for what each value does.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tuning:
    """Every tuning value of the decision (:mod:`bot.decision`) and of the reply (:mod:`bot.answering`)."""

    #: the re-ranking multiplies the rank score by ``rerank_floor + (1 - rerank_floor) * coverage``
    rerank_floor: float = 0.3
    #: how much the share of the question held by an entry's key (title, questions) weighs in the re-ranking
    key_weight: float = 0.8
    #: ``raw = coverage ** coverage_power * strength``
    coverage_power: float = 2.0
    #: ``strength = strength_floor + (1 - strength_floor) * (1 - exp(-similarity / strength_scale))``
    strength_scale: float = 0.15
    strength_floor: float = 0.5
    #: with key weighting (large knowledge bases), the re-ranking also multiplies by ``1 + frame_weight x`` how
    #: far an entry's title agrees with the question's frame, stop words too (see ``_Searcher._surface``), where
    #: the words that start both in the same order weigh ``frame_lead`` times the words and pairs they share
    frame_weight: float = 0.3
    frame_lead: float = 2.0
    #: the ranker's best this many entries are re-ranked
    candidates: int = 20
    #: A kind of question that only some entries can answer (see bot.kinds: a how-to, an amount, a duration,
    #: a definition) multiplies the confidence of an entry that cannot by these factors (the ranking is
    #: unchanged); a duration question also ranks entries that state one ``duration_preference`` higher.
    procedural_mismatch: float = 0.5
    money_mismatch: float = 0.5
    duration_mismatch: float = 0.5
    definition_mismatch: float = 0.5
    duration_preference: float = 1.3
    #: A question whose terms are exactly an entry's title's or question's ranks it
    #: this much higher; exactly one of the items it lists, ``item_boost`` higher.
    exact_boost: float = 1.5
    item_boost: float = 1.5
    #: a declined question's best entry is offered as "did you mean ...?" when its confidence is at least
    #: ``suggest_floor`` and ``stands_out`` times the next one's (a band below the threshold, one clear candidate)
    suggest_floor: float = 0.2
    stands_out: float = 1.2


#: the values faqbot answers with
DEFAULT_TUNING = Tuning()
