"""A large knowledge base of templated questions (MedQuAD-like): the frame of the question decides among
entries about the same subject. Key weighting, and so this reading, starts above the ranker's pool of
1,000 families, hence 1,200 synthetic entries."""
import itertools
import json

import pytest

from bot import Bot, load_source

SYLLABLES = ["ba", "cor", "dex", "fin", "gal", "hum", "lor", "mip", "nat", "pex", "quor", "rin", "sul", "tav",
             "ulm", "vex", "wim", "zor"]
TEMPLATES = [("What is (are) {x} ?", "{x} is a rare condition of the {organ} first described in {year}."),
             ("What are the symptoms of {x} ?", "Signs of {x} include {sign} and tiredness of the {organ}."),
             ("How to prevent {x} ?", "Avoiding {cause} lowers the chance of getting {x}."),
             ("Is {x} inherited ?", "{x} is passed down in an autosomal recessive pattern in most families.")]
ORGANS = ["liver", "skin", "heart", "lungs", "kidneys", "eyes"]
SIGNS = ["fever", "rash", "cough", "swelling", "pain", "itching"]
CAUSES = ["smoke", "dust", "sugar", "noise", "insect bites", "cold water"]


@pytest.fixture(scope="module")
def medical(tmp_path_factory):
    names = ["".join(p).capitalize() + "itis" for p in itertools.permutations(SYLLABLES, 2)][:300]
    path = tmp_path_factory.mktemp("large") / "conditions.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for n, x in enumerate(names):
            fill = dict(x=x, organ=ORGANS[n % 6], sign=SIGNS[n // 6 % 6], cause=CAUSES[n // 36 % 6], year=1900 + n)
            for question, answer in TEMPLATES:
                f.write(json.dumps({"question": question.format(**fill), "answer": answer.format(**fill)}) + "\n")
    return Bot([load_source(path)], min_confidence=0.0)


def _first(answer):
    return (answer.match if answer.answered else answer.related[0]).entry.title


@pytest.mark.parametrize("question, title", [
    ("What are the of Bacoritis", "What are the symptoms of Bacoritis ?"),
    ("How to Dexfinitis", "How to prevent Dexfinitis ?"),
    ("Is Galhumitis", "Is Galhumitis inherited ?"),
    ("What is (are) Lormipitis", "What is (are) Lormipitis ?"),
    ("symptoms of Natpexitis", "What are the symptoms of Natpexitis ?"),
])
def test_the_questions_frame_chooses_among_entries_about_one_subject(medical, question, title):
    assert _first(medical.ask(question)) == title
