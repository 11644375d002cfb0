"""A generate run's outputs, derived from its append-only event log: SFT splits per language (trl
`messages`, optionally Qwen chatml `text`), FIM samples, DPO pairs, every rejected item with its
reason, the funnel, and a dataset card with plots. Every file is rewritten atomically from the
whole log, so a killed run's outputs are never half-written, duplicated or missing a logged task.
Every record is validated against the JSON Schema the package publishes (coderforge/schemas/)."""

from __future__ import annotations

import json
import logging
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import jsonschema

from coderforge.agents.graph import MemoryGraph
from coderforge.agents.prompting import language_notes
from coderforge.checklists.config import DedupConfig
from coderforge.code.special_tokens import IM_END, IM_START
from coderforge.config import Config
from coderforge.events import Attempt, Candidate, Event, NotRun, TaskEvent
from coderforge.io import atomic_write_json, write_jsonl
from coderforge.records import verdict
from coderforge.sandbox.harness import without_solution_copies
from coderforge.sandbox.program import Status

log = logging.getLogger(__name__)

Record = dict[str, Any]
"""An output record (sft, fim, dpo, rejected); see record_schema."""
RECORD_KINDS = ("sft", "fim", "dpo", "rejected")
MAX_CONTENT = 4000


@cache
def record_schema(kind: str) -> dict[str, Any]:
    """The published JSON Schema of a record kind (sft, fim, dpo, rejected)."""
    if kind not in RECORD_KINDS:
        raise ValueError(f"unknown record kind {kind!r}; kinds: {', '.join(RECORD_KINDS)}")
    return json.loads(resources.files("coderforge").joinpath(f"schemas/{kind}.schema.json").read_text())


def validate_record(kind: str, record: Mapping[str, Any]) -> None:
    """Raise jsonschema.ValidationError when a record breaks its published schema."""
    jsonschema.Draft202012Validator(record_schema(kind)).validate(record)


def chatml(messages: Sequence[Mapping[str, str]]) -> str:
    """Qwen chatml text of a conversation."""
    return "".join(f"{IM_START}{m['role']}\n{m['content']}{IM_END}\n" for m in messages)


def _fenced(code: str, language: str) -> str:
    return f"```{language_notes(language).fence}\n{code.rstrip()}\n```"


def _short(text: str | None) -> str:
    return (text or "")[:MAX_CONTENT]


# -- records from events ------------------------------------------------------------------------
#: Statuses of a version that ran against the shared tests and lost (or did not compile or parse):
#: the rejected side of a DPO pair.
FAILING = frozenset({Status.failed, Status.compile_error, Status.timeout, Status.memory_exceeded,
                     Status.output_exceeded, NotRun.syntax_error})


def _source(task: TaskEvent) -> Record:
    target = task.get("target") or {}
    return {"kind": task["kind"], "concept": target.get("concept", ""), "difficulty": target.get("difficulty", ""),
            "seed_id": target.get("seed_id"), "adapted_from": task.get("adapted_from")}


def _sandbox_status(candidate: Candidate) -> str | None:
    return (verdict(candidate, "sandbox") or {}).get("status")


def _judged_only(candidate: Candidate) -> bool:
    """Coarse tier without execution: parsed, clean and judge-passed, but the sandbox could not run
    it (no toolchain, not self-contained)."""
    return (_sandbox_status(candidate) in {None, Status.sandbox_error}
            and (verdict(candidate, "judge") or {}).get("passed", False)
            and all(v["passed"] for v in candidate.get("verdicts", []) if v["stage"] != "sandbox"))


def _sft_record(task: TaskEvent, candidate: Candidate, *, with_text: bool) -> Record:
    messages = [{"role": "user", "content": task["instruction"]["text"]},
                {"role": "assistant", "content": _fenced(candidate["solution"], task["language"])}]
    tests = task.get("tests") or {}
    executed = bool(candidate.get("accepted"))
    return {
        "id": candidate["id"], "language": task["language"], "instruction_id": task["instruction"]["id"],
        "messages": messages, "text": chatml(messages) if with_text else None, "score": candidate.get("score"),
        "repairs": candidate.get("repairs", 0), "model": candidate["model"], "prompt_hash": candidate["prompt_hash"],
        "source": _source(task), "verdicts": candidate.get("verdicts", []),
        # The tests as they ran: without their own copy of the solution's functions (harness.py).
        "tests": without_solution_copies(tests["code"], candidate["solution"], task["language"]) if executed
        else None, "executed": executed,
        "checks": (verdict(candidate, "sandbox") or {}).get("checks", 0) if executed else 0,
        "tests_passed_by": {"passed": tests.get("passed", 0), "candidates": max(1, tests.get("candidates", 1))},
    }


def _rejections(events: Iterable[Event]) -> list[Record]:
    out = []
    for e in events:
        if e["event"] == "concepts" and e.get("rejection"):
            out.append({"id": e["id"], "language": e["language"], "item": "seed", **e["rejection"],
                        "content": _short(e.get("response"))})
        elif e["event"] == "task":
            drafts = [(f"{e['id']}.d{k}", d) for k, d in enumerate(e.get("earlier_drafts", []), start=1)]
            for rid, draft in [*drafts, (e["id"], e)]:
                if rejection := draft.get("rejection"):
                    content = (draft.get("instruction") or {}).get("text") or rejection.get("response", "")
                    out.append({"id": rid, "language": e["language"], "item": "task", "stage": rejection["stage"],
                                "reason": rejection["reason"], "content": _short(content)})
            for c in e.get("candidates", []):
                if c.get("accepted") or _judged_only(c):
                    continue
                failed = next((v for v in c.get("verdicts", []) if not v["passed"]), None)
                if failed is not None:
                    stage, reason = failed["stage"], failed["reason"]
                else:  # passed every check, but the tests it passed are not trusted
                    stage, reason = "tests", (e.get("tests") or {}).get("why_untrusted", "tests not trusted")
                out.append({"id": c["id"], "language": e["language"], "item": "candidate", "stage": stage,
                            "reason": reason, "content": _short(c.get("solution") or c.get("response"))})
    return out


#: Candidates, or the SFT records made from them: both have an id, a judge score and repairs.
_Scored = TypeVar("_Scored", bound=Mapping[str, Any])


def _best(candidates: Sequence[_Scored]) -> _Scored:
    """Best of n: highest judge score, then fewest repairs, then id."""
    return min(candidates, key=lambda c: (-(c.get("score") or 0.0), c.get("repairs", 0), c["id"]))


def _fine(coarse: Sequence[Record], fraction: float) -> list[Record]:
    """Executed samples only: the best of n per instruction, then the top `fraction` of instructions
    by judge score."""
    by_instruction: dict[str, list[Record]] = defaultdict(list)
    for r in coarse:
        if r["executed"]:
            by_instruction[r["instruction_id"]].append(r)
    best = sorted((_best(rs) for rs in by_instruction.values()), key=lambda r: (-(r["score"] or 0.0), r["id"]))
    return sorted(best[: math.ceil(fraction * len(best))], key=lambda r: r["id"])


def _versions(candidate: Candidate) -> list[tuple[str, Attempt]]:
    """(id, attempt) of every version of a candidate that has code: the first, then each repair."""
    attempts = [a for a in candidate.get("attempts", []) if a.get("code")]
    return [(candidate["id"] if k == 0 else f"{candidate['id']}.r{k}", a) for k, a in enumerate(attempts)]


def _normalized(code: str) -> str:
    return " ".join(code.split())


def _side(code: str, *, status: str, checks: int, score: float | None, repairs: int) -> Record:
    return {"code": code, "verdict": {"status": status, "checks": checks, "score": score, "repairs": repairs}}


def _dpo_pairs(task: TaskEvent, *, margin: float, limit: int) -> list[Record]:
    """Pairs for one instruction whose shared tests are trusted. Chosen: the best accepted answer.
    Rejected: versions that ran against the same tests and failed them (or did not compile or parse),
    final answers first, then attempts that a repair later fixed; not benchmark copies, not the
    chosen code. When nothing failed, accepted answers trailing the chosen one by the judge margin."""
    tests = task.get("tests") or {}
    accepted = [c for c in task.get("candidates", []) if c.get("accepted")]
    if not tests.get("trusted") or not accepted:
        return []
    chosen = _best(accepted)
    chosen_side = _side(chosen["solution"], status=Status.passed, score=chosen.get("score"), repairs=chosen["repairs"],
                        checks=(verdict(chosen, "sandbox") or {}).get("checks", 0))
    losers: list[tuple[int, str, Record, str]] = []
    for c in task["candidates"]:
        versions = _versions(c)
        for k, (vid, attempt) in enumerate(versions):
            if attempt["status"] in FAILING and attempt.get("clean", True):
                final = k == len(versions) - 1
                side = _side(attempt["code"], status=attempt["status"], checks=attempt.get("checks", 0),
                             score=c.get("score") if final else None, repairs=k)
                losers.append((0 if final else 1, vid, side, f"rejected {attempt['status']} on the shared tests "
                                                              "the chosen answer passes"))
    losers.sort(key=lambda item: item[:2])
    if not losers:
        for c in accepted:
            if c is not chosen and c.get("score") is not None and chosen.get("score") is not None \
                    and c["score"] <= chosen["score"] - margin:
                side = _side(c["solution"], status=Status.passed, score=c["score"], repairs=c["repairs"],
                             checks=(verdict(c, "sandbox") or {}).get("checks", 0))
                losers.append((0, c["id"], side, f"both pass the shared tests; judge margin "
                                                 f"{chosen['score'] - c['score']:.2f}"))
    language = task["language"]
    pairs, seen = [], {_normalized(chosen["solution"])}
    for _, vid, side, reason in losers:
        if len(pairs) == limit or _normalized(side["code"]) in seen:
            continue
        seen.add(_normalized(side["code"]))
        pairs.append({
            "id": f"{task['instruction']['id']}-dpo{len(pairs)}", "language": language,
            "instruction_id": task["instruction"]["id"],
            "prompt": [{"role": "user", "content": task["instruction"]["text"]}],
            "chosen": [{"role": "assistant", "content": _fenced(chosen["solution"], language)}],
            "rejected": [{"role": "assistant", "content": _fenced(side["code"], language)}],
            "chosen_id": chosen["id"], "rejected_id": vid, "chosen_score": chosen.get("score"),
            "rejected_score": side["verdict"]["score"], "reason": reason,
            "chosen_verdict": chosen_side["verdict"], "rejected_verdict": side["verdict"],
        })
    return pairs


def _fim_records(sources: Sequence[tuple[str, str, str]], *, per_source: int, seed: int) -> list[Record]:
    """FIM documents (PSM/SPM, syntactic spans) and FIM instruction chats cut from (node, language, code)."""
    from coderforge.code.fim import FimSkipped, build_fim_sample, fim_instruction_sample

    out = []
    for node, language, code in sources:
        for k in range(per_source):
            rng = random.Random(f"{seed}:{node}:{k}")
            try:
                document = build_fim_sample(code, language, rng=rng)
                chat = fim_instruction_sample(code, language, rng=rng)
            except FimSkipped as e:
                log.debug("no FIM sample from %s: %s", node, e)
                continue
            out.append({"id": f"{node}:fim{k}", "language": language, "kind": "fim", "text": document.text,
                        "messages": None, "source": node})
            out.append({"id": f"{node}:fim-instruction{k}", "language": language, "kind": "fim_instruction",
                        "text": None, "messages": chat["messages"], "source": node})
    return out


def _dedup(records: list[Record], config: DedupConfig) -> tuple[list[Record], list[Record]]:
    """Near-duplicate SFT records: the best-scored of each cluster stays; the others are rejected."""
    from coderforge.checklists.dedup import Deduplicator

    Deduplicator(config).dedup_records(records)
    kept = [r for r in records if verdict(r, "dedup")["passed"]]
    dropped = [{"id": r["id"], "language": r["language"], "item": "sft", "stage": "dedup",
                "reason": verdict(r, "dedup")["reason"], "content": _short(r["messages"][-1]["content"])}
               for r in records if not verdict(r, "dedup")["passed"]]
    return kept, dropped


# -- the whole run --------------------------------------------------------------------------------
def build_outputs(
    out: Path,
    *,
    config: Config,
    events: Sequence[Event],
    graph: MemoryGraph,
    seeds: Mapping[str, Mapping[str, Any]],
    provenance: Mapping[str, Any],
) -> dict[str, Any]:
    """Write every output file from the event log, as `config.outputs` says; returns the funnel.
    SFT records are deduplicated when the filter chain has its `dedup` stage."""
    settings, languages = config.outputs, config.generate.languages
    dedup = config.filters.dedup if "dedup" in config.filters.stages else None
    tasks = [e for e in events if e["event"] == "task"]
    rejected = _rejections(events)
    funnel: dict[str, Any] = {"languages": {}, "rejected_by_stage": {}}
    for language in languages:
        ours = [t for t in tasks if t["language"] == language]
        kept = [_sft_record(t, c, with_text=settings.chatml) for t in ours for c in t.get("candidates", [])
                if c.get("accepted") or _judged_only(c)]
        coarse, dropped = _dedup(kept, dedup) if kept and dedup is not None else (kept, [])
        rejected.extend(dropped)
        fine = _fine(coarse, settings.fine_fraction)
        pairs = [p for t in ours for p in _dpo_pairs(t, margin=settings.dpo_min_margin,
                                                     limit=settings.dpo_pairs_per_instruction)]
        solutions = {c["id"]: c["solution"] for t in ours for c in t.get("candidates", [])}
        fim_sources = [(f"solution:{r['id']}", language, solutions[r["id"]]) for r in coarse if r["executed"]]
        fim_sources += [(f"seed:{sid}", language, s["code"]) for sid, s in sorted(seeds.items())
                        if s["language"] == language]
        fim = _fim_records(fim_sources, per_source=settings.fim_per_source, seed=config.generate.seed)
        for record in fim:
            graph.add_fim(record["id"], language=language, source=record["source"])
        _write(out / "sft" / f"{language}.jsonl", "sft", coarse)
        _write(out / "sft" / "fine" / f"{language}.jsonl", "sft", fine)
        _write(out / "dpo" / f"{language}.jsonl", "dpo", pairs)
        _write(out / "fim" / f"{language}.jsonl", "fim", fim)
        funnel["languages"][language] = _funnel_counts(
            language, events=events, seeds=seeds, coarse=coarse, fine=fine, pairs=pairs, fim=fim)
    _write(out / "rejected.jsonl", "rejected", rejected)
    funnel["rejected_by_stage"] = {
        language: dict(Counter(r["stage"] for r in rejected if r["language"] == language).most_common())
        for language in languages
    }
    funnel["provenance"] = dict(provenance)
    atomic_write_json(out / "funnel.json", funnel)
    from coderforge.card import write_card

    write_card(out, funnel=funnel, graph_stats=graph.stats(), tasks=tasks)
    return funnel


def _write(path: Path, kind: str, records: Sequence[Record]) -> None:
    """Validate and write atomically; no records, no file (an empty JSONL file is not a loadable dataset)."""
    for record in records:
        validate_record(kind, record)
    if records:
        write_jsonl(path, records)
    else:
        path.unlink(missing_ok=True)


def _funnel_counts(language: str, *, events: Sequence[Event], seeds: Mapping[str, Mapping[str, Any]],
                   coarse: Sequence[Record], fine: Sequence[Record], pairs: Sequence[Record],
                   fim: Sequence[Record]) -> dict[str, int]:
    """Items reaching each stage, in pipeline order: seeds, seeds with concepts, tasks (and drafts
    dropped before their tests, whose slot wrote again), instructions
    written (drafts that parsed and did not hold their solution), revised after review, kept (not a
    near-duplicate, not contaminated), with tests; candidates sampled, parsed, passing the shared
    tests (after repairs); instructions whose tests a candidate passed, whose passing answers gave
    different results on a probe (sandbox/probes.py), whose tests were trusted; clean and
    judge-passed candidates, accepted; then what the outputs hold."""
    tasks = [e for e in events if e["event"] == "task" and e["language"] == language]
    candidates = [c for t in tasks for c in t.get("candidates", [])]
    tested = [t for t in tasks if (t.get("tests") or {}).get("passed")]

    def reached(stage: str) -> int:
        return sum(1 for c in candidates if (v := verdict(c, stage)) and v["passed"])

    return {
        "seeds": sum(1 for s in seeds.values() if s["language"] == language),
        "seeds_with_concepts": sum(1 for e in events if e["event"] == "concepts" and e["language"] == language
                                   and e.get("concepts")),
        "tasks": len(tasks),
        "drafts_redrawn": sum(len(t.get("earlier_drafts", [])) for t in tasks),
        "drafts_held_solution": sum(1 for t in tasks if (t.get("instruction") or {}).get("held_solution")),
        "instructions_held_solution": sum(1 for t in tasks if "holds its own solution" in
                                          (t.get("rejection") or {}).get("reason", "")),
        "instructions": sum(1 for t in tasks if t.get("instruction")),
        "instructions_revised": sum(1 for t in tasks if (t.get("instruction") or {}).get("revised")),
        "instructions_kept": sum(1 for t in tasks if (t.get("instruction") or {}).get("id")
                                 and (t.get("rejection") or {}).get("stage") not in {"dedup", "decontam"}),
        "instructions_with_tests": sum(1 for t in tasks if t.get("tests")),
        "candidates": len(candidates),
        "parsed": reached("parse"),
        "tests_pass": reached("sandbox"),
        "instructions_passed": len(tested),
        "answers_disagreed": sum(1 for t in tested if (t["tests"].get("probes") or {}).get("disagreement")),
        "tests_trusted": sum(1 for t in tested if t["tests"].get("trusted")),
        "clean": sum(1 for c in candidates if (v := verdict(c, "sandbox")) and v["passed"]
                     and (verdict(c, "decontam") or v)["passed"]),
        "judge_pass": reached("judge"),
        "accepted": sum(1 for c in candidates if c.get("accepted")),
        "sft_coarse": len(coarse),
        "sft_fine": len(fine),
        "dpo_pairs": len(pairs),
        "fim_samples": len(fim),
    }
