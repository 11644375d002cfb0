"""Code analysis speed and language-id accuracy on real source files installed on this machine.

Per language: files per CPU second parsed by `coderforge.code.syntax.parse` against raw tree-sitter parsing of
the same files (the baseline, same process), and FIM samples/s with syntactic middles against
character-level random spans (the report's baseline), both cut to a 2048-token budget with the
bundled tokenizer. Then language identification without hints on whole files and on definitions
(<= 40 lines, what model answers look like): accuracy per language and the confusion table.

    python benchmarks/code_throughput.py [--files 40] [--samples 3]

Prints tables and writes benchmarks/results/code_throughput.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tree_sitter_language_pack
from rich.console import Console
from rich.table import Table
from tree_sitter import Parser

from coderforge.code.config import FimConfig
from coderforge.code.fim import FimSkipped, build_fim_sample
from coderforge.code.installed import SourceFile, installed_languages, sample_sources
from coderforge.code.langid import identify_language
from coderforge.code.syntax import definitions, parse
from coderforge.code.tokens import TokenCounter, load_token_counter
from coderforge.languages import get_language

BUDGET = 2048


def paired_best(first: Callable[[], object], second: Callable[[], object], rounds: int) -> tuple[float, float]:
    """Fastest CPU time in seconds of each function over `rounds` alternating runs (after a warm-up
    of each). Both are single-threaded, so this process's CPU time is their cost; unlike wall time
    it does not count other processes on a shared machine, and alternating evens out the rest."""
    first(), second()
    best = [float("inf"), float("inf")]
    for _ in range(rounds):
        for i, fn in enumerate((first, second)):
            start = time.process_time()
            fn()
            best[i] = min(best[i], time.process_time() - start)
    return best[0], best[1]


def parse_rates(language: str, files: list[SourceFile]) -> dict[str, Any]:
    data = [f.text for f in files]
    raw = Parser(tree_sitter_language_pack.get_language(get_language(language).grammar))
    encoded = [t.encode("utf-8", "replace") for t in data]
    ours, base = paired_best(lambda: [parse(t, language) for t in data], lambda: [raw.parse(b) for b in encoded],
                             rounds=5)
    clean = sum(parse(t, language).ok for t in data)
    mb = sum(len(b) for b in encoded) / 2**20
    return {"files": len(data), "clean": clean, "mb": round(mb, 3), "files_per_s": len(data) / ours,
            "baseline_files_per_s": len(data) / base, "ratio": base / ours}


def fim_run(language: str, files: list[SourceFile], *, counter: TokenCounter, samples: int,
            random_rate: float) -> Callable[[], tuple[Counter[str], Counter[str]]]:
    """One pass making `samples` FIM samples per file, each checked; returns units made and skips."""
    config = FimConfig(random_span_rate=random_rate)

    def run() -> tuple[Counter[str], Counter[str]]:
        units: Counter[str] = Counter()
        skipped: Counter[str] = Counter()
        rng = random.Random(0)
        for f in files:
            for _ in range(samples):
                try:
                    sample = build_fim_sample(f.text, language, rng=rng, config=config, order="mix",
                                              counter=counter, budget=BUDGET)
                except FimSkipped as e:
                    skipped[e.reason] += 1
                    continue
                start, end = sample.window
                if sample.prefix + sample.middle + sample.suffix != f.text[start:end]:
                    raise AssertionError(f"{f.path}: sample does not reconstruct")
                units[sample.unit] += 1
        return units, skipped

    return run


def fim_rates(language: str, files: list[SourceFile], *, counter: TokenCounter, samples: int) -> dict[str, Any]:
    """Syntactic middles against character-level random spans (the baseline), timed alternately."""
    syntactic = fim_run(language, files, counter=counter, samples=samples, random_rate=0.0)
    random_span = fim_run(language, files, counter=counter, samples=samples, random_rate=1.0)
    out: dict[str, Any] = {}
    seconds = paired_best(syntactic, random_span, rounds=2)
    for name, run, secs in (("syntactic", syntactic, seconds[0]), ("random_span", random_span, seconds[1])):
        units, skipped = run()
        made = sum(units.values())
        out[name] = {"samples": made, "samples_per_s": made / secs, "units": dict(units), "skipped": dict(skipped)}
    return out


def snippet(f: SourceFile, language: str) -> str | None:
    """A definition from the file (with its comments), at most 40 lines; None if it has none."""
    defs = [d for d in definitions(f.text, language) if d.span.end_line - d.span.start_line >= 2]
    if not defs:
        return None
    d = random.Random(f.path).choice(defs)
    return "\n".join(f.text[d.doc_start:d.span.end].splitlines()[:40])


def confusion(corpus: dict[str, list[SourceFile]], *, snippets: bool) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for language, files in corpus.items():
        row: Counter[str] = Counter()
        for f in files:
            code = snippet(f, language) if snippets else f.text
            if code is not None:
                row[str(identify_language(code))] += 1
        table[language] = dict(row)
    return table


def accuracy_table(title: str, table: dict[str, dict[str, int]]) -> Table:
    predicted = sorted({p for row in table.values() for p in row})
    out = Table("true \\ predicted", "n", "accuracy", *predicted, title=title)
    for language, row in table.items():
        n = sum(row.values())
        out.add_row(language, str(n), f"{row.get(language, 0) / max(n, 1):.2f}",
                    *[str(row.get(p, "")) for p in predicted])
    return out


def overall(table: dict[str, dict[str, int]]) -> float:
    right = sum(row.get(lang, 0) for lang, row in table.items())
    return right / max(sum(sum(row.values()) for row in table.values()), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=40, help="real files per language")
    parser.add_argument("--samples", type=int, default=3, help="FIM samples per file")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "code_throughput.json")
    args = parser.parse_args()
    console = Console(width=200)
    counter = load_token_counter()
    corpus = {lang: sample_sources(lang, limit=args.files, seed=5) for lang in installed_languages()}
    corpus = {lang: files for lang, files in corpus.items() if files}

    speed = Table("language", "files", "clean", "MiB", "parse files/CPU-s", "raw tree-sitter files/CPU-s", "ratio",
                  "FIM syntactic/CPU-s", "FIM random-span/CPU-s", "ratio", title="Parsing and FIM throughput")
    results: dict[str, Any] = {}
    for language, files in corpus.items():
        rates = parse_rates(language, files)
        fim = fim_rates(language, files, counter=counter, samples=args.samples)
        syntactic, baseline = fim["syntactic"], fim["random_span"]
        results[language] = {"parse": rates, "fim_syntactic": syntactic, "fim_random_span": baseline}
        fim_ratio = syntactic["samples_per_s"] / baseline["samples_per_s"] if baseline["samples_per_s"] else 0
        speed.add_row(language, str(rates["files"]), str(rates["clean"]), f"{rates['mb']:.2f}",
                      f"{rates['files_per_s']:.0f}", f"{rates['baseline_files_per_s']:.0f}", f"{rates['ratio']:.2f}",
                      f"{syntactic['samples_per_s']:.1f}", f"{baseline['samples_per_s']:.1f}", f"{fim_ratio:.2f}")
    console.print(speed)

    start = time.perf_counter()
    whole = confusion(corpus, snippets=False)
    defs = confusion(corpus, snippets=True)
    langid_seconds = time.perf_counter() - start
    console.print(accuracy_table(f"Language id, whole files (overall {overall(whole):.3f})", whole))
    console.print(accuracy_table(f"Language id, definitions <= 40 lines (overall {overall(defs):.3f})", defs))
    inputs = sum(sum(row.values()) for table in (whole, defs) for row in table.values())
    console.print(f"language id: {inputs} inputs in {langid_seconds:.1f}s ({inputs / langid_seconds:.1f}/s)")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "machine": platform.machine(), "python": platform.python_version(), "files_per_language": args.files,
        "fim_budget_tokens": BUDGET, "tokenizer": "bundled", "throughput": results,
        "langid": {"whole_files": {"overall": overall(whole), "confusion": whole},
                   "definitions": {"overall": overall(defs), "confusion": defs}, "seconds": langid_seconds},
    }, indent=2))
    console.print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
