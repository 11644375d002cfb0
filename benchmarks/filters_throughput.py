"""Quality-filter throughput and accuracy, each against a baseline run in the same process:

- decontamination samples/s on one core against all configured benchmarks (target >= 100k
  samples/min), against a plain-Python 10-gram set lookup; index build and cached-load times;
- recall on planted benchmark copies (exact, whitespace/case, renamed identifiers, embedded) and
  false positives on clean code (this machine's Python standard library) and on GSM8K train;
- near-dedup samples/s (exact + MinHash LSH), against exact-hash dedup alone;
- judge requests/s on the bundled model, against the raw backend on the same prompts and schema,
  with its judge_error rate and its agreement with sandbox verdicts on HumanEval solutions
  (correct and swapped), which shows how well (or badly) a 135M model judges.

    python benchmarks/filters_throughput.py [--benchmark-dir ../shared/benchmarks] [--samples 20000]
                                            [--judge-problems 4] [--skip-judge]

Prints tables and writes benchmarks/results/filters_throughput.json.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import platform
import random
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from coderforge.checklists.calibrate import calibrate
from coderforge.checklists.checklist import load_checklist
from coderforge.checklists.judge import Judge
from rich.console import Console
from rich.table import Table

from coderforge.config import BackendConfig, Config
from coderforge.filters.config import DecontamConfig, DedupConfig
from coderforge.filters.decontam import Decontaminator, load_benchmark, resolve_path
from coderforge.filters.dedup import Deduplicator
from coderforge.filters.plant import VARIANTS, plant, stdlib_functions
from coderforge.llm import Request, SamplingParams, make_backend
from coderforge.records import add_verdict, instruction_text, solution_text, tests_text

ROOT = Path(__file__).resolve().parent.parent
console = Console()
_WORD = re.compile(r"\w+")
QUESTION = "<first field>"  # item id of planted copies of a benchmark item's first field alone


def clean_records(count: int) -> list[dict[str, Any]]:
    """Synthetic-looking records from stdlib functions: docstring as instruction, body as solution."""
    functions = stdlib_functions(count, min_chars=120)  # unique unless the stdlib runs out
    records = []
    for i in range(count):
        code = functions[i % len(functions)]
        doc = re.search(r'"""(.*?)"""', code, re.S)
        records.append({"id": str(i), "language": "python",
                        "instruction": (doc.group(1).strip() if doc else "Explain this function.") + f" (variant {i})",
                        "solution": code, "tests": ""})
    return records


class NaiveNgramIndex:
    """The baseline: a Python set of word 10-gram tuples, looked up one window at a time."""

    def __init__(self, texts: list[str], n: int) -> None:
        self.n = n
        self.grams = {tuple(w[i: i + n]) for t in texts for w in [_WORD.findall(t.lower())]
                      for i in range(len(w) - n + 1)}

    def contaminated(self, text: str) -> bool:
        words = _WORD.findall(text.lower())
        return any(tuple(words[i: i + self.n]) in self.grams for i in range(len(words) - self.n + 1))


def timed(fn) -> tuple[Any, float]:
    """(result, wall seconds)."""
    value, wall, _ = timed_cpu(fn)
    return value, wall


def timed_cpu(fn) -> tuple[Any, float, float]:
    """(result, wall seconds, CPU seconds): on a shared machine CPU time shows the one-core rate."""
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - start, time.process_time() - cpu


def bench_decontam(config: DecontamConfig, records: list[dict[str, Any]]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as cache:
        cold_cfg = config.model_copy(update={"cache_dir": cache})
        _, build_s = timed(lambda: Decontaminator.from_config(cold_cfg))
        decontaminator, load_s = timed(lambda: Decontaminator.from_config(cold_cfg))
    items = [it.text for s in config.benchmarks for it in load_benchmark(s, resolve_path(s, config.benchmark_dir))]
    naive, naive_build_s = timed(lambda: NaiveNgramIndex(items, config.ngram))
    fields = list(config.fields)

    def ours() -> int:
        out = 0
        for start in range(0, len(records), 4096):
            batch = [{k: r[k] for k in ("instruction", "solution", "tests")} for r in records[start: start + 4096]]
            out += sum(not v["verdicts"][-1]["passed"] for v in decontaminator.check_records(batch, fields=fields))
        return out

    getters = {"instruction": instruction_text, "solution": solution_text, "tests": tests_text}

    def baseline() -> int:
        return sum(any(naive.contaminated(getters[f](r)) for f in fields) for r in records)

    hits, ours_s, ours_cpu = timed_cpu(ours)
    naive_hits, naive_s, naive_cpu = timed_cpu(baseline)
    return {"benchmarks": [b.name for b in config.benchmarks], "items": len(items), "samples": len(records),
            "index_build_s": round(build_s, 3), "index_cached_load_s": round(load_s, 3),
            "samples_per_s": round(len(records) / ours_s), "samples_per_min": round(60 * len(records) / ours_s),
            "samples_per_cpu_s": round(len(records) / ours_cpu),
            "baseline_samples_per_s": round(len(records) / naive_s), "speedup": round(naive_s / ours_s, 2),
            "baseline_samples_per_cpu_s": round(len(records) / naive_cpu),
            "baseline_index_build_s": round(naive_build_s, 3), "flagged": hits, "baseline_flagged": naive_hits,
            "target_samples_per_min": 100_000}


def bench_recall(config: DecontamConfig, decontaminator: Decontaminator, benchmark_dir: Path) -> dict[str, Any]:
    rng = random.Random(0)
    clean = stdlib_functions(6000)
    items = []
    for source in config.benchmarks:
        path = resolve_path(source, config.benchmark_dir)
        items += [(it.benchmark, it.item_id, it.text) for it in load_benchmark(source, path)]
        # The first field alone too (a question without its answer), as a contaminated instruction would be.
        raw = [json.loads(line) for line in _lines(path)]
        first = source.fields[0]
        items += [(source.name, QUESTION, r[first] if isinstance(r[first], str) else "\n".join(r[first]))
                  for r in raw if r.get(first)]
    planted = plant(items, clean[:200], rng=rng)
    matches = decontaminator.check_many([p.text for p in planted])
    table: dict[str, dict[str, list[int]]] = {}
    for p, m in zip(planted, matches, strict=True):
        key = f"{p.benchmark} ({'first field only' if p.item_id == QUESTION else 'whole item'})"
        cell = table.setdefault(key, {}).setdefault(p.variant, [0, 0])
        cell[0] += m is not None and m.benchmark == p.benchmark
        cell[1] += 1
    recall = {b: {v: {"found": c[0], "planted": c[1], "recall": round(c[0] / c[1], 4)} for v, c in vs.items()}
              for b, vs in table.items()}
    stdlib = clean[200:]
    stdlib_fp = sum(m is not None for m in decontaminator.check_many(stdlib))
    result = {"recall": recall, "fp_stdlib": {"flagged": stdlib_fp, "samples": len(stdlib),
                                              "rate": round(stdlib_fp / len(stdlib), 5)}}
    train = benchmark_dir / "gsm8k_train.jsonl"
    if train.is_file():
        questions = [json.loads(line)["question"] for line in _lines(train)]
        flagged = sum(m is not None for m in decontaminator.check_many(questions))
        result["fp_gsm8k_train_questions"] = {"flagged": flagged, "samples": len(questions),
                                              "rate": round(flagged / len(questions), 5)}
    return result


def _lines(path: Path) -> list[str]:
    import gzip

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [line for line in handle if line.strip()]


def bench_dedup(records: list[dict[str, Any]]) -> dict[str, Any]:
    rng = random.Random(1)
    data = [dict(r) for r in records]
    for r in rng.sample(data, len(data) // 10):  # 10% near copies: one line dropped, one comment added
        lines = r["solution"].splitlines()
        del lines[rng.randrange(1, len(lines))]
        lines.insert(1, "    # adapted")
        data.append(dict(r, id=r["id"] + "-copy", solution="\n".join(lines)))
    dedup = Deduplicator(DedupConfig())
    texts = [dedup.text(r) for r in data]
    clusters, ours_s, ours_cpu = timed_cpu(lambda: dedup.cluster(texts))
    exact, exact_s = timed(lambda: len({hashlib.blake2b(" ".join(t.lower().split()).encode()).digest()
                                        for t in texts}))
    copies = [i for i, r in enumerate(data) if r["id"].endswith("-copy")]
    copies_found = sum(clusters.roots[i] != i for i in copies)
    # Recall of the MinHash LSH itself: planted pairs whose true shingle Jaccard clears the threshold.
    index = {r["id"]: i for i, r in enumerate(data)}
    above = [i for i in copies if _jaccard(dedup, texts[i], texts[index[data[i]["id"][:-5]]]) >= dedup.config.threshold]
    above_found = sum(clusters.roots[i] == clusters.roots[index[data[i]["id"][:-5]]] for i in above)
    return {"samples": len(data), "samples_per_s": round(len(data) / ours_s),
            "samples_per_cpu_s": round(len(data) / ours_cpu),
            "exact_only_samples_per_s": round(len(data) / exact_s),
            "clusters": len(set(clusters.roots)), "exact_unique": exact,
            "planted_near_copies": len(copies), "planted_copies_clustered": copies_found,
            "threshold": dedup.config.threshold, "shingle": dedup.config.shingle,
            "pairs_above_threshold": len(above), "pairs_above_threshold_clustered": above_found}


def _jaccard(dedup: Deduplicator, a: str, b: str) -> float:
    sa, sb = set(dedup._shingles(a)), set(dedup._shingles(b))
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def humaneval_samples(problems: int) -> list[dict[str, Any]]:
    """Each problem with its canonical solution (correct) and with another problem's (wrong)."""
    source = DecontamConfig().benchmarks[0]
    raw = [json.loads(line) for line in _lines(resolve_path(source, "."))][:problems]
    samples = []
    for i, item in enumerate(raw):
        for kind, solution in (("correct", item["canonical_solution"]),
                               ("swapped", raw[(i + 1) % len(raw)]["canonical_solution"])):
            code = item["prompt"] + solution
            samples.append({"id": f"{item['task_id']}/{kind}", "language": "python",
                            "instruction": "Complete this function:\n" + item["prompt"], "solution": code,
                            "tests": item["test"] + f"\ncheck({item['entry_point']})\n"})
    return samples


def bench_judge(problems: int, max_tokens: int) -> dict[str, Any]:
    from coderforge.sandbox import Program, Sandbox

    samples = humaneval_samples(problems)
    with Sandbox(Config().sandbox) as sandbox:
        results = sandbox.execute([Program(s["id"], "python", s["solution"] + "\n\n" + s["tests"]) for s in samples])
    for sample, result in zip(samples, results, strict=True):
        add_verdict(sample, stage="sandbox", passed=result.status == "passed", reason=str(result.status),
                    status=str(result.status))
    config = Config().filters.judge.model_copy(update={"max_tokens": max_tokens, "batch_size": len(samples)})
    checklist = load_checklist("instruction")

    async def run() -> dict[str, Any]:
        async with make_backend(BackendConfig()) as backend:
            judge = Judge(backend, checklist, config=config)
            # Warm up (model load, grammar compile) outside the timings.
            await backend.generate([Request.chat([{"role": "user", "content": "hi"}],
                                                 sampling=SamplingParams(max_tokens=4))])
            conversations = [judge._prompt(s, checklist) for s in samples]
            sampling = SamplingParams(max_tokens=max_tokens)
            raw, raw_s = await _atimed(backend.generate(
                [Request.chat(c, sampling=sampling, json_schema=checklist.answer_schema()) for c in conversations]))
            judged, judge_s = await _atimed(judge.judge(samples))
            return {"raw_s": raw_s, "judge_s": judge_s, "judged": judged,
                    "raw_completion_tokens": sum(r.completion_tokens for r in raw)}

    out = asyncio.run(run())
    for sample, result in zip(samples, out["judged"], strict=True):
        result.apply(sample)
    errors = sum(r.error is not None for r in out["judged"])
    attempts = sum(r.attempts for r in out["judged"])
    scored = [(s, r) for s, r in zip(samples, out["judged"], strict=True) if r.error is None]
    report: dict[str, Any] = {
        "samples": len(samples), "max_tokens": max_tokens, "checklist": checklist.name,
        "sandbox_passed": sum(s["verdicts"][0]["passed"] for s in samples),
        "judge_requests_per_s": round(attempts / out["judge_s"], 4),
        "judge_samples_per_s": round(len(samples) / out["judge_s"], 4),
        "raw_requests_per_s": round(len(samples) / out["raw_s"], 4),
        "ratio_vs_raw": round((len(samples) / out["judge_s"]) / (len(samples) / out["raw_s"]), 3),
        "attempts": attempts, "judge_error": errors, "judge_error_rate": round(errors / len(samples), 3),
        "mean_total_tests_pass": _mean([r.total for s, r in scored if s["verdicts"][0]["passed"]]),
        "mean_total_tests_fail": _mean([r.total for s, r in scored if not s["verdicts"][0]["passed"]]),
        "distinct_score_vectors": len({tuple(sorted(r.scores.items())) for _, r in scored}),
    }
    try:
        calibration = calibrate(samples, threshold=config.min_scores.get("code_correctness", 6))
        report.update(accuracy=round(calibration.accuracy, 3),
                      kappa=None if calibration.kappa is None else round(calibration.kappa, 3),
                      confusion=calibration.confusion)
    except ValueError as e:  # every sample judge_error: nothing to compare
        report["calibration"] = str(e)
    return report


async def _atimed(awaitable) -> tuple[Any, float]:
    start = time.perf_counter()
    value = await awaitable
    return value, time.perf_counter() - start


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--benchmark-dir", default=str(ROOT.parent / "shared" / "benchmarks"))
    parser.add_argument("--samples", type=int, default=20000)
    parser.add_argument("--judge-problems", type=int, default=4, help="HumanEval problems (2 samples each).")
    parser.add_argument("--judge-max-tokens", type=int, default=512)
    parser.add_argument("--skip-judge", action="store_true")
    args = parser.parse_args()

    benchmark_dir = Path(args.benchmark_dir)
    config = DecontamConfig(benchmark_dir=str(benchmark_dir))
    if not benchmark_dir.is_dir():
        console.print(f"[yellow]{benchmark_dir} not found: HumanEval only[/yellow]")
        config = DecontamConfig(benchmarks=DecontamConfig().benchmarks[:1])
    results: dict[str, Any] = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                           "load_avg_1m": round(os.getloadavg()[0], 2)}}
    all_cpus = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(all_cpus)})  # decontam and dedup on one core, as the target says
    out = ROOT / "benchmarks" / "results" / "filters_throughput.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    records = clean_records(args.samples)
    results["decontam"] = bench_decontam(config, records)
    results["decontam_accuracy"] = bench_recall(config, Decontaminator.from_config(config), benchmark_dir)
    results["dedup"] = bench_dedup(records)
    out.write_text(json.dumps(results, indent=2))  # the judge section is slow on CPU: keep these first
    os.sched_setaffinity(0, all_cpus)
    if not args.skip_judge:
        if shutil.which("bwrap") is None:
            console.print("[yellow]bubblewrap missing: judge section skipped[/yellow]")
        else:
            results["judge"] = bench_judge(args.judge_problems, args.judge_max_tokens)
            out.write_text(json.dumps(results, indent=2))
    show(results)
    console.print(f"wrote {out}")


def show(results: dict[str, Any]) -> None:
    d = results["decontam"]
    table = Table("measure", "value", title=f"decontamination vs {', '.join(d['benchmarks'])} ({d['items']} items, "
                                            "one core)")
    table.add_row("samples/s wall (samples/min; target 100,000)",
                  f"{d['samples_per_s']:,} ({d['samples_per_min']:,})")
    table.add_row("samples per CPU second", f"{d['samples_per_cpu_s']:,}")
    table.add_row("baseline (Python 10-gram set, no substring check): samples/s wall, per CPU s",
                  f"{d['baseline_samples_per_s']:,}, {d['baseline_samples_per_cpu_s']:,} (ours x{d['speedup']} wall)")
    table.add_row("index build / cached load (s)", f"{d['index_build_s']} / {d['index_cached_load_s']}")
    table.add_row("flagged in clean stdlib set (ours / baseline)", f"{d['flagged']} / {d['baseline_flagged']}")
    acc = results["decontam_accuracy"]
    for name in ("fp_stdlib", "fp_gsm8k_train_questions"):
        if name in acc:
            table.add_row(f"false positives: {name[3:]}", f"{acc[name]['flagged']}/{acc[name]['samples']} "
                                                           f"({acc[name]['rate']:.3%})")
    console.print(table)
    recall = Table("benchmark", *VARIANTS, title="decontamination recall on planted copies (found/planted)")
    for bench, variants in acc["recall"].items():
        recall.add_row(bench, *(f"{variants[v]['recall']:.3f} ({variants[v]['found']}/{variants[v]['planted']})"
                                if v in variants else "n/a" for v in VARIANTS))
    console.print(recall)
    dd = results["dedup"]
    dedup = Table("measure", "value", title="near-dedup (exact + MinHash LSH, one core)")
    dedup.add_row("samples/s wall (per CPU s)", f"{dd['samples_per_s']:,} ({dd['samples_per_cpu_s']:,}); "
                                                 f"exact hash only: {dd['exact_only_samples_per_s']:,}")
    dedup.add_row("planted near copies clustered (one line dropped, a comment added)",
                  f"{dd['planted_copies_clustered']}/{dd['planted_near_copies']}")
    dedup.add_row(f"LSH recall: planted pairs with true Jaccard >= {dd['threshold']} clustered",
                  f"{dd['pairs_above_threshold_clustered']}/{dd['pairs_above_threshold']}")
    dedup.add_row("clusters / samples", f"{dd['clusters']:,} / {dd['samples']:,}")
    console.print(dedup)
    if "judge" in results:
        j = results["judge"]
        judge = Table("measure", "value", title=f"judge on the bundled model ({j['samples']} HumanEval samples, "
                                                f"{j['sandbox_passed']} pass their tests)")
        judge.add_row("judge requests/s (samples/s)", f"{j['judge_requests_per_s']} ({j['judge_samples_per_s']})")
        judge.add_row("raw backend, same prompts+schema, requests/s", f"{j['raw_requests_per_s']} "
                                                                       f"(judge/raw {j['ratio_vs_raw']})")
        judge.add_row("judge_error rate", f"{j['judge_error_rate']:.3f} ({j['attempts']} attempts)")
        judge.add_row("mean total: tests pass / fail", f"{j['mean_total_tests_pass']} / {j['mean_total_tests_fail']}")
        judge.add_row("correctness vs sandbox: accuracy, kappa", f"{j.get('accuracy')}, {j.get('kappa')}")
        judge.add_row("distinct score vectors", str(j["distinct_score_vectors"]))
        console.print(judge)


if __name__ == "__main__":
    main()
