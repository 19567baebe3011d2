"""The answering's tuning values and switches, in one frozen dataclass passed down through constructors.

``Bot(..., tuning=Tuning())`` (the default) answers as the values below say;
:func:`dataclasses.replace` makes a variant (``benchmarks/ablation.py`` switches
features off this way). The Bot passes it to each knowledge base's searcher
(:mod:`bot.decision`), which passes it to its index (:mod:`bot.index`, whose
question reading is :mod:`bot.reading`) and to :func:`bot.knowledge.loading.synonyms_for`.

Some switches change what is built (:data:`BUILD_FIELDS`): a Tuning that
differs from the default in one of them never reads or writes a saved index
(:mod:`bot.saved`); it fits in memory.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tuning:
    """Every tuning value and switch of the engine: the decision (:mod:`bot.decision`), the reply
    (:mod:`bot.answering`), question reading (:mod:`bot.reading`) and what an index is built with."""

    # -------------------------------------------------------------- switches
    #: misspelt words are repaired against the knowledge base's vocabulary ("carer" -> "career")
    spelling: bool = True
    #: a question's stem the knowledge base lacks is joined to a near one it has ("verif" -> "verifi")
    near_stems: bool = True
    #: compounds are read as the knowledge base writes them ("oncall" -> "on call"; built: "front-end" = "frontend")
    compounds: bool = True
    #: a number of years the knowledge base never writes is read as the range that holds it ("3 years" -> "2-4")
    years: bool = True
    #: "what comes after senior?" steps along a series of stages to the next one
    steps: bool = True
    #: the general synonym table (``bot/data/synonyms.txt``) is applied (built; curation synonyms always are)
    synonyms: bool = True
    #: abbreviations a document defines ("Certified Kubernetes Administrator (CKA)") are synonyms (built)
    abbreviations: bool = True
    #: a question with a previous answer in its context is read as a possible follow-up to it
    follow_ups: bool = True
    #: the ranker's signals (see :mod:`bot.ranking`), or None for its default set (built)
    ranker_signals: tuple[str, ...] | None = None

    # ---------------------------------------------------------------- values
    #: a question's term the knowledge base never uses weighs less the more everyday English it is, by this much
    common_discount: float = 0.9
    #: a term the knowledge base knows but an entry lacks costs this share of its weight in that entry's coverage
    missing_known_cost: float = 0.5

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

    def builds_default(self) -> bool:
        """Whether an index built with this tuning is the default's (every field of :data:`BUILD_FIELDS` equal)."""
        return all(getattr(self, f) == getattr(DEFAULT_TUNING, f) for f in BUILD_FIELDS)


#: the values faqbot answers with
DEFAULT_TUNING = Tuning()

#: the fields that change what an index is built with (the rest are read as each question is answered)
BUILD_FIELDS = ("compounds", "synonyms", "abbreviations", "ranker_signals")
