"""Tuning switches (bot.tuning): each switch turns off what it says, and only that."""
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot import Bot
from bot.knowledge import load_source, synonyms_for
from bot.saved import FOLDER
from bot.languages import stem
from bot.tuning import BUILD_FIELDS, DEFAULT_TUNING, Tuning

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def guide(**switches) -> Bot:
    return Bot.from_path(ROOT / "knowledge", tuning=replace(DEFAULT_TUNING, **switches))


@pytest.fixture(scope="module")
def default():
    return guide()


def test_spelling_off_leaves_a_misspelt_question_unrepaired(default):
    ans = default.ask("carrer progresion")
    assert ans.answered and ans.entry.title == "Career Progression"
    assert ("carrer", "career") in ans.corrections
    off = guide(spelling=False).ask("carrer progresion")
    assert not off.answered and off.corrections == ()


def test_steps_off_answers_the_stage_named_not_the_next_one(default):
    assert default.ask("what is the level above senior developer").entry.title == "Lead Python Developer"
    off = guide(steps=False).ask("what is the level above senior developer")
    assert off.entry is not None and "Senior" in off.entry.title


def test_years_off_reads_a_number_of_years_as_written(default):
    question = "I have 3 years of experience, what level am I"
    assert default.ask(question).entry.title == "Python Developer"  # 2-4 years
    assert guide(years=False).ask(question).entry.title != "Python Developer"


def test_follow_ups_off_ignores_the_previous_answer():
    for switch, want in ((True, "career-progression/principal-python-developer"), (False, None)):
        bot = guide(follow_ups=switch)
        first = bot.ask("tell me about the lead python developer")
        reply = bot.ask("what comes after that?", context=dict(first.context))
        assert (reply.entry.id if reply.answered else None) == want


@pytest.mark.parametrize("question,title", [("oncall rotation", "On-call"), ("back end services", "Backend services")])
def test_compounds_off_reads_a_compound_only_as_written(question, title):
    on = Bot.from_path(FIXTURES / "ops.md", saved_index=False).ask(question)
    assert on.answered and on.entry.title == title
    off = Bot.from_path(FIXTURES / "ops.md", saved_index=False,
                        tuning=replace(DEFAULT_TUNING, compounds=False)).ask(question)
    assert not off.answered


def test_synonyms_and_abbreviations_off_leave_them_out_of_the_table():
    """ops.md defines "Site Reliability Engineering (SRE)"; the general table reads "yrs" as "year"."""
    kb = load_source(FIXTURES / "ops.md")
    assert synonyms_for(kb) is kb.synonyms
    assert synonyms_for(kb).apply(["sre"]) != ["sre"] and synonyms_for(kb).apply([stem("yrs")]) == ["year"]
    no_abbreviations = synonyms_for(kb, replace(DEFAULT_TUNING, abbreviations=False))
    assert no_abbreviations.apply(["sre"]) == ["sre"] and no_abbreviations.apply([stem("yrs")]) == ["year"]
    no_table = synonyms_for(kb, replace(DEFAULT_TUNING, synonyms=False))
    assert no_table.apply([stem("yrs")]) == [stem("yrs")] and no_table.apply(["sre"]) != ["sre"]
    assert kb.synonyms.apply(["sre"]) != ["sre"], "the knowledge base's own table is left as it was"


def test_ranker_signals_pick_the_ranker_s_signals():
    bm25f = replace(DEFAULT_TUNING, ranker_signals=("bm25f",))
    bot = Bot.from_path(FIXTURES / "ops.md", saved_index=False, tuning=bm25f)
    assert bot._searchers["ops"].index.ranker_.signals_ == ("bm25f",)
    assert Bot.from_path(FIXTURES / "ops.md", saved_index=False)._searchers["ops"].index.ranker_.signals_ != ("bm25f",)


def test_a_tuning_that_builds_differently_neither_reads_nor_writes_the_saved_index(tmp_path):
    shutil.copy(FIXTURES / "ops.md", tmp_path / "ops.md")
    no_compounds = replace(DEFAULT_TUNING, compounds=False)
    assert not no_compounds.builds_default() and replace(DEFAULT_TUNING, spelling=False).builds_default()
    Bot.from_path(tmp_path / "ops.md", tuning=no_compounds)
    assert not (tmp_path / FOLDER).exists()
    assert Bot.from_path(tmp_path / "ops.md").ask("oncall rotation").answered  # fits and saves the default's
    assert (tmp_path / FOLDER / "ops").is_dir()
    assert not Bot.from_path(tmp_path / "ops.md", tuning=no_compounds).ask("oncall rotation").answered
    # a switch read at question time uses the saved index
    no_steps = replace(DEFAULT_TUNING, steps=False)
    assert Bot.from_path(tmp_path / "ops.md", tuning=no_steps).ask("oncall rotation").answered


def test_every_build_field_is_a_field_and_the_default_builds_the_default():
    assert set(BUILD_FIELDS) <= set(Tuning.__dataclass_fields__)
    assert DEFAULT_TUNING.builds_default() and Tuning() == DEFAULT_TUNING


def test_duration_frame_off_counts_how_long_as_a_missing_word(default):
    question = "How long does it take to reach senior?"
    assert default.ask(question).answered
    assert not guide(duration_frame=False).ask(question).answered


def test_own_question_any_kind_off_holds_an_alternate_question_to_its_kind(tmp_path):
    faq = tmp_path / "faq.csv"
    faq.write_text("question,answer\nDo you ship internationally?,Yes: to Canada and the EU within ten days.\n",
                   encoding="utf-8")
    faq.with_suffix(".yaml").write_text(
        "questions: {do-you-ship-internationally: [how much is shipping to canada]}\n", encoding="utf-8")
    question = "how much is shipping to canada"  # a money question; the entry states no amount
    assert Bot.from_path(faq, saved_index=False).ask(question).answered
    held = replace(DEFAULT_TUNING, own_question_any_kind=False, faq_key_weight=0.0)  # the switch alone
    assert not Bot.from_path(faq, saved_index=False, tuning=held).ask(question).answered


SHOP_FAQ = ("question,answer\n"
            "How do I reset my password?,\"Open Settings, choose Security and follow the link we e-mail you. The link "
            "works for one hour; after that, ask for a new one from the same page.\"\n"
            "Can I change my delivery address?,\"Yes, until the parcel leaves our warehouse.\"\n"
            "Do you ship internationally?,We deliver to Canada and the European Union within ten working days.\n"
            "How do I return an order?,Send it back within 30 days in its original packaging.\n"
            "Which payment methods do you accept?,\"Credit cards, PayPal and bank transfer.\"\n")


def test_an_faq_collection_answers_a_question_its_own_faq_question_holds(tmp_path):
    """In an FAQ file the visitor asks an FAQ's question in other words; its answer need not repeat them."""
    faq = tmp_path / "shop.csv"
    faq.write_text(SHOP_FAQ, encoding="utf-8")
    question = "my password needs a reset asap"
    lifted = Bot.from_path(faq, saved_index=False).ask(question)
    assert lifted.answered and lifted.entry.title == "How do I reset my password?"
    off = Bot.from_path(faq, saved_index=False, tuning=replace(DEFAULT_TUNING, faq_key_weight=0.0))
    assert not off.ask(question).answered
    assert not Bot.from_path(faq, saved_index=False).ask("what is your refund policy for crypto").answered


def test_the_faq_lift_leaves_a_document_with_an_faq_section_alone(default):
    """The guide is a document (5 of its 33 entries are FAQ questions): an out-of-scope question that shares the
    role's name with its FAQ questions stays declined."""
    assert not default.ask("what do they ask in a python backend interview").answered
