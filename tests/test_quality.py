"""Answer quality, pinned: the question sets and StackFAQ stay over their bars.

These are quality tests, not timing tests: they assert how many questions are
answered right, never how fast.
"""
import json
from pathlib import Path

import pytest

from bot import Bot, load_source
from bot.owner.evaluate import run, run_conversations

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"


@pytest.fixture(scope="module")
def guide():
    return Bot.from_path(ROOT / "knowledge")


def rates(report):
    return report.in_ok / report.in_total, report.out_ok / report.out_total


def test_dev_set_declines_every_out_of_scope_question_and_answers_97_percent(guide):
    report = run(guide, DATA / "dev.yaml")
    in_rate, out_rate = rates(report)
    assert out_rate == 1.0, report.failures
    assert in_rate >= 0.97, report.failures


def test_team_paraphrase_set_stays_over_its_bar(guide):
    report = run(guide, DATA / "paraphrases.yaml")
    in_rate, out_rate = rates(report)
    assert out_rate == 1.0, report.failures
    assert in_rate >= 0.88, report.failures


def test_out_of_scope_probes_are_mostly_declined(guide):
    report = run(guide, DATA / "out-of-scope-probes.yaml")
    assert report.out_ok / report.out_total >= 0.8, report.failures


@pytest.mark.parametrize("role,in_bar,out_bar", [
    ("data-engineer", 0.95, 0.9),     # written by the team with the engine
    ("devops-engineer", 0.82, 0.9),   # written, guide and questions, by someone who had not seen it
    ("frontend-developer", 0.82, 0.95),  # the same
])
def test_other_role_guide_without_curation_stays_over_its_bar(role, in_bar, out_bar):
    bot = Bot.from_path(HERE / "fixtures" / f"{role}.txt")
    report = run(bot, DATA / f"{role}.yaml")
    in_rate, out_rate = rates(report)
    assert in_rate >= in_bar, report.failures
    assert out_rate >= out_bar, report.failures


@pytest.mark.parametrize("name,in_bar,out_bar", [
    ("heldout.yaml", 0.76, 0.95),   # chattier than dev.yaml: 67% in scope when added, 80% now
    ("blind.yaml", 0.80, 0.9),      # dev.yaml's style: 73% in scope when added, 85% now
    ("blind2.yaml", 0.76, 0.9),     # visitors' style: 60% before this engine's phrasing work, 80% now
    ("blind3.yaml", 0.62, 0.9),     # paraphrases, typos, shorthand: 44% before, 66% now
    ("blind4.yaml", 0.54, 0.95),    # the same kinds, kept unseen: 44% before, 50% when first run, 58% now
    ("blind5.yaml", 0.86, 0.95),    # dev.yaml's mix, run unseen at the end: 64% before, 90% then
])
def test_held_out_sets_stay_over_their_bars(guide, name, in_bar, out_bar):
    """Written by team members who had not seen the engine."""
    report = run(guide, DATA / name)
    in_rate, out_rate = rates(report)
    assert in_rate >= in_bar, report.failures
    assert out_rate >= out_bar, report.failures


def test_one_typo_rarely_changes_a_right_answer(guide):
    """Every rightly answered question of the guide's sets, asked twice more with one random slip
    (seeded): 94.4% stay right (89.1% at the start of this work)."""
    from bot.owner.evaluate import typo_robustness

    right, share = typo_robustness(guide, [DATA / n for n in ("dev.yaml", "paraphrases.yaml", "heldout.yaml",
                                                              "blind.yaml", "blind2.yaml")])
    assert right >= 250
    assert share >= 0.92


def stackfaq_p_at_1(bot, kb, pairs, queries):
    """Thread-level P@1, scored as score_stackfaq.py does (first entry of answer + related)."""
    thread_of = {" ".join(p["question"].lower().split()): p["thread_id"] for p in pairs}
    hits = 0
    for q in queries:
        ans = bot.ask(q["text"], kb=kb, top=10)
        first = ans.entry if ans.answered else (ans.related[0].entry if ans.related else None)
        hits += bool(first) and thread_of.get(" ".join(first.title.lower().split())) == q["thread_id"]
    return hits / len(queries)


@pytest.fixture(scope="module")
def stackfaq():
    pairs = [json.loads(line) for line in (DATA / "stackfaq" / "faq_pairs.jsonl").open(encoding="utf-8")]
    queries = [json.loads(line) for line in (DATA / "stackfaq" / "queries-dev.jsonl").open(encoding="utf-8")]
    return pairs, queries


def test_stackfaq_precision_at_1_is_at_least_080(stackfaq):
    pairs, queries = stackfaq
    bot = Bot([load_source(DATA / "stackfaq" / "faq_pairs.jsonl", name="stackfaq")])
    assert stackfaq_p_at_1(bot, "stackfaq", pairs, queries) >= 0.80


def test_a_clause_that_points_back_is_read_with_its_sentence_not_as_a_follow_up(stackfaq):
    """ "<statement>, is there a way around this?" asks about the statement's subject; it is not a follow-up
    of the entry the statement names, which would move to another entry."""
    bot = Bot([load_source(DATA / "stackfaq" / "faq_pairs.jsonl", name="stackfaq")])
    reply = bot.ask("Gmail filters out attachments that contain exe files, is there a way around this?")
    assert reply.answered and reply.entry.title == "How can I send a Windows executable via Gmail?"


def test_stackfaq_answers_more_of_its_queries_rightly(stackfaq):
    """Answered (not only offered) with the right thread: 384 of 625 before yes/no clauses were read."""
    pairs, queries = stackfaq
    bot = Bot([load_source(DATA / "stackfaq" / "faq_pairs.jsonl", name="stackfaq")])
    thread_of = {" ".join(p["question"].lower().split()): p["thread_id"] for p in pairs}
    right = sum(1 for q in queries if (a := bot.ask(q["text"])).answered
                and thread_of.get(" ".join(a.entry.title.lower().split())) == q["thread_id"])
    assert right >= 395


def test_confirmed_phrasings_as_alternates_answer_their_own_queries(stackfaq, tmp_path):
    """The owner's loop: visitor phrasings saved as alternate questions find their thread."""
    pairs, queries = stackfaq
    by_thread = {}
    for q in queries:
        by_thread.setdefault(q["thread_id"], []).append(q["text"])
    curated = tmp_path / "stackfaq-curated.jsonl"
    curated.write_text("".join(json.dumps(dict(p, questions=by_thread.get(p["thread_id"], []))) + "\n"
                               for p in pairs), encoding="utf-8")
    bot = Bot([load_source(curated)])
    assert stackfaq_p_at_1(bot, "stackfaq-curated", pairs, queries) >= 0.98


@pytest.mark.parametrize("name,in_bar,out_bar", [
    # round 3, written without sight of the engine (2026-11-30); "-unseen" ones were run once at the end
    ("r3-mix.yaml", 0.70, 0.92), ("r3-chatty.yaml", 0.43, 1.0), ("r3-terse.yaml", 0.80, 0.88),
    ("r3-mix-unseen.yaml", 0.70, 0.92), ("r3-chatty-unseen.yaml", 0.23, 1.0), ("r3-terse-unseen.yaml", 0.68, 1.0),
])
def test_round_three_sets_stay_over_their_bars(guide, name, in_bar, out_bar):
    report = run(guide, DATA / name)
    in_rate, out_rate = rates(report)
    assert in_rate >= in_bar, report.failures
    assert out_rate >= out_bar, report.failures


@pytest.mark.parametrize("name,in_bar", [("qa-engineer.yaml", 0.80), ("qa-engineer-unseen.yaml", 0.72)])
def test_a_fourth_role_guide_without_curation_stays_over_its_bar(name, in_bar):
    """A QA-engineer guide and its sets, written by a helper who never saw the engine."""
    bot = Bot.from_path(HERE / "fixtures" / "qa-engineer.txt")
    report = run(bot, DATA / name)
    in_rate, out_rate = rates(report)
    assert in_rate >= in_bar, report.failures
    assert out_rate == 1.0, report.failures


# The later rounds of sets, each written by a helper without sight of the engine and kept unseen until run once
# (their headers give the figures of that run): what they score now is the floor, in-scope and out-of-scope both.
# (r8 lost one answer, 43 -> 42, when the document's subject named beside a topic stopped weighing: Tuning.drop_subject,
# which gained nine declines and eight follow-ups over the sets)
@pytest.mark.parametrize("name,in_ok,out_ok", [
    ("r8-unseen.yaml", 42, 19), ("r9-chatty.yaml", 39, 14), ("r10-unseen.yaml", 45, 19), ("r11-unseen.yaml", 47, 19),
    ("r13-mix-unseen.yaml", 44, 18), ("r13-chatty-unseen.yaml", 35, 19), ("r13-terse-unseen.yaml", 47, 19),
    ("r14-mix-unseen.yaml", 45, 21), ("r14-chatty-unseen.yaml", 29, 21), ("r14-terse-unseen.yaml", 43, 21),
    ("r15-mix-unseen.yaml", 45, 21), ("r15-chatty-unseen.yaml", 25, 20), ("r15-terse-unseen.yaml", 50, 21),
    ("r17-mix-unseen.yaml", 32, 22), ("r17-chatty-unseen.yaml", 30, 22), ("r17-terse-unseen.yaml", 48, 22),
    ("r19-mix-unseen.yaml", 46, 19), ("r19-chatty-unseen.yaml", 29, 20), ("r19-terse-unseen.yaml", 49, 20),
])
def test_later_rounds_keep_their_answers_and_declines(guide, name, in_ok, out_ok):
    report = run(guide, DATA / name)
    assert (report.in_ok, report.out_ok) >= (in_ok, 0) and report.out_ok >= out_ok, report.failures


@pytest.mark.parametrize("name,later_ok", [
    ("followups-r8a-unseen.yaml", 63), ("followups-r8b-unseen.yaml", 58), ("followups-r8c-unseen.yaml", 61),
    ("followups-r9-chatty.yaml", 67), ("followups-r10a-unseen.yaml", 55), ("followups-r10b-unseen.yaml", 57),
    ("followups-r10c-unseen.yaml", 60), ("followups-r11a-unseen.yaml", 58), ("followups-r11b-unseen.yaml", 58),
    ("followups-r11c-unseen.yaml", 52), ("followups-r12a-unseen.yaml", 57), ("followups-r12b-unseen.yaml", 58),
    ("followups-r13a-unseen.yaml", 43), ("followups-r13b-unseen.yaml", 38), ("followups-r13c-unseen.yaml", 45),
    ("followups-r14a-unseen.yaml", 58), ("followups-r14b-unseen.yaml", 50), ("followups-r14c-unseen.yaml", 57),
    ("followups-r15a-unseen.yaml", 48), ("followups-r15b-unseen.yaml", 48), ("followups-r15c-unseen.yaml", 55),
    ("followups-r16a.yaml", 53), ("followups-r16b.yaml", 43), ("followups-r17a-unseen.yaml", 48),
    ("followups-r17b-unseen.yaml", 41), ("followups-r17c-unseen.yaml", 52),
    ("followups-r19a-unseen.yaml", 47), ("followups-r19b-unseen.yaml", 32), ("followups-r19c-unseen.yaml", 62),
])
def test_later_conversation_rounds_keep_their_follow_ups(guide, name, later_ok):
    report = run_conversations(guide, DATA / name)
    assert report.later_ok >= later_ok, report.failures


# Other-role guides without curation, with sets written by helpers who never saw the engine: the cloud-security
# set (kept unseen until run once, a round ago) and the site-reliability guide's two sets (a development set, and
# one kept unseen until run once a round ago: 17/45 before, 27/45 after, 17/18 declined both times); and a
# machine-learning-engineer guide a helper wrote in the seed guide's structure this round (its Jobicy+ block copied from
# the seed guide), with a set kept unseen until run once: 33/45 before, 34/45 after, 16/18 declined both times
@pytest.mark.parametrize("guide_name,name,in_ok,out_ok", [
    ("cloud-security-engineer", "cloud-security-engineer-unseen.yaml", 36, 13),
    ("site-reliability-engineer", "site-reliability-engineer-unseen.yaml", 27, 17),  # 28 before drop_subject
    ("site-reliability-engineer", "site-reliability-engineer-dev.yaml", 26, 18),
    ("machine-learning-engineer", "machine-learning-engineer-unseen.yaml", 34, 18),
])
def test_other_role_guides_keep_their_answers_and_declines(guide_name, name, in_ok, out_ok):
    report = run(Bot.from_path(HERE / "fixtures" / f"{guide_name}.txt"), DATA / name)
    assert report.in_ok >= in_ok and report.out_ok >= out_ok, report.failures
