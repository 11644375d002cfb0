"""What a generate run made, per language, from its event log and outputs: instructions, candidates,
pass rate on the shared tests, accepted, fine, DPO pairs (and per instruction), the stub-kill rate of
the tests a candidate passed, instructions dropped for holding their solution; plus a reading sheet
of random accepted samples and DPO pairs (Markdown) for a person to judge by hand.

    python benchmarks/data_report.py runs/quickstart [--samples 30 --pairs 10 --seed 0]

Prints a table, writes RUN_DIR/data_report.json and RUN_DIR/reading_sheet.md.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

from coderforge.sandbox.program import Status
from coderforge.sandbox.stated import NOT_HELD
from rich.console import Console
from rich.table import Table

from coderforge.events import NotRun, TaskEvent
from coderforge.io import read_jsonl


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def language_report(tasks: list[TaskEvent], funnel: dict[str, int]) -> dict[str, Any]:
    candidates = [c for t in tasks for c in t.get("candidates", [])]
    executed = [c for c in candidates if (c.get("attempts") or [{}])[-1].get("status") not in
                (None, NotRun.not_executed, Status.sandbox_error, NotRun.syntax_error)]
    passed = [c for c in executed if c["attempts"][-1]["status"] == Status.passed]
    first_try = [c for c in executed if c["attempts"][0]["status"] == Status.passed]
    tested = [t for t in tasks if (t.get("tests") or {}).get("passed")]
    # The stub runs only against tests a candidate passed and whose called names the instruction gives.
    stubbed = [t for t in tested if t["tests"].get("mutant")]
    killed = [t for t in stubbed if t["tests"]["mutant"]["killed"]]
    # The constant (Python, JavaScript, TypeScript) and identity (also C, C++) mutants run after a killed stub.
    def kill_rate(kind: str) -> float | None:
        ran = [t["tests"]["mutants"][kind] for t in tested if kind in t["tests"].get("mutants", {})]
        return _rate(sum(m["killed"] for m in ran), len(ran))
    trusted = [t for t in tasks if (t.get("tests") or {}).get("trusted")]
    return {
        "tasks": len(tasks),
        "instructions": funnel["instructions"],
        "instructions_held_solution": funnel["instructions_held_solution"],
        "instructions_revised": funnel["instructions_revised"],
        "instructions_with_tests": funnel["instructions_with_tests"],
        "candidates": len(candidates),
        "pass_rate_shared_tests": _rate(len(passed), len(executed)),
        "pass_rate_first_try": _rate(len(first_try), len(executed)),
        "instructions_with_a_passing_candidate": len(tested),
        "stub_kill_rate": _rate(len(killed), len(stubbed)),
        "constant_kill_rate": kill_rate("constant"),
        "identity_kill_rate": kill_rate("identity"),
        # Answers that passed their tests but not their instruction's own example (sandbox/stated.py).
        "candidates_failing_stated_example": sum(1 for c in candidates if any(
            NOT_HELD in (a.get("error") or "") for a in c.get("attempts", []))),
        # Passing answers that gave two results for one probe call (sandbox/probes.py).
        "answers_disagreed": sum(1 for t in tested if (t["tests"].get("probes") or {}).get("disagreement")),
        "tests_trusted": len(trusted),
        # Checks set aside: every candidate reaching them failed them alike (agents/pool.py _settle).
        "trusted_with_checks_set_aside": sum(1 for t in trusted if t["tests"].get("set_aside")),
        "accepted": funnel["accepted"],
        "sft_coarse": funnel["sft_coarse"],
        "sft_fine": funnel["sft_fine"],
        "dpo_pairs": funnel["dpo_pairs"],
        "dpo_pairs_per_trusted_instruction": _rate(funnel["dpo_pairs"], len(trusted)),
    }


def reading_sheet(run: Path, languages: list[str], tasks: list[TaskEvent], *, samples: int, pairs: int,
                  seed: int) -> str:
    rng = random.Random(seed)
    set_aside = {t["instruction"]["id"]: t["tests"].get("set_aside") for t in tasks if t.get("tests")}
    sft = [r for lang in languages if (run / "sft" / f"{lang}.jsonl").is_file()
           for r in read_jsonl(run / "sft" / f"{lang}.jsonl")]
    dpo = [r for lang in languages if (run / "dpo" / f"{lang}.jsonl").is_file()
           for r in read_jsonl(run / "dpo" / f"{lang}.jsonl")]
    lines = [f"# Reading sheet for {run}", ""]
    for k, r in enumerate(rng.sample(sft, min(samples, len(sft))), 1):
        lines += [f"## sample {k}: {r['id']} ({r['language']}, score {r['score']}, checks {r['checks']}, "
                  f"passed by {r['tests_passed_by']['passed']}/{r['tests_passed_by']['candidates']})", "",
                  "### instruction", "", r["messages"][0]["content"], "", "### answer", "",
                  r["messages"][1]["content"], "", "### tests", "", f"```\n{r['tests']}\n```", "",
                  *(f"set aside: `{a['check']}` ({a['agreeing']} candidates: {a['report']})"
                    for a in set_aside.get(r["instruction_id"]) or []), ""]
    for k, p in enumerate(rng.sample(dpo, min(pairs, len(dpo))), 1):
        lines += [f"## pair {k}: {p['id']} ({p['reason']})", "", "### prompt", "", p["prompt"][0]["content"], "",
                  f"### chosen {p['chosen_verdict']}", "", p["chosen"][0]["content"], "",
                  f"### rejected {p['rejected_verdict']}", "", p["rejected"][0]["content"], ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    funnel = json.loads((args.run / "funnel.json").read_text())
    events = [e for e in read_jsonl(args.run / "events.jsonl") if e["event"] == "task"]
    languages = list(funnel["languages"])
    report = {lang: language_report([e for e in events if e["language"] == lang], funnel["languages"][lang])
              for lang in languages}
    table = Table("measure", *languages, title=f"data report: {args.run}")
    for key in next(iter(report.values())):
        table.add_row(key, *(str(report[lang][key]) for lang in languages))
    Console().print(table)
    (args.run / "data_report.json").write_text(json.dumps(report, indent=2))
    sheet = reading_sheet(args.run, languages, events, samples=args.samples, pairs=args.pairs, seed=args.seed)
    (args.run / "reading_sheet.md").write_text(sheet)
    Console().print(f"wrote {args.run / 'data_report.json'} and {args.run / 'reading_sheet.md'}")


if __name__ == "__main__":
    main()
