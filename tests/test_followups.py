"""Follow-up questions read in the light of the previous answer (bot.followup)."""
from pathlib import Path

import pytest

from bot import Bot
from bot.owner.evaluate import run_conversations
from bot.followup import read_turn

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="module")
def guide():
    return Bot.from_path(ROOT / "knowledge")


def after(bot, first, then):
    a = bot.ask(first)
    assert a.answered, first
    return bot.ask(then, context=dict(a.context))


@pytest.mark.parametrize("first,then,want", [
    ("how much is Jobicy+ Plus?", "and the free plan?", "jobicy-plus-subscription/free"),          # a sibling named
    ("who is a principal python developer?", "hmm, and two rungs below that?",
     "career-progression/senior-python-developer"),                                             # a step of two
    ("what does a junior python developer do?", "and 3 levels up?", "career-progression/lead-python-developer"),
    ("what are the technical skills?", "and the soft ones?", "required-skills/soft-skills"),
    ("what are the technical skills?", "what about the softer stuff?", "required-skills/soft-skills"),  # "-er"
    ("what education do I need?", "and which certifications?",
     "education-certification/recommended-certifications"),                                      # sibling before parent
    ("tell me about the lead python developer", "what comes after that?",
     "career-progression/principal-python-developer"),                                          # a step forward
    ("tell me about the lead python developer", "and the level below?",
     "career-progression/senior-python-developer"),                                             # ... and back
    ("what is the career progression?", "what's the first step?", "career-progression/junior-python-developer"),
    ("senior level responsibilities", "can you show all the levels together?", "core-responsibilities"),  # the parent
    ("what does a junior developer do?", "and a senior one?", "career-progression/senior-python-developer"),
    ("junior level responsibilities", "and a senior one?", "core-responsibilities/senior-level"),
    ("what is the career progression?", "and the third step?", "career-progression/senior-python-developer"),
    ("senior level responsibilities", "and the one after that?",                                 # past the end of
     "career-progression/lead-python-developer"),                                                # one series, into another
    ("how long is someone a junior python developer?", "and a regular python developer?",
     "career-progression/python-developer"),                                                     # a sibling named whole
    ("what are the soft skills", "and the tech ones?", "required-skills/technical-skills"),      # the start of a word
    ("how much is Jobicy+ Plus?", "what else is in that plan?", "jobicy-plus-subscription/plus"),  # "that plan": Plus
    ("tell me about the lead python developer", "and is there anything above lead?",             # a step from the
     "career-progression/principal-python-developer"),                                          # stage it names
    ("python developer experience", "and above senior?",                                         # ... another stage
     "career-progression/lead-python-developer"),                                               # of the series
    ("What is the career progression for a Python Backend Developer?", "top one?",              # the FAQ's section
     "career-progression/principal-python-developer"),
    ("how long is someone a senior python developer?", "what are they in charge of at this level?",
     "career-progression/senior-python-developer"),                                             # "this level": prev
    ("how long is someone a senior python developer?", "what do folks in that position handle?",
     "career-progression/senior-python-developer"),
    ("junior level responsibilities", "which of them is the highest?", "core-responsibilities/senior-level"),
    ("how many years for a senior python developer?", "is there a level beyond that?",           # "beyond that"
     "career-progression/lead-python-developer"),
    ("how many years for a senior python developer?", "and under that?", "career-progression/python-developer"),
    ("how many years for a senior python developer?", "a notch up?", "career-progression/lead-python-developer"),
    ("how many years to be a principal python developer?", "and the level below lead?",          # a step from the
     "career-progression/senior-python-developer"),                                             # stage named ...
    ("how many years to be a principal python developer?", "what does the lead stage below it involve?",
     "career-progression/lead-python-developer"),                                               # ... to the one named
    ("how long is someone a python developer?", "and how long does that stage go on?",           # "go on": only
     "career-progression/python-developer"),                                                    # frames the question
    ("how much is Jobicy+ Plus?", "and the cheaper one?", "jobicy-plus-subscription/free"),      # another one, told
    ("what does the Free plan include?", "really?! how about the paid one?",                     # by what only it
     "jobicy-plus-subscription/plus"),                                                          # answers (a price)
    ("what does the Free plan include?", "and the paid plan?", "jobicy-plus-subscription/plus"),  # "plan" names
    ("whats in free", "and paid", "jobicy-plus-subscription/plus"),                            # the parent too
    ("whats in free", "and the paid?", "jobicy-plus-subscription/plus"),
    ("what are the technical skills?", "what other skills are needed?", "required-skills"),      # another option:
    ("how much is Jobicy+ Plus?", "is there anything cheaper?", "jobicy-plus-subscription/free"),  # the cheaper one
    ("what education do I need?", "anything else?", "education-certification"),                 # it is one of
    ("senior level responsibilities", "and the one before mid?",                                 # a stage named by
     "core-responsibilities/junior-level"),                                                     # a synonym ("mid")
    ("how long is someone a python developer?", "and the stage preceding it?",                   # "preceding",
     "career-progression/junior-python-developer"),
    ("how long is someone a junior python developer?", "the stage following it?",               # "following it"
     "career-progression/python-developer"),
    ("junior level responsibilities", "what else does a junior do?",                             # more of the stage
     "core-responsibilities/junior-level"),                                                     # it names, no other
    ("tell me about the lead python developer", "cool!! and the one below? no rush, just curious.",  # the sentence
     "career-progression/senior-python-developer"),                                             # that asks
    ("what does a lead python developer do?", "how many years do people normally have in that job?",  # "people":
     "career-progression/lead-python-developer"),                                               # the ones at that stage
    ("What skills are required for a Python Backend Developer role?", "and the soft ones?",      # the parts of
     "required-skills/soft-skills"),                                                            # the section an
    ("What is the job market outlook for Python Backend Developers?", "and which industries?",    # FAQ entry is
     "market-trends/top-industries"),                                                           # about
    ("What are the key responsibilities of a Python Backend Developer?", "and for the senior level?",  # a section
     "core-responsibilities/senior-level"),                      # sharing a word; the stage its series names
    ("senior level responsibilities", "and the top one?",                                        # the top of a
     "career-progression/principal-python-developer"),                                          # longer series
    ("junior level responsibilities", "and the first one?", "core-responsibilities/junior-level"),  # no further
    ("how long is a junior python developer?", "duties", "career-progression/junior-python-developer"),  # a
    ("junior python developer responsibilities", "yrs?", "career-progression/junior-python-developer"),  # fragment
    ("what does the free plan include?", "and if I upgrade?", "jobicy-plus-subscription/plus"),  # the plan it
    ("how much is Plus?", "and without paying?", "jobicy-plus-subscription/free"),             # describes
    ("what is jobicy+?", "is there an option that costs nothing?", "jobicy-plus-subscription/free"),
    ("can i get the verified badge thing", "is that free", "jobicy-plus-subscription/plus"),    # ... not prev's
    ("what is jobicy+?", "and what's the cheapest option they have?", "jobicy-plus-subscription/free"),  # the
    ("how much is plus?", "cheaper option", "jobicy-plus-subscription/free"),                # cheapest is the free one
    ("wat does principal do", "how long", "career-progression/principal-python-developer"),  # a bare kind asks prev
    ("entry lvl yrs?", "n then?", "career-progression/python-developer"),                     # "n" is "and"
    ("how long is a python developer?", "n below?", "career-progression/junior-python-developer"),  # a step alone
    ("my partner is a Principal Python Developer, what does she do?", "and the level right below hers?",
     "career-progression/lead-python-developer"),                                               # a possessive
    ("what does a senior do?", "top?", "career-progression/principal-python-developer"),      # an end alone
])
def test_follow_up_moves_from_the_previous_answer(guide, first, then, want):
    reply = after(guide, first, then)
    assert reply.answered and reply.entry.id == want


def test_a_new_topic_announced_is_read_by_its_asking_sentence(guide):
    reply = after(guide, "where do people usually find these jobs? like which sites",
                  "ok cool. totally unrelated but what soft skills matter most? I'm kinda awkward in meetings")
    assert reply.answered and reply.entry.title == "Soft Skills"


def test_the_paid_one_after_the_plans_section_is_its_paid_plan(guide):
    context = {"previous": "jobicy-plus-subscription", "kb": "python-backend-developer"}
    reply = guide.ask("And the paid one, what do I get with that?", context=context)
    assert reply.answered and reply.entry.title == "Plus"


def test_a_paid_plan_of_another_product_is_not_the_paid_sibling(guide):
    reply = after(guide, "what does the free plan include?", "Does LinkedIn Premium help more than Jobicy Plus?")
    assert not (reply.answered and reply.entry.title == "Plus")


def test_fresh_question_is_not_pulled_back_to_the_previous_topic(guide):
    reply = after(guide, "what does the Free plan include?", "which industries hire python developers?")
    assert reply.answered and "financial services" in reply.entry.text.lower()
    assert not reply.entry.id.startswith("jobicy-plus-subscription")


@pytest.mark.parametrize("then", ["and what's the average salary?", "how do I learn Rust?", "and what about gaming?",
                                  "and in canada specifically?"])
def test_out_of_scope_follow_up_is_still_declined(guide, then):
    assert not after(guide, "what is the growth rate for this job?", then).answered


def test_a_later_question_of_a_follow_up_is_not_dropped_for_its_first(guide):
    # "in there?" leans on the answer, but what the visitor asks is the share, which the guide does not state
    assert not after(guide, "Which industries hire python backend devs?",
                     "Healthcare's in there? My sister's on a hospital IT team. "
                     "What percentage of those hires go to healthcare specifically?").answered
    step = after(guide, "what does a mid level dev do?", "I do some of that, I guess? What about one level up, "
                                                         "what changes there?")
    assert step.answered and step.entry.title == "Senior Level"


def test_after_a_did_you_mean_the_conversation_goes_on_from_the_entry_offered(guide):
    unsure = guide.ask("at what point am i a senior python person")
    assert not unsure.answered and unsure.did_you_mean.entry.id == "career-progression/senior-python-developer"
    assert unsure.context == {"previous": "career-progression/senior-python-developer", "kb": "python-backend-developer"}
    nxt = guide.ask("and the level above?", context=dict(unsure.context))
    assert nxt.answered and nxt.entry.id == "career-progression/lead-python-developer"


def test_a_comparison_follow_up_is_not_answered_by_a_list_that_only_names_both():
    bot = Bot.from_path(ROOT / "knowledge")
    assert not after(bot, "which frameworks should i know", "which is better, Django or FastAPI?").answered


@pytest.mark.parametrize("context", [{"previous": "no-such-entry", "kb": "python-backend-developer"},
                                     {"previous": 7}, {"kb": "nope"}, {}])
def test_stale_or_forged_context_is_ignored(guide, context):
    assert guide.ask("what does a junior developer do?", context=context).entry.id == \
        guide.ask("what does a junior developer do?").entry.id


def test_answer_offers_the_next_level_and_siblings_as_prompts(guide):
    reply = guide.ask("how much is Jobicy+ Plus?")
    assert {"text": "What about Free?", "id": "jobicy-plus-subscription/free"} in reply.to_dict()["prompts"]
    senior = guide.ask("how many years until senior?").to_dict()
    assert senior["prompts"][0] == {"text": "Next: Lead Python Developer", "id": "career-progression/lead-python-developer"}


def test_a_prompt_sent_back_with_the_context_answers_with_its_entry(guide):
    first = guide.ask("how many years until senior?")
    for prompt in first.prompts:
        assert guide.ask(prompt["text"], context=dict(first.context)).entry.id == prompt["id"]


@pytest.mark.parametrize("text,marked,step", [
    ("and a senior one?", True, 0), ("what do they do?", True, 0), ("what comes next?", True, 1),
    ("the level below?", True, -1), ("where does the path start?", True, "first"), ("and the third stage?", True, 3),
    ("and the ones above THEM?", True, 1), ("the folks just below them?", True, -1),
    ("what's at the very bottom of it?", True, "first"), ("b4 that", True, -1), ("lvl below", True, -1),
    ("n the first?", True, "first"), ("where do they end up working?", True, 0),  # "end up" is no end of a series
    ("how does a career in this role progress?", False, 0), ("which industries hire python developers", False, 0),
])
def test_turns_are_read_as_follow_ups_or_fresh(text, marked, step):
    turn = read_turn(text)
    assert (turn.marked, turn.step) == (marked, step)


@pytest.mark.parametrize("name,bar", [
    ("followups-dev.yaml", 0.95),       # ../shared/eval's development set: 82% before this work
    ("followups-r3-mix.yaml", 0.78),    # written without sight of the engine: 56% before
    ("followups-r3-chatty.yaml", 0.55),  # the same, chatty: 38% before (its first turns are the hard part)
    ("followups-r4.yaml", 0.77),        # round 4, seven voices: 70.7% before ordinal and cross-series steps
])
def test_conversation_sets_stay_over_their_bars(guide, name, bar):
    rep = run_conversations(guide, DATA / name)
    assert rep.later_ok / rep.later_total >= bar, rep.failures


@pytest.mark.parametrize("text,other", [
    ("is there anything cheaper?", "anything cheaper"), ("any other options?", "other"),
    ("anything after that?", None), ("what does one developer earn?", None),                    # a step; a noun
])
def test_another_option_is_asked_for_by_its_words(text, other):
    assert read_turn(text).other == other


@pytest.mark.parametrize("text,want,fresh", [
    ("wow, ok! and the free plan?", "and the free plan?", False),              # a reaction, then the question
    ("uh huh. so which skills matter?", "which skills matter?", False),
    ("perfect, what comes next?", "what comes next?", False),
    ("that much?! and the other plans?", "and the other plans?", False),                         # an echo
    ("what about Plus? And Free?", "what about Plus? And Free?", False),                         # a question
    ("well paid jobs?", "well paid jobs?", False),                               # no mark, no conjunction: a word
    ("great job on the docs. what is the pay?", "great job on the docs. what is the pay?", False),  # not a reaction
    ("thanks. on another note, which certifications help?", "which certifications help?", True),  # a new topic
    ("unrelated: is there a mobile app?", "is there a mobile app?", True),
    ("switching gears totally, which certifications help?", "which certifications help?", True),
    ("ok cool. totally unrelated but what soft skills matter?", "what soft skills matter?", True),
    ("random q, what are the soft skills?", "what are the soft skills?", True),
])
def test_a_turn_is_read_without_the_reaction_before_it(text, want, fresh):
    from bot.followup import core
    assert core(text) == (want, fresh)


def test_a_follow_up_after_a_reaction_still_follows(guide):
    reply = after(guide, "tell me about the lead python developer", "hmm, ok. and how long does that take?")
    assert reply.answered and reply.entry.id == "career-progression/lead-python-developer"


def test_a_new_topic_announced_is_not_read_against_the_previous_answer(guide):
    reply = after(guide, "how much is Jobicy+ Plus?", "ok, completely different question: what soft skills matter?")
    assert reply.answered and reply.entry.id == "required-skills/soft-skills"


def test_a_declined_first_question_leaves_its_nearest_entry_as_the_topic(guide):
    unsure = guide.ask("tell me the crux of lead work")  # ("the gist of" frames a question: answered)
    assert not unsure.answered and unsure.did_you_mean is None and unsure.related
    assert unsure.context == {"previous": unsure.related[0].entry.id, "kb": "python-backend-developer"}
    below = guide.ask("and the level below?", context=dict(unsure.context))
    assert below.answered and below.entry.id == "career-progression/senior-python-developer"


def test_the_one_described_is_another_only_when_the_turn_turns_to_another(guide):
    plus = guide.ask("how much is Jobicy+ Plus?")
    again = guide.ask("how much is the paid one?", context=dict(plus.context))  # may well mean Plus itself
    assert not (again.answered and again.entry.id == "jobicy-plus-subscription/free")


@pytest.mark.parametrize("first,then", [
    ("which certifications are recommended?", "how much do they cost?"),  # no price in the answer, none named
    ("what are the technical skills?", "how long does it take to learn them?"),
    ("which certifications are recommended?", "which is better to start with, AWS or Azure?"),  # a comparison the
    ("what are the technical skills?", "is django or flask better for beginners?"),          # list does not make
])
def test_a_follow_up_asking_its_answer_what_it_cannot_say_is_declined(guide, first, then):
    assert not after(guide, first, then).answered


def test_a_follow_up_asking_what_the_answers_relatives_say_is_not_declined(guide):
    reply = guide.ask("how much does it cost?", context={"previous": "jobicy-plus-subscription/jobicy-plus"})
    assert reply.answered and "$" in reply.entry.text                         # its plans have prices


def test_a_stage_named_with_an_unanchored_step_does_not_replace_the_step(guide):
    reply = guide.ask("I was a junior for two years; what does the next level look like?",
                      context={"previous": "career-progression/senior-python-developer"})
    assert not (reply.answered and reply.entry.id == "career-progression/junior-python-developer")


def test_a_declined_follow_up_keeps_the_topic_it_had(guide):
    plus = guide.ask("how much is Jobicy+ Plus?")
    out = guide.ask("can I get a student discount on it?", context=dict(plus.context))
    assert not out.answered and out.context == plus.context
    assert not guide.ask("how long does that stage last in Germany?",
                         context={"previous": "career-progression/python-developer"}).answered


@pytest.mark.parametrize("then", ["then?", "and then what?", "what comes then?", "and after?"])
def test_a_bare_then_steps_to_the_next_stage(guide, then):
    first = guide.ask("how many years of experience does a junior python developer have?")
    assert first.entry.id == "career-progression/junior-python-developer"
    nxt = guide.ask(then, context=dict(first.context))
    assert nxt.answered and nxt.entry.id == "career-progression/python-developer"


@pytest.mark.parametrize("then", ["how many years does it take to reach it?", "how long until I am there?"])
def test_a_duration_asked_of_a_stage_without_one_comes_from_its_namesake(guide, then):
    duties = guide.ask("what are the duties at the senior level?")
    assert duties.entry.id == "core-responsibilities/senior-level"  # responsibilities: no years stated
    years = guide.ask(then, context=dict(duties.context))
    assert years.answered and years.entry.id == "career-progression/senior-python-developer"
    assert "4-6 years" in years.entry.text


@pytest.mark.parametrize("then", ["how long does it take to get there?", "how many years of experience does that step mean?"])
def test_a_stage_without_a_namesake_takes_the_duration_of_the_stage_between_the_same_neighbours(guide, then):
    duties = guide.ask("what does a mid level developer do?")
    assert duties.entry.id == "core-responsibilities/middle-level"  # between Junior and Senior Level
    years = guide.ask(then, context=dict(duties.context))  # "Python Developer", between junior and senior
    assert years.answered and years.entry.id == "career-progression/python-developer"
    assert "2-4 years" in years.entry.text


def test_a_price_asked_of_a_stage_has_no_namesake_to_come_from(guide):
    duties = guide.ask("what are the duties at the senior level?")
    assert not guide.ask("how much does it pay?", context=dict(duties.context)).answered


@pytest.mark.parametrize("text,asks", [
    ("and for seniors? I'm curious where this leads.", "and for seniors?"),   # the aside's "this" is not a reference
    ("ok thanks! and the one before? like the one below that?", "and the one before?"),  # the first that follows up
    ("what do they do? it sounds hard.", "what do they do?"),
    ("how about the free plan 😅 money is tight", "how about the free plan 😅 money is tight"),  # no "?": all of it
    # a later question leaning on the answer too asks it as well (the statement between them does not)
    ("healthcare's in there? my sister's a nurse. what share of those hires go to it?",
     "healthcare's in there? what share of those hires go to it?"),
])
def test_a_turn_of_several_sentences_is_read_by_the_one_that_asks(text, asks):
    assert read_turn(text).text == asks


def test_years_in_words_read_as_the_range_that_holds_them(guide):
    reply = guide.ask("what does a developer with three years of experience do?")
    assert reply.answered and "2-4" in reply.entry.text
    reply = after(guide, "What is the career progression?", "and someone with a year of experience?")
    assert reply.answered and reply.entry.title == "Junior Python Developer"  # "a year of" is one year



@pytest.mark.parametrize("text,marked", [("yrs?", True), ("cost?", True), ("duties", True), ("why?", False),
                                         ("remote work?", False)])
def test_a_one_word_fragment_leans_on_the_previous_answer(text, marked):
    assert read_turn(text).marked is marked


def test_a_follow_up_is_not_answered_by_an_entry_lacking_its_own_words(guide):
    """The previous subject's words may find the previous answer again, but "healthcare" is not in it (Top
    Industries lists it): that answer would be a confident wrong one."""
    reply = after(guide, "which industries employ these developers?", "interesting, is healthcare among them?")
    assert not reply.answered or "healthcare" in reply.entry.text.lower()


@pytest.mark.parametrize("question,want", [
    ("what is the first level?", "core-responsibilities/junior-level"),
    ("what's the last stage of the career path?", "career-progression/principal-python-developer"),
])
def test_a_fresh_question_for_the_end_of_a_series_gets_that_stage(guide, question, want):
    a = guide.ask(question)
    assert a.answered and a.entry.id == want


def test_from_start_to_top_asks_for_the_whole_series():
    assert read_turn("What's the typical career progression, from start to the top?").step == "parent"


@pytest.mark.parametrize("text", ["Totally unrelated, how much is Jobicy+ Plus?",
                                  "Got it. Sorry, totally different thing: what certifications are recommended?"])
def test_a_new_topic_announced_after_thanks_or_an_apology_is_fresh(text):
    assert read_turn(text).fresh


@pytest.mark.parametrize("then", ["what else is included?", "what else does it include?", "what else comes with it?"])
def test_what_else_it_includes_is_more_of_the_previous_answer(guide, then):
    first = guide.ask("what does the Plus plan include?")
    assert first.entry.title == "Plus"
    more = guide.ask(then, context=dict(first.context))
    assert more.answered and more.entry.title == "Plus"


def test_what_else_is_required_is_still_another_option(guide):
    first = guide.ask("what is the required education?")
    more = guide.ask("what else is required?", context=dict(first.context))
    assert more.answered and more.entry.title == "Education & Certification"


@pytest.mark.parametrize("first, then, title", [
    ("what does the Plus plan include?", "and how many job alerts does the other plan allow?", "Free"),
    ("what does the free plan include?", "what about the other one?", "Plus"),
    ("what are the technical skills?", "and the other skills?", "Soft Skills"),
])
def test_the_other_one_is_the_one_sibling_besides_the_previous_answer(guide, first, then, title):
    prev = guide.ask(first)
    reply = guide.ask(then, context=dict(prev.context))
    assert reply.answered and reply.entry.title == title


def test_the_other_levels_of_several_are_their_section(guide):
    prev = guide.ask("what are the duties at the senior level?")
    reply = guide.ask("and the other levels?", context=dict(prev.context))
    assert reply.answered and reply.entry.title == "Core Responsibilities"


def test_on_the_paid_plan_is_the_sibling_it_describes(guide):
    prev = guide.ask("what does the free plan include?")
    alerts = guide.ask("how many job alerts does it allow?", context=dict(prev.context))
    paid = guide.ask("and on the paid plan?", context=dict(alerts.context))
    assert paid.answered and paid.entry.title == "Plus"


def test_the_top_of_the_ladder_is_the_last_stage_though_top_ranks_another_section_first(guide):
    reply = guide.ask("what's the very top of the ladder called?")  # "top" also names Top Industries
    assert reply.answered and reply.entry.id == "career-progression/principal-python-developer"


@pytest.mark.parametrize("first, then, title", [
    ("what does a junior do?", "and the third?", "Senior Python Developer"),  # an ordinal alone counts along
    ("how does career progression work here?", "and what happens at the very top, then?",  # the very top, then
     "Principal Python Developer"),
    ("what does a junior do?", "ok, and once I move up a notch, what changes?", "Python Developer"),  # up a notch
])
def test_steps_asked_in_more_words(guide, first, then, title):
    reply = after(guide, first, then)
    assert reply.answered and reply.entry.title == title


@pytest.mark.parametrize("text, step", [("what does Plus add on top of the free plan?", None),
                                        ("at the end of the day, what matters most?", None),
                                        ("what sits at the top of the ladder?", "last")])
def test_on_top_of_is_not_the_top_of_a_series(text, step):
    from bot.followup import end_asked
    turn = end_asked(text)
    assert (turn.step if turn else None) == step


def test_an_everyday_word_does_not_make_a_place_a_follow_up(guide):
    reply = after(guide, "is remote work common?", "and in Italy specifically?")
    assert not reply.answered  # "specifically" says nothing; Italy is not in the guide


def test_a_share_asked_of_an_answer_that_states_none_is_declined(guide):
    from dataclasses import replace

    from bot import Bot
    reply = after(guide, "do python backend roles allow working remotely?",
                  "what percentage of python jobs are fully remote?")
    assert not reply.answered  # a percentage the guide never states
    off = Bot(list(guide.knowledge_bases.values()),  # (the subject's words, counted, keep it near the threshold)
              tuning=replace(guide.tuning, percent_mismatch=1.0, drop_subject=False))
    first = off.ask("Which job boards does the guide mention?")
    second = off.ask("do those roles allow working remotely?", context=dict(first.context))
    assert off.ask("what percentage of python jobs are fully remote?", context=dict(second.context)).answered
    assert guide.ask("growth %").answered  # the guide states "20% growth"
