"""Orchestration of the language pools with a scripted backend (orchestration logic only; the real
model runs in test_generate.py): concurrency, best-of-n, repair rounds fed with the sandbox error,
adaptation across pools, resumption, outputs and their schemas. Programs run in the real sandbox."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from coderforge.agents.checks import Checks
from typer.testing import CliRunner

from coderforge.cli import app
from coderforge.config import Config, validate_data
from coderforge.llm import Backend, Completion, Request, Response
from coderforge.outputs import validate_record
from coderforge.pipeline import Generation, RunMismatchError
from coderforge.records import read_jsonl

TOPICS = ["vowels", "primes", "palindromes", "fibonacci", "anagrams", "matrices", "intervals", "bracket balance",
          "run length encoding", "roman numerals", "binary search", "word frequencies"]

PASSING = {
    "python": "```python\ndef f(x):\n    return x + 1\n\nif __name__ == '__main__':\n    assert f(1) == 2\n```",
    "javascript": "```javascript\nconst assert = require('node:assert');\nfunction f(x) { return x + 1; }\n"
                  "assert.strictEqual(f(1), 2);\n```",
}
FAILING = {
    "python": "```python\ndef f(x):\n    return x\n\nif __name__ == '__main__':\n"
              "    assert f(1) == 2, 'f(1) should be 2'\n```",
    "javascript": "```javascript\nconst assert = require('node:assert');\nfunction f(x) { return x; }\n"
                  "assert.strictEqual(f(1), 2);\n```",
}


class ScriptedBackend(Backend):
    """Answers each role's prompt with a canned answer: candidate 0 passes its tests, candidate 1
    fails them, repairs fix them. Records concurrency and the prompts it saw."""

    model = "scripted"

    def __init__(self) -> None:
        self.prompts: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.languages_in_flight: set[str] = set()
        self.overlapping_languages = False
        self._topics = itertools.cycle(TOPICS)
        self._n = itertools.count()

    def _answer(self, request: Request, k: int) -> str:
        user = request.messages[-1]["content"]
        language = "javascript" if ("JavaScript" in request.messages[0]["content"]
                                    or "in JavaScript" in user or "for JavaScript" in user) else "python"
        if "programming concepts" in user:
            return "1. string handling\n2. loops\n3. arithmetic"
        if "programming task about" in user:
            topic = next(self._topics)
            return (f"Task: Write a function f that works on {topic} number {next(self._n)}: it takes an integer x "
                    f"and returns x plus one, handling {topic} in a careful and documented way. Example: f(1) is 2.")
        if "Rewrite the task" in user:
            return ("Task: Write a function f in this language that takes an integer x and returns x plus one. "
                    "Example: f(1) returns 2.\n\n" + PASSING[language])
        if "fails (" in user:
            assert "should be 2" in user or "AssertionError" in user, "the repair prompt quotes the sandbox error"
            return "Fixed:\n" + PASSING[language]
        return (PASSING if k == 0 else FAILING)[language]

    async def generate(self, requests: Sequence[Request]) -> list[Response]:
        (request,) = requests
        system = request.messages[0]["content"]
        language = "javascript" if "JavaScript" in system else "python"
        self.prompts.append(request.messages[-1]["content"])
        self.in_flight += 1
        self.languages_in_flight.add(language)
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.01)
            if len({*self.languages_in_flight}) > 1:
                self.overlapping_languages = True
            texts = [self._answer(request, k) for k in range(request.sampling.n)]
        finally:
            self.in_flight -= 1
            self.languages_in_flight.discard(language)
        return [Response(tuple(Completion(t, "stop", len(t.split())) for t in texts), 10, 0.01, self.model)]


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
    data = {"generate": {"languages": ["python", "javascript"], "instructions_per_language": 4, "candidates": 2,
                         "repair_rounds": 1, "adapt_fraction": 0.25, "tasks_in_flight": 3,
                         "corpus": {"python": [str(corpus / "util.py")], "javascript": [str(corpus / "util.js")]},
                         "roles": {"solution": {"concurrency": 2}}, **generate}}
    return validate_data(data)


def _checks(config: Config) -> Checks:
    from coderforge.sandbox import Sandbox

    return Checks(sandbox=Sandbox(config.sandbox))


def _run(config: Config, out: Path, backend: ScriptedBackend) -> dict:
    backends = dict.fromkeys(type(config.generate.roles).model_fields, backend)
    return asyncio.run(Generation(config, out, backends=backends, checks=_checks(config)).run())


@pytest.fixture
def run(tmp_path: Path) -> tuple[Config, Path, ScriptedBackend, dict]:
    config = _config(tmp_path)
    backend = ScriptedBackend()
    out = tmp_path / "run"
    return config, out, backend, _run(config, out, backend)


def test_pools_run_concurrently_within_role_limits(run: tuple) -> None:
    _, _, backend, _ = run
    assert backend.overlapping_languages, "the two pools had requests in flight at the same time"
    assert backend.max_in_flight > 1


def test_best_of_n_repair_and_dpo(run: tuple) -> None:
    _, out, backend, funnel = run
    events = list(read_jsonl(out / "events.jsonl"))
    tasks = [e for e in events if e["event"] == "task"]
    assert sorted(Counter(t["language"] for t in tasks).values()) == [4, 4]
    assert all(len(t["candidates"]) == 2 for t in tasks if not t["rejection"])
    repaired = [c for t in tasks for c in t["candidates"] if c.get("repairs")]
    assert repaired, "failing candidates went through a repair round"
    for c in repaired:
        assert [a["status"] for a in c["attempts"]] == ["failed", "passed"]
        assert c["accepted"]
    assert any("fails (failed)" in p for p in backend.prompts)
    for language in ("python", "javascript"):
        counts = funnel["languages"][language]
        assert counts["tasks"] == 4 and counts["candidates"] == counts["programs"]
        sft = list(read_jsonl(out / "sft" / f"{language}.jsonl"))
        fine = list(read_jsonl(out / "sft" / "fine" / f"{language}.jsonl"))
        assert sft and len(fine) <= len({r["instruction_id"] for r in sft})
        for record in sft:
            validate_record("sft", record)
            assert record["messages"][0]["role"] == "user" and record["messages"][1]["content"].startswith("```")


def test_adaptation_crosses_pools(run: tuple) -> None:
    _, out, _, _ = run
    tasks = [e for e in read_jsonl(out / "events.jsonl") if e["event"] == "task"]
    adapted = [t for t in tasks if t["kind"] == "adapt"]
    assert adapted, "each pool spends part of its budget adapting items verified in the other language"
    for t in adapted:
        source_language = t["adapted_from"].split("-")[0]
        assert source_language != t["language"]
    stats = json.loads(CliRunner().invoke(app, ["graph", "stats", str(out), "--json"]).output)
    assert stats["nodes"]["instruction"] == 8 and stats["languages"]["python"]["verified_solutions"] >= 1


def test_outputs_validate_and_reject_with_reasons(run: tuple) -> None:
    _, out, _, funnel = run
    rejected = list(read_jsonl(out / "rejected.jsonl"))
    for record in rejected:
        validate_record("rejected", record)
    for kind in ("dpo", "fim"):
        for path in (out / kind).glob("*.jsonl"):
            for record in read_jsonl(path):
                validate_record(kind, record)
    assert (out / "README.md").read_text().count("| tests_pass |") == 1
    assert (out / "plots" / "funnel.png").stat().st_size > 1000
    assert set(funnel["languages"]) == {"python", "javascript"}


def test_resume_extends_without_duplicates_and_refuses_other_configs(tmp_path: Path) -> None:
    out = tmp_path / "run"
    backend = ScriptedBackend()
    _run(_config(tmp_path, instructions_per_language=2), out, backend)
    first = list(read_jsonl(out / "events.jsonl"))
    # A torn last line (a kill mid-write) is dropped on resume.
    with (out / "events.jsonl").open("a") as f:
        f.write('{"event": "task", "id": "task:python-0')
    funnel = _run(_config(tmp_path, instructions_per_language=4), out, backend)
    events = list(read_jsonl(out / "events.jsonl"))
    assert events[: len(first)] == first
    ids = [e["id"] for e in events]
    assert len(ids) == len(set(ids))
    assert funnel["languages"]["python"]["tasks"] == 4
    sft_ids = [r["id"] for r in read_jsonl(out / "sft" / "python.jsonl")]
    assert len(sft_ids) == len(set(sft_ids))
    with pytest.raises(RunMismatchError, match="candidates"):
        _run(_config(tmp_path, instructions_per_language=4, candidates=3), out, backend)


def test_a_pool_fills_only_the_slots_it_is_given(tmp_path: Path) -> None:
    """An executor's shard: a pool given slots 1 and 3 of 4, with slot 1 already logged, writes slot 3 only."""
    from coderforge.agents.graph import MemoryGraph
    from coderforge.agents.pool import LanguagePool, apply_event
    from coderforge.agents.roles import Agents

    from coderforge.pipeline import load_seeds

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
        agents = Agents(config.generate.roles, dict.fromkeys(type(config.generate.roles).model_fields, backend))
        pool = LanguagePool("python", config=config.generate, agents=agents, checks=_checks(config), graph=graph,
                            seeds=seeds, record=record, done_events=done, slots=[1, 3])
        assert pool.remaining_slots() == [3]
        await pool.extract_concepts()
        await pool.run_tasks()

    asyncio.run(main())
    assert [e["slot"] for e in logged if e["event"] == "task"] == [3]
    assert [e["id"] for e in logged if e["event"] == "task"] == ["task:python-00003"]
