"""``faqbot report``: what visitors asked, what the bot could not answer, and what they thought of it.

:func:`build` reads the question log (:mod:`bot.store`) into a :class:`Report`:

- the most frequent **unanswered** questions, similar phrasings grouped
  (``how long till I make senior`` and ``How long until I make senior?`` are
  one question asked twice): phrasings are normalised (case, accents,
  punctuation, spaces), then each joins the most frequent group whose
  phrasing it resembles by at least ``SIMILARITY`` (rapidfuzz's ``ratio``);
- the answers most often marked **unhelpful** (``POST /feedback``) and the
  questions that got them, grouped the same way;
- the **answer rate** per day (UTC; small talk such as "hello" is not a question);
- the **busiest entries**, with their helpful / not helpful verdicts.

:func:`render` prints it as tables; :meth:`Report.to_dict` is ``--json``.
"""
from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

from rapidfuzz import fuzz, process

from ..store import DAY, Store
from ..terminal import printable

#: rapidfuzz ratio (0-100) of two normalised phrasings that count as the same question
SIMILARITY = 85
#: rows per table
DEFAULT_LIMIT = 10


def normalise(question: str) -> str:
    """Lower case, no accents, punctuation or repeated spaces: what grouping compares."""
    text = unicodedata.normalize("NFKD", question.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’`]", "", text)  # what's -> whats
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


@dataclass
class Group:
    """One question as visitors phrased it, however many times and ways."""

    question: str                 # the most frequent phrasing, as typed
    count: int                    # times asked (or marked unhelpful), every phrasing together
    phrasings: list[str]          # distinct phrasings (up to case, accents, punctuation), most frequent first
    last: float                   # when it was last asked (Unix time)
    kb: str | None                # the knowledge base asked, when every phrasing asked the same one
    entry_kb: str | None          # the entry that answered, or when declined the closest one
    entry_id: str | None
    confidence: float = 0.0       # the best confidence any phrasing got
    comments: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["last"] = _iso(self.last)
        return out


def group_similar(rows, similarity: float = SIMILARITY) -> list[Group]:
    """Group ``(question, kb, entry_kb, entry_id, count, last, extra)`` rows by similar phrasing.

    ``extra`` is a confidence (a number) or comments (text, one a line). Most
    frequent groups first, then the most recent.
    """
    groups = [_to_group(g) for g in _merge_similar(_tally_forms(rows), similarity)]
    groups.sort(key=lambda g: (-g.count, -g.last, g.question))
    return groups


def _tally_forms(rows) -> dict[str, dict]:
    """The rows tallied by normalised question; each form's phrasing is its most frequent (then latest) spelling."""
    forms: dict[str, dict] = {}
    typed: dict[str, dict[str, tuple[int, float]]] = {}  # normalised -> as typed -> (count, last)
    for question, kb, entry_kb, entry_id, count, last, extra in rows:
        key = normalise(question) or question
        f = forms.setdefault(key, {"phrasings": {}, "count": 0, "last": 0.0, "kbs": set(), "entries": {},
                                   "confidence": 0.0, "comments": []})
        n, t = typed.setdefault(key, {}).get(question, (0, 0.0))
        typed[key][question] = (n + count, max(t, last))
        f["count"] += count
        f["last"] = max(f["last"], last)
        f["kbs"].add(kb)
        f["entries"][(entry_kb, entry_id)] = f["entries"].get((entry_kb, entry_id), 0) + count
        if isinstance(extra, (int, float)):
            f["confidence"] = max(f["confidence"], float(extra))
        elif extra:
            f["comments"].extend(c for c in str(extra).split("\n") if c.strip())

    for key, f in forms.items():  # a phrasing: its most frequent (then latest) spelling
        spelling = min(typed[key], key=lambda q: (-typed[key][q][0], -typed[key][q][1], q))
        f["phrasings"] = {spelling: f["count"]}
    return forms


def _merge_similar(forms: dict[str, dict], similarity: float) -> list[dict]:
    """Forms merged into the most frequent (then latest) similar one (rapidfuzz ratio >= ``similarity``)."""
    keys: list[str] = []
    merged: list[dict] = []
    for key in sorted(forms, key=lambda k: (-forms[k]["count"], -forms[k]["last"], k)):
        f = forms[key]
        hit = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=similarity) if keys else None
        if hit is None:
            keys.append(key)
            merged.append({**f, "phrasings": dict(f["phrasings"]), "kbs": set(f["kbs"]),
                           "entries": dict(f["entries"]), "comments": list(f["comments"])})
            continue
        g = merged[hit[2]]
        for p, n in f["phrasings"].items():
            g["phrasings"][p] = g["phrasings"].get(p, 0) + n
        for e, n in f["entries"].items():
            g["entries"][e] = g["entries"].get(e, 0) + n
        g["count"] += f["count"]
        g["last"] = max(g["last"], f["last"])
        g["kbs"] |= f["kbs"]
        g["confidence"] = max(g["confidence"], f["confidence"])
        g["comments"].extend(f["comments"])
    return merged


def _to_group(g: dict) -> Group:
    """A merged form as a :class:`Group`: its most frequent phrasing first, its most frequent entry."""
    phrasings = sorted(g["phrasings"], key=lambda p: (-g["phrasings"][p], p))
    entry_kb, entry_id = max(g["entries"], key=lambda e: (g["entries"][e], e[1] is not None))
    return Group(question=phrasings[0], count=g["count"], phrasings=phrasings, last=g["last"],
                 kb=next(iter(g["kbs"])) if len(g["kbs"]) == 1 else None,
                 entry_kb=entry_kb, entry_id=entry_id, confidence=round(g["confidence"], 3),
                 comments=list(dict.fromkeys(g["comments"])))


def _iso(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds") if ts else None


@dataclass
class Report:
    """What ``faqbot report`` shows."""

    database: str
    days: int                     # 0: the whole log
    kb: str | None
    since: float
    until: float
    questions: int                # asked, small talk not included
    smalltalk: int                # "hello", "thanks", ...
    answered: int
    helpful: int
    unhelpful_total: int
    unanswered: list[Group]
    unhelpful: list[Group]
    daily: list[dict]
    busiest: list[dict]

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.questions if self.questions else None

    def to_dict(self) -> dict:
        return {
            "database": self.database,
            "days": self.days,
            "kb": self.kb,
            "since": _iso(self.since) if self.since else None,
            "until": _iso(self.until),
            "totals": {"questions": self.questions, "smalltalk": self.smalltalk, "answered": self.answered,
                       "answer_rate": None if self.answer_rate is None else round(self.answer_rate, 3),
                       "helpful": self.helpful, "unhelpful": self.unhelpful_total},
            "unanswered": [g.to_dict() for g in self.unanswered],
            "unhelpful": [g.to_dict() for g in self.unhelpful],
            "daily": self.daily,
            "busiest": self.busiest,
        }


def since_for(days: int, now: float | None = None) -> float:
    """The start of the last ``days`` days (0: the beginning of time)."""
    return 0.0 if not days else (time.time() if now is None else now) - days * DAY


def build(store: Store, days: int = 30, kb: str | None = None, limit: int = DEFAULT_LIMIT,
          similarity: float = SIMILARITY, now: float | None = None) -> Report:
    """The report over the last ``days`` days (0: everything) of ``kb`` (None: every knowledge base)."""
    now = time.time() if now is None else now
    since = since_for(days, now)
    daily = []
    questions = smalltalk = answered = 0
    for day, asked, ok, talk in store.daily(since, kb):
        real = asked - talk
        questions, smalltalk, answered = questions + real, smalltalk + talk, answered + ok
        daily.append({"day": day, "questions": real, "answered": ok,
                      "rate": round(ok / real, 3) if real else None})
    helpful, unhelpful = store.feedback_totals(since, kb)
    busiest = [{"kb": ekb, "id": eid, "answers": n, "helpful": up, "unhelpful": down}
               for ekb, eid, n, up, down in store.entries(since, kb)[:limit]]
    unhelpful_groups = group_similar(store.unhelpful(since, kb), similarity)
    return Report(database=store.path, days=days, kb=kb, since=since, until=now, questions=questions,
                  smalltalk=smalltalk, answered=answered, helpful=helpful, unhelpful_total=unhelpful,
                  unanswered=group_similar(store.declined(since, kb), similarity)[:limit],
                  unhelpful=unhelpful_groups[:limit], daily=daily, busiest=busiest)


# --------------------------------------------------------------------------
# the terminal

def _cut(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _table(headers: list[str], rows: list[list], right: set[int] = frozenset(), width: int = 0) -> list[str]:
    cells = [[printable(c) for c in r] for r in rows]  # visitors' text: escapes shown, never run
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    def line(values):
        out = [v.rjust(widths[i]) if i in right else v.ljust(widths[i]) for i, v in enumerate(values)]
        return ("  " + "  ".join(out)).rstrip()
    return [line(headers)] + [line(r) for r in cells]


def _entry(kb: str | None, entry_id: str | None, show_kb: bool) -> str:
    if not entry_id:
        return "-"
    return f"{kb}/{entry_id}" if show_kb and kb else entry_id


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f}%"


def render(report: Report, width: int = 100) -> str:
    """The report as readable tables."""
    r = report
    show_kb = r.kb is None and len({g.entry_kb for g in r.unanswered + r.unhelpful if g.entry_kb}
                                   | {b["kb"] for b in r.busiest}) > 1
    period = (f"the last {r.days} day(s) ({_iso(r.since)[:10]} to {_iso(r.until)[:10]}, UTC)" if r.days
              else "everything recorded")
    lines = [f"faqbot report: {r.database}, {period}, "
             + (f"knowledge base {r.kb}" if r.kb else "every knowledge base")]
    lines.append(f"{r.questions} question(s), {r.answered} answered ({_pct(r.answer_rate)})"
                 + (f", plus {r.smalltalk} small talk" if r.smalltalk else "")
                 + f"; feedback: {r.helpful} helpful, {r.unhelpful_total} not helpful")
    if not r.questions and not r.smalltalk:
        lines.append("\nNothing recorded in this period yet.")
        return "\n".join(lines) + "\n"

    qw = max(30, min(60, width - 50))
    lines += ["", "Most frequent unanswered questions (similar phrasings grouped)"]
    if r.unanswered:
        rows = [[g.count, len(g.phrasings), _cut(g.question, qw),
                 f"{_entry(g.entry_kb, g.entry_id, show_kb)} ({g.confidence:.2f})" if g.entry_id else "-"]
                for g in r.unanswered]
        lines += _table(["asked", "phrasings", "question", "closest entry (confidence)"], rows, {0, 1})
    else:
        lines.append("  none: every question was answered")

    lines += ["", "Answers most often marked unhelpful"]
    if r.unhelpful:
        rows = [[g.count, _entry(g.entry_kb, g.entry_id, show_kb), _cut(g.question, qw)
                 + (f'  "{_cut(g.comments[0], 40)}"' if g.comments else "")] for g in r.unhelpful]
        lines += _table(["unhelpful", "answer", "question (comment)"], rows, {0})
    else:
        lines.append("  none marked unhelpful")

    lines += ["", "Answer rate per day (UTC)"]
    rows = [[d["day"], d["questions"], d["answered"], _pct(d["rate"]),
             "█" * round(10 * d["rate"]) if d["rate"] is not None else ""] for d in r.daily]
    lines += _table(["day", "questions", "answered", "rate", ""], rows, {1, 2, 3})

    lines += ["", "Busiest entries"]
    if r.busiest:
        rows = [[b["answers"], b["helpful"], b["unhelpful"], _entry(b["kb"], b["id"], show_kb)] for b in r.busiest]
        lines += _table(["answers", "helpful", "unhelpful", "entry"], rows, {0, 1, 2})
    else:
        lines.append("  no answers yet")
    return "\n".join(lines) + "\n"
