"""Loaders: the seed guide, another role's guide, Markdown, FAQ files, curation, bad sources."""
import random
from pathlib import Path

import pytest

from bot import SourceError, load, load_directory, load_source
from bot.knowledge import GuideParser
from bot.text import repair

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GUIDE = ROOT / "knowledge" / "python-backend-developer.txt"


@pytest.fixture(scope="module")
def guide():
    return load_source(GUIDE)


def entry(kb, entry_id):
    e = kb.get(entry_id)
    assert e is not None, f"no entry {entry_id}; have {[x.id for x in kb]}"
    return e


# ------------------------------------------------------------------ the seed guide

@pytest.mark.parametrize("entry_id,title", [
    ("introduction", "Python Backend Developer Career Guide"),
    ("role-overview", "Role Overview"),
    ("key-aspects", "Key Aspects"),
    ("core-responsibilities/junior-level", "Junior Level"),
    ("core-responsibilities/middle-level", "Middle Level"),
    ("core-responsibilities/senior-level", "Senior Level"),
    ("required-skills/technical-skills", "Technical Skills"),
    ("required-skills/soft-skills", "Soft Skills"),
    ("career-progression/junior-python-developer", "Junior Python Developer"),
    ("career-progression/python-developer", "Python Developer"),
    ("career-progression/senior-python-developer", "Senior Python Developer"),
    ("career-progression/lead-python-developer", "Lead Python Developer"),
    ("career-progression/principal-python-developer", "Principal Python Developer"),
    ("education-certification/required-education", "Required Education"),
    ("education-certification/recommended-certifications", "Recommended Certifications"),
    ("market-trends/top-industries", "Top Industries"),
    ("jobicy-plus-subscription/jobicy-plus", "Jobicy+"),
    ("jobicy-plus-subscription/free", "Free"),
    ("jobicy-plus-subscription/plus", "Plus"),
])
def test_guide_has_an_entry_per_section(guide, entry_id, title):
    assert entry(guide, entry_id).title == title


def test_guide_faq_questions_become_entries(guide):
    faq = [e for e in guide if e.kind == "faq"]
    assert len(faq) == 7
    e = entry(guide, "frequently-asked-questions/what-does-a-python-backend-developer-do")
    assert e.title == "What does a Python Backend Developer do?"
    assert e.questions == ("What does a Python Backend Developer do?",)
    assert e.text.startswith("A software engineer specialized in developing server-side applications")
    assert e.path == ("Frequently Asked Questions", "What does a Python Backend Developer do?")


def test_career_level_keeps_experience_and_bullets(guide):
    e = entry(guide, "career-progression/senior-python-developer")
    assert e.text == ("Experience: 4-6 years\nKey Responsibilities:\n"
                      "• Architecture design\n• Team leadership\n• Technical planning")
    assert e.path == ("Career Progression", "Senior Python Developer")
    assert e.url == "/kb/python-backend-developer#career-progression/senior-python-developer"


@pytest.mark.parametrize("entry_id,lines", [
    ("career-progression", ["• Junior Python Developer: 0-2 years", "• Python Developer: 2-4 years",
                            "• Senior Python Developer: 4-6 years", "• Lead Python Developer: 6-8 years",
                            "• Principal Python Developer: 8+ years"]),
    ("core-responsibilities", ["• Junior Level: Code development, Bug fixing, Testing support, "
                               "Documentation, Feature implementation"]),
    ("required-skills", ["• Soft Skills: Problem-solving, Communication, Team Collaboration, "
                         "Analytical Thinking, Time Management, Technical Leadership"]),
])
def test_parent_heading_summarises_its_children(guide, entry_id, lines):
    e = entry(guide, entry_id)
    assert e.kind == "group"
    for line in lines:
        assert line in e.text.splitlines()


@pytest.mark.parametrize("entry_id,items", [
    ("required-skills/technical-skills", ["Python", "Django/Flask/FastAPI", "SQL/NoSQL Databases",
                                          "RESTful APIs", "Version Control", "Cloud Platforms"]),
    ("required-skills/soft-skills", ["Problem-solving", "Communication", "Team Collaboration",
                                     "Analytical Thinking", "Time Management", "Technical Leadership"]),
    ("education-certification/recommended-certifications",
     ["Python Certification", "AWS/Azure/GCP Certifications", "Database Certifications",
      "Web Development", "Security Certifications"]),
    ("market-trends/top-industries", ["Technology", "Financial Services", "E-commerce", "Healthcare",
                                      "AI/Machine Learning", "Data Science"]),
])
def test_tag_lines_become_item_lists(guide, entry_id, items):
    assert entry(guide, entry_id).text.splitlines() == ["• " + i for i in items]


def test_tag_lines_split_from_document_evidence_alone():
    """Without any curation file, the FAQ's comma lists settle the skill lines."""
    text = GUIDE.read_text(encoding="utf-8")
    _, roots = GuideParser().parse(repair(text))
    skills = next(r for r in roots if r.title == "Required Skills")
    tech = next(c for c in skills.children if c.title == "Technical Skills")
    assert tech.parts == [("items", ["Python", "Django/Flask/FastAPI", "SQL/NoSQL Databases",
                                     "RESTful APIs", "Version Control", "Cloud Platforms"])]


def test_plans_have_price_and_features(guide):
    plus = entry(guide, "jobicy-plus-subscription/plus")
    assert plus.text.splitlines()[:2] == ["Price: USD $8/month", "Everything in Free, and:"]
    assert "• AI-powered job advice" in plus.text
    free = entry(guide, "jobicy-plus-subscription/free")
    assert free.text.startswith("Price: USD $0/month\nFor people just getting started")
    assert "• Unlimited applies and searches" in free.text


def test_page_chrome_and_mojibake_are_gone(guide):
    everything = "\n".join(f"{e.title}\n{e.text}" for e in guide)
    assert "Share career guide" not in everything
    assert "Go to account" not in everything
    assert "Network" not in [e.title for e in guide]
    for bad in ("β€", "Ί", "â€", "\ufffd"):
        assert bad not in everything


@pytest.mark.parametrize("broken,fixed", [
    ("Go to account β€Ί", "Go to account ›"),          # UTF-8 read as cp1253 (ftfy misses it)
    ("CafÃ© au lait", "Café au lait"),                   # UTF-8 read as cp1252
    ("Ð¿Ñ€Ð¸Ð²ÐµÑ‚", "привет"),                            # UTF-8 read as cp1252, Cyrillic
    ("Καλημέρα and naïve café", "Καλημέρα and naïve café"),  # correct text is left alone
])
def test_repair_fixes_mojibake_and_leaves_good_text(broken, fixed):
    assert repair(broken) == fixed


def test_every_entry_id_is_unique_and_stable(guide):
    ids = [e.id for e in guide]
    assert len(ids) == len(set(ids))
    assert ids == [e.id for e in load_source(GUIDE)]


# ------------------------------------------------------------ another role's guide

def test_other_role_guide_loads_with_no_code_change():
    kb = load_source(FIXTURES / "data-engineer.txt")
    assert kb.title == "Data Engineer Career Guide"
    levels = [e.title for e in kb if e.path[0] == "Career Progression" and len(e.path) == 2]
    assert levels == ["Junior Data Engineer", "Data Engineer", "Staff Data Engineer", "Head of Data Engineering"]
    assert [e.title for e in kb if e.path[0] == "Core Responsibilities" and len(e.path) == 2] == \
        ["Entry Level", "Experienced Level"]
    assert kb.get("core-responsibilities/experienced-level").text.count("• ") == 6
    assert kb.get("career-progression/head-of-data-engineering").text.startswith("Experience: 9+ years")
    assert kb.get("required-skills/technical-skills").text.splitlines() == [
        "• SQL", "• Apache Spark", "• Apache Kafka", "• Airflow", "• Data Warehousing"]
    # a short tag line with no FAQ evidence is still content, not a heading
    assert "Telecommunications" in kb.get("market-trends/top-industries").text
    assert kb.get("jobicy-plus-subscription/plus").text.startswith("Price: USD $8/month")
    assert len([e for e in kb if e.kind == "faq"]) == 3
    assert all("β€" not in e.text and "Go to account" not in e.text for e in kb)


# --------------------------------------------------------------- Markdown and FAQ files

def test_markdown_headings_nest_and_bullets_become_items():
    kb = load_source(FIXTURES / "guide.md")
    assert kb.title == "Home Brewing Guide"
    eq = kb.get("equipment")
    assert eq.text == "• A fermenter\n• A hydrometer\n• Sanitiser"
    assert kb.get("steps/fermentation").path == ("Steps", "Fermentation")
    assert kb.get("steps").kind == "group"
    faq = kb.get("how-long-does-it-take")
    assert faq.questions == ("How long does it take?",)


def test_csv_faq_pairs_load_with_metadata():
    kb = load_source(FIXTURES / "kb" / "shipping.csv")
    e = kb.get("do-you-ship-internationally")
    assert e.title == "Do you ship internationally?"
    assert e.text == "Yes, we ship to over 40 countries."
    assert e.metadata["category"] == "delivery"
    assert e.line == 3


def test_json_faq_keeps_alternate_questions_ids_and_metadata():
    kb = load_source(FIXTURES / "faq.json")
    pay = kb.get("what-payment-methods-do-you-accept")
    assert pay.questions == ("What payment methods do you accept?", "can I pay by card")
    assert pay.metadata == {"category": "billing"}
    assert kb.get("change-address").title == "Can I change my delivery address?"


def test_jsonl_faq_loads_one_object_a_line():
    kb = load_source(FIXTURES / "faq.jsonl")
    assert [e.title for e in kb] == ["Is there a warranty?", "Where are you based?"]
    assert kb.get("is-there-a-warranty").metadata["team"] == "support"


def test_directory_loads_one_knowledge_base_per_file():
    kbs = load_directory(FIXTURES / "kb")
    assert [kb.name for kb in kbs] == ["cafe", "shipping"]
    assert len(kbs[1]) == 3


def test_curation_adds_questions_and_items(tmp_path):
    src = tmp_path / "faq.csv"
    src.write_text("question,answer\nHow do refunds work?,Money back in 5 days.\n", encoding="utf-8")
    (tmp_path / "faq.yaml").write_text(
        "questions:\n  how-do-refunds-work:\n    - can I get my money back\n", encoding="utf-8")
    kb = load_source(src)
    assert kb.get("how-do-refunds-work").questions == ("How do refunds work?", "can I get my money back")
    assert kb.curation == str(tmp_path / "faq.yaml")


# --------------------------------------------------------------------- bad sources

@pytest.mark.parametrize("name,message,line", [
    ("no-columns.csv", "CSV header needs 'question' and 'answer' columns", 1),
    ("empty.md", "file is empty", None),
    ("broken.jsonl", "invalid JSON", 2),
    ("empty-question.json", "missing or empty 'question'", 2),
])
def test_bad_source_names_file_and_line(name, message, line):
    with pytest.raises(SourceError) as err:
        load_source(FIXTURES / "bad" / name)
    assert err.value.path.endswith(name)
    assert err.value.line == line
    assert message in str(err.value)
    assert str(err.value).startswith(str(FIXTURES / "bad" / name))


def test_unreadable_source_is_reported(tmp_path):
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(SourceError, match="no such file"):
        load_source(missing)
    (tmp_path / "guide.pdf").write_bytes(b"%PDF-1.7")
    with pytest.raises(SourceError, match="unsupported file type .pdf"):
        load_source(tmp_path / "guide.pdf")


@pytest.mark.parametrize("name", ["nowhere", "nowhere.txt", "nowhere.pdf", "no/such/dir"])
def test_a_missing_knowledge_path_says_it_does_not_exist(tmp_path, name):
    with pytest.raises(SourceError) as err:
        load(tmp_path / name)
    assert str(err.value) == f"{tmp_path / name}: no such file or directory"


@pytest.mark.parametrize("name", ["guide.txt", "notes.md", "faq.csv", "faq.json"])
def test_binary_source_is_refused_naming_the_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(random.Random(7).randbytes(3000))
    with pytest.raises(SourceError) as err:
        load(tmp_path)
    assert str(err.value).startswith(f"{path}, line ")
    assert "binary data, not text" in str(err.value)


def test_text_with_a_stray_control_character_or_in_utf16_still_loads(tmp_path):
    (tmp_path / "faq.csv").write_text("question,answer\nHi?,Hello.\x1a\n", encoding="utf-8")
    (tmp_path / "more.csv").write_text("question,answer\nBye?,Goodbye.\n", encoding="utf-16")
    assert [len(kb) for kb in load(tmp_path)] == [1, 1]


def test_files_that_are_not_sources_are_named_once_when_loading(tmp_path, caplog):
    (tmp_path / "faq.csv").write_text("question,answer\nHi?,Hello.\n", encoding="utf-8")
    (tmp_path / "faq.yaml").write_text("questions: {}\n", encoding="utf-8")  # its curation: not skipped
    (tmp_path / "handbook.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "orphan.yaml").write_text("questions: {}\n", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    with caplog.at_level("WARNING", logger="faqbot.knowledge"):
        [kb] = load(tmp_path)
    assert kb.name == "faq"
    [warning] = caplog.records
    assert warning.getMessage() == (
        f"faqbot: {tmp_path}: skipped 2 file(s) that are not knowledge sources: handbook.docx, orphan.yaml "
        "(sources end in .csv, .htm, .html, .json, .jsonl, .markdown, .md, .txt; curation files are <source name>.yaml)")


def test_curation_naming_an_unknown_entry_fails_with_its_line(tmp_path):
    src = tmp_path / "faq.csv"
    src.write_text("question,answer\nHi?,Hello.\n", encoding="utf-8")
    (tmp_path / "faq.yaml").write_text("questions:\n  no-such-entry:\n    - hey\n", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        load_source(src)
    assert err.value.line == 2
    assert "no-such-entry" in str(err.value)


def test_empty_directory_is_an_error(tmp_path):
    with pytest.raises(SourceError, match="no knowledge sources found"):
        load(tmp_path)


def test_abbreviations_a_text_defines_are_found():
    from bot.synonyms import defined_abbreviations

    text = ("We pay for the Certified Kubernetes Administrator (CKA) exam. The Department of Motor "
            "Vehicles (DMV) is closed. Python (a language) and the API (interface) are not abbreviations.")
    assert defined_abbreviations(text) == {"CKA": "Certified Kubernetes Administrator",
                                           "DMV": "Department of Motor Vehicles"}


def test_initialisms_of_the_names_titles_repeat():
    from bot.synonyms import title_initialisms

    titles = ["Site Reliability Engineer Career Guide", "Site Reliability Engineer Career Guide",  # written twice
              "Junior Site Reliability Engineer", "What does a Site Reliability Engineer do?", "Hiring Site Reliability Engineers",
              "Recommended Certifications", "Cloud Architecture Tools", "Cloud Architecture Tools in practice",
              "Data Access Layer", "Data Access Logs", "Deep Access Layer", "Deep Access Layer again"]
    assert title_initialisms(titles, taken=frozenset({"cat"})) == {"SRE": "Site Reliability Engineer"}
    # "Engineers" names the same name; "Engineer Career Guide" is in one title only (written twice),
    # "Recommended Certifications" has two words,
    # "CAT" is a word, "DAL" names two phrases that repeat


def test_an_initialism_reads_as_the_name_the_titles_spell_out():
    """The cloud security guide never writes "CSE"; a visitor does."""
    from dataclasses import replace

    from bot.answering import Bot
    from bot.tuning import DEFAULT_TUNING

    kb = load_source(FIXTURES / "cloud-security-engineer.txt")
    assert ("CSE", "Cloud Security Engineer", "title") in kb.abbreviations
    ans = Bot([kb]).ask("what does a CSE do all day")
    assert ans.answered and ans.entry.title == "What does a Cloud Security Engineer do?"
    assert not Bot([kb], tuning=replace(DEFAULT_TUNING, initialisms=False)).ask("what does a CSE do all day").answered


@pytest.mark.parametrize("question, entry", [
    ("what does a cloud security engineer do", "What does a Cloud Security Engineer do?"),  # the role
    ("what is a mid-level cloud security engineer responsible for", "Middle Level"),  # a stage named
    ("what does a cloud security engineer do at 3 years", "Cloud Security Engineer"),
])
def test_the_stage_named_as_the_document_is_not_the_role(question, entry):
    """The cloud security guide's second stage is "Cloud Security Engineer", as the guide itself: a question
    about the role is not a question about that stage."""
    from dataclasses import replace

    from bot.answering import Bot
    from bot.tuning import DEFAULT_TUNING

    kb = load_source(FIXTURES / "cloud-security-engineer.txt")
    ans = Bot([kb]).ask(question)
    assert ans.answered and ans.entry.title == entry
    if entry.startswith("What does"):
        off = Bot([kb], tuning=replace(DEFAULT_TUNING, plain_stage_margin=0.0)).ask(question)
        assert off.entry.title == "Cloud Security Engineer"


def test_a_defined_abbreviation_reads_as_its_phrase():
    """ops.md defines "Site Reliability Engineering (SRE)" in its glossary: a question may say "SRE"."""
    from bot.languages import stem
    from bot.text import words

    kb = load_source(FIXTURES / "ops.md")
    phrase = kb.synonyms.apply([stem(w) for w in words("site reliability engineering")])
    assert kb.synonyms.apply(["sre"]) == phrase
    assert kb.synonyms.apply(["cka"]) == kb.synonyms.apply([stem(w) for w in words("Certified Kubernetes Administrator")])
    # the shared table's own entries win: "AWS (Amazon Web Services)"-style text cannot redefine them
    assert not kb.synonyms.abbreviate("ai", "Applied Ideas")


def test_an_alternate_gives_the_terms_its_canonical_phrase_gives_in_a_text():
    """"job platform" after "role: job": "job board" must read as the guide's "job platforms" does."""
    from bot.languages import stem
    from bot.synonyms import Synonyms
    from bot.text import words

    syn = Synonyms({"role": ["job"], "job platform": ["job board"]})
    read = lambda text: syn.apply([stem(w) for w in words(text)])  # noqa: E731
    assert read("job boards") == read("Popular job platforms")[-2:] == ["role", "platform"]


def test_a_phrase_reads_across_the_determiners_between_its_words():
    """"where do I find the jobs?" says "find jobs"; a word that is not a determiner breaks the phrase."""
    from bot.languages import stem
    from bot.synonyms import Synonyms
    from bot.text import words

    syn = Synonyms({"job platform": ["find jobs", "look for jobs"]})
    read = lambda text: syn.apply([stem(w) for w in words(text)])  # noqa: E731
    assert read("where do I find the jobs") == ["where", "do", "i", "job", "platform"]
    assert read("look for those jobs") == read("look for jobs") == ["job", "platform"]
    assert read("find remote jobs") == ["find", "remot", "job"]


def test_a_compound_reads_one_way_however_the_document_writes_it():
    from bot.analyzer import Analyzer

    analyzer = Analyzer().learn_compounds(["Frontend Developer", "Meta Front-End Certificate", "walk a way away"])
    assert analyzer.terms("front-end") == analyzer.terms("front end") == analyzer.terms("frontend")
    assert analyzer.terms("a way") != analyzer.terms("away")  # short and stop words never join


def test_fitting_an_index_changes_none_of_its_arguments(tmp_path):
    """The compounds it learns are the index's own (``analyzer_``); the ranker it fits is a copy (``ranker_``)."""
    from bot.analyzer import Analyzer
    from bot.index import Index
    from bot.ranking import FamilyRanker

    source = tmp_path / "roles.md"
    source.write_text("# Roles\n\n## Frontend Developer\n\nBuilds pages.\n\n## Certificates\n\n"
                      "The Meta Front-End Certificate.\n", encoding="utf-8")
    analyzer, ranker = Analyzer(), FamilyRanker()
    index = Index(analyzer, ranker=ranker).fit(load_source(source).entries)
    assert analyzer.compounds == {} and index.analyzer_.compounds and index.analyzer_ is not analyzer
    assert index.ranker_ is not ranker and not hasattr(ranker, "n_families_")
