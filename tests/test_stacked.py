"""A small knowledge base reads its question sums at once (bot.stacked): the same figures as read one by one."""
import numpy as np
import pytest

from bot import Bot
from bot.ranking import content_words


@pytest.fixture(scope="module")
def index():
    bot = Bot.from_path("knowledge", saved_index=False)
    return next(iter(bot._searchers.values())).index


@pytest.mark.parametrize("question", [
    "what does a senior python developer do",
    "skills skills skills: which technical skills",    # a term three times: weights 1 + log tf
    "python backend developer career progression",     # word pairs the guide writes (bigram features)
    "zebra",                                           # nothing the guide knows
])
def test_stacked_sums_equal_the_one_by_one_figures(index, question):
    assert index._stack is not None  # the guide is small
    q = index.read(question)
    feats, w = index._features(q)
    sums = index._sums(feats, w)
    assert np.allclose(index._similarity(feats, w, sums), index._similarity(feats, w))
    assert np.allclose(index._coverage(q, sums), index._coverage(q))
    uni = feats < len(index.terms_)
    words = content_words(q.words, index.analyzer_.stop_words)
    _, stacked = index.ranker_.score(feats[uni], w[uni], words, pre=sums)
    _, plain = index.ranker_.score(feats[uni], w[uni], words)
    assert np.allclose(stacked, plain)


def test_a_large_knowledge_base_reads_its_sparse_parts_one_by_one(tmp_path, monkeypatch):
    import bot.arrays
    import bot.stacked
    small = Bot.from_path("knowledge", saved_index=False)
    monkeypatch.setattr(bot.arrays, "DENSE_CELLS", 10)  # every part "large": kept sparse
    monkeypatch.setattr(bot.stacked, "DENSE_CELLS", 10)
    large = Bot.from_path("knowledge", saved_index=False)
    index = next(iter(large._searchers.values())).index
    assert index._stack is None and index._q_marks is None
    assert next(iter(small._searchers.values())).index._stack is not None
    for q in ("what does a senior python developer do", "which certifications", "how much is Jobicy+?"):
        a, b = large.ask(q), small.ask(q)
        assert (a.answered, a.match and a.match.entry.id) == (b.answered, b.match and b.match.entry.id)
