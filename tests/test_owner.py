"""The owner's loop: ``faqbot report`` over the question log and ``faqbot learn`` writing alternates.

The tests that take the ``database`` fixture run on both backends (SQLite, PostgreSQL)."""
from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

from bot import Bot
from bot.cli import main
from bot.owner.learn import add_questions
from bot.owner.report import group_similar
from bot.store import DAY, Record, Store, new_query_id

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_KB = ROOT / "tests" / "fixtures" / "kb"  # cafe.md and shipping.csv
SEED_CURATION = ROOT / "knowledge" / "python-backend-developer.yaml"

#: declined today, and the entry it means is the bot's best candidate
OVERSEAS = "deliveries overseas to remote islands"
OVERSEAS_ENTRY = "do-you-ship-internationally"


@pytest.fixture
def kb_copy(tmp_path):
    """A copy of the tiny knowledge base that learn may write into."""
    return Path(shutil.copytree(FIXTURE_KB, tmp_path / "kb"))


def ask_through_the_service(make_app, kb: Path, db, questions: list[str]) -> list[dict]:
    app = make_app(FAQBOT_KNOWLEDGE=str(kb), FAQBOT_DATABASE=str(db))
    client = app.test_client()
    replies = [client.post("/ask", json={"question": q}).get_json() for q in questions]
    app.extensions["faqbot_recorder"].flush()
    return replies


def seed(db, rows: list[tuple]) -> None:
    """Records ``(question, answered, entry_id, age in days[, helpful])``."""
    now = time.time()
    with Store(db) as store:
        for question, answered, entry_id, age, *verdict in rows:
            at = now - age * DAY
            r = Record(new_query_id(at), at, question, answered, 0.9 if answered else 0.3, kb=None,
                       intent="answer" if answered else "unknown", entry_kb="cafe", entry_id=entry_id)
            store.add([r])
            if verdict:
                store.add_feedback(r.query_id, verdict[0], "not what I asked" if not verdict[0] else None)


# --------------------------------------------------------------------------
# grouping

@pytest.mark.parametrize("a, b, phrasings", [
    ("how long until I make senior", "How long until I make senior?", 1),  # one phrasing, spelt two ways
    ("  Is there   WIFI??", "is there wifi", 1),
    ("how long until I make senior", "how long till i make senior", 2),  # two phrasings of one question
    ("what's the salary range", "what is the salary range?", 2),
    ("how do I become a lead", "how do I become a senior", None),      # two questions
    ("how long until senior", "how long until lead", None),
    ("what is the weather", "what is the salary range", None),
])
def test_report_groups_similar_phrasings(a, b, phrasings):
    groups = group_similar([(a, None, "kb", "e", 3, 2.0, 0.2), (b, None, "kb", "e", 1, 1.0, 0.3)])
    if phrasings:
        [g] = groups
        assert (g.question, g.count, g.phrasings, g.confidence) == (a, 4, [a, b][:phrasings], 0.3)
    else:
        assert [(g.question, g.count) for g in groups] == [(a, 3), (b, 1)]


def test_grouping_puts_the_most_asked_first_and_names_it_by_its_most_frequent_phrasing():
    rows = [("wifi password?", None, "cafe", "wifi", 1, 5.0, 0.2),
            ("what's the wifi password", None, "cafe", "wifi", 2, 6.0, 0.2),
            ("whats the wifi password?", None, "cafe", "wifi", 3, 4.0, 0.2),
            ("do you have oat milk", None, "cafe", "menu", 4, 1.0, 0.1)]
    groups = group_similar(rows)
    assert [(g.question, g.count, len(g.phrasings)) for g in groups] == [
        ("whats the wifi password?", 5, 1), ("do you have oat milk", 4, 1), ("wifi password?", 1, 1)]


# --------------------------------------------------------------------------
# faqbot report

def test_report_shows_what_visitors_asked(database, make_app, kb_copy, capsys):
    ask_through_the_service(make_app, kb_copy, database, [OVERSEAS, OVERSEAS + "?",
                                                   "Deliveries overseas to remote islands",
                                                   "when are you open?", "hello", "what is the wifi password"])
    assert main(["report", "--database", str(database)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "5 question(s), 2 answered (40%), plus 1 small talk" in out
    row = next(line for line in lines if OVERSEAS in line.lower())
    assert row.split()[:2] == ["3", "1"]  # asked 3 times in 1 phrasing (case and "?" do not count)
    assert OVERSEAS_ENTRY in row
    assert "Answer rate per day (UTC)" in out and "40%" in out
    assert "Busiest entries" in out and "opening-hours" in out


def test_report_json_counts_unhelpful_answers_and_filters_by_days_and_kb(database, capsys):
    seed(database, [("is there wifi", True, "wifi", 1, False), ("is there wifi?", True, "wifi", 1, False),
              ("wifi", True, "wifi", 1, True), ("oat milk?", False, "menu", 2), ("oat milk", False, "menu", 2),
              ("very old question", False, "menu", 40)])
    assert main(["report", "--database", str(database), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["totals"] == {"questions": 5, "smalltalk": 0, "answered": 3, "answer_rate": 0.6,
                                "helpful": 1, "unhelpful": 2}
    [unhelpful] = report["unhelpful"]
    assert (unhelpful["question"], unhelpful["count"], unhelpful["entry_id"]) == ("is there wifi?", 2, "wifi")  # the later
    assert unhelpful["comments"] == ["not what I asked"]
    [unanswered] = report["unanswered"]
    assert (unanswered["question"], unanswered["count"], unanswered["phrasings"]) == ("oat milk", 2, ["oat milk"])
    assert [(e["id"], e["answers"], e["helpful"], e["unhelpful"]) for e in report["busiest"]] == [("wifi", 3, 1, 2)]
    assert sum(d["questions"] for d in report["daily"]) == 5

    assert main(["report", "--database", str(database), "--json", "--days", "0"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["questions"] == 6
    assert main(["report", "--database", str(database), "--json", "--kb", "shipping"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["questions"] == 0


def test_report_reads_the_database_named_by_the_environment(database, monkeypatch, capsys):
    seed(database, [("wifi", True, "wifi", 0)])
    monkeypatch.setenv("FAQBOT_DATABASE", str(database))
    assert main(["report"]) == 0
    assert f"faqbot report: {database}" in capsys.readouterr().out


def test_report_on_a_missing_database_says_where_it_looked(tmp_path, capsys):
    assert main(["report", "--database", str(tmp_path / "none.db")]) == 1
    assert "none.db: no question log here" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


# --------------------------------------------------------------------------
# faqbot learn

def test_learn_writes_alternates_that_then_change_an_answer(database, make_app, kb_copy, capsys):
    source = (kb_copy / "shipping.csv").read_bytes()
    before = ask_through_the_service(make_app, kb_copy, database,
                                     [OVERSEAS, "Deliveries overseas to remote islands?", OVERSEAS])
    assert [r["answered"] for r in before] == [False, False, False]
    assert before[0]["related"][0]["id"] == OVERSEAS_ENTRY

    assert main(["learn", "--yes", "--database", str(database), "--knowledge", str(kb_copy)]) == 0
    out = capsys.readouterr().out
    assert f"wrote 1 alternate question(s) to {kb_copy / 'shipping.yaml'}" in out
    assert f'"{OVERSEAS}" -> answered by Do you ship internationally?' in out
    assert "send `faqbot serve` SIGHUP (kill -HUP" in out  # how the running service takes them up

    curation = yaml.safe_load((kb_copy / "shipping.yaml").read_text())
    assert curation["questions"] == {OVERSEAS_ENTRY: [OVERSEAS]}
    assert (kb_copy / "shipping.csv").read_bytes() == source  # the source is never edited
    after = Bot.from_path(kb_copy).ask("Deliveries overseas to remote islands?")  # the next load answers it
    assert after.answered and after.entry.id == OVERSEAS_ENTRY

    # learning again finds nothing new to write
    assert main(["learn", "--yes", "--database", str(database), "--knowledge", str(kb_copy)]) == 0
    assert "answered now" in capsys.readouterr().out
    assert yaml.safe_load((kb_copy / "shipping.yaml").read_text())["questions"] == {OVERSEAS_ENTRY: [OVERSEAS]}


@pytest.mark.parametrize("replies, written", [
    (["y"], [OVERSEAS_ENTRY]),
    (["s"], []),
    (["q"], []),
    (["maybe", "yes"], [OVERSEAS_ENTRY]),
    ([], []),  # end of input: quit
])
def test_learn_asks_the_owner(database, make_app, kb_copy, monkeypatch, capsys, replies, written):
    ask_through_the_service(make_app, kb_copy, database, [OVERSEAS] * 2)
    answers = iter(replies)

    def reply(prompt):
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", reply)
    assert main(["learn", "--database", str(database), "--knowledge", str(kb_copy)]) == 0
    out = capsys.readouterr().out
    assert f'"{OVERSEAS}"  (unanswered: asked 2 time(s))' in out
    path = kb_copy / "shipping.yaml"
    assert (list(yaml.safe_load(path.read_text())["questions"]) if path.exists() else []) == written


def test_learn_no_moves_to_the_next_candidate(database, make_app, kb_copy, monkeypatch, capsys):
    question = "when can I grab a coffee in the morning"
    ask_through_the_service(make_app, kb_copy, database, [question] * 2)
    answers = iter(["n", "y"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert main(["learn", "--database", str(database), "--knowledge", str(kb_copy)]) == 0
    out = capsys.readouterr().out
    candidates = [line.split("[cafe: ")[1].split("]")[0] for line in out.splitlines() if "    -> " in line]
    assert len(candidates) == 2
    curation = yaml.safe_load((kb_copy / "cafe.yaml").read_text())
    assert curation["questions"] == {candidates[1]: [question]}


def test_learn_proposes_another_entry_for_an_unhelpful_answer(database, kb_copy, monkeypatch, capsys):
    question = "when can I grab a coffee in the morning"
    seed(database, [(question, True, "menu/coffee", 0, False), (question, True, "menu/coffee", 0, False)])
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(["learn", "--database", str(database), "--knowledge", str(kb_copy)]) == 0
    out = capsys.readouterr().out
    assert f'"{question}"  (unhelpful: marked unhelpful 2 time(s))' in out
    proposed = [line for line in out.splitlines() if "    -> " in line]
    assert proposed and all("[cafe: menu/coffee]" not in line for line in proposed)


def test_learn_leaves_questions_the_guide_does_not_cover_to_the_owner(database, make_app, kb_copy, capsys):
    ask_through_the_service(make_app, kb_copy, database, ["at what hour do you start serving"] * 3)
    assert main(["learn", "--yes", "--database", str(database), "--knowledge", str(kb_copy)]) == 0
    out = capsys.readouterr().out
    assert "left for you to review" in out and "Nothing written." in out
    assert not (kb_copy / "cafe.yaml").exists()


def test_learn_needs_a_question_asked_min_count_times(database, make_app, kb_copy, capsys):
    ask_through_the_service(make_app, kb_copy, database, [OVERSEAS])
    assert main(["learn", "--yes", "--database", str(database), "--knowledge", str(kb_copy)]) == 0
    assert "Nothing to learn" in capsys.readouterr().out
    assert main(["learn", "--yes", "--min-count", "1", "--database", str(database), "--knowledge", str(kb_copy)]) == 0
    assert (kb_copy / "shipping.yaml").exists()


# --------------------------------------------------------------------------
# the curation file

def test_learn_keeps_the_seed_curation_files_comments(tmp_path):
    path = tmp_path / "guide.yaml"
    shutil.copy(SEED_CURATION, path)
    before = path.read_text()
    added = add_questions(path, {"career-progression/senior-python-developer": ["how long until I make senior"]})
    assert added == {"career-progression/senior-python-developer": ["how long until I make senior"]}
    after = path.read_text()
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments and all(c in after.splitlines() for c in comments)
    data = yaml.safe_load(after)
    assert data["questions"] == added
    assert {k: v for k, v in data.items() if k != "questions"} == {
        k: v for k, v in yaml.safe_load(before).items() if k != "questions"}


@pytest.mark.parametrize("text, expected", [
    ("", {"a/b": ["new one"]}),
    ("title: T\n", {"a/b": ["new one"]}),
    ("questions:\n  # mine\n  a/b:\n    - old   # kept\n  c:\n  - x\n\nsynonyms: {}\n",
     {"a/b": ["old", "new one"], "c": ["x"]}),
    ("questions: {a/b: [old]}\n", {"a/b": ["old", "new one"]}),
    ("questions:\n  a/b: [old, \"New one?\"]\n", {"a/b": ["old", "New one?"]}),  # already there
])
def test_add_questions_appends_and_keeps_the_rest(tmp_path, text, expected):
    path = tmp_path / "x.yaml"
    if text:
        path.write_text(text)
    add_questions(path, {"a/b": ["new one"]})
    data = yaml.safe_load(path.read_text())
    assert data["questions"] == expected
    if "# kept" in text:
        assert "# mine" in path.read_text() and "- old   # kept" in path.read_text()
        assert data["synonyms"] == {}


@pytest.mark.parametrize("question", ["yes", "what: is # this", "null", "- dash", "\"quoted\"", "50% off?"])
def test_add_questions_quotes_what_yaml_would_misread(tmp_path, question):
    path = tmp_path / "x.yaml"
    add_questions(path, {"e": [question]})
    assert yaml.safe_load(path.read_text())["questions"] == {"e": [question]}


def test_docs_cover_every_setting_and_the_owners_commands():
    from web.config import SETTINGS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in SETTINGS:
        assert f"| `{name}` |" in readme, name
    loop = (ROOT / "docs" / "owners-loop.md").read_text(encoding="utf-8")
    for text in ("# The owner's loop", "faqbot report", "faqbot learn", "POST /feedback", "make owner-loop"):
        assert text in loop, text
    assert "(docs/owners-loop.md)" in readme  # the README links it


# --------------------------------------------------------------------------
# visitors' text on the owner's terminal

#: typed by a visitor: clear the screen, red, a hidden link (OSC 8), an 8-bit CSI, a right-to-left override
ESCAPES = "\u202e\x9b1m\x1b[2J\x1b[31mred\x1b]8;;https://evil.example\x07"
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def seed_hostile(db: Path) -> None:
    """A declined question asked twice and an unhelpful answer, each carrying terminal escapes."""
    now = time.time()
    with Store(db) as store:
        for n in range(2):
            store.add([Record(new_query_id(now), now, f"{OVERSEAS} {ESCAPES}", False, 0.3,
                              intent="unknown", entry_kb="shipping", entry_id=OVERSEAS_ENTRY)])
        answered = Record(new_query_id(now), now, f"is there wifi {ESCAPES}", True, 0.9,
                          entry_kb="cafe", entry_id="wifi")
        store.add([answered])
        store.add_feedback(answered.query_id, False, f"useless {ESCAPES}")


@pytest.mark.parametrize("command", [["report"], ["report", "--json"], ["learn", "--yes"], ["learn"]])
def test_owner_commands_show_visitors_escape_codes_escaped(tmp_path, kb_copy, monkeypatch, capsys, command):
    db = tmp_path / "faqbot.db"
    seed_hostile(db)
    monkeypatch.setattr("builtins.input", lambda prompt: "s")
    extra = ["--knowledge", str(kb_copy)] if command[0] == "learn" else []
    assert main([*command, "--database", str(db), *extra]) == 0
    out = capsys.readouterr().out
    assert not RAW_CONTROL.search(out)
    assert "\\u001b[2J" in out and "\\u202e" in out
    if command == ["report", "--json"]:
        assert json.loads(out)["unhelpful"][0]["comments"] == [f"useless {ESCAPES}"]  # still the visitor's words


def test_eval_failures_show_escape_codes_escaped(tmp_path, capsys):
    questions = tmp_path / "set.yaml"
    questions.write_text('in_scope:\n  - {q: "is there wifi \\e[2J \\x9b1m \\u202e", accept: [[nowhere]]}\n',
                         encoding="utf-8")
    assert main(["eval", str(questions), "--knowledge", str(FIXTURE_KB)]) == 0
    out = capsys.readouterr().out
    assert "MISS" in out and not RAW_CONTROL.search(out)
