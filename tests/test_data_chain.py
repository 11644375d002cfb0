"""The product end to end on the default model: `coderforge generate` with Qwen2.5-Coder-0.5B-Instruct
(vLLM's CPU build) writes a run folder (Python and JavaScript pools); its data is read back the way a
reviewer would (accepted solutions pass their shared tests again, a stub fails them, no instruction
holds its solution, DPO pairs disagree on those tests); then `coderforge train sft --stage coarse`,
`--stage fine` and `coderforge train dpo` train on that very folder. What one command writes, the next one reads."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml
from coderforge.agents.answers import solution_inside
from coderforge.sandbox import Sandbox, harness
from coderforge.sandbox.config import SandboxConfig
from shared_data import PACKAGED_DECONTAM
from typer.testing import CliRunner

from coderforge.cli import app
from coderforge.code.blocks import extract_code_blocks
from coderforge.io import read_jsonl
from coderforge.outputs import validate_record

pytestmark = [pytest.mark.slow, pytest.mark.vllm]

#: The pools, and each one's extension in the run's files.
LANGUAGES = ("python", "javascript")

GENERATE = {
    "backend": {"kind": "vllm", "model": "qwen2.5-coder-0.5b-instruct",
                "vllm": {"enforce_eager": True, "max_model_len": 4096, "cpu_kv_cache_gb": 2}},
    "generate": {"languages": list(LANGUAGES), "instructions_per_language": 12, "seeds_per_language": 8,
                 "candidates": 4, "repair_rounds": 0, "tasks_in_flight": 12,
                 "roles": {"instruction": {"max_tokens": 256}, "tests": {"max_tokens": 384},
                           "solution": {"max_tokens": 384}}},
    "code": {"seeds": {"max_tokens": 200}},
    "filters": {"stages": ["parse", "dedup", "decontam", "sandbox"], "decontam": PACKAGED_DECONTAM},
}


def _train_config(run: Path) -> dict:
    quick = {"max_steps": 3, "per_device_train_batch_size": 2, "learning_rate": 1.0e-5, "logging_steps": 1,
             "warmup_steps": 0, "max_length": 512}
    return {"train": {"data_dir": str(run), "seed": 0,
                      "sft": {"coarse": {"files": ["sft/*.jsonl"], "run": quick},
                              "fine": {"files": ["sft/fine/*.jsonl"], "run": quick}},
                      "dpo": {"run": {**quick, "beta": 0.1}}}}


#: Budgets the run is resumed with until it holds a DPO pair (a 0.5B model's tests are often wrong, so
#: a small budget may verify only instructions whose candidates all passed: seen on Python alone, 2 of 36).
#: Small steps: a resume only runs the slots it adds, and a CPU without AVX-512 (float32 weights)
#: writes a task several times slower than one with it.
BUDGETS = (8, 16, 24)


def _funnel(run: Path) -> dict[str, dict[str, int]]:
    return json.loads((run / "funnel.json").read_text())["languages"]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("data-chain")
    out = root / "run"
    entry = str(Path(sys.executable).with_name("coderforge"))
    for budget in BUDGETS:  # each pass resumes the same run folder with a larger budget
        config = root / "generate.yaml"
        config.write_text(yaml.safe_dump({**GENERATE, "generate": {**GENERATE["generate"],
                                                                   "instructions_per_language": budget}}))
        done = subprocess.run([entry, "generate", "--config", str(config), "--out", str(out)], capture_output=True,
                              text=True, timeout=2400, env={**os.environ, "COLUMNS": "200"})
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        if any(counts["dpo_pairs"] for counts in _funnel(out).values()):
            break
    return out


def _code(message: str) -> str:
    (block,) = extract_code_blocks(message)
    return block.code


def test_outputs_validate_and_load(run: Path) -> None:
    import datasets

    funnel = _funnel(run)
    assert any(r["executed"] for language in LANGUAGES for r in _records(run, "sft", language)), funnel
    for path in sorted(p for p in run.rglob("*.jsonl") if p.name != "events.jsonl"):
        kind = "rejected" if path.name == "rejected.jsonl" else path.relative_to(run).parts[0]
        records = list(read_jsonl(path))
        for record in records:
            validate_record(kind, record)
        assert datasets.load_dataset("json", data_files=str(path), split="train").num_rows == len(records)


def _records(run: Path, folder: str, language: str) -> list[dict]:
    path = run / folder / f"{language}.jsonl"
    return list(read_jsonl(path)) if path.is_file() else []


@pytest.mark.parametrize("language", LANGUAGES)
def test_accepted_samples_are_sound(run: Path, language: str) -> None:
    sft = [r for r in _records(run, "sft", language) if r["executed"]]
    solutions = [_code(r["messages"][1]["content"]) for r in sft]
    for record, solution in zip(sft, solutions, strict=True):
        assert solution_inside(record["messages"][0]["content"], language) is None
        # The stored tests are those that ran: no copy of the solution's functions of their own.
        assert harness.without_solution_copies(record["tests"], solution, language) == record["tests"]

    async def check() -> None:
        with Sandbox(SandboxConfig()) as sandbox:
            for record, solution in zip(sft, solutions, strict=True):
                again = await harness.run_tests(sandbox, record["id"], language, solution=solution,
                                                tests=record["tests"])
                assert again.status == "passed" and again.checks >= 1, (record["id"], again)
                stub = harness.stub_solution(language, solution)
                killed = await harness.run_tests(sandbox, f"{record['id']}-stub", language, solution=stub,
                                                 tests=record["tests"])
                assert killed.status != "passed", f"{record['id']}: the tests pass a stub"
                values = harness.expected_values(record["tests"], language)
                value = Counter(values).most_common(1)[0][0] if values else None
                mutants = {"identity": harness.identity_solution(language, solution),
                           "constant": harness.constant_solution(language, solution, value) if value else None}
                for kind, mutant in mutants.items():
                    if mutant is not None and mutant != solution:
                        outcome = await harness.run_tests(sandbox, f"{record['id']}-{kind}", language,
                                                          solution=mutant, tests=record["tests"])
                        killed_by[record["instruction_id"], kind].append(outcome.status != "passed")

    # The pipeline trusts an instruction's tests when the mutants of one passing answer fail them (an
    # answer whose tested function is not a `def` has mutants that leave it as it is): so, again, here.
    killed_by: dict[tuple[str, str], list[bool]] = defaultdict(list)
    asyncio.run(check())
    assert all(any(killed) for killed in killed_by.values()), dict(killed_by)


@pytest.mark.parametrize("language", LANGUAGES)
def test_dpo_pairs_disagree_on_the_shared_tests(run: Path, language: str) -> None:
    tests = {r["instruction_id"]: r["tests"] for r in _records(run, "sft", language) if r["executed"]}

    async def check() -> None:
        with Sandbox(SandboxConfig()) as sandbox:
            for pair in _records(run, "dpo", language):
                shared = tests[pair["instruction_id"]]
                chosen = await harness.run_tests(sandbox, pair["id"] + "-c", language,
                                                 solution=_code(pair["chosen"][0]["content"]), tests=shared)
                rejected = await harness.run_tests(sandbox, pair["id"] + "-r", language,
                                                   solution=_code(pair["rejected"][0]["content"]), tests=shared)
                assert chosen.status == "passed"
                assert rejected.status != "passed" or pair["rejected_verdict"]["status"] == "passed"

    asyncio.run(check())


def test_the_trainer_trains_on_the_generated_folder(run: Path, tmp_path: Path, bundled_model: Path) -> None:
    config = tmp_path / "train.yaml"
    config.write_text(yaml.safe_dump(_train_config(run)))
    runner = CliRunner()

    def train(command: str, stage: str | None, init: str) -> tuple[Path, object]:
        out = tmp_path / (stage or command)
        args = ["train", command, "--init", init, "--out", str(out), "--config", str(config)]
        return out, runner.invoke(app, [*args, "--stage", stage] if stage else args)

    for stage, init in (("coarse", "bundled"), ("fine", str(tmp_path / "coarse"))):
        out, result = train("sft", stage, init)
        assert result.exit_code == 0, result.output[-3000:]
        assert (out / "config.json").is_file() and (out / "trainer_state.json").is_file(), result.output[-2000:]
    out, result = train("dpo", None, str(tmp_path / "fine"))
    if any((run / "dpo" / f"{language}.jsonl").is_file() for language in LANGUAGES):
        assert result.exit_code == 0, result.output[-3000:]
        assert (out / "trainer_state.json").is_file()
    else:  # the run verified only instructions whose candidates all passed: no pair, and DPO says so
        assert result.exit_code != 0 and "no files match" in result.output, result.output[-2000:]
