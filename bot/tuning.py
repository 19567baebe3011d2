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

import math
from dataclasses import dataclass
from functools import cached_property


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
    #: outside English, stems of one word family the document writes are read as one ("kontrolliert" =
    #: "kontroll"; built)
    families: bool = True
    #: a word the document lacks, capitalised inside a sentence ("Does Google hire ...?"), weighs as a rare word
    #: whatever its commonness (not in German, which capitalises every noun)
    names: bool = True
    #: English texting shorthand reads as the words it stands for ("how 2 build" -> "how to build", "4" -> "for")
    texting: bool = True
    #: a stage of a series holds the nouns that say it is one ("the principal level") whether its text has them
    stage_nouns: bool = True
    #: a question asking for the first or last stage looks this far down the ranking for a series that has one
    series_end_room: int = 3
    #: ... and the confidence its best entry needs when the question names the series as such ("what's the very
    #: top of the ladder called?"; else ``suggest_floor``)
    series_end_floor: float = 0.1
    #: a number of years the knowledge base never writes is read as the range that holds it ("3 years" -> "2-4")
    years: bool = True
    #: "what comes after senior?" steps along a series of stages to the next one
    steps: bool = True
    #: "how long" in a duration question frames it (the kind says what is asked): its words the knowledge base
    #: does not use are not counted as missing
    duration_frame: bool = True
    #: outside English, the verb of "where do X come from" ("d'où viennent", "woher kommen") frames the question
    origin_frame: bool = True
    #: a question that is an entry's own (its title, an owner's alternate) is not held to its kind
    own_question_any_kind: bool = True
    #: the general synonym table (``bot/data/synonyms.txt``) is applied (built; curation synonyms always are)
    synonyms: bool = True
    #: abbreviations a document defines ("Certified Kubernetes Administrator (CKA)") are synonyms (built)
    abbreviations: bool = True
    #: the initials of a name the document's titles repeat stand for it ("SRE": "Site Reliability Engineer") (built)
    initialisms: bool = True
    #: a question with a previous answer in its context is read as a possible follow-up to it
    follow_ups: bool = True
    #: a question of several sentences that nothing answers is asked again as its asking sentence alone
    #: ("I'm a nurse and ... Does this kind of developer get hired in medicine?")
    asking_sentence: bool = True
    #: the ranker's signals (see :mod:`bot.ranking`), or None for its default set (built)
    ranker_signals: tuple[str, ...] | None = None

    # ---------------------------------------------------------------- values
    #: a question's term the knowledge base never uses weighs less the more everyday English it is, by this much
    common_discount: float = 0.9
    #: an English "-ly" adverb of a common word ("usually") or a request verb ("list", "name") the document lacks
    #: weighs as an everyday word
    adverbs: bool = True
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
    #: ... and a question asking a share ("what percentage of jobs are remote?") when the entry states none
    percent_mismatch: float = 0.5
    #: ... and "how many" (not years: a duration) when the entry states no number outside its durations
    count_mismatch: float = 0.5
    definition_mismatch: float = 0.5
    duration_preference: float = 1.3
    #: A question whose terms are exactly an entry's title's or question's ranks it
    #: this much higher; exactly one of the items it lists, ``item_boost`` higher.
    exact_boost: float = 1.5
    item_boost: float = 1.5
    #: In a knowledge base where at least ``faq_collection`` of the entries are FAQ questions, an FAQ entry among
    #: the best ``faq_key_top`` is at least ``faq_key_weight`` x as sure as the share of the question's weight its
    #: own questions hold (0: off): visitors ask an FAQ's question in their words, and its answer may be long.
    faq_key_weight: float = 1.5
    faq_collection: float = 0.6
    faq_key_top: int = 3
    #: a declined question's best entry is offered as "did you mean ...?" when its confidence is at least
    #: ``suggest_floor`` and ``stands_out`` times the next one's (a band below the threshold, one clear candidate)
    suggest_floor: float = 0.2
    stands_out: float = 1.2
    #: ``confidence = raw ** calibration`` with ``calibration = log(0.5) / log(calibration_cut)``: the raw
    #: confidence that best separates right answers from out-of-scope questions on our sets falls at 0.5
    calibration_cut: float = 0.35
    #: a group entry (a summary of its sections) multiplies its rank score by this
    group_factor: float = 0.97
    #: in a follow-up, the previous answer ranks this much higher, ...
    context_boost_same: float = 2.5
    #: ... and the other entries of its top-level section this much
    context_boost_section: float = 2.0
    #: a best entry that cannot give what a how-to, price or duration question asks yields to a surer runner-up
    #: that can, ranked at least this share as high (0: never)
    able_share: float = 0.8
    #: a question with no previous answer whose best entry is unsure is answered by a sure runner-up (not a
    #: summary) among the next two that ranks at least this share as high (0: never)
    sure_runner_up: float = 0.85
    #: a winning summary yields to one of its sections that holds the question and is this close in confidence
    specific_margin: float = 0.05
    #: two siblings compared ("plus vs free") answer with the one whose text names the other ("Everything in Free,
    #: and: ...") when it holds this share of the question besides the words of comparing (0: never)
    compared_siblings: float = 0.9
    #: ... or, a stage of a series, holds this share of the question besides its stage nouns ("what level is 7
    #: years?": Lead Python Developer, whose text never says "level"; 0: never)
    specific_stage_cover: float = 0.9
    #: two sibling sections tie when their confidences differ by this much at most, ...
    overview_tie: float = 0.02
    #: ... and the second's rank score is at least this share of the first's; their parent's overview
    #: then answers when it is within ``overview_margin`` of the best confidence
    overview_rank_share: float = 0.85
    #: a question naming only what every stage of a series shares (the role) passes over the stage named by
    #: that alone for the best entry outside the series at most this much less sure (0: never)
    plain_stage_margin: float = 0.3
    #: a question over a whole series ("from junior to principal", "from start to the top") is answered by the
    #: section that holds the series
    series_span: bool = True
    #: a plan described as paid or free is the sibling its title says is (not) free ("the paid tier": Plus)
    priced_siblings: bool = True
    overview_margin: float = 0.05
    #: a structural follow-up (a step, a named relative) is this sure at least
    structural_confidence: float = 0.8
    #: a declined question of several sentences whose last one leans on the others ("... a Principal Python
    #: Developer. What does that level involve?") is read as a follow-up of the topic they name
    story_context: bool = True
    #: a follow-up whose every term the knowledge base lacks, each weighing at least this share of an unknown
    #: word's full weight (rare in general language: "and what about gaming?"), is declined (0: never)
    follow_up_rare: float = 0.75
    #: a follow-up that adds no new words is answered by the previous answer when it holds this share of it
    follow_up_cover: float = 0.9
    #: ... not counting, in a question of a kind it answers that points at it ("how long does that last?"),
    #: everyday words the knowledge base never uses that weigh less than this share of its rarest term ("last")
    follow_up_frame: float = 0.5
    #: the asking sentence of a long question (``asking_sentence``) answers when the whole question ranks its
    #: entry among this many first
    asking_sentence_near: int = 3
    #: ... failing that, the whole question answers with the other sentences' terms weighing this share
    story_weight: float = 0.5
    #: each knowledge base ranks ``top`` plus this many entries: room for several answers to one question
    related_room: int = 6

    # ------------------------------------------------------- question reading
    #: an unknown term weighs ``unknown_weight x (1 - common_discount x commonness ** common_power)``
    #: of the rarest known term: "netflix" counts fully, "make" far less
    #: the document's subject (its title's words: "python backend developer"), named whole beside another term of
    #: the knowledge base, weighs nothing in the question (reading.Reader._read; the title of an intro-led document)
    drop_subject: bool = True
    unknown_weight: float = 1.3
    common_power: float = 2.0
    #: misspelt words of this length and longer are repaired up to 2 edits away (shorter ones 1)
    long_word: int = 8
    #: a real but rare English word (commonness under ``slip_rare``) one edit from one of the knowledge base's
    #: words that is ``slip_ratio`` times as frequent is taken for a slip ("carer" -> "career"); 0: never
    slip_ratio: float = 20.0
    slip_rare: float = 0.3
    #: a key term that is another form of a question's term ("treatment" for "treated") counts this much
    key_relative: float = 0.8
    #: ... when one stem starts the other, has this many letters at least, ...
    relative_min: int = 5
    #: ... and the longer is at most this many times as long
    relative_stretch: float = 2.0

    @cached_property
    def calibration(self) -> float:
        """The power raw confidence is raised to (see ``calibration_cut``)."""
        return math.log(0.5) / math.log(self.calibration_cut)

    def builds_default(self) -> bool:
        """Whether an index built with this tuning is the default's (every field of :data:`BUILD_FIELDS` equal)."""
        return all(getattr(self, f) == getattr(DEFAULT_TUNING, f) for f in BUILD_FIELDS)


#: the values faqbot answers with
DEFAULT_TUNING = Tuning()

#: the fields that change what an index is built with (the rest are read as each question is answered)
BUILD_FIELDS = ("compounds", "families", "synonyms", "abbreviations", "initialisms", "ranker_signals")
