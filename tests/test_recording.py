"""The question log: every /ask recorded with a query_id, feedback on it, concurrent writers, an
unusable database, retention, and the privacy switch.

The tests that take the ``database`` fixture (and the ``app`` and ``client`` of this module) run
on both backends: a SQLite file and a PostgreSQL schema of their own."""
from __future__ import annotations

import json
import logging
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.errors import StoreError
from bot.store import DAY, SCHEMA_VERSION, Record, SQLiteStore, Store, new_query_id, query_time
from web.recorder import Recorder

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app(make_app, database):
    """The tiny knowledge base's service, recording into ``database`` (SQLite, then PostgreSQL)."""
    return make_app(FAQBOT_DATABASE=database)


def database_of(app) -> str:
    return app.config["FAQBOT_DATABASE"]


def stored(app, query_id: str) -> Record | None:
    """The record as the database holds it (after the app's writer has written it)."""
    app.extensions["faqbot_recorder"].flush()
    with Store(database_of(app), create=False) as store:
        return store.get(query_id)


def error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


# --------------------------------------------------------------------------
# recording /ask

@pytest.mark.parametrize("method", ["POST", "GET"])
def test_ask_reply_carries_the_query_id_of_its_record(app, client, method):
    if method == "POST":
        body = client.post("/ask", json={"question": "  when are you open?", "kb": "cafe"}).get_json()
    else:
        body = client.get("/ask", query_string={"q": "when are you open?", "kb": "cafe"}).get_json()
    record = stored(app, body["query_id"])
    assert record is not None
    assert (record.question, record.kb, record.answered, record.entry_kb, record.entry_id) == (
        "when are you open?", "cafe", True, "cafe", body["answer"]["id"])
    assert record.confidence == pytest.approx(body["confidence"], abs=1e-3)
    assert record.intent == "answer"
    assert time.time() - 60 < record.asked_at <= time.time()
    assert query_time(body["query_id"]) == pytest.approx(record.asked_at, abs=0.002)


def test_declined_question_is_recorded_with_its_closest_entry(app, client):
    body = client.post("/ask", json={"question": "deliveries overseas to remote islands"}).get_json()
    assert body["answered"] is False
    record = stored(app, body["query_id"])
    assert (record.answered, record.kb, record.intent) == (False, None, "unknown")
    assert (record.entry_kb, record.entry_id) == (body["related"][0]["kb"], body["related"][0]["id"])


def test_every_question_gets_its_own_query_id(app, client):
    ids = {client.post("/ask", json={"question": "wifi"}).get_json()["query_id"] for _ in range(20)}
    assert len(ids) == 20
    app.extensions["faqbot_recorder"].flush()
    with Store(database_of(app)) as store:
        assert store.count() == 20


def test_chat_page_without_javascript_records_the_question(app, client):
    response = client.post("/", data={"q": "when are you open?", "kb": "cafe"})
    assert response.status_code == 200
    app.extensions["faqbot_recorder"].flush()
    with Store(database_of(app)) as store:
        [record] = store.questions()
    assert (record.question, record.kb, record.answered) == ("when are you open?", "cafe", True)


@pytest.mark.parametrize("value", [False, "false", "0", "off"])
def test_log_questions_off_records_nothing(make_app, tmp_path, value):
    app = make_app(FAQBOT_LOG_QUESTIONS=value, FAQBOT_DATABASE=str(tmp_path / "off" / "faqbot.db"))
    client = app.test_client()
    body = client.post("/ask", json={"question": "when are you open?"}).get_json()
    assert body["answered"] is True and "query_id" not in body
    client.post("/", data={"q": "wifi"})
    assert not (tmp_path / "off").exists()
    assert client.post("/feedback", json={"query_id": new_query_id(), "helpful": True}).get_json() == error(
        "unknown_query_id", "no recorded question has this query_id (this server does not record questions)")
    assert 'data-feedback="off"' in client.get("/").get_data(as_text=True)


def test_thumbs_show_when_questions_are_recorded(client):
    assert 'data-feedback="on"' in client.get("/").get_data(as_text=True)
    assert '"feedback": true' in client.get("/widget.js").get_data(as_text=True)


# --------------------------------------------------------------------------
# feedback

@pytest.mark.parametrize("helpful, comment, kept", [
    (True, None, None),
    (False, "  it says nothing about weekends  ", "it says nothing about weekends"),
    (False, "", None),
    (True, "é" * 1000, "é" * 1000),
])
def test_feedback_round_trip(app, client, helpful, comment, kept):
    query_id = client.post("/ask", json={"question": "when are you open?"}).get_json()["query_id"]
    body = {"query_id": query_id, "helpful": helpful}
    if comment is not None:
        body["comment"] = comment
    response = client.post("/feedback", json=body)  # at once: the record may still be queued
    assert response.status_code == 200
    assert response.get_json() == {"query_id": query_id, "helpful": helpful}
    with Store(database_of(app)) as store:
        assert store.verdict(query_id) == (helpful, kept)


def test_a_later_verdict_replaces_the_first(app, client):
    query_id = client.get("/ask?q=wifi").get_json()["query_id"]
    client.post("/feedback", json={"query_id": query_id, "helpful": True, "comment": "great"})
    client.post("/feedback", json={"query_id": query_id, "helpful": False})
    with Store(database_of(app)) as store:
        assert store.verdict(query_id) == (False, "great")


def test_feedback_waits_briefly_for_a_question_another_worker_has_not_written_yet(app, client):
    issued = app.extensions["faqbot_recorder"].new_query_id()  # by any worker of this server: they share the tag
    record = Record(issued, time.time(), "wifi?", False, 0.1)
    late = threading.Timer(0.2, lambda: Store(database_of(app)).add([record]))  # the other worker's batch
    late.start()
    response = client.post("/feedback", json={"query_id": record.query_id, "helpful": True})
    late.join()
    assert response.status_code == 200


BAD_FEEDBACK = [
    ({}, 400, "invalid_query_id", "query_id must be the query_id of an /ask reply"),
    ({"query_id": 12, "helpful": True}, 400, "invalid_query_id", "query_id must be the query_id of an /ask reply"),
    ({"query_id": "", "helpful": True}, 400, "invalid_query_id", "query_id must be the query_id of an /ask reply"),
    ({"query_id": "q" * 101, "helpful": True}, 400, "invalid_query_id",
     "query_id must be the query_id of an /ask reply"),
    ({"query_id": "q_1"}, 400, "invalid_helpful", "helpful must be true or false"),
    ({"query_id": "q_1", "helpful": "yes"}, 400, "invalid_helpful", "helpful must be true or false"),
    ({"query_id": "q_1", "helpful": 1}, 400, "invalid_helpful", "helpful must be true or false"),
    ({"query_id": "q_1", "helpful": True, "comment": 5}, 400, "invalid_comment",
     "comment must be a string of at most 1000 characters"),
    ({"query_id": "q_1", "helpful": True, "comment": "x" * 1001}, 400, "invalid_comment",
     "comment must be a string of at most 1000 characters"),
    ({"query_id": "q_1", "helpful": True}, 404, "unknown_query_id", "no recorded question has this query_id"),
    ({"query_id": "q_0000000000000000000000000000", "helpful": False}, 404, "unknown_query_id",
     "no recorded question has this query_id"),
    ([1, 2], 400, "invalid_body", "the request body must be a JSON object"),
]


@pytest.mark.parametrize("body, status, code, message", BAD_FEEDBACK)
def test_feedback_errors_have_the_error_shape(client, body, status, code, message):
    response = client.post("/feedback", json=body)
    assert response.status_code == status
    assert response.get_json() == error(code, message)


MADE_UP_IDS = {
    "fresh, right shape": lambda recorder: new_query_id(),
    "fresh, forged tag": lambda recorder: recorder.new_query_id()[:-16] + "0" * 16,
    "fresh, another server's": lambda recorder: Recorder(recorder.path).new_query_id(),
    "a day old": lambda recorder: new_query_id(time.time() - DAY),
}


@pytest.mark.parametrize("kind", list(MADE_UP_IDS))
def test_feedback_on_a_made_up_id_is_decided_by_one_lookup_without_waiting(app, client, monkeypatch, kind):
    recorder = app.extensions["faqbot_recorder"]
    lookups, flushes = [], []
    look_up = recorder._reader_call
    monkeypatch.setattr(recorder, "_reader_call", lambda *args: lookups.append(args) or look_up(*args))
    monkeypatch.setattr(recorder, "flush", lambda *args, **kwargs: flushes.append(args) or True)
    query_id = MADE_UP_IDS[kind](recorder)
    response = client.post("/feedback", json={"query_id": query_id, "helpful": True})
    assert response.status_code == 404
    assert response.get_json() == error("unknown_query_id", "no recorded question has this query_id")
    assert (len(lookups), flushes) == (1, [])


def test_the_servers_query_ids_are_its_own_and_no_one_elses(app, client):
    recorder = app.extensions["faqbot_recorder"]
    ids = [client.get("/ask?q=wifi").get_json()["query_id"] for _ in range(3)]
    assert all(recorder.issued(i) for i in ids)
    assert not any(recorder.issued(made_up(recorder)) for made_up in MADE_UP_IDS.values())
    assert not any(Recorder(database_of(app)).issued(i) for i in ids)  # another server (a restart) has its own secret


@pytest.mark.parametrize("second, kept", [
    ({}, "too slow"),  # absent: the earlier comment stays
    ({"comment": None}, "too slow"),
    ({"comment": ""}, None),  # empty: cleared
    ({"comment": "   "}, None),
    ({"comment": "fine now"}, "fine now"),
])
def test_a_later_verdict_keeps_replaces_or_clears_the_comment(app, client, second, kept):
    query_id = client.get("/ask?q=wifi").get_json()["query_id"]
    assert client.post("/feedback", json={"query_id": query_id, "helpful": False, "comment": "too slow"}).status_code == 200
    assert client.post("/feedback", json={"query_id": query_id, "helpful": True, **second}).status_code == 200
    with Store(database_of(app)) as store:
        assert store.verdict(query_id) == (True, kept)


@pytest.mark.parametrize("data, content_type, status, code", [
    ("query_id=q_1&helpful=true", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    ('{"query_id": ', "application/json", 400, "invalid_json"),
])
def test_feedback_refuses_what_is_not_a_json_object(client, data, content_type, status, code):
    response = client.post("/feedback", data=data, content_type=content_type)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code


def test_feedback_is_rate_limited(make_app):
    client = make_app(FAQBOT_RATELIMIT="2/minute").test_client()
    bodies = [client.post("/feedback", json={"query_id": "q_1", "helpful": True}) for _ in range(3)]
    assert [r.status_code for r in bodies] == [404, 404, 429]
    assert bodies[-1].headers["Retry-After"]
    assert bodies[-1].get_json()["error"]["code"] == "rate_limited"


def test_feedback_cannot_be_sent_with_get(client):
    response = client.get("/feedback")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


# --------------------------------------------------------------------------
# several processes at once

def _write_many(path: str, n: int, barrier, queue) -> None:
    """A worker: wait for the others, then record ``n`` questions as fast as it can."""
    recorder = Recorder(path)
    answer = SimpleNamespace(question=f"question from {os.getpid()}", answered=True, confidence=0.9,
                             intent="answer", entry=SimpleNamespace(kb="kb", id="entry"), related=())
    barrier.wait()
    ids = [recorder.record(answer, "kb") for _ in range(n)]
    recorder.close()
    queue.put(ids)


@pytest.mark.parametrize("processes, each", [(4, 500)])
def test_concurrent_writers_lose_no_record(database, processes, each):
    path = database
    Recorder(path).close()  # created and migrated before the workers start, like gunicorn's preload
    ctx = multiprocessing.get_context("spawn")
    barrier, queue = ctx.Barrier(processes), ctx.Queue()
    workers = [ctx.Process(target=_write_many, args=(path, each, barrier, queue)) for _ in range(processes)]
    for w in workers:
        w.start()
    ids = [i for _ in workers for i in queue.get(timeout=60)]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    assert None not in ids and len(set(ids)) == processes * each
    with Store(path, create=False) as store:
        assert store.count() == processes * each
        assert {r.query_id for r in store.questions()} == set(ids)


def test_forked_workers_record_through_the_recorder_built_before_the_fork(database):
    """gunicorn preloads the app (and its recorder), then forks workers: each gets its own writer."""
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    path = database
    recorder = Recorder(path)
    answer = SimpleNamespace(question="q", answered=False, confidence=0.0, intent="unknown", entry=None, related=())
    assert recorder.record(answer)  # the parent's writer thread runs before the fork
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_record_and_close, args=(recorder, 200)) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    recorder.close()
    with Store(path, create=False) as store:
        assert store.count() == 1 + 3 * 200


def _record_and_close(recorder: Recorder, n: int) -> None:
    answer = SimpleNamespace(question="from a worker", answered=False, confidence=0.0, intent="unknown",
                             entry=None, related=())
    for _ in range(n):
        assert recorder.record(answer)
    recorder.close()  # gunicorn's worker_exit and atexit do this; multiprocessing's children skip atexit


def test_records_still_queued_at_exit_are_written(database):
    path = database
    script = textwrap.dedent(f"""
        from types import SimpleNamespace
        from web.recorder import Recorder
        recorder = Recorder({str(path)!r})
        answer = SimpleNamespace(question="bye", answered=False, confidence=0.0, intent="unknown",
                                 entry=None, related=())
        for _ in range(1000):
            recorder.record(answer)
    """)  # and exit at once, without flushing: atexit does
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=60)
    with Store(path, create=False) as store:
        assert store.count() == 1000


# --------------------------------------------------------------------------
# a record the database cannot take

def _answer(question: str) -> SimpleNamespace:
    return SimpleNamespace(question=question, answered=False, confidence=0.0, intent="unknown", entry=None, related=())


@pytest.mark.parametrize("bad", ["senior \ud800", "\udfff", "a\udc80b"])
def test_a_record_that_cannot_be_written_is_dropped_and_recording_goes_on(tmp_path, caplog, bad):
    path = tmp_path / "faqbot.db"
    recorder = Recorder(path)
    ids = [recorder.record(_answer(q)) for q in ["first", bad, "second"]]
    assert recorder.flush(timeout=5)
    later = recorder.record(_answer("after"))
    assert recorder.flush(timeout=5)
    with Store(path) as store:
        assert [r.question for r in store.questions()] == ["first", "second", "after"]
        assert store.get(ids[1]) is None
    assert recorder._thread is not None and recorder._thread.is_alive()
    [dropped] = [r for r in caplog.records if "dropped recorded question" in r.getMessage()]
    assert ids[1] in dropped.getMessage() and later not in dropped.getMessage()
    recorder.close()


def test_an_unexpected_error_while_writing_loses_that_batch_not_the_recorder(tmp_path, monkeypatch, caplog):
    path = tmp_path / "faqbot.db"
    recorder = Recorder(path)
    write = Recorder._write
    failures = iter([RuntimeError("a bug")])

    def buggy(self, pending):
        for e in failures:
            raise e
        return write(self, pending)

    monkeypatch.setattr(Recorder, "_write", buggy)
    recorder.record(_answer("lost"))
    assert recorder.flush(timeout=5)
    recorder.record(_answer("kept"))
    assert recorder.flush(timeout=5)
    with Store(path) as store:
        assert [r.question for r in store.questions()] == ["kept"]
    assert any("dropped after an unexpected error" in r.getMessage() for r in caplog.records)
    recorder.close()


def test_lone_surrogates_are_refused_at_the_edge_and_recording_goes_on(app, client):
    for body in ({"question": "senior \ud800"}, {"question": "senior", "context": {"x": "\udfff"}},
                 {"question": "senior", "kb": "\ud800"}):
        response = client.post("/ask", data=json.dumps(body), content_type="application/json")
        assert response.status_code == 400
    query_id = client.post("/ask", json={"question": "is there wifi"}).get_json()["query_id"]
    assert stored(app, query_id).question == "is there wifi"
    with Store(database_of(app)) as store:
        assert store.count() == 1


# --------------------------------------------------------------------------
# when the database cannot be used

def _read_only(path: Path) -> bool:
    """Make ``path`` read-only for this process (root ignores modes: then chattr +i); False if impossible."""
    path.chmod(0o444)
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            return False
    try:
        with open(path, "ab"):
            return False
    except OSError:
        return True


def _writable(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    path.chmod(0o644)


@pytest.fixture
def unusable(tmp_path, request):
    """A FAQBOT_DATABASE that cannot be written, of the kind the test names."""
    kind = request.param
    if kind == "directory is a file":
        (tmp_path / "file").write_text("not a directory")
        yield str(tmp_path / "file" / "faqbot.db")
    elif kind == "path is a directory":
        (tmp_path / "faqbot.db").mkdir()
        yield str(tmp_path / "faqbot.db")
    elif kind == "not a database":
        (tmp_path / "faqbot.db").write_bytes(b"this is not SQLite\n" * 200)
        yield str(tmp_path / "faqbot.db")
    else:  # read-only file
        path = tmp_path / "faqbot.db"
        Store(path).close()
        if not _read_only(path):
            _writable(path)
            pytest.skip("cannot make a file read-only here")
        yield str(path)
        _writable(path)


@pytest.mark.parametrize("unusable", ["directory is a file", "path is a directory", "not a database",
                                      "read-only file"], indirect=True)
def test_unusable_database_still_answers_and_logs_the_problem_once(make_app, unusable, caplog):
    caplog.set_level(logging.WARNING)
    app = make_app(FAQBOT_DATABASE=unusable)
    client = app.test_client()
    for _ in range(5):
        response = client.post("/ask", json={"question": "when are you open?"})
        assert response.status_code == 200
        body = response.get_json()
        assert body["answer"]["title"] == "Opening Hours"
        assert "query_id" not in body
    assert client.post("/", data={"q": "wifi"}).status_code == 200
    problems = [r for r in caplog.records if "cannot record questions" in r.getMessage()]
    assert len(problems) == 1
    assert unusable in problems[0].getMessage()
    assert app.extensions["faqbot_recorder"].available is False


def test_missing_directory_is_created(make_app, tmp_path):
    path = tmp_path / "new" / "deeper" / "faqbot.db"
    app = make_app(FAQBOT_DATABASE=str(path))
    query_id = app.test_client().get("/ask?q=wifi").get_json()["query_id"]
    assert stored(app, query_id).question == "wifi"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_write_failures_while_serving_are_logged_once_and_recording_resumes(make_app, tmp_path, caplog,
                                                                             monkeypatch):
    caplog.set_level(logging.WARNING)
    app = make_app(FAQBOT_DATABASE=str(tmp_path / "faqbot.db"))
    client = app.test_client()
    recorder = app.extensions["faqbot_recorder"]
    recorder._retry_in, recorder.RETRY_MAX = 0.01, 0.05  # retry soon
    add = SQLiteStore.add

    def disk_full(self, records):
        raise StoreError(f"{self.path}: database or disk is full")

    ids = [client.get("/ask?q=wifi").get_json()["query_id"]]
    recorder.flush()
    monkeypatch.setattr(SQLiteStore, "add", disk_full)
    for _ in range(6):
        response = client.get("/ask?q=wifi")
        assert response.status_code == 200
        ids.append(response.get_json().get("query_id"))
        recorder.flush()
        time.sleep(0.02)
    assert recorder.available is False
    monkeypatch.setattr(SQLiteStore, "add", add)
    time.sleep(0.3)  # past the retry time
    ids.append(client.get("/ask?q=wifi").get_json()["query_id"])
    recorder.flush()
    assert recorder.available is True
    app.extensions.pop("faqbot_health", None)  # /healthz probes at most every few seconds: probe now
    assert client.get("/healthz").get_json()["checks"]["database"] == "ok"
    messages = [r.getMessage() for r in caplog.records]
    assert sum("cannot record questions" in m for m in messages) == 1
    assert sum("recording questions in" in m for m in messages) == 1
    recorded = [i for i in ids if i]
    assert len(recorded) < len(ids)  # while it was down, replies carried no query_id
    with Store(database_of(app)) as store:  # and every reply that carried one was recorded once it came back
        assert {r.query_id for r in store.questions()} == set(recorded)


def test_feedback_when_the_database_is_unavailable_is_a_503(make_app, tmp_path):
    (tmp_path / "file").write_text("")
    client = make_app(FAQBOT_DATABASE=str(tmp_path / "file" / "x.db")).test_client()
    response = client.post("/feedback", json={"query_id": new_query_id(), "helpful": True})
    assert response.status_code == 503
    assert response.get_json() == error("unavailable", "feedback cannot be stored right now; try again later")


# --------------------------------------------------------------------------
# schema and retention

def test_schema_is_created_with_its_version(tmp_path):
    path = tmp_path / "faqbot.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"questions", "feedback"} <= tables


def test_a_newer_schema_is_refused_with_a_message(tmp_path):
    path = tmp_path / "faqbot.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this faqbot understands"):
        Store(path)


def _seed(path, ages_in_days: list[float]) -> list[str]:
    now = time.time()
    records = [Record(new_query_id(now - age * DAY), now - age * DAY, f"asked {age} days ago", True, 0.9,
                      entry_kb="kb", entry_id="e") for age in ages_in_days]
    with Store(path) as store:
        store.add(records)
        for r in records:
            store.add_feedback(r.query_id, False)
    return [r.question for r in records]


@pytest.mark.parametrize("days, kept", [
    (90, ["asked 1 days ago", "asked 89 days ago"]),
    (30, ["asked 1 days ago"]),
    (0, ["asked 1 days ago", "asked 89 days ago", "asked 91 days ago", "asked 400 days ago"]),
])
def test_retention_deletes_older_records_at_start(make_app, database, days, kept):
    path = database
    _seed(path, [1, 89, 91, 400])
    make_app(FAQBOT_DATABASE=str(path), FAQBOT_RETENTION_DAYS=days)
    with Store(path) as store:
        assert sorted(r.question for r in store.questions()) == sorted(kept)
        orphans = store._read("SELECT count(*) FROM feedback WHERE query_id NOT IN (SELECT query_id FROM questions)")
        assert orphans == [(0,)]


def test_retention_also_runs_while_serving(make_app, database):
    path = database
    app = make_app(FAQBOT_DATABASE=str(path), FAQBOT_RETENTION_DAYS=30)
    recorder = app.extensions["faqbot_recorder"]
    _seed(path, [45])  # e.g. written by a worker whose clock was wrong, or kept by an older setting
    recorder._next_purge = 0  # as if PURGE_EVERY had passed
    app.test_client().get("/ask?q=wifi")
    recorder.flush()
    with Store(path) as store:
        assert [r.question for r in store.questions()] == ["wifi"]


@pytest.mark.parametrize("value", ["-1", "ninety", "1.5"])
def test_retention_setting_is_checked(make_app, value):
    with pytest.raises(ValueError, match="FAQBOT_RETENTION_DAYS"):
        make_app(FAQBOT_RETENTION_DAYS=value)


def test_query_ids_carry_their_time_and_nothing_else_parses():
    now = time.time()
    assert query_time(new_query_id(now)) == pytest.approx(now, abs=0.001)
    for bad in ["q_1", "", None, 5, "q_" + "g" * 28]:
        assert query_time(bad) is None


# --------------------------------------------------------------------------
# PostgreSQL: migrations, and access lost and regained

def _open_and_count(url: str, barrier, queue) -> None:
    """An instance starting: wait for the others, then open (and migrate) the question log."""
    barrier.wait()
    with Store(url) as store:
        queue.put(store.count())


def test_instances_starting_at_once_migrate_a_fresh_postgres_schema_once(postgres_url, postgres_admin):
    ctx = multiprocessing.get_context("spawn")
    n = 4
    barrier, queue = ctx.Barrier(n), ctx.Queue()
    starting = [ctx.Process(target=_open_and_count, args=(postgres_url, barrier, queue)) for _ in range(n)]
    for p in starting:
        p.start()
    counts = [queue.get(timeout=60) for _ in starting]
    for p in starting:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert counts == [0] * n
    schema = postgres_url.rsplit("%3D", 1)[1]
    assert postgres_admin.execute(f"SELECT version FROM {schema}.faqbot_schema").fetchall() == [(SCHEMA_VERSION,)]
    tables = {r[0] for r in postgres_admin.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,))}
    assert tables == {"faqbot_schema", "questions", "feedback", "dismissed", "audit"}


def test_a_newer_postgres_schema_is_refused_with_a_message(postgres_url, postgres_admin):
    Store(postgres_url).close()
    schema = postgres_url.rsplit("%3D", 1)[1]
    postgres_admin.execute(f"UPDATE {schema}.faqbot_schema SET version = version + 1")
    with pytest.raises(StoreError, match="newer than this faqbot understands"):
        Store(postgres_url)


def test_report_on_a_postgres_database_without_a_question_log_says_so(postgres_url, capsys):
    from bot.cli import main

    assert main(["report", "--database", postgres_url]) == 1
    assert "no question log here" in capsys.readouterr().err


@pytest.fixture
def postgres_role(postgres_admin):
    """A login role owning a schema of its own: ``(url, revoke, restore)``; revoke forbids it to log in
    and ends its sessions (as a changed password or a withdrawn grant would), restore allows it again."""
    import secrets

    from conftest import POSTGRES, schema_url
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name, password = f"faqbot_role_{secrets.token_hex(5)}", secrets.token_hex(8)
    postgres_admin.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
    postgres_admin.execute(f"CREATE SCHEMA {name} AUTHORIZATION {name}")
    params = conninfo_to_dict(POSTGRES)
    host, port, db = params.get("host", "127.0.0.1"), params.get("port", "5432"), params.get("dbname", "test")
    url = schema_url(name, f"postgresql://{name}:{password}@{host}:{port}/{db}")
    assert make_conninfo(url)

    def revoke():
        postgres_admin.execute(f"ALTER ROLE {name} NOLOGIN")
        postgres_admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (name,))

    def restore():
        postgres_admin.execute(f"ALTER ROLE {name} LOGIN")

    try:
        yield url, revoke, restore
    finally:
        postgres_admin.execute(f"ALTER ROLE {name} NOLOGIN")
        postgres_admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (name,))
        postgres_admin.execute(f"DROP SCHEMA {name} CASCADE")
        postgres_admin.execute(f"DROP ROLE {name}")


def test_postgres_access_revoked_answers_without_query_ids_and_recording_resumes_when_restored(
        make_app, postgres_role, caplog):
    caplog.set_level(logging.WARNING)
    url, revoke, restore = postgres_role
    app = make_app(FAQBOT_DATABASE=url)
    client = app.test_client()
    recorder = app.extensions["faqbot_recorder"]
    recorder._retry_in, recorder.RETRY_MAX = 0.05, 0.2  # retry soon
    ids = [client.get("/ask?q=wifi").get_json()["query_id"]]
    recorder.flush()

    revoke()
    for _ in range(6):
        response = client.get("/ask?q=wifi")
        assert response.status_code == 200
        assert response.get_json()["answer"]["title"]
        ids.append(response.get_json().get("query_id"))
        recorder.flush()
    assert recorder.available is False
    assert ids[-1] is None  # while the database refuses it, replies carry no query_id
    health = client.get("/healthz")
    assert (health.status_code, health.get_json()["checks"]["database"]) == (200, "unavailable")

    restore()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        query_id = client.get("/ask?q=wifi").get_json().get("query_id")
        recorder.flush()
        if query_id and recorder.available:
            ids.append(query_id)
            break
        time.sleep(0.1)
    assert recorder.available is True
    app.extensions.pop("faqbot_health", None)  # /healthz probes at most every few seconds: probe now
    assert client.get("/healthz").get_json()["checks"]["database"] == "ok"
    messages = [r.getMessage() for r in caplog.records]
    assert sum("cannot record questions" in m for m in messages) == 1
    problem = next(m for m in messages if "cannot record questions" in m)
    assert "not permitted to log in" in problem and ":***@" in problem  # the reason; the password masked
    assert url.split("@")[0].split(":")[-1] not in "".join(messages)
    assert len(messages) == 2  # the outage and the recovery, nothing else (the pool's own retries are quiet)
    assert sum("recording questions in" in m for m in messages) == 1
    recorded = [i for i in ids if i]
    with Store(url) as store:  # every reply that carried a query_id was recorded once access came back
        assert {r.query_id for r in store.questions()} >= set(recorded)
