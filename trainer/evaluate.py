"""`coderforge eval`: pass@k of HumanEval (Python), HumanEval-X (C++, Java, JavaScript, Go) and MBPP
with completions run in the sandbox; single-line and multi-line FIM (exact match, edit similarity)
on held-out files; held-out loss. One JSON report with a per-language table, and evalplus-style
samples files.

Generation goes through the LLM backend seam (`make_backend`), so the same evaluation runs on the
transformers backend on CPU or vLLM on a GPU node.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coderforge.trainer.config import EvalConfig, TrainerSettings
from coderforge.trainer.corpus import SourceFile
from coderforge.trainer.problems import Problem

from coderforge.code.special_tokens import ENDOFTEXT, FIM_MIDDLE, IM_END
from coderforge.errors import CoderforgeError
from coderforge.io import atomic_write_json, write_jsonl
from coderforge.llm import Request, Response, SamplingParams, make_backend
from coderforge.llm.config import BackendConfig

log = logging.getLogger(__name__)



def load_problems(ecfg: EvalConfig) -> list[Problem]:
    """The configured benchmarks' problems, the first `limit` of each benchmark and language."""
    from coderforge.trainer.problems import humaneval_python, humaneval_x, mbpp

    sets = []
    if "python" in ecfg.languages:
        sets.append(humaneval_python(ecfg.humaneval))
    others = [lang for lang in ecfg.languages if lang != "python"]
    if others and not ecfg.humaneval_x:
        raise CoderforgeError(f"train.eval.languages has {', '.join(others)}: set train.eval.humaneval_x to the "
                              "folder of humaneval_<language>.jsonl.gz files")
    sets += [humaneval_x(ecfg.humaneval_x, lang) for lang in others]
    if ecfg.mbpp:
        sets.append(mbpp(ecfg.mbpp))
    return [p for problems in sets for p in problems[:ecfg.limit]]


def is_chat_model(model: Path) -> bool:
    """Instruction-tuned checkpoints end turns with <|im_end|> (our SFT sets it as the EOS token)."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model))
    return bool(tok.chat_template) and tok.eos_token == IM_END


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k (Chen et al., 2021): 1 - C(n-c, k) / C(n, k)."""
    if n - c < k:
        return 1.0
    return 1.0 - math.prod(1.0 - k / i for i in range(n - c + 1, n + 1))


def score_problems(problems: list[Problem], completions: list[list[str]], *, chat: bool, sandbox_config: Any,
                   ks: Sequence[int]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run every completion with its tests in the sandbox: one table row per benchmark and language
    (pass@k over its problems), and one row per sample (evalplus's `task_id`/`solution`, the status)."""
    from coderforge.sandbox import Program, Sandbox, Status
    from coderforge.trainer.problems import program_code, solution

    programs = [Program(f"{p.benchmark}:{p.task_id}#{i}", p.language, program_code(p, text, chat=chat), files=p.files)
                for p, texts in zip(problems, completions, strict=True) for i, text in enumerate(texts)]
    with Sandbox(sandbox_config) as sandbox:
        results = {r.id: r for r in sandbox.execute(programs)}
    samples: list[dict[str, Any]] = []
    groups: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for p, texts in zip(problems, completions, strict=True):
        passed = 0
        for i, text in enumerate(texts):
            r = results[f"{p.benchmark}:{p.task_id}#{i}"]
            passed += r.status == Status.passed
            samples.append({"benchmark": p.benchmark, "language": p.language, "task_id": p.task_id, "sample": i,
                            "completion": text, "solution": solution(p, text, chat=chat), "status": str(r.status),
                            "stderr": r.stderr[-500:]})
        groups.setdefault((p.benchmark, p.language), []).append((len(texts), passed))
    table = []
    for (benchmark, language), counts in groups.items():
        statuses = Counter(s["status"] for s in samples if (s["benchmark"], s["language"]) == (benchmark, language))
        table.append({"benchmark": benchmark, "language": language, "problems": len(counts),
                      "samples_per_problem": counts[0][0],
                      **{f"pass@{k}": sum(pass_at_k(n, c, k) for n, c in counts) / len(counts) for k in ks},
                      "statuses": dict(statuses)})
    return table, samples


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


# HumanEval-FIM's two tasks: one whole line, or a multi-line block, masked.
FIM_MODES = ("single_line", "multi_line")


def _fim_config(mode: str) -> Any:
    from coderforge.code.config import FimConfig, UnitWeights

    if mode == "single_line":
        return FimConfig(random_span_rate=0, max_middle_lines=1, min_middle_chars=2, max_middle_chars=200,
                         unit_weights=UnitWeights(function_body=0, block=0, statement=0, expression=0, line_span=1))
    return FimConfig(random_span_rate=0, max_middle_lines=12, min_middle_chars=20, max_middle_chars=800,
                     unit_weights=UnitWeights(function_body=1, block=1, statement=0, expression=0, line_span=0))


@dataclass(frozen=True)
class FimCase:
    language: str
    mode: str
    prompt: str
    """PSM text up to and including <|fim_middle|>."""
    middle: str


def fim_cases(files: list[SourceFile], *, samples: int, tokenizer: Any, budget: int, seed: int,
              mode: str = "multi_line") -> list[FimCase]:
    """Up to `samples` FIM cases of `mode` from held-out files, in PSM order, cut to `budget` tokens."""
    from coderforge.code.fim import FimSkipped, build_fim_sample
    from coderforge.code.tokens import TokenCounter

    counter = TokenCounter.from_transformers(tokenizer)
    config = _fim_config(mode)
    rng = random.Random(seed)
    cases: list[FimCase] = []
    pool = [f for f in files if f.language]
    for i in range(samples * 3):  # some files yield no sample; try a few more draws
        if len(cases) == samples or not pool:
            break
        file = pool[i % len(pool)] if i < len(pool) else rng.choice(pool)
        try:
            s = build_fim_sample(file.code, file.language, rng=rng, order="psm", path=file.path, config=config,
                                 counter=counter, budget=budget)
        except FimSkipped:
            continue
        if s.unit == "random_span" or (mode == "multi_line") != ("\n" in s.middle.rstrip("\n")):
            continue
        cases.append(FimCase(file.language, mode, s.text[:s.text.index(FIM_MIDDLE) + len(FIM_MIDDLE)], s.middle))
    return cases


def fim_scores(cases: list[FimCase], answers: list[str]) -> dict[str, Any]:
    """Exact match (stripped) and edit similarity (trailing whitespace dropped: a single-line answer
    stops before its newline), over all cases and per language."""
    def scores(pairs: list[tuple[FimCase, str]]) -> dict[str, Any]:
        return {"samples": len(pairs),
                "exact_match": sum(a.strip() == c.middle.strip() for c, a in pairs) / len(pairs),
                "edit_similarity": sum(edit_similarity(a.rstrip(), c.middle.rstrip()) for c, a in pairs) / len(pairs)}

    pairs = list(zip(cases, answers, strict=True))
    languages = sorted({c.language for c in cases})
    return scores(pairs) | {"by_language": {lang: scores([(c, a) for c, a in pairs if c.language == lang])
                                            for lang in languages}}


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


def fim_middle_loss(model: Any, tokenizer: Any, cases: list[FimCase]) -> float:
    """Mean loss of each true middle (and the end-of-text after it) given its FIM prompt."""
    import torch
    from coderforge.trainer.packing import IGNORE_INDEX

    eos = tokenizer.convert_tokens_to_ids(ENDOFTEXT)
    total, count = 0.0, 0
    with torch.inference_mode():
        for case in cases:
            p = tokenizer(case.prompt, add_special_tokens=False)["input_ids"]
            m = [*tokenizer(case.middle, add_special_tokens=False)["input_ids"], eos]
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


def _local_folder(model: str) -> Path | None:
    """The model's folder when its weights are on this machine (not a served or hub name)."""
    from coderforge.models import resolve_model

    resolved = Path(resolve_model(model))
    return resolved if (resolved / "config.json").is_file() else None


def run_eval(config: TrainerSettings, *, model: str | Path, out: Path, held_out: list[SourceFile] | None,
             context_length: int) -> dict[str, Any]:
    """Evaluate `model` (a checkpoint or HF folder, a prepared model's name, or a model the configured
    backend serves); writes report.json, samples/<benchmark>-<language>.jsonl and results.jsonl into `out`.

    Held-out loss and FIM middle loss need the weights here, so they are left out for served models."""
    from transformers import AutoTokenizer

    ecfg: EvalConfig = config.train.eval
    out.mkdir(parents=True, exist_ok=True)
    folder = _local_folder(str(model))
    backend_config = config.backend.model_copy(update={"model": str(folder or model)})
    # A served model has no tokenizer here: ask it in chat form.
    chat = ecfg.mode == "chat" or (ecfg.mode == "auto" and (folder is None or is_chat_model(folder)))
    problems = load_problems(ecfg)
    requests = []
    for p in problems:
        sampling = SamplingParams(n=ecfg.n_samples, temperature=ecfg.temperature, max_tokens=ecfg.max_new_tokens,
                                  stop=() if chat else p.stop, seed=config.train.seed)
        requests.append(Request.chat([{"role": "user", "content": p.instruction}], sampling=sampling) if chat
                        else Request.raw(p.prompt, sampling=sampling))
    fim: list[FimCase] = []
    if held_out and ecfg.fim_samples and folder is not None:
        tokenizer = AutoTokenizer.from_pretrained(str(folder))
        for mode in FIM_MODES:
            fim += fim_cases(held_out, samples=ecfg.fim_samples, tokenizer=tokenizer, mode=mode,
                             budget=context_length - ecfg.fim_max_new_tokens, seed=config.train.seed)
        # A single-line middle ends at its newline.
        requests += [Request.raw(c.prompt, sampling=SamplingParams(
            max_tokens=ecfg.fim_max_new_tokens, seed=config.train.seed,
            stop=("\n",) if c.mode == "single_line" else ())) for c in fim]
    log.info("eval: generating for %d problems (%s mode) and %d FIM cases", len(problems),
             "chat" if chat else "completion", len(fim))
    responses = asyncio.run(_generate(backend_config, requests))
    completions = [[c.text for c in r.completions] for r in responses[:len(problems)]]
    table, samples = score_problems(problems, completions, chat=chat, sandbox_config=config.sandbox, ks=ecfg.k)
    report: dict[str, Any] = {"model": str(model), "mode": "chat" if chat else "completion", "pass@k": table}
    if fim:
        answers = [r.text for r in responses[len(problems):]]
        report["fim"] = {mode: fim_scores([c for c in fim if c.mode == mode],
                                          [a for c, a in zip(fim, answers, strict=True) if c.mode == mode])
                         for mode in FIM_MODES if any(c.mode == mode for c in fim)}
    if held_out and folder is not None:
        scorer, scorer_tokenizer = load_for_scoring(folder)
        if fim:
            report["fim"]["middle_loss"] = fim_middle_loss(scorer, scorer_tokenizer, fim)
        report["held_out"] = held_out_loss(scorer, scorer_tokenizer, held_out, context_length=context_length)
    _write_samples(out, samples)
    atomic_write_json(out / "report.json", report)
    return report


def _write_samples(out: Path, samples: list[dict[str, Any]]) -> None:
    """evalplus-style samples files (one per benchmark and language: `task_id`, `solution`,
    `completion`) and every sample's sandbox result in results.jsonl."""
    (out / "samples").mkdir(exist_ok=True)
    for key in dict.fromkeys((s["benchmark"], s["language"]) for s in samples):
        rows = [{"task_id": s["task_id"], "solution": s["solution"], "completion": s["completion"]}
                for s in samples if (s["benchmark"], s["language"]) == key]
        write_jsonl(out / "samples" / f"{key[0]}-{key[1]}.jsonl", rows)
    write_jsonl(out / "results.jsonl", samples)
