"""The dataset card of a generate run: README.md with counts, provenance and plots (funnel per
language, judge score histogram, concept coverage), written atomically into the run folder."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from coderforge.events import TaskEvent
from coderforge.io import atomic_write_text

PLOTS = "plots"


def _plot_funnel(path: Path, funnel: Mapping[str, Any]) -> None:
    import matplotlib.pyplot as plt

    languages = list(funnel["languages"])
    fig, axes = plt.subplots(1, len(languages), figsize=(6 * len(languages), 5), squeeze=False)
    for ax, language in zip(axes[0], languages, strict=True):
        counts = funnel["languages"][language]
        stages = list(counts)[::-1]
        ax.barh(stages, [counts[s] for s in stages], color="tab:blue")
        for y, stage in enumerate(stages):
            ax.text(counts[stage], y, f" {counts[stage]}", va="center", fontsize=8)
        ax.set_title(f"{language}: funnel")
        ax.set_xlabel("items")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _plot_scores(path: Path, tasks: Sequence[TaskEvent]) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    by_language: dict[str, list[float]] = {}
    for t in tasks:
        for c in t.get("candidates", []):
            if c.get("score") is not None:
                by_language.setdefault(t["language"], []).append(float(c["score"]))
    for language, scores in sorted(by_language.items()):
        ax.hist(scores, bins=[x / 2 for x in range(2, 21)], alpha=0.6, label=language)
    if not by_language:
        ax.text(0.5, 0.5, "no candidate was judged", ha="center", va="center", transform=ax.transAxes)
    else:
        ax.legend()
    ax.set_title("checklist judge scores (weighted total, 1-10)")
    ax.set_xlabel("score")
    ax.set_ylabel("candidates")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _plot_coverage(path: Path, concepts: Mapping[str, Mapping[str, Mapping[str, int]]], languages: list[str]) -> None:
    import matplotlib.pyplot as plt

    covered = sorted(concepts, key=lambda c: -sum(v["attempted"] for v in concepts[c].values()))[:30]
    fig, ax = plt.subplots(figsize=(8, max(3, 0.3 * len(covered) + 1)))
    width = 0.8 / max(1, len(languages))
    for i, language in enumerate(languages):
        ys = [j + i * width for j in range(len(covered))]
        ax.barh(ys, [concepts[c].get(language, {}).get("attempted", 0) for c in covered], height=width,
                alpha=0.4, label=f"{language} attempted")
        ax.barh(ys, [concepts[c].get(language, {}).get("verified", 0) for c in covered], height=width,
                label=f"{language} verified")
    ax.set_yticks(range(len(covered)), covered, fontsize=7)
    ax.invert_yaxis()
    ax.set_title("concept coverage (instructions per concept)")
    if covered:
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def write_card(out: Path, *, funnel: Mapping[str, Any], graph_stats: Mapping[str, Any],
               tasks: Sequence[TaskEvent]) -> Path:
    """Plots into RUN_DIR/plots and the card into RUN_DIR/README.md."""
    import matplotlib

    matplotlib.use("Agg")
    (out / PLOTS).mkdir(parents=True, exist_ok=True)
    languages = list(funnel["languages"])
    _plot_funnel(out / PLOTS / "funnel.png", funnel)
    _plot_scores(out / PLOTS / "scores.png", tasks)
    _plot_coverage(out / PLOTS / "coverage.png", graph_stats["concepts"], languages)
    stages = list(next(iter(funnel["languages"].values())))
    lines = [
        "---", "language: [en]", "tags: [code, synthetic, coderforge]", "configs:",
        *(f"  - config_name: {name}\n    data_files: [{{split: train, path: \"{pattern}\"}}]"
          for name, pattern in (("sft", "sft/*.jsonl"), ("sft_fine", "sft/fine/*.jsonl"), ("dpo", "dpo/*.jsonl"),
                                ("fim", "fim/*.jsonl"))
          if any(out.glob(pattern))),  # a config without files would not load
        "---", "", "# coderforge synthetic code dataset", "",
        "Made by `coderforge generate`: language agent pools over a shared memory graph wrote instructions "
        "from corpus seeds (a reviewer checked each one and its author revised it once), wrote the tests of "
        "each instruction once, sampled n solutions and ran every one against those same tests in the "
        "sandbox (repairs change the solution, never the tests). A run passes only when at least one test "
        "check executed and held; tests are trusted only when enough candidates pass them (generate.min_pass_share "
        "of n, at least one), and a stub solution "
        "whose functions return nothing and one whose functions return the value the tests expect most often "
        "(Python, JavaScript, TypeScript, C, C++) fail them, and the passing answers give one result for each "
        "variant of the tests' literal calls (one argument changed; Python, JavaScript, TypeScript, C++). "
        "When no candidate passes, a check that every candidate "
        "reaching it fails with one result (at least half of them) is set aside as miscomputed, at most four "
        "per suite, and kept out only if a candidate then passes three checks or more, and no fewer than were "
        "set aside. An answer that passes "
        "its tests must also meet the example its instruction states (a call and its result, as literals). "
        "What passed every "
        "filter was kept.", "",
        "## Tiers", "",
        "- **coarse** (`sft/<lang>.jsonl`): large and diverse: every accepted answer (executed, passed "
        "the trusted shared tests, clean, judge-passed), plus answers the sandbox could not execute that "
        "parse, are clean and pass the judge (`executed: false`, `tests: null`).",
        "- **fine** (`sft/fine/<lang>.jsonl`): executed and passed only; the best of n per instruction "
        "(judge score, then fewest repairs); the top `outputs.fine_fraction` of instructions by judge score.",
        "- **DPO** (`dpo/<lang>.jsonl`): same instruction, same shared tests: chosen passed them, rejected "
        "failed them or did not compile (failed attempts before a successful repair count too); when none "
        "failed, a judge-score margin ranks passing answers. Both verdicts are in each pair.", "",
        "Sizes: " + ", ".join(f"{lang} coarse {c['sft_coarse']}, fine {c['sft_fine']}, DPO {c['dpo_pairs']}"
                               for lang, c in funnel["languages"].items()) + ".", "",
        "## Files", "",
        "- `sft/<lang>.jsonl`: coarse SFT split (trl `messages`; the shared tests in `tests`).",
        "- `sft/fine/<lang>.jsonl`: fine split (see Tiers).",
        "- `dpo/<lang>.jsonl`: offline DPO pairs (`prompt`, `chosen`, `rejected`).",
        "- `fim/<lang>.jsonl`: FIM documents (`text`) and FIM instruction chats (`messages`).",
        "- `rejected.jsonl`: every dropped item with its stage and reason; `funnel.json`: the counts below.",
        "- A file with no record is not written (its count in the funnel is 0).",
        "- Record schemas: `coderforge/schemas/{sft,dpo,fim,rejected}.schema.json` in the package.", "",
        "## Funnel", "",
        "| stage | " + " | ".join(languages) + " |",
        "|---|" + "---:|" * len(languages),
        *(f"| {s} | " + " | ".join(str(funnel["languages"][lang][s]) for lang in languages) + " |" for s in stages),
        "", "![funnel](plots/funnel.png)", "",
        "## Why items were dropped", "",
        *(f"- {lang}: " + (", ".join(f"{stage} {n}" for stage, n in reasons.items()) or "nothing dropped")
          for lang, reasons in funnel["rejected_by_stage"].items()),
        "", "## Scores", "", "![scores](plots/scores.png)", "",
        "## Concept coverage", "", "![coverage](plots/coverage.png)", "",
        "## Provenance", "", "```json", json.dumps(funnel.get("provenance", {}), indent=2), "```", "",
    ]
    path = out / "README.md"
    atomic_write_text(path, "\n".join(lines))
    return path
