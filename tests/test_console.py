"""The console's helpers without a browser: bot.owner.console (dismissed groups, audit log, export rows,
days), the schema migration that adds their tables, and web.chart's geometry.

The tests that take the ``database`` fixture run on each backend (a SQLite file, then a PostgreSQL
schema of their own; see conftest.py)."""
from __future__ import annotations

import sqlite3
import time

import pytest

from bot import pgstore
from bot.owner import console
from bot.owner.report import group_similar
from bot.store import DAY, MIGRATIONS, SCHEMA_VERSION, Record, Store, new_query_id
from web.chart import daily_chart


def test_a_version_1_question_log_is_migrated_and_keeps_its_records(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        for statement in MIGRATIONS[1]:
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
        conn.execute("INSERT INTO questions (query_id, asked_at, question, answered, intent, confidence) "
                     "VALUES ('q_1', 1.0, 'kept?', 0, 'unknown', 0.1)")
    with Store(path) as store:
        assert store.count() == 1
        assert console.dismissed(store) == set() and console.audit_log(store) == []
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (2,)


def test_a_version_1_postgres_question_log_is_migrated_and_keeps_its_records(postgres_url, postgres_admin):
    schema = postgres_url.rsplit("%3D", 1)[1]
    with postgres_admin.transaction():  # what a faqbot of schema version 1 (the scaleout branch) created
        postgres_admin.execute(f"SET LOCAL search_path = {schema}")
        for statement in pgstore.MIGRATIONS[1]:
            postgres_admin.execute(statement)
        postgres_admin.execute("CREATE TABLE faqbot_schema (version INTEGER NOT NULL)")
        postgres_admin.execute("INSERT INTO faqbot_schema VALUES (1)")
        postgres_admin.execute("INSERT INTO questions (query_id, asked_at, question, answered, intent, confidence) "
                               "VALUES ('q_1', 1.0, 'kept?', 0, 'unknown', 0.1)")
        postgres_admin.execute("INSERT INTO feedback (query_id, helpful, comment, given_at) "
                               "VALUES ('q_1', 0, 'meh', 2.0)")
    with Store(postgres_url) as store:
        assert store.count() == 1 and store.verdict("q_1") == (False, "meh")
        assert console.dismissed(store) == set() and console.audit_log(store) == []
        assert console.dismiss(store, ["kept?"], "unanswered", "session a") == 1
        console.audit(store, "session a", "dismiss", "kept?")
        assert [a.action for a in console.audit_log(store)] == ["dismiss"]
    assert postgres_admin.execute(f"SELECT version FROM {schema}.faqbot_schema").fetchall() == [(2,)]
    tables = {r[0] for r in postgres_admin.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,))}
    assert tables == {"faqbot_schema", "questions", "feedback", "dismissed", "audit"}
    with Store(postgres_url) as store:  # opened again: nothing left to migrate, nothing lost
        assert console.dismissed(store) == {("unanswered", "kept")}


def test_both_backends_migrate_to_the_same_schema_version():
    assert set(pgstore.MIGRATIONS) == set(MIGRATIONS) and pgstore.SCHEMA_VERSION == SCHEMA_VERSION
    for v in MIGRATIONS:  # the same tables at each version
        tables = lambda statements: sorted(s.split("(")[0].split()[-1] for s in statements
                                           if s.lstrip().startswith("CREATE TABLE"))
        assert tables(pgstore.MIGRATIONS[v]) == tables(MIGRATIONS[v]), v


def test_dismissing_a_group_hides_every_phrasing_of_it(database):
    rows = [("How long until senior?", None, "kb", "e", 3, 10.0, 0.2),
            ("how long until senior", None, "kb", "e", 1, 11.0, 0.2),
            ("what is the weather", None, None, None, 1, 12.0, 0.0)]
    groups = group_similar(rows)
    with Store(database) as store:
        assert console.dismiss(store, groups[0].phrasings, "unanswered", "session a") == 1  # one normalised form
        assert console.dismiss(store, groups[0].phrasings, "unanswered", "session b") == 0  # kept, not doubled
        keys = console.dismissed(store)
    assert console.is_dismissed(groups[0], "unanswered", keys)
    assert not console.is_dismissed(groups[0], "unhelpful", keys)
    assert not console.is_dismissed(groups[1], "unanswered", keys)
    later = group_similar(rows + [("HOW LONG UNTIL SENIOR!!", None, "kb", "e", 5, 13.0, 0.2)])
    assert console.is_dismissed(later[0], "unanswered", keys)


def test_audit_log_is_newest_first(database):
    with Store(database) as store:
        console.audit(store, "session a", "accept", "first", now=1.0)
        console.audit(store, "bearer token", "dismiss", "second", now=2.0)
        console.audit(store, "session a", "sign-out", "third, at the same second", now=2.0)
        log = console.audit_log(store)
        assert [a.detail for a in console.audit_log(store, limit=1)] == ["third, at the same second"]
    assert [(a.session, a.action, a.detail) for a in log] == [("session a", "sign-out", "third, at the same second"),
                                                              ("bearer token", "dismiss", "second"),
                                                              ("session a", "accept", "first")]
    assert log[0].when == "1970-01-01T00:00:02+00:00"


def test_log_rows_join_verdicts_and_filter_the_period(database):
    now = time.time()
    old, new = new_query_id(now - 40 * DAY), new_query_id(now)
    with Store(database) as store:
        store.add([Record(old, now - 40 * DAY, "old one", True, 0.9, entry_kb="kb", entry_id="e"),
                   Record(new, now, "new one", True, 0.8, kb="kb", entry_kb="kb", entry_id="e")])
        store.add_feedback(new, False, "meh")
        rows = list(console.log_rows(store, since=now - 30 * DAY, batch=1))
        everything = list(console.log_rows(store))
        of_kb = list(console.log_rows(store, kb="kb"))
        assert list(console.log_rows(store, kb="other")) == []
    assert len(rows) == 1 and rows[0][1:4] == (new, "kb", "new one") and rows[0][-2:] == (0, "meh")
    assert len(everything) == 2 and everything[0][-2:] == (None, None)
    assert [r[1] for r in of_kb] == [old, new]  # the old one's kb is its entry's


def test_log_rows_stream_in_batches_and_an_abandoned_export_frees_the_store(database):
    now = time.time()
    with Store(database) as store:
        store.add([Record(new_query_id(now + i), now + i, f"question {i}", False, 0.1) for i in range(25)])
        rows = console.log_rows(store, batch=4)
        assert [next(rows)[3] for _ in range(5)] == [f"question {i}" for i in range(5)]
        rows.close()  # the client went away mid-download
        for _ in range(10):  # every connection is given back (a PostgreSQL pool holds 4)
            assert next(console.log_rows(store))[3] == "question 0"
        console.audit(store, "session a", "export", "still writable")
        assert [r[3] for r in console.log_rows(store, batch=7)] == [f"question {i}" for i in range(25)]


def test_fill_days_puts_zeros_on_quiet_days():
    since = 1_700_000_000.0  # 2023-11-14 22:13 UTC
    days = console.fill_days([{"day": "2023-11-15", "questions": 4, "answered": 3, "rate": 0.75}],
                             since, since + 2 * DAY)
    assert [d["day"] for d in days] == ["2023-11-14", "2023-11-15", "2023-11-16"]
    assert [d["questions"] for d in days] == [0, 4, 0] and days[0]["rate"] is None


def test_chart_scales_bars_and_breaks_the_rate_line_on_quiet_days():
    days = [{"day": "2023-11-14", "questions": 8, "answered": 4, "rate": 0.5},
            {"day": "2023-11-15", "questions": 0, "answered": 0, "rate": None},
            {"day": "2023-11-16", "questions": 2, "answered": 2, "rate": 1.0},
            {"day": "2023-11-17", "questions": 1, "answered": 0, "rate": 0.0}]
    chart = daily_chart(days)
    assert chart["max"] == 10  # a round top for 8
    full = chart["bottom"] - chart["top"]
    assert [b["h"] for b in chart["bars"]] == [round(full * 0.8, 1), 0.0, round(full * 0.2, 1), round(full * 0.1, 1)]
    assert len(chart["lines"]) == 2 and len(chart["points"]) == 3  # no point, and a gap, on the quiet day
    assert chart["points"][1]["y"] == chart["top"] and chart["points"][2]["y"] == chart["bottom"]
    assert chart["bars"][0]["title"] == "14 Nov: 8 question(s), 4 answered (50%)"
    assert [t["rate"] for t in chart["y_ticks"]] == ["0%", "50%", "100%"]


def test_chart_of_nothing_has_an_axis():
    chart = daily_chart([{"day": "2023-11-14", "questions": 0, "answered": 0, "rate": None}])
    assert chart["max"] == 4 and chart["lines"] == [] and chart["bars"][0]["h"] == 0
