"""Long sections of documents as passages a reply can hold (bot.knowledge.passages), and reading on."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot import Bot, load_source
from bot.knowledge import Entry
from bot.knowledge.passages import PASSAGE_CHARS, split_long

WHATWG = Path(__file__).resolve().parent / "fixtures" / "html" / "whatwg-faq.html"
PROPOSING = "How should I go about proposing new features to WHATWG standards?"
SENTENCE = "Each release of the tool is signed and published with its checksum for download."


def said(sentences: int) -> str:
    return " ".join([SENTENCE] * sentences)


def long_entry(paragraphs: int = 6, sentences: int = 4) -> Entry:
    text = "\n".join(f"Paragraph {p}: " + said(sentences) for p in range(paragraphs))
    return Entry(id="install/linux", kb="doc", title="Installing on Linux", path=("Install", "Installing on Linux"),
                 text=text, questions=("How do I install it on Linux?",))


def test_a_long_entry_becomes_passages_of_whole_paragraphs_in_order():
    e = long_entry()
    parts = split_long([e])
    assert len(parts) > 1
    assert all(len(p.title) + len(p.text) <= PASSAGE_CHARS for p in parts)
    assert "\n".join(p.text for p in parts) == e.text  # nothing lost, nothing reordered, no paragraph cut
    assert [p.id for p in parts] == ["install/linux"] + [f"install/linux-{n}" for n in range(2, len(parts) + 1)]
    assert parts[0].title == "Installing on Linux" and parts[0].questions == e.questions
    assert {p.title for p in parts[1:]} == {"Installing on Linux (continued)"} and not parts[1].questions
    assert [p.metadata.get("next") for p in parts] == [p.id for p in parts[1:]] + [None]
    assert {p.metadata["whole"] for p in parts} == {"install/linux"}


def test_a_paragraph_longer_than_a_passage_is_cut_between_sentences():
    parts = split_long([long_entry(paragraphs=1, sentences=30)])
    assert len(parts) > 1
    assert all(p.text.endswith("download.") for p in parts)
    assert " ".join(p.text for p in parts) == long_entry(paragraphs=1, sentences=30).text


def test_a_short_entry_stays_whole_and_an_id_taken_is_not_reused():
    short = Entry(id="a", kb="doc", title="A", path=("A",), text="Short.")
    taken = Entry(id="install/linux-2", kb="doc", title="Other", path=("Other",), text="Other text.")
    parts = split_long([short, long_entry(), taken])
    assert parts[0] is short and parts[-1] is taken
    assert len({p.id for p in parts}) == len(parts)


def test_a_markdown_section_is_split_but_an_faq_files_answer_stays_whole(tmp_path):
    body = "\n\n".join(f"Paragraph {p}: " + said(4) for p in range(6))
    (tmp_path / "doc.md").write_text(f"# Guide\n\n## Install\n\n{body}\n\n### Linux\n\nUse the package.\n",
                                     encoding="utf-8")
    doc = load_source(tmp_path / "doc.md")
    install = [e for e in doc if e.title.startswith("Install")]
    assert len(install) > 1 and all(len(e.title) + len(e.text) <= PASSAGE_CHARS for e in install)
    (tmp_path / "faq.csv").write_text(f'question,answer\nHow do I install it?,"{body}"\n', encoding="utf-8")
    faq = load_source(tmp_path / "faq.csv")
    assert len(faq) == 1 and len(faq.entries[0].text) > PASSAGE_CHARS


def test_a_split_sections_children_keep_it_as_their_parent(tmp_path):
    body = "\n\n".join(f"Paragraph {p}: " + said(4) for p in range(6))
    (tmp_path / "doc.md").write_text(f"# Guide\n\n## Install\n\n{body}\n\n### Linux\n\nUse the package.\n"
                                     f"\n### macOS\n\nUse the disk image.\n", encoding="utf-8")
    bot = Bot.from_path(tmp_path / "doc.md", saved_index=False)
    s = bot._searchers["doc"]
    linux = next(e for e in s.kb if e.title == "Linux")
    assert s.outline.parent(linux).title == "Install"
    assert [e.title for e in s.outline.siblings(linux)] == ["macOS"]


@pytest.fixture(scope="module")
def whatwg():
    return Bot.from_path(WHATWG, saved_index=False)


def test_a_long_answer_is_its_first_passage_with_read_more_offered(whatwg):
    reply = whatwg.ask(PROPOSING)
    assert reply.answered and reply.entry.title == PROPOSING
    assert reply.entry.text.startswith("The process is rather informal, but basically boils down to this:")
    assert len(reply.entry.title) + len(reply.entry.text) <= PASSAGE_CHARS
    assert reply.to_dict()["prompts"][0] == {"text": "Read more", "id": reply.entry.metadata["next"]}
    related = reply.to_dict()["related"]  # ... and the section's other passages are not "related topics"
    assert related and not any(r["title"].startswith(PROPOSING) for r in related)


@pytest.mark.parametrize("more", ["Read more", "tell me more", "go on", "ok, more please"])
def test_reading_on_answers_with_the_next_passage(whatwg, more):
    first = whatwg.ask(PROPOSING)
    second = whatwg.ask(more, context=first.context)
    assert second.answered and second.entry.id == first.entry.metadata["next"]
    assert second.entry.title == f"{PROPOSING} (continued)"
    third = whatwg.ask(more, context=second.context)
    assert third.entry.id == second.entry.metadata["next"]


def test_a_question_about_a_later_passage_finds_it(whatwg):
    reply = whatwg.ask("Where can I see the full history of a standard's changes? Are frozen snapshots kept?")
    assert reply.answered and "frozen snapshot" in reply.entry.text


GERMAN_SENTENCE = "Wir versenden jedes Paket innerhalb von zwei Werktagen mit einer Sendungsnummer zur Verfolgung."


def test_prompts_are_worded_in_the_knowledge_bases_language_and_read_on(tmp_path):
    body = "\n\n".join(f"Absatz {p}: " + " ".join([GERMAN_SENTENCE] * 4) for p in range(6))
    (tmp_path / "hilfe.md").write_text(f"# Hilfe\n\n## Bestellungen\n\n### Versand und Lieferung\n\n{body}\n\n### Rückgabe\n\n"
                                       "Sie können jede Bestellung innerhalb von 30 Tagen kostenlos zurücksenden.\n",
                                       encoding="utf-8")
    bot = Bot.from_path(tmp_path / "hilfe.md", saved_index=False)
    first = bot.ask("Versand und Lieferung")
    assert first.answered and first.entry.title == "Versand und Lieferung"
    texts = [p["text"] for p in first.to_dict()["prompts"]]
    assert texts == ["Weiterlesen", "Und Rückgabe?"]
    more = bot.ask("Weiterlesen", context=first.context)
    assert more.answered and more.entry.id == first.entry.metadata["next"]
    other = bot.ask("Und Rückgabe?", context=first.context)
    assert other.answered and other.entry.title == "Rückgabe"


def test_the_whatwg_faq_set_keeps_its_answers_now_that_long_ones_fit(whatwg):
    """tests/data/html-whatwg-faq.yaml (a helper's questions about the real page): 8/20 answered while four answers
    were over the scorer's 1,200 characters, 13/20 with passages; every out-of-scope question declined."""
    from bot.owner.evaluate import run
    report = run(whatwg, Path(__file__).resolve().parent / "data" / "html-whatwg-faq.yaml")
    assert (report.in_ok, report.out_ok) >= (13, 8) and report.out_ok == report.out_total, report.failures
