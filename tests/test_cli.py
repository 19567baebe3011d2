"""The `faqbot` command: ask (text and --json), check, eval, errors."""
import json
import subprocess
import sys
from pathlib import Path


from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
KNOWLEDGE = str(ROOT / "knowledge")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_json_prints_exactly_the_api_reply(capsys):
    code, out, _ = run(capsys, "ask", "how many years until senior?", "--knowledge", KNOWLEDGE, "--json")
    assert code == 0
    body = json.loads(out)
    assert set(body) == {"question", "answered", "confidence", "answer", "related", "context", "prompts"}
    assert body["prompts"][0] == {"text": "Next: Lead Python Developer", "id": "career-progression/lead-python-developer"}
    assert body["answered"] is True
    assert body["answer"]["id"] == "career-progression/senior-python-developer"
    assert set(body["answer"]) == {"id", "kb", "title", "path", "text", "url"}
    assert "Experience: 4-6 years" in body["answer"]["text"]
    assert all(set(r) == {"id", "kb", "title", "confidence"} for r in body["related"])


def test_ask_json_for_a_declined_question(capsys):
    _, out, _ = run(capsys, "ask", "what is the salary?", "--knowledge", KNOWLEDGE, "--json")
    body = json.loads(out)
    assert body["answered"] is False and body["answer"] is None
    assert "don't know" in body["message"]


def test_ask_prints_title_text_and_confidence(capsys):
    code, out, _ = run(capsys, "ask", "what does a principal developer do", "--knowledge", KNOWLEDGE)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Principal Python Developer")
    assert "  • Technical vision" in lines
    assert any(line.startswith("confidence 0.") or line == "confidence 1.00" for line in lines)


def test_check_lists_every_entry_and_totals(capsys):
    code, out, _ = run(capsys, "check", KNOWLEDGE)
    assert code == 0
    assert "  career-progression/senior-python-developer  |  Senior Python Developer  |  0 question(s)" in out
    assert "  jobicy-plus-subscription/plus  |  Plus  |  0 question(s)" in out
    assert out.rstrip().endswith("1 knowledge base(s), 33 entries")
    assert "β€" not in out


def test_check_reports_a_broken_source(capsys):
    code, out, err = run(capsys, "check", str(FIXTURES / "bad" / "no-columns.csv"))
    assert code == 1
    assert "no-columns.csv, line 1: CSV header needs 'question' and 'answer' columns" in err


def test_eval_prints_failures_and_the_summary_line(capsys, tmp_path):
    qs = tmp_path / "set.yaml"
    qs.write_text(
        "in_scope:\n"
        "  - {q: 'how many years until senior', accept: [['4-6']]}\n"
        "  - {q: 'what are the soft skills', accept: [['not in the guide']]}\n"
        "out_of_scope:\n  - 'How do I make pancakes?'\n", encoding="utf-8")
    code, out, _ = run(capsys, "eval", str(qs), "--knowledge", KNOWLEDGE)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("MISS  'what are the soft skills' -> 'Soft Skills'")
    assert lines[-1].startswith("in-scope 1/2 (50.0%)  out-of-scope 1/1 (100.0%)  score 75.0%  p50 ")


def test_eval_reads_an_out_of_scope_question_written_like_an_in_scope_one(capsys, tmp_path):
    qs = tmp_path / "set.yaml"
    qs.write_text("out_of_scope:\n  - {q: 'How do I make pancakes?'}\n  - 'What is the salary of a senior developer?'\n",
                  encoding="utf-8")
    code, out, _ = run(capsys, "eval", str(qs), "--knowledge", KNOWLEDGE)
    assert code == 0 and out.splitlines()[-1].startswith("in-scope 0/0 (0.0%)  out-of-scope 2/2 (100.0%)")
    qs.write_text("out_of_scope:\n  - {question: 'How do I make pancakes?'}\n", encoding="utf-8")
    code, _, err = run(capsys, "eval", str(qs), "--knowledge", KNOWLEDGE)
    assert code == 1 and "out_of_scope item needs q" in err


def test_unknown_kb_is_a_clear_error(capsys):
    code, _, err = run(capsys, "ask", "hi there", "--kb", "nope", "--knowledge", KNOWLEDGE)
    assert code == 1
    assert "unknown knowledge base 'nope'" in err


def test_python_dash_m_bot_is_the_faqbot_command():
    done = subprocess.run([sys.executable, "-m", "bot", "ask", "which industries", "--knowledge", KNOWLEDGE,
                           "--json"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["answer"]["title"] == "Top Industries"
