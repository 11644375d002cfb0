"""Orchestration of the language pools with a scripted backend (orchestration logic only; the real
model runs in test_generate.py): concurrency, review and revision, shared tests written once,
best-of-n, repair rounds that change the solution only, the stub check on the tests, adaptation
across pools, backend failures left undone, resumption, outputs and their schemas. Programs run in
the real sandbox through the real test harness."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coderforge.cli import app
from coderforge.config import Config, validate_data
from coderforge.errors import BackendError, CoderforgeError
from coderforge.generate_run import GenerateRun, RunMismatchError
from coderforge.io import read_jsonl
from coderforge.llm import Backend, Completion, Request, Response
from coderforge.outputs import validate_record

TOPICS = ["vowels", "primes", "palindromes", "fibonacci", "anagrams", "matrices", "intervals", "bracket balance",
          "run length encoding", "roman numerals", "binary search", "word frequencies"]

#: The explanation after the right answer's code is cut off by the roles' stop string, as on an engine.
SOLUTION = {"python": "```python\ndef f(x):\n    return x + 1\n```\n\nThis function adds one to `x`.",
            "javascript": "```javascript\nfunction f(x) {\n  return x + 1;\n}\n```\n\nThis adds one to `x`."}
WRONG = {"python": "```python\ndef f(x):\n    return x\n```",
         "javascript": "```javascript\nfunction f(x) {\n  return x;\n}\n```"}
TESTS = {"python": "```python\nassert f(1) == 2, 'f(1) should be 2'\nassert f(-1) == 0\n```",
         "javascript": "```javascript\nconst assert = require('node:assert');\nassert.strictEqual(f(1), 2);\n"
                       "assert.strictEqual(f(-1), 0);\n```"}
PRINT_ONLY = {"python": "```python\nprint(f(1))\n```", "javascript": "```javascript\nconsole.log(f(1));\n```"}
#: Topics whose instruction the scripted writer answers with its solution inside, and whose tests only print.
LEAKS, PRINTS = "vowels", "primes"


class ScriptedBackend(Backend):
    """Answers each role's prompt with a canned answer: candidate 0 passes the shared tests,
    candidate 1 fails them, repairs fix them; one topic's draft holds its solution, one topic's tests
    only print, every second draft gets a review asking for a revision. Records concurrency and the
    prompts it saw."""

    model = "scripted"

    def __init__(self, *, fail_role: str | None = None) -> None:
        self.prompts: list[str] = []
        self.draft_shots: list[int] = []
        self.seeds: list[tuple[str, int | None]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.languages_in_flight: set[str] = set()
        self.overlapping_languages = False
        self.fail_role = fail_role
        self._topics = itertools.cycle(TOPICS)
        self._n = itertools.count()
        self._reviews = itertools.count()

    def _answer(self, request: Request, k: int, language: str) -> str:
        user = request.messages[-1]["content"]
        if "programming concepts" in user:
            return "1. string handling\n2. loops\n3. arithmetic"
        if "programming task about" in user:
            topic = next(self._topics)
            task = (f"Task: Write a function f that works on {topic} number {next(self._n)}: it takes an integer x "
                    f"and returns x plus one, handling {topic} in a careful and documented way. Example: f(1) is 2.")
            return task + ("\n\n" + SOLUTION[language] if topic == LEAKS else "")
        if "Review this" in user:
            ok = next(self._reviews) % 2 == 0
            return json.dumps({"self_contained": True, "solvable": True, "unambiguous": ok, "no_solution": True,
                               "problems": "" if ok else "say what f returns for negative numbers"})
        if "A reviewer read" in user:
            task = re.search(r"<task>\n(.*)\n</task>", user, re.S).group(1)
            return task + " For a negative x it also returns x plus one."
        if "Rewrite it for" in user:
            return ("Write a function f in this language that takes an integer x and returns x plus one, for "
                    "negative numbers too. Example: f(1) returns 2.")
        if "Write tests for this task" in user:
            return (PRINT_ONLY if PRINTS in user else TESTS)[language]
        if "fails the task's tests" in user:
            assert "should be 2" in user or "2" in user, "the repair prompt quotes the failed check"
            return "Fixed:\n" + SOLUTION[language]
        if "Score it on every criterion" in user:
            criteria = re.findall(r"^- (\w+) \(", user, re.M)
            return json.dumps({c: {"score": 8, "reason": "fine"} for c in criteria})
        assert "Solve this task" in user, user
        return (SOLUTION if k == 0 else WRONG)[language]

    def _role(self, request: Request) -> str:
        user = request.messages[-1]["content"]
        return "tests" if "Write tests for this task" in user else "other"

    async def generate(self, requests: Sequence[Request]) -> list[Response]:
        return list(await asyncio.gather(*(self._one(r) for r in requests)))

    async def _one(self, request: Request) -> Response:
        system = request.messages[0]["content"]
        language = "javascript" if "JavaScript" in system else "python"
        self.prompts.append(request.messages[-1]["content"])
        self.seeds.append((str(request.messages), request.sampling.seed))
        if "programming task about" in request.messages[-1]["content"]:
            self.draft_shots.append(sum(m["role"] == "assistant" for m in request.messages))
        self.in_flight += 1
        self.languages_in_flight.add(language)
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.01)
            if len({*self.languages_in_flight}) > 1:
                self.overlapping_languages = True
            if self.fail_role is not None and self._role(request) == self.fail_role:
                raise BackendError("endpoint down (scripted)")
            texts = [self._answer(request, k, language) for k in range(request.sampling.n)]
        finally:
            self.in_flight -= 1
            self.languages_in_flight.discard(language)
        return Response(tuple(Completion(_cut(t, request.sampling.stop), "stop", len(t.split())) for t in texts),
                        10, 0.01, self.model)


def _cut(text: str, stop: Sequence[str]) -> str:
    """The text before its first stop string, which is left out (as OpenAI-compatible engines do)."""
    return text[:min((i for i in (text.find(s) for s in stop) if i >= 0), default=len(text))]


def _config(tmp_path: Path, **generate: object) -> Config:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / "util.py").write_text(
        'def clamp(value, low, high):\n    """Limit value to the range [low, high]."""\n'
        "    if value < low:\n        return low\n    return min(value, high)\n\n\n"
        'def mean(values):\n    """The arithmetic mean of a non-empty list of numbers."""\n'
        "    total = 0\n    for v in values:\n        total += v\n    return total / len(values)\n")
    (corpus / "util.js").write_text(
        "/** Sum of an array of numbers. */\nfunction sum(xs) {\n  let t = 0;\n  for (const x of xs) t += x;\n"
        "  return t;\n}\n\n/** Largest element of a non-empty array. */\nfunction largest(xs) {\n"
        "  return xs.reduce((a, b) => (a > b ? a : b));\n}\nmodule.exports = { sum, largest };\n")
    data = {"generate": {"languages": ["python", "javascript"], "instructions_per_language": 6, "candidates": 2,
                         "repair_rounds": 1, "adapt_fraction": 0.2, "tasks_in_flight": 3,
                         "corpus": {"python": [str(corpus / "util.py")], "javascript": [str(corpus / "util.js")]},
                         "roles": {"solution": {"concurrency": 2}}, **generate},
            "filters": {"stages": ["parse", "dedup", "sandbox", "judge"]}}
    return validate_data(data)


def _run(config: Config, out: Path, backend: ScriptedBackend) -> dict:
    backends = dict.fromkeys([*type(config.generate.roles).model_fields, "judge"], backend)
    return asyncio.run(GenerateRun(config, out, backends=backends).run())


@pytest.fixture
def run(tmp_path: Path) -> tuple[Config, Path, ScriptedBackend, dict]:
    config = _config(tmp_path)
    backend = ScriptedBackend()
    out = tmp_path / "run"
    return config, out, backend, _run(config, out, backend)


def test_every_request_carries_a_seed_derived_from_its_prompt(run: tuple) -> None:
    _, _, backend, _ = run
    agents = [(prompt, seed) for prompt, seed in backend.seeds if "Score it on every criterion" not in prompt]
    assert agents and all(seed is not None for _, seed in agents)
    by_prompt: dict[str, set] = {}
    for prompt, seed in agents:
        by_prompt.setdefault(prompt, set()).add(seed)
    assert all(len(seeds) == 1 for seeds in by_prompt.values()), "the same prompt always gets the same seed"
    assert len({seed for _, seed in agents}) > len(agents) // 2


def test_pools_run_concurrently_within_role_limits(run: tuple) -> None:
    _, _, backend, _ = run
    assert backend.overlapping_languages, "the two pools had requests in flight at the same time"
    assert backend.max_in_flight > 1


def _tasks(out: Path) -> list[dict]:
    return [e for e in read_jsonl(out / "events.jsonl") if e["event"] == "task"]


def test_shared_tests_best_of_n_repair_and_dpo(run: tuple) -> None:
    _, out, backend, funnel = run
    tasks = _tasks(out)
    assert sorted(Counter(t["language"] for t in tasks).values()) == [6, 6]
    tested = [t for t in tasks if t["tests"]]
    assert tested and all(len(t["candidates"]) == 2 for t in tested)
    # Every candidate of an instruction ran against the one test program written for it.
    assert sum("Write tests for this task" in p for p in backend.prompts) == len(tested)
    repaired = [c for t in tested for c in t["candidates"] if c.get("repairs")]
    assert repaired, "failing candidates went through a repair round"
    for t in tested:
        for c in t["candidates"]:
            if c.get("repairs") and t["tests"]["trusted"]:
                assert [a["status"] for a in c["attempts"]] == ["failed", "passed"]
                assert c["accepted"] and c["attempts"][-1]["checks"] == 2
    assert any("fails the task's tests" in p and "should be 2" in p for p in backend.prompts)
    for language in ("python", "javascript"):
        counts = funnel["languages"][language]
        assert counts["tasks"] == 6 and counts["candidates"] == counts["parsed"]
        sft = list(read_jsonl(out / "sft" / f"{language}.jsonl"))
        fine = list(read_jsonl(out / "sft" / "fine" / f"{language}.jsonl"))
        assert sft and len(fine) <= len({r["instruction_id"] for r in sft})
        for record in sft:
            validate_record("sft", record)
            assert record["executed"] and record["checks"] == 2 and "f(1)" in record["tests"]
            answer = record["messages"][1]["content"]
            assert answer.startswith("```") and answer.rstrip().endswith("```"), "stopped at its block's end, closed"
            assert "adds one" not in answer, "the explanation after the code was never written"
            assert "assert" not in record["messages"][1]["content"], "the answer is the solution, not the tests"
        pairs = list(read_jsonl(out / "dpo" / f"{language}.jsonl"))
        assert pairs, "a candidate failing the shared tests is the rejected side of a pair"
        for pair in pairs:
            validate_record("dpo", pair)
            assert pair["chosen_verdict"]["status"] == "passed" and pair["rejected_verdict"]["status"] == "failed"
            assert pair["chosen"] != pair["rejected"]


def test_solutions_in_drafts_are_trimmed_off_and_counted(run: tuple) -> None:
    _, out, backend, funnel = run
    leaked = [t for t in _tasks(out) if t["instruction"] and LEAKS in t["instruction"]["draft"]]
    assert leaked
    for t in leaked:
        assert t["instruction"]["held_solution"] and "return x + 1" in t["instruction"]["answer"]
        assert "return x + 1" not in t["instruction"]["text"], "the solution never reaches the instruction"
    assert sum(c["drafts_held_solution"] for c in funnel["languages"].values()) == len(leaked)
    assert not any("return x + 1" in p for p in backend.prompts if "Review this" in p or "Write tests" in p)


def test_reviews_ask_for_one_revision(run: tuple) -> None:
    _, out, _, funnel = run
    written = [t for t in _tasks(out) if t["instruction"]]
    revised = [t for t in written if t["instruction"]["revised"]]
    assert revised and len(revised) < len(written)
    for t in revised:
        assert t["instruction"]["review"]["unambiguous"] is False
        assert t["instruction"]["text"].endswith("For a negative x it also returns x plus one.")
        assert t["instruction"]["draft"] != t["instruction"]["text"]
    assert sum(c["instructions_revised"] for c in funnel["languages"].values()) == len(revised)


def test_print_only_tests_are_never_trusted(run: tuple) -> None:
    _, out, _, _ = run
    printing = [t for t in _tasks(out) if t["tests"] and PRINTS in t["instruction"]["text"]]
    assert printing
    for t in printing:
        assert not t["tests"]["trusted"] and t["tests"]["passed"] == 0
        assert not any(c["accepted"] for c in t["candidates"])
        assert "no check executed" in t["candidates"][0]["attempts"][0]["error"]
        assert t["rejection"]["stage"] == "tests"


def test_trusted_tests_kill_the_stub_and_the_memory_reaches_prompts(run: tuple) -> None:
    _, out, backend, _ = run
    trusted = [t for t in _tasks(out) if (t["tests"] or {}).get("trusted")]
    assert trusted and all(t["tests"]["mutant"]["killed"] and t["tests"]["mutants"]["constant"]["killed"]
                           and t["tests"]["mutants"]["identity"]["killed"] for t in trusted)
    assert backend.draft_shots and min(backend.draft_shots) == 2, "drafts see example tasks as earlier turns"


def test_later_drafts_see_what_was_written_about_their_concept(tmp_path: Path) -> None:
    backend = ScriptedBackend()
    _run(_config(tmp_path, languages=["python"], tasks_in_flight=1, adapt_fraction=0), tmp_path / "run", backend)
    drafts = [p for p in backend.prompts if "programming task about" in p]
    assert "Tasks already written about this concept" not in drafts[0]
    assert any("Tasks already written about this concept" in p and "number" in p for p in drafts[3:])


class ShortDrafts(ScriptedBackend):
    """Every second instruction draft is too short to be a task."""

    def __init__(self) -> None:
        super().__init__()
        self._drafts = itertools.count()

    def _answer(self, request: Request, k: int, language: str) -> str:
        if "programming task about" in request.messages[-1]["content"] and next(self._drafts) % 2 == 0:
            return "Task: write f."
        return super()._answer(request, k, language)


@pytest.mark.parametrize("attempts", [1, 2])
def test_a_draft_dropped_before_its_tests_is_written_again(tmp_path: Path, attempts: int) -> None:
    out = tmp_path / "run"
    config = _config(tmp_path, languages=["python"], tasks_in_flight=1, adapt_fraction=0, draft_attempts=attempts)
    funnel = _run(config, out, ShortDrafts())
    tasks = _tasks(out)
    short = [t for t in tasks if (t["rejection"] or {}).get("stage") == "instruction"]
    redrawn = [t for t in tasks if t.get("earlier_drafts")]
    rejected = {r["id"]: r for r in read_jsonl(out / "rejected.jsonl")}
    if attempts == 1:
        assert len(short) == 3 and not redrawn
        return
    # Drafts alternate short and sound, one slot at a time: each slot's first draft was dropped, and
    # its second, about another concept, went on to its tests.
    assert not short and len(redrawn) == 6 and funnel["languages"]["python"]["drafts_redrawn"] == 6
    for t in redrawn:
        (draft,) = t["earlier_drafts"]
        assert "too short" in draft["rejection"]["reason"] and t["tests"] is not None
        assert "too short" in rejected[f"{t['id']}.d1"]["reason"]
    assert redrawn[0]["target"]["concept"] != redrawn[0]["earlier_drafts"][0]["target"]["concept"]


class ShortAdaptations(ScriptedBackend):
    """Every adaptation is too short to be a task."""

    def _answer(self, request: Request, k: int, language: str) -> str:
        if "Rewrite it for" in request.messages[-1]["content"]:
            return "Task: write f."
        return super()._answer(request, k, language)


def test_an_adaptation_dropped_before_its_tests_gives_way_to_a_written_task(tmp_path: Path) -> None:
    out = tmp_path / "run"
    _run(_config(tmp_path), out, ShortAdaptations())
    tasks = _tasks(out)
    assert not any(t["kind"] == "adapt" for t in tasks)
    fallen = [t for t in tasks if any(d["kind"] == "adapt" for d in t.get("earlier_drafts", []))]
    assert sorted(t["language"] for t in fallen) == ["javascript", "python"], "each pool's adaptation slot"
    for t in fallen:
        draft = t["earlier_drafts"][0]
        assert draft["kind"] == "adapt" and draft["adapted_from"] and "too short" in draft["rejection"]["reason"]
        assert t["kind"] == "write" and t["instruction"] is not None


def test_adaptation_crosses_pools(run: tuple) -> None:
    _, out, _, _ = run
    tasks = _tasks(out)
    adapted = [t for t in tasks if t["kind"] == "adapt"]
    # Each pool spends its adaptation quota (0.2 of 6 slots): its last slot waits for a task the other
    # pool verified, when none was there to adapt earlier.
    assert sorted(t["language"] for t in adapted) == ["javascript", "python"]
    for t in adapted:
        source_language = t["adapted_from"].split("-")[0]
        assert source_language != t["language"]
    stats = json.loads(CliRunner().invoke(app, ["graph", "stats", str(out), "--json"]).output)
    written = sum(1 for t in tasks if t["instruction"])
    assert stats["nodes"]["instruction"] == written and stats["languages"]["python"]["verified_solutions"] >= 1


def test_outputs_validate_and_reject_with_reasons(run: tuple) -> None:
    _, out, _, funnel = run
    rejected = list(read_jsonl(out / "rejected.jsonl"))
    for record in rejected:
        validate_record("rejected", record)
    for kind in ("dpo", "fim"):
        for path in (out / kind).glob("*.jsonl"):
            for record in read_jsonl(path):
                validate_record(kind, record)
    assert (out / "README.md").read_text().count("| tests_trusted |") == 1
    assert (out / "plots" / "funnel.png").stat().st_size > 1000
    assert set(funnel["languages"]) == {"python", "javascript"}


def test_resume_extends_without_duplicates_and_refuses_other_configs(tmp_path: Path) -> None:
    out = tmp_path / "run"
    backend = ScriptedBackend()
    _run(_config(tmp_path, instructions_per_language=3), out, backend)
    first = list(read_jsonl(out / "events.jsonl"))
    # A torn last line (a kill mid-write) is dropped on resume; a torn graph snapshot does not matter
    # (the graph is rebuilt from the log, and the snapshot written again).
    with (out / "events.jsonl").open("a") as f:
        f.write('{"event": "task", "id": "task:python-0')
    (out / "graph.json").write_text('{"nodes": [')
    funnel = _run(_config(tmp_path, instructions_per_language=6), out, backend)
    events = list(read_jsonl(out / "events.jsonl"))
    assert events[: len(first)] == first
    ids = [e["id"] for e in events]
    assert len(ids) == len(set(ids))
    assert funnel["languages"]["python"]["tasks"] == 6
    assert json.loads((out / "graph.json").read_text())["nodes"]
    sft_ids = [r["id"] for r in read_jsonl(out / "sft" / "python.jsonl")]
    assert len(sft_ids) == len(set(sft_ids))
    with pytest.raises(RunMismatchError, match="candidates"):
        _run(_config(tmp_path, instructions_per_language=6, candidates=3), out, backend)


def test_a_backend_failure_is_left_undone_not_logged(tmp_path: Path) -> None:
    out = tmp_path / "run"
    config = _config(tmp_path, instructions_per_language=2)
    with pytest.raises(CoderforgeError, match="left undone because a backend failed"):
        _run(config, out, ScriptedBackend(fail_role="tests"))
    logged = _tasks(out)
    assert all(t["tests"] is None for t in logged), "no task that needed the failing role was logged"
    assert not any("backend" in r["reason"] for r in read_jsonl(out / "rejected.jsonl")) \
        if (out / "rejected.jsonl").exists() else True
    funnel = _run(config, out, ScriptedBackend())
    assert funnel["languages"]["python"]["tasks"] == 2 and any(t["tests"] for t in _tasks(out))


def test_a_pool_fills_only_the_slots_it_is_given(tmp_path: Path) -> None:
    """An executor's shard: a pool given slots 1 and 3 of 4, with slot 1 already logged, writes slot 3 only."""
    from coderforge.agents.graph import MemoryGraph
    from coderforge.agents.pool import LanguagePool, apply_event
    from coderforge.agents.roles import Agents
    from coderforge.checklists.chain import build_chain
    from coderforge.sandbox import Sandbox

    from coderforge.generate_run import load_seeds

    config = _config(tmp_path, languages=["python"])
    seeds = load_seeds(config)
    graph = MemoryGraph()
    for seed in seeds.values():
        graph.add_seed(seed)
    logged: list[dict] = []

    def record(event: dict) -> None:
        logged.append(event)
        apply_event(graph, event, seeds)

    backend = ScriptedBackend()
    done = [{"event": "task", "id": "task:python-00001", "language": "python", "slot": 1, "kind": "write"}]

    async def main() -> None:
        with Sandbox(config.sandbox) as sandbox:
            agents = Agents(config.generate.roles, dict.fromkeys(type(config.generate.roles).model_fields, backend))
            chain = build_chain(config.filters, sandbox=sandbox, judge_backend=backend)
            pool = LanguagePool("python", config=config.generate, agents=agents, chain=chain, sandbox=sandbox,
                                graph=graph, seeds=seeds, record=record, done_events=done, slots=[1, 3])
            assert pool.remaining_slots() == [3]
            await pool.extract_concepts()
            await pool.run_tasks()

    asyncio.run(main())
    assert [e["slot"] for e in logged if e["event"] == "task"] == [3]
    assert [e["id"] for e in logged if e["event"] == "task"] == ["task:python-00003"]


def test_drafts_that_copy_a_starter_task_are_dropped(tmp_path: Path) -> None:
    # The scripted writer's tasks, given to the pool as its starter set: every draft copies one.
    starters = tmp_path / "starters.yaml"
    starters.write_text(json.dumps([
        f"Write a function f that works on {topic} number {k}: it takes an integer x and returns x plus one, "
        f"handling {topic} in a careful and documented way. Example: f(1) is 2." for k, topic in enumerate(TOPICS)]))
    out = tmp_path / "run"
    _run(_config(tmp_path, languages=["python"], instructions_per_language=2, adapt_fraction=0,
                 starters={"python": str(starters)}), out, ScriptedBackend())
    tasks = _tasks(out)
    assert len(tasks) == 2 and not any(t["candidates"] for t in tasks)
    assert all(re.fullmatch(r"copies starter task \d+ of python, an example of its prompt", t["rejection"]["reason"])
               for t in tasks), [t["rejection"] for t in tasks]


class TwoSuites(ScriptedBackend):
    """Draws two test suites: the first as given (a wrong expected value, or checks a stub passes),
    the second right."""

    def __init__(self, first: dict[str, str]) -> None:
        super().__init__()
        self.first = first

    def _answer(self, request: Request, k: int, language: str) -> str:
        if "Write tests for this task" in request.messages[-1]["content"]:
            return (self.first if k == 0 else TESTS)[language]
        return super()._answer(request, k, language)


@pytest.mark.parametrize("first", [
    {"python": "```python\nassert f(1) == 3\n```", "javascript": "```javascript\nconst assert = require('node:assert');"
                                                                 "\nassert.strictEqual(f(1), 3);\n```"},
    PRINT_ONLY,
], ids=["wrong-value", "stub-passes"])
def test_the_suite_a_stub_fails_and_most_candidates_pass_becomes_the_tests(tmp_path: Path, first: dict) -> None:
    out = tmp_path / "run"
    _run(_config(tmp_path, languages=["python"], instructions_per_language=2, adapt_fraction=0, test_suites=2),
         out, TwoSuites(first))
    tested = [t for t in _tasks(out) if t["tests"]]
    assert tested
    for t in tested:
        assert (t["tests"]["suites"], t["tests"]["chosen"], t["tests"]["code"]) == (2, 1, TESTS["python"][10:-3])
        assert t["tests"]["trusted"] and t["tests"]["passed"] == 2, t["tests"]
        # The wrong candidate was repaired against the chosen suite.
        assert [[a["status"] for a in c["attempts"]] for c in t["candidates"]] == [["passed"], ["failed", "passed"]]


class Unnamed(ScriptedBackend):
    """Writes tasks that never name the function the tests call."""

    def _answer(self, request: Request, k: int, language: str) -> str:
        if "programming task about" in request.messages[-1]["content"]:
            return (f"Write a function for task {next(self._n)} that takes an integer x and returns x plus one, "
                    "handling negative numbers in a careful and documented way.")
        return super()._answer(request, k, language)


def test_tests_calling_a_function_the_instruction_never_names_are_not_trusted(tmp_path: Path) -> None:
    out = tmp_path / "run"
    _run(_config(tmp_path, languages=["python"], instructions_per_language=2, adapt_fraction=0), out, Unnamed())
    tested = [t for t in _tasks(out) if t["tests"]]
    assert tested and all(t["candidates"][0]["attempts"][0]["status"] == "passed" for t in tested)
    for t in tested:
        assert not t["tests"]["trusted"] and not any(c["accepted"] for c in t["candidates"])
        assert t["tests"]["why_untrusted"] == "the tests call f, which the instruction never names"


class CopyingTests(ScriptedBackend):
    """Writes tests that define the task's function themselves before checking it."""

    def _answer(self, request: Request, k: int, language: str) -> str:
        if "Write tests for this task" in request.messages[-1]["content"]:
            return "```python\ndef f(x):\n    return x + 1\n\n\nassert f(1) == 2\nassert f(-1) == 0\n```"
        return super()._answer(request, k, language)


def test_the_test_writers_own_version_of_the_named_function_is_dropped_before_any_run(tmp_path: Path) -> None:
    out = tmp_path / "run"
    _run(_config(tmp_path, languages=["python"], instructions_per_language=1, adapt_fraction=0), out,
         CopyingTests())
    [task] = [t for t in _tasks(out) if t["tests"]]
    assert task["tests"]["code"].strip() == "assert f(1) == 2\nassert f(-1) == 0"
    assert task["tests"]["trusted"], task["tests"]


class OneValue(ScriptedBackend):
    """Writes tests whose every check expects the same value (seen on Qwen 0.5B: a computeSeason
    suite checking only invalid months, all "Invalid")."""

    def _answer(self, request: Request, k: int, language: str) -> str:
        if "Write tests for this task" in request.messages[-1]["content"]:
            return {"python": "```python\nassert f(1) == 2\nassert f(1.0) == 2\n```",
                    "javascript": "```javascript\nassert.strictEqual(f(1), 2);\nassert.strictEqual(f(1.0), 2);\n```"}[
                language]
        return super()._answer(request, k, language)


@pytest.mark.parametrize("language", ["python", "javascript"])
def test_tests_a_constant_solution_passes_are_not_trusted(tmp_path: Path, language: str) -> None:
    out = tmp_path / "run"
    _run(_config(tmp_path, languages=[language], instructions_per_language=1, adapt_fraction=0), out, OneValue())
    [task] = [t for t in _tasks(out) if t["tests"]]
    assert task["candidates"][0]["attempts"][0]["status"] == "passed" and task["tests"]["mutant"]["killed"]
    assert task["tests"]["mutants"] == {"constant": {"value": "2", "status": "passed", "checks": 2, "killed": False}}
    assert not task["tests"]["trusted"] and not any(c["accepted"] for c in task["candidates"])
    assert task["tests"]["why_untrusted"] == "the tests also pass a solution whose functions always return 2"


class EchoTests(ScriptedBackend):
    """Writes tests whose every expected value is the argument itself (seen on Qwen 0.5B: a
    parse_data task "removing the keys that are not in the dictionary", tested on dictionaries only;
    a `rect_complex(z)` that "returns z itself", answered with `return z`)."""

    def __init__(self, body: str) -> None:
        super().__init__()
        self.body = body

    def _answer(self, request: Request, k: int, language: str) -> str:
        if "Write tests for this task" in request.messages[-1]["content"]:
            return "```python\nassert f(2) == 2 + 1 - 1\nassert f(-4) == -4\n```"
        if "Solve this task" in request.messages[-1]["content"]:
            return f"```python\ndef f(x):\n    return {self.body}\n```"
        return super()._answer(request, k, language)


@pytest.mark.parametrize("body", ["x * 1", "x"])
def test_tests_the_identity_passes_are_not_trusted(tmp_path: Path, body: str) -> None:
    out = tmp_path / "run"
    _run(_config(tmp_path, languages=["python"], instructions_per_language=1, adapt_fraction=0), out, EchoTests(body))
    [task] = [t for t in _tasks(out) if t["tests"]]
    assert task["tests"]["mutants"]["constant"]["killed"], "expected values differ: the constant fails"
    assert task["tests"]["mutants"]["identity"] == {"status": "passed", "checks": 2, "killed": False}
    assert not task["tests"]["trusted"] and not any(c["accepted"] for c in task["candidates"])
    assert task["tests"]["why_untrusted"] == ("the tests also pass a solution whose functions return their first "
                                              "argument")


def test_names_the_tests_call_must_be_given_by_the_task_or_the_language() -> None:
    from coderforge.agents.pool import unnamed_in_task

    java = "public class Solution {\n    public static int twice(int x) { return 2 * x; }\n}\n"
    java_tests = "public class Main {\n    public static void main(String[] a) { assert Solution.twice(2) == 4; }\n}\n"
    # Java's class `Solution` is the solution writer's convention: a task need not name it.
    assert unnamed_in_task("Write a method `twice` that doubles x.", java, java_tests, "java") == []
    cpp = "int sortVector(int x) { return x; }\n"
    assert unnamed_in_task("Write a function that sorts.", cpp, "int main() { return sortVector(1); }\n",
                           "cpp") == ["sortVector"]
    assert unnamed_in_task("Write `sortVector(x)`.", cpp, "int main() { return sortVector(1); }\n", "cpp") == []


class MiscomputedTests(ScriptedBackend):
    """Writes tests with one wrong expected value (f(5) is 6) among right ones, as Qwen 0.5B does
    (`sum_of_squares([0, -1, -2, -3, -4, -5]) == 0`); `solutions`: what the candidates answer."""

    def __init__(self, tests: str, solutions: Sequence[str]) -> None:
        super().__init__()
        self.tests, self.solutions = tests, solutions

    def _answer(self, request: Request, k: int, language: str) -> str:
        user = request.messages[-1]["content"]
        if "Write tests for this task" in user:
            return f"```python\n{self.tests}```"
        if "Solve this task" in user or "fails the task's tests" in user:
            return f"```python\n{self.solutions[k % len(self.solutions)]}```"
        return super()._answer(request, k, language)


RIGHT = ["def f(x):\n    return x + 1\n", "def f(x):\n    return 1 + x\n"]


def _miscomputed(tmp_path: Path, tests: str, solutions: Sequence[str]) -> dict:
    out = tmp_path / "run"
    _run(_config(tmp_path, languages=["python"], instructions_per_language=1, adapt_fraction=0, test_suites=1),
         out, MiscomputedTests(tests, solutions))
    [task] = [t for t in _tasks(out) if t["tests"]]
    return task


def test_a_check_every_candidate_fails_alike_is_set_aside(tmp_path: Path) -> None:
    task = _miscomputed(tmp_path, "assert f(1) == 2\nassert f(2) == 3\nassert f(5) == 7\nassert f(-1) == 0\n", RIGHT)
    tests = task["tests"]
    assert tests["code"] == "assert f(1) == 2\nassert f(2) == 3\nassert f(-1) == 0\n"
    assert tests["set_aside"] == [{"check": "assert f(5) == 7", "report": "assert f(5) == 7: 6 == 7 is false",
                                   "agreeing": 2}]
    assert tests["trusted"] and tests["passed"] == 2 and tests["mutant"]["killed"], tests
    assert all(c["accepted"] and c["attempts"][0]["checks"] == 3 for c in task["candidates"])


def test_up_to_four_miscomputed_checks_go_when_as_many_are_left(tmp_path: Path) -> None:
    task = _miscomputed(tmp_path, "".join(f"assert f({x}) == {x + 1 + (x > 4)}\n" for x in range(1, 9)), RIGHT)
    tests = task["tests"]
    assert tests["code"] == "".join(f"assert f({x}) == {x + 1}\n" for x in range(1, 5))
    assert [a["check"] for a in tests["set_aside"]] == [f"assert f({x}) == {x + 2}" for x in range(5, 9)]
    assert tests["trusted"] and all(c["accepted"] for c in task["candidates"]), tests


@pytest.mark.parametrize(("tests", "solutions"), [
    # The candidates disagree on the disputed check's value: no agreement to outvote the test writer.
    ("assert f(1) == 2\nassert f(2) == 3\nassert f(5) == 7\n",
     [RIGHT[0], "def f(x):\n    return x + 1 if x < 5 else 0\n"]),
    # What would be left runs fewer than MIN_CHECKS_LEFT checks.
    ("assert f(1) == 2\nassert f(5) == 7\n", RIGHT),
    # A fifth wrong value: at most MAX_SET_ASIDE checks go.
    ("".join(f"assert f({x}) == {x + 1 + (x > 4)}\n" for x in (1, 2, 3, 5, 6, 7, 8, 9)), RIGHT),
    # Four wrong values, three right ones: no more checks may go than are left.
    ("".join(f"assert f({x}) == {x + 1 + (x > 4)}\n" for x in (1, 2, 3, 5, 6, 7, 8)), RIGHT),
    # The disputed check is the instruction's own example ("f(1) is 2"): the task is in doubt too.
    ("assert f(2) == 4\nassert f(3) == 5\nassert f(1) == 2\nassert f(4) == 6\n",
     ["def f(x):\n    return x + 2\n", "def f(x):\n    return 2 + x\n"]),
], ids=["disagreeing", "too-few-left", "too-many-wrong", "more-aside-than-left", "the-instructions-example"])
def test_no_check_is_set_aside_without_agreement_or_enough_checks_left(tmp_path: Path, tests: str,
                                                                       solutions: Sequence[str]) -> None:
    task = _miscomputed(tmp_path, tests, solutions)
    assert task["tests"]["code"] == tests and task["tests"]["set_aside"] == []
    assert not task["tests"]["trusted"] and not any(c["accepted"] for c in task["candidates"])


@pytest.mark.parametrize(("share", "trusted"), [(0.5, False), (0.25, True)])
def test_tests_most_candidates_fail_are_not_trusted(tmp_path: Path, share: float, trusted: bool) -> None:
    """Without repairs only candidate 0 of 4 passes the scripted tests: one of four is below half."""
    out = tmp_path / "run"
    _run(_config(tmp_path, languages=["python"], instructions_per_language=1, adapt_fraction=0, candidates=4,
                 repair_rounds=0, min_pass_share=share), out, ScriptedBackend())
    [task] = [t for t in _tasks(out) if t["tests"]]
    assert (task["tests"]["passed"], task["tests"]["candidates"], task["tests"]["trusted"]) == (1, 4, trusted)
    if not trusted:
        assert task["tests"]["why_untrusted"].startswith("only 1 of 4 candidates passed the shared tests "
                                                         "(generate.min_pass_share needs 2)")
        assert not any(c["accepted"] for c in task["candidates"])


class FlawedDraft(ScriptedBackend):
    """Drafts a Python task with a flaw that needs no reviewer to see; the revision may fix it or not."""

    def __init__(self, flaw: str, fix: str, *, fixes: bool) -> None:
        super().__init__()
        self.flaw, self.fix, self.fixes = flaw, fix, fixes

    def _answer(self, request: Request, k: int, language: str) -> str:
        user = request.messages[-1]["content"]
        if "programming task about" in user:
            return f"Write a function f that takes an integer x and returns x plus one, {self.flaw}. Example: f(1) is 2"
        if "A reviewer read" in user:
            task = re.search(r"<task>\n(.*)\n</task>", user, re.S).group(1)
            return task.replace(self.flaw, self.fix) if self.fixes else task
        return super()._answer(request, k, language)


#: A flaw, its fix, the event key that lists it, what the author is asked, and why a revision keeping it is dropped.
FLAWS = {
    "foreign": ("or `undefined` when x is not an integer", "or `None` when x is not an integer", "foreign_terms",
                ["undefined"], "It uses `undefined`, which is not Python",
                "the revised task still uses another language's undefined"),
    "restriction": ("without using any built-in functions", "for any integer x", "restrictions",
                    ["without using any built-in functions"],
                    'It restricts how to solve it ("without using any built-in functions")',
                    "the revised task still restricts how to solve it: without using any built-in functions"),
    "printing": ("and then prints the result", "for any integer x", "prints", ["prints the result"],
                 'It asks the function to print ("prints the result")',
                 "the revised task still asks the function to print: prints the result"),
}


@pytest.mark.parametrize("fixes", [True, False])
@pytest.mark.parametrize("flaw", sorted(FLAWS))
def test_a_flaw_seen_without_the_reviewer_is_revised_away(tmp_path: Path, flaw: str, fixes: bool) -> None:
    text, fix, key, found, ask, still = FLAWS[flaw]
    out = tmp_path / "run"
    backend = FlawedDraft(text, fix, fixes=fixes)
    _run(_config(tmp_path, languages=["python"], instructions_per_language=1, adapt_fraction=0, draft_attempts=1),
         out, backend)
    [task] = _tasks(out)
    assert task["instruction"][key] == found and task["instruction"]["revised"]
    assert any(ask in p for p in backend.prompts if "A reviewer read" in p)
    if fixes:
        assert fix in task["instruction"]["text"] and task["rejection"] is None
    else:
        assert task["rejection"] == {"stage": "instruction", "reason": still}
        assert not task["candidates"]


class TableTests(ScriptedBackend):
    """Writes JavaScript tests that list their cases in a table and stop there."""

    def _answer(self, request: Request, k: int, language: str) -> str:
        user = request.messages[-1]["content"]
        if "programming task about" in user:
            return "Write a function `f(x)` that takes an integer x and returns x plus one. `f(1)` returns `2`."
        if "Write tests for this task" in user:
            return "```javascript\nconst cases = [\n  { input: 1, expected: 2 },\n  { input: -1, expected: 0 },\n];```"
        return super()._answer(request, k, language)


def test_a_table_of_cases_no_check_reads_becomes_the_checks(tmp_path: Path) -> None:
    out = tmp_path / "run"
    _run(_config(tmp_path, languages=["javascript"], instructions_per_language=1, adapt_fraction=0), out,
         TableTests())
    [task] = _tasks(out)
    assert task["tests"]["code"].endswith("assert.deepStrictEqual(f(1), 2);\nassert.deepStrictEqual(f(-1), 0);\n")
    assert task["tests"]["trusted"] and task["candidates"][0]["attempts"][0]["checks"] == 2


@pytest.mark.parametrize(("solutions", "trusted"), [
    (RIGHT, True),
    # Both pass f(1), f(2), f(4); they part at f(5), a call the tests never make.
    ([RIGHT[0], "def f(x):\n    return x + 1 if x < 5 else 0\n"], False),
], ids=["agreeing", "parting"])
def test_answers_that_pass_alike_but_part_on_other_inputs_untrust_the_tests(tmp_path: Path, solutions: Sequence[str],
                                                                            trusted: bool) -> None:
    tests = "assert f(1) == 2\nassert f(2) == 3\nassert f(4) == 5\n"
    task = _miscomputed(tmp_path, tests, solutions)
    probed = task["tests"]["probes"]
    assert (probed["calls"], probed["answers"]) == (3, len(task["candidates"])), probed  # f(3), f(5), f(6)
    assert task["tests"]["trusted"] is trusted and all(c["accepted"] is trusted for c in task["candidates"])
    funnel = json.loads((tmp_path / "run" / "funnel.json").read_text())["languages"]["python"]
    assert funnel["answers_disagreed"] == (not trusted)
    if not trusted:
        assert probed["disagreement"] == {"call": "f(5)", "results": ["6", "0"]}
        assert task["tests"]["why_untrusted"].startswith("answers that pass the tests disagree on f(5): 6 vs 0")
