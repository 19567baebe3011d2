#!/usr/bin/env python3
"""What each answer-quality direction gains: the full engine, then one direction off at a time.

    python benchmarks/ablation.py

For every variant it prints the score (mean of the in-scope and out-of-scope
rates) on the guide's dev set, the team's paraphrase set and the two held-out
sets, on five other-role guides' sets (no curation), the share of the
out-of-scope probes declined, the follow-ups of followups-dev.yaml, a chatty set (r14-chatty) and
the follow-ups of a chatty conversation set (r13b), the scores of a German,
a Spanish and a Portuguese set on their FAQs (reading outside English), and StackFAQ's thread P@1 on its dev queries.
Each variant is a :class:`bot.tuning.Tuning` (the default with one direction
switched off, by :func:`dataclasses.replace`) passed to the bots it builds;
nothing here is used by the product.
"""
from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bot import Bot, load_source  # noqa: E402
from bot.tuning import DEFAULT_TUNING  # noqa: E402
from bot.owner.evaluate import run, run_conversations  # noqa: E402
from quality import stackfaq_scores  # noqa: E402

DATA = ROOT / "tests" / "data"


#: the full engine, then one direction off at a time
VARIANTS = {
    "full engine": DEFAULT_TUNING,
    "no synonym table": replace(DEFAULT_TUNING, synonyms=False),
    "no spelling repair": replace(DEFAULT_TUNING, spelling=False),
    "no near-stem matching": replace(DEFAULT_TUNING, near_stems=False),
    "unknown words weigh alike (no general-English commonness)": replace(DEFAULT_TUNING, common_discount=0.0),
    "plain coverage (a known word missing costs fully)": replace(DEFAULT_TUNING, missing_known_cost=1.0),
    "confidence without coverage (similarity only)": replace(DEFAULT_TUNING, coverage_power=0.0),
    "no coverage re-ranking": replace(DEFAULT_TUNING, rerank_floor=1.0),
    "no how-to question type (any section answers how-tos)": replace(DEFAULT_TUNING, procedural_mismatch=1.0),
    "no money question type (no amount needed)": replace(DEFAULT_TUNING, money_mismatch=1.0),
    "no duration question type": replace(DEFAULT_TUNING, duration_preference=1.0, duration_mismatch=1.0),
    "no share question type ('what percentage of jobs are remote?' needs no percentage)":
        replace(DEFAULT_TUNING, percent_mismatch=1.0),
    "no count question type ('how many jobs are open?' needs no number)": replace(DEFAULT_TUNING, count_mismatch=1.0),
    "no abbreviations defined by the document": replace(DEFAULT_TUNING, abbreviations=False),
    "no initialisms of the names titles repeat ('SRE', 'CSE')": replace(DEFAULT_TUNING, initialisms=False),
    "no compounds (oncall / on-call, front-end / frontend)": replace(DEFAULT_TUNING, compounds=False),
    "no word families outside English (kontrolliert / Kontrolle)": replace(DEFAULT_TUNING, families=False),
    "no definition / comparison question type": replace(DEFAULT_TUNING, definition_mismatch=1.0),
    "a best entry that cannot give the kind asked keeps its place (no surer runner-up that can)":
        replace(DEFAULT_TUNING, able_share=0.0),
    "an unsure best entry is not passed over for a sure runner-up": replace(DEFAULT_TUNING, sure_runner_up=0.0),
    "a follow-up of only words the document lacks ('and gaming?') borrows the previous subject":
        replace(DEFAULT_TUNING, follow_up_rare=0.0),
    "no steps along a series (the level above senior)": replace(DEFAULT_TUNING, steps=False),
    "a series end is looked for in the best entry only ('the very top of the ladder')": replace(DEFAULT_TUNING,
                                                                                                series_end_room=1),
    "a stage lacks the nouns its text lacks ('the principal level')": replace(DEFAULT_TUNING, stage_nouns=False),
    "no years inside stated ranges": replace(DEFAULT_TUNING, years=False),
    "a plan described as paid or free ('the paid tier') is not looked for among its siblings":
        replace(DEFAULT_TUNING, priced_siblings=False),
    "a question over a whole series ('from junior to principal') is answered by one stage":
        replace(DEFAULT_TUNING, series_span=False),
    "a stage does not hold the stage noun its text lacks when a summary wins ('what level is 7 years?')":
        replace(DEFAULT_TUNING, specific_stage_cover=0.0),
    "a series named as such needs the usual floor for its end ('the very top of the ladder')":
        replace(DEFAULT_TUNING, series_end_floor=DEFAULT_TUNING.suggest_floor),
    "two plans compared are not answered by the one that states the difference ('plus vs free')":
        replace(DEFAULT_TUNING, compared_siblings=0.0),
    "a question naming the role may be answered by the stage named like it ('Data Engineer')":
        replace(DEFAULT_TUNING, plain_stage_margin=0.0),
    "no texting shorthand ('how 2 build', 'certs 4 backend')": replace(DEFAULT_TUNING, texting=False),
    "no exact-question / listed-item boost": replace(DEFAULT_TUNING, exact_boost=1.0, item_boost=1.0),
    "ranker: BM25F only": replace(DEFAULT_TUNING, ranker_signals=("bm25f",)),
    "ranker: classifier + BM25F": replace(DEFAULT_TUNING, ranker_signals=("svc", "bm25f")),
    "ranker: ESA + LSA + BM25F (no classifier)": replace(DEFAULT_TUNING,
                                                         ranker_signals=("chars", "esa", "lsa", "bm25f")),
    "no key weighting (large knowledge bases)": replace(DEFAULT_TUNING, key_weight=0.0),
    "no follow-up reading (context ignored)": replace(DEFAULT_TUNING, follow_ups=False),
    "a declined question of several sentences is not asked again as its asking sentence":
        replace(DEFAULT_TUNING, asking_sentence=False),
    "... nor read whole with the other sentences' words weighing less (story weight 0)":
        replace(DEFAULT_TUNING, story_weight=0.0),
    "... nor its last sentence read as a follow-up of the topic the others name": replace(DEFAULT_TUNING,
                                                                                        story_context=False),
    "an adverb the document lacks ('usually') weighs as its commonness says": replace(DEFAULT_TUNING, adverbs=False),
    "a name the document lacks ('Does Google ...', 'Go') weighs as its commonness says": replace(DEFAULT_TUNING,
                                                                                              names=False),
    "'how long' counts as a missing word (no duration frame)": replace(DEFAULT_TUNING, duration_frame=False),
    "an owner's alternate question is held to its kind": replace(DEFAULT_TUNING, own_question_any_kind=False),
    "no FAQ-question lift in FAQ collections": replace(DEFAULT_TUNING, faq_key_weight=0.0),
    "the document's subject named beside a topic weighs as usual": replace(DEFAULT_TUNING, drop_subject=False),
}


def measure(tune: bool = False, tuning=DEFAULT_TUNING) -> str:
    """The four figures; ``tune`` first picks the no-answer threshold that scores best on dev.yaml."""
    guide = Bot.from_path(ROOT / "knowledge", saved_index=False, tuning=tuning)
    other = Bot.from_path(ROOT / "tests" / "fixtures" / "data-engineer.txt", saved_index=False, tuning=tuning)
    devops = Bot.from_path(ROOT / "tests" / "fixtures" / "devops-engineer.txt", saved_index=False, tuning=tuning)
    frontend = Bot.from_path(ROOT / "tests" / "fixtures" / "frontend-developer.txt", saved_index=False, tuning=tuning)
    cloud = Bot.from_path(ROOT / "tests" / "fixtures" / "cloud-security-engineer.txt", saved_index=False, tuning=tuning)
    sre = Bot.from_path(ROOT / "tests" / "fixtures" / "site-reliability-engineer.txt", saved_index=False, tuning=tuning)
    note = ""
    if tune:
        tried = []
        for t in [i / 20 for i in range(1, 20)]:
            guide.min_confidence = t
            tried.append((run(guide, DATA / "dev.yaml").score, t))
        threshold = max(tried)[1]
        for bot in (guide, other, devops, frontend, cloud, sre):
            bot.min_confidence = threshold
        note = f"  (threshold {threshold:.2f}, tuned on dev)"
    probes = run(guide, DATA / "out-of-scope-probes.yaml")
    scores = [run(guide, DATA / "dev.yaml").score, run(guide, DATA / "paraphrases.yaml").score,
              run(guide, DATA / "heldout.yaml").score, run(guide, DATA / "blind.yaml").score,
              run(other, DATA / "data-engineer.yaml").score, run(devops, DATA / "devops-engineer.yaml").score,
              run(frontend, DATA / "frontend-developer.yaml").score,
              run(cloud, DATA / "cloud-security-engineer-unseen.yaml").score,
              run(sre, DATA / "site-reliability-engineer-dev.yaml").score, 100 * probes.out_ok / probes.out_total]
    conv = run_conversations(guide, DATA / "followups-dev.yaml")
    scores.append(100 * conv.later_ok / conv.later_total)
    scores.append(run(guide, DATA / "r14-chatty-unseen.yaml").score)  # chatty visitors, and their conversations
    chat = run_conversations(guide, DATA / "followups-r13b-unseen.yaml")
    scores.append(100 * chat.later_ok / chat.later_total)
    for lang, name in (("de", "de-2"), ("es", "es-2"), ("pt", "pt-2")):  # reading outside English
        faq = load_source(ROOT / "tests" / "fixtures" / "lang" / f"{lang}-faq.csv", name=f"{lang}-faq")
        scores.append(run(Bot([faq], tuning=tuning), DATA / "lang" / f"{name}.yaml").score)
    pairs = [json.loads(line) for line in (DATA / "stackfaq" / "faq_pairs.jsonl").open(encoding="utf-8")]
    queries = [json.loads(line) for line in (DATA / "stackfaq" / "queries-dev.jsonl").open(encoding="utf-8")]
    sf = Bot([load_source(DATA / "stackfaq" / "faq_pairs.jsonl", name="stackfaq")], tuning=tuning)
    p1, _, _ = stackfaq_scores(sf, "stackfaq", pairs, queries)
    return " ".join(f"{x:6.1f}%" for x in scores) + f"   {p1:.3f}{note}"


def main() -> int:
    names = ("dev", "para", "heldout", "blind", "data-e", "devops", "front", "cloud", "sre", "probes", "fu-dev", "chatty",
             "fu-chat", "de-2", "es-2", "pt-2")
    print(f"{'variant':<58} " + " ".join(f"{n:>7}" for n in names) + "   SF P@1")
    for name, tuning in VARIANTS.items():
        print(f"{name:<58} {measure('coverage' in name and 'without' in name, tuning)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
