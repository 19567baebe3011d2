"""Fuzz the JSON API in-process and print a summary: cases, 5xx replies, invalid JSON replies, recording alive.

    python benchmarks/fuzz_api.py [--examples 300] [--hostile 5000] [--knowledge knowledge] [--seed N]

1. schemathesis over ``/openapi.json`` (the Flask test client, no server):
   every operation, valid and invalid requests (positive and negative
   generation), and every check schemathesis has (not a server error, status
   codes, content types, headers and bodies as documented, invalid data
   rejected, valid data accepted, unsupported methods, ...).
2. the hostile requests of ``tests/hostile.py``: arbitrary JSON values, bodies
   nested thousands of levels deep, NaN and Infinity, lone surrogates (as
   ``\\ud800`` escapes and as raw bytes), control characters, RTL marks, NUL,
   bodies past the size limit, chunked or not, to ``POST /ask``, ``GET /ask``,
   ``POST /feedback`` (also with real query ids) and ``GET /kb/<kb>``.
3. recording: a final question is asked, written and found in the database,
   and so is every question the fuzzing got answered.

Exits 1 if any reply was a 5xx, was not valid JSON, or broke a check, or if
recording stopped.
"""
from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import hostile  # noqa: E402  (tests/hostile.py)
import schemathesis  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import CHECKS, load_all_checks  # noqa: E402

from bot.store import Store  # noqa: E402
from web import create_app  # noqa: E402
from web.config import defaults  # noqa: E402


class Tally:
    """What the replies were."""

    def __init__(self):
        self.cases = collections.Counter()       # (phase, target) -> requests sent
        self.statuses = collections.Counter()
        self.server_errors: list[str] = []
        self.invalid_json: list[str] = []
        self.check_failures: collections.Counter = collections.Counter()
        self.answered: list[str] = []            # query ids of answered questions

    def reply(self, phase: str, target: str, response, what: str) -> None:
        """Count one reply and whatever is wrong with it (``what`` describes the request, for the report)."""
        self.cases[phase, target] += 1
        self.statuses[hostile._parts(response)[0]] += 1
        for problem in hostile.problems(response):
            if problem.startswith("status 5"):
                self.server_errors.append(f"{target}: {what:.300}")
            elif problem.startswith("invalid JSON"):
                self.invalid_json.append(f"{target}: {what:.300}")
            else:
                self.check_failures[f"{target}: {problem:.300}"] += 1
        status, mimetype, data = hostile._parts(response)
        if status == 200 and target.endswith("/ask") and mimetype == "application/json":
            query_id = hostile.strict_json(data).get("query_id")
            if query_id:
                self.answered.append(query_id)


def run_schemathesis(app, tally: Tally, examples: int, rng_seed: int) -> list[str]:
    """Every operation of /openapi.json, positive and negative, with every check; the checks' names."""
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    load_all_checks()
    checks = [CHECKS.get_one(name) for name in CHECKS.get_all_names()]
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @seed(rng_seed)
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
                      suppress_health_check=list(HealthCheck))
            def one(case):
                try:
                    response = case.call_and_validate(checks=checks)
                except Exception as e:  # noqa: BLE001 - a failed check: counted, the run goes on
                    name = type(e).__name__
                    tally.check_failures[f"{operation.label} ({mode.value}): {name}: {str(e).strip()[:300]}"] += 1
                    response = case.call()
                tally.reply("schemathesis", operation.label, response, repr(case))

            try:
                one()
            except Unsatisfiable:  # nothing to make invalid (GET /healthz has no parameters)
                pass
    return [c.__name__ for c in checks]


def run_hostile(app, tally: Tally, examples: int, rng_seed: int) -> None:
    """The hostile strategy of tests/hostile.py."""
    client = app.test_client()
    ids = [client.get("/ask?q=wifi").get_json()["query_id"] for _ in range(3)]  # real ones too

    @seed(rng_seed)
    @given(request=hostile.requests(ids))
    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    def one(request):
        tally.reply("hostile", f"{request.method} {request.path.split('?')[0].rsplit('/', 1)[0] or '/'}"
                    if request.path.startswith("/kb/") else f"{request.method} {request.path.split('?')[0]}",
                    request.send(client), repr(request))

    one()


def recording_alive(app, tally: Tally) -> tuple[bool, str]:
    """Ask a last question; whether it, and every question answered during the run, is in the database."""
    client = app.test_client()
    marker = f"when are you open? (fuzz run {time.time():.0f})"
    reply = client.post("/ask", json={"question": marker}).get_json()
    recorder = app.extensions["faqbot_recorder"]
    flushed = recorder.flush(timeout=10)
    with Store(app.config["FAQBOT_DATABASE"]) as store:
        final = store.get(reply.get("query_id", "")) if reply.get("query_id") else None
        missing = [q for q in tally.answered if store.get(q) is None]
        total = store.count()
    alive = bool(flushed and final is not None and final.question == marker and not missing)
    thread = recorder._thread
    return alive, (f"final question {reply.get('query_id')} {'found' if final else 'NOT FOUND'} in the database; "
                   f"{len(tally.answered) - len(missing):,} of {len(tally.answered):,} answered questions recorded; "
                   f"{total:,} rows; writer thread {'alive' if thread and thread.is_alive() else 'idle'}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--examples", type=int, default=300,
                   help="schemathesis examples per operation and generation mode (default: 300)")
    p.add_argument("--hostile", type=int, default=5000, help="hostile requests (default: 5000)")
    p.add_argument("--knowledge", default=str(ROOT / "knowledge"), help="knowledge directory (default: knowledge/)")
    p.add_argument("--seed", type=int, default=0, help="hypothesis seed (default: 0)")
    args = p.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="faqbot-fuzz-") as tmp:
        app = create_app({**defaults(), "FAQBOT_KNOWLEDGE": args.knowledge, "FAQBOT_RATELIMIT": "off",
                          "FAQBOT_DATABASE": str(Path(tmp) / "faqbot.db")})
        app.logger.disabled = True  # the expected refusals are not news; 5xx are counted below
        tally = Tally()
        started = time.monotonic()
        checks = run_schemathesis(app, tally, args.examples, args.seed)
        schema_seconds = time.monotonic() - started
        run_hostile(app, tally, args.hostile, args.seed)
        alive, how = recording_alive(app, tally)
        seconds = time.monotonic() - started

    schema_cases = sum(n for (phase, _), n in tally.cases.items() if phase == "schemathesis")
    hostile_cases = sum(n for (phase, _), n in tally.cases.items() if phase == "hostile")
    per_target = collections.Counter()
    for (_, target), n in tally.cases.items():
        per_target[target] += n
    print(f"schemathesis: {schema_cases:,} cases over /openapi.json (positive and negative, {args.examples} "
          f"examples per operation and mode) in {schema_seconds:.0f} s; checks: {', '.join(checks)}")
    print(f"hostile:      {hostile_cases:,} cases (arbitrary JSON, nesting, NaN, surrogates, controls, RTL, NUL, "
          f"sizes, chunked)")
    print("by target:    " + ", ".join(f"{t} {n:,}" for t, n in sorted(per_target.items())))
    print("statuses:     " + ", ".join(f"{s} {n:,}" for s, n in sorted(tally.statuses.items())))
    print(f"cases {schema_cases + hostile_cases:,}, 5xx {len(tally.server_errors)}, invalid JSON replies "
          f"{len(tally.invalid_json)}, check failures {sum(tally.check_failures.values())} ({seconds:.0f} s)")
    print(f"recording {'alive' if alive else 'NOT ALIVE'}: {how}")
    for title, items in (("5xx", tally.server_errors), ("invalid JSON", tally.invalid_json),
                         ("check failures", [f"{n} x {k}" for k, n in tally.check_failures.most_common(20)])):
        if items:
            print(f"\n{title}:")
            for item in items[:20]:
                print(f"  {item}")
    return 0 if alive and not tally.server_errors and not tally.invalid_json and not tally.check_failures else 1


if __name__ == "__main__":
    sys.exit(main())
