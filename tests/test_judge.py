"""The checklist judge: checklists as data, answer validation, bounded retries and judge_error
(with a scripted backend), `coderforge judge` with resume, and end to end on the bundled model."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence

import pytest
from coderforge.checklists.checklist import Checklist, ChecklistError, Criterion, builtin_names, load_checklist
from coderforge.checklists.config import JudgeConfig
from coderforge.checklists.judge import Judge, parse_answer
from typer.testing import CliRunner

from coderforge.cli import app
from coderforge.io import read_jsonl
from coderforge.llm import Backend, Completion, Request, Response

SAMPLE = {"id": "s1", "language": "python", "instruction": "Return the sum of a list.",
          "solution": "def total(xs):\n    return sum(xs)\n", "tests": "assert total([1, 2]) == 3"}
NINE = ["consistency", "relevance", "difficulty", "code_existence", "code_correctness", "code_clarity",
        "code_comments", "educational_value", "best_practice"]


class ScriptedBackend(Backend):
    """Answers each request with the next scripted text (orchestration tests only)."""

    model = "scripted"

    def __init__(self, answers: Sequence[str]) -> None:
        self.answers = list(answers)
        self.requests: list[Request] = []

    async def generate(self, requests: Sequence[Request]) -> list[Response]:
        self.requests += requests
        return [Response((Completion(self.answers.pop(0), "stop", 10),), 100, 0.01, self.model) for _ in requests]


def answer(scores: dict[str, int]) -> str:
    return json.dumps({cid: {"score": s, "reason": f"{cid} looks like {s}"} for cid, s in scores.items()})


def judge_one(answers: Sequence[str], *, config: JudgeConfig | None = None, record: dict = SAMPLE):
    backend = ScriptedBackend(answers)
    (result,) = asyncio.run(Judge(backend, config=config).judge([dict(record)]))
    return result, backend


def test_builtin_checklists_are_data() -> None:
    assert set(builtin_names()) == {"instruction", "fim", "debugging"}
    instruction = load_checklist("instruction")
    assert [c.id for c in instruction.criteria] == NINE
    assert all(c.description and (c.low, c.high) == (1, 10) and c.weight > 0 for c in instruction.criteria)
    schema = instruction.answer_schema()
    assert schema["required"] == NINE and schema["additionalProperties"] is False
    assert schema["properties"]["code_correctness"]["properties"]["score"] == {"type": "integer", "minimum": 1,
                                                                              "maximum": 10}
    assert instruction.weighted_total(dict.fromkeys(NINE, 7)) == 7.0


def test_user_checklist_file_and_its_errors(tmp_path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("name: mine\nsubject: a snippet\ncriteria:\n  - id: code_correctness\n    weight: 3\n"
                    "  - {id: speed, title: Speed, description: Runs fast., scale: [0, 4]}\n")
    mine = load_checklist(str(path))
    assert [(c.id, c.weight, c.low, c.high) for c in mine.criteria] == [("code_correctness", 3, 1, 10),
                                                                         ("speed", 1, 0, 4)]
    assert mine.weighted_total({"code_correctness": 10, "speed": 0}) == pytest.approx((3 * 10 + 1) / 4, abs=1e-3)
    roundtrip = tmp_path / "again.yaml"
    roundtrip.write_text(mine.to_yaml())
    assert load_checklist(str(roundtrip)).criteria == mine.criteria
    path.write_text("criteria:\n  - id: novel\n")
    with pytest.raises(ChecklistError, match="not built in, so it needs a title"):
        load_checklist(str(path))
    with pytest.raises(ChecklistError, match="not a built-in one"):
        load_checklist("nonexistent")


def test_valid_answer_is_scored_and_weighted() -> None:
    scores = dict.fromkeys(NINE, 8) | {"difficulty": 3}
    result, backend = judge_one(["Sure! ```json\n" + answer(scores) + "\n```"])
    assert result.error is None and result.attempts == 1 and result.scores == scores
    assert result.total == load_checklist("instruction").weighted_total(scores) and result.passed
    request = backend.requests[0]
    assert request.json_schema == load_checklist("instruction").answer_schema()
    assert request.sampling.temperature == 0.0
    assert "Return the sum of a list." in request.messages[-1]["content"]
    assert all(cid in request.messages[-1]["content"] for cid in NINE)


def test_invalid_answer_is_retried_with_the_error() -> None:
    good = answer(dict.fromkeys(NINE, 6))
    bad = answer(dict.fromkeys(NINE, 6) | {"code_correctness": 11})
    result, backend = judge_one([bad, good])
    assert result.attempts == 2 and result.error is None
    retry = backend.requests[1]
    assert retry.sampling.temperature == JudgeConfig().retry_temperature
    assert retry.messages[-2] == {"role": "assistant", "content": bad}
    assert "code_correctness.score: 11 is greater than the maximum of 10" in retry.messages[-1]["content"]


def test_judge_error_after_bounded_retries_never_a_score() -> None:
    config = JudgeConfig(max_attempts=3)
    result, backend = judge_one(["not json", '{"consistency": {"score": 5}}', "{"], config=config)
    assert len(backend.requests) == 3 and result.attempts == 3
    assert result.error and "malformed" in result.error and result.total is None and not result.passed
    record = result.apply(dict(SAMPLE))
    (verdict,) = record["verdicts"]
    assert verdict["stage"] == "judge" and verdict["passed"] is False and verdict["error"] == "judge_error"
    assert verdict["reason"].startswith("judge_error: no valid answer in 3 attempt(s)")
    assert "scores" not in verdict and "total" not in verdict


def test_thresholds_come_from_config() -> None:
    scores = dict.fromkeys(NINE, 9) | {"code_correctness": 4}
    strict, _ = judge_one([answer(scores)])
    assert strict.total >= 6 and not strict.passed  # code_correctness is under its floor of 5
    assert "lowest code_correctness=4" in strict.verdict_reason()
    lenient, _ = judge_one([answer(scores)], config=JudgeConfig(min_scores={}))
    assert lenient.passed


def test_checklist_follows_the_record_task() -> None:
    fim = ["consistency", "code_existence", "code_correctness", "code_clarity", "best_practice"]
    result, backend = judge_one([answer(dict.fromkeys(fim, 7))], record=SAMPLE | {"task": "fim"})
    assert result.checklist == "fim" and result.error is None
    assert backend.requests[0].json_schema["required"] == fim


def test_parse_answer_finds_the_object() -> None:
    assert parse_answer('Here: {"a": {"b": 1}} trailing {') == {"a": {"b": 1}}
    with pytest.raises(ValueError, match="no JSON object"):
        parse_answer("no braces")


def _run_cli(monkeypatch, tmp_path, answers: list[str]):
    backend = ScriptedBackend(answers)
    monkeypatch.setattr("coderforge.llm.make_backend", lambda config: backend)
    (tmp_path / "cfg.yaml").write_text("filters:\n  judge:\n    batch_size: 2\n")
    return CliRunner().invoke(app, ["judge", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out.jsonl"),
                                    "-c", str(tmp_path / "cfg.yaml")]), backend


def test_cli_appends_and_resumes(monkeypatch, tmp_path) -> None:
    records = [SAMPLE | {"id": f"s{i}"} for i in range(5)]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    # A killed earlier run left two judged records and a torn third line.
    done = [dict(r, verdicts=[{"stage": "judge", "passed": True, "reason": "earlier"}]) for r in records[:2]]
    (tmp_path / "out.jsonl").write_text("".join(json.dumps(r) + "\n" for r in done) + '{"id": "s2", "verd')
    result, backend = _run_cli(monkeypatch, tmp_path, [answer(dict.fromkeys(NINE, 7))] * 2 + ["nope"] * 3)
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())  # rich wraps long lines
    assert "resuming: 2" in output and "2 passed, 0 failed, 1 judge_error" in output
    assert len(backend.requests) == 5  # s2, s3 valid at once; s4 three tries
    out = list(read_jsonl(tmp_path / "out.jsonl"))
    assert [r["id"] for r in out] == [f"s{i}" for i in range(5)]
    assert out[4]["verdicts"][-1]["error"] == "judge_error"


def test_cli_rejects_a_bad_checklist(tmp_path) -> None:
    (tmp_path / "in.jsonl").write_text(json.dumps(SAMPLE) + "\n")
    result = CliRunner().invoke(app, ["judge", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "o.jsonl"),
                                      "--checklist", "nope"])
    assert result.exit_code == 1 and "no checklist 'nope'" in result.output
    assert not (tmp_path / "o.jsonl").exists()


@pytest.mark.slow
def test_judge_end_to_end_on_the_bundled_model(bundled_model, tmp_path) -> None:
    """Real inference: every sample comes back schema-valid or judge_error, never silently scored.
    A two-criterion checklist keeps the answers short on CPU."""
    checklist = tmp_path / "short.yaml"
    checklist.write_text("name: short\nsubject: a task and its code\ncriteria:\n"
                         "  - {id: code_correctness, weight: 2}\n  - {id: code_clarity, weight: 1}\n")
    bad = SAMPLE | {"id": "bad", "solution": "def total(xs):\n    return 0\n"}
    (tmp_path / "in.jsonl").write_text(json.dumps(SAMPLE) + "\n" + json.dumps(bad) + "\n")
    (tmp_path / "cfg.yaml").write_text(f"backend:\n  model: {bundled_model}\nfilters:\n  judge:\n    max_tokens: 160\n"
                                       "    max_attempts: 2\n")
    result = CliRunner().invoke(app, ["judge", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out.jsonl"),
                                      "--checklist", str(checklist), "-c", str(tmp_path / "cfg.yaml")])
    assert result.exit_code == 0, result.output
    schema = load_checklist(str(checklist)).answer_schema()
    for record in read_jsonl(tmp_path / "out.jsonl"):
        (verdict,) = record["verdicts"]
        assert verdict["stage"] == "judge" and verdict["checklist"] == "short"
        if verdict.get("error"):
            assert verdict["error"] == "judge_error" and not verdict["passed"] and "total" not in verdict
        else:
            import jsonschema

            jsonschema.validate({c: {"score": verdict["scores"][c], "reason": verdict["reasons"][c]}
                                 for c in verdict["scores"]}, schema)
            assert verdict["total"] == load_checklist(str(checklist)).weighted_total(verdict["scores"])


def test_reason_must_be_one_short_line() -> None:
    scores = dict.fromkeys(NINE, 6)
    two_lines = json.loads(answer(scores))
    two_lines["relevance"]["reason"] = "first line\nsecond line"
    too_long = json.loads(answer(scores))
    too_long["relevance"]["reason"] = "x" * 121
    result, backend = judge_one([json.dumps(two_lines), json.dumps(too_long), answer(scores)])
    assert result.attempts == 3 and result.error is None
    assert "relevance.reason" in backend.requests[1].messages[-1]["content"]


def test_the_judge_prompt_is_rendered_as_before() -> None:
    """prompts/judge.yaml renders byte for byte what the inline prompt said (parts without text left out)."""
    clarity = Criterion("clarity", "Clarity", "Easy to read.", 1.0, 0, 5)
    checklist = Checklist("tiny", "a task and its answer", (clarity,))
    record = {"instruction": "Add two numbers.", "solution": "def add(a, b):\n    return a + b\n", "tests": " "}
    system, user = Judge(ScriptedBackend([]))._prompt(record, checklist)
    assert system == {"role": "system", "content": "You review training data for code language models. Score the "
                      "sample on each criterion, honestly and strictly, and answer with one JSON object only."}
    assert user == {"role": "user", "content": (
        "The sample is a task and its answer.\n\n### Task\nAdd two numbers.\n\n### Answer\ndef add(a, b):\n"
        "    return a + b\n\n\nScore it on every criterion (the range follows each name; higher is better):\n"
        "- clarity (Clarity, 0-5): Easy to read.\n\nAnswer with one JSON object with a key per criterion; each "
        'value is an object with an integer "score" and a one-line "reason" that cites the sample.')}
    _, backend = judge_one(["no json", answer(dict.fromkeys(NINE, 7))])
    assert backend.requests[1].messages[-1] == {
        "role": "user", "content": "That answer is invalid: the answer holds no JSON object. Reply with the "
                                   "corrected JSON object only."}
