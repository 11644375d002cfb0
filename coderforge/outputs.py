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
from typing import Any

import jsonschema

from coderforge.agents.config import GenerateConfig
from coderforge.agents.graph import MemoryGraph
from coderforge.agents.prompting import language_notes
from coderforge.code.fim import IM_END, IM_START
from coderforge.filters.config import DedupConfig
from coderforge.records import atomic_writer, verdict, write_jsonl

log = logging.getLogger(__name__)

Record = dict[str, Any]
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
def _source(task: Record) -> Record:
    target = task.get("target") or {}
    return {"kind": task["kind"], "concept": target.get("concept", ""), "difficulty": target.get("difficulty", ""),
            "seed_id": target.get("seed_id"), "adapted_from": task.get("adapted_from")}


def _sft_record(task: Record, candidate: Record, *, with_text: bool) -> Record:
    messages = [{"role": "user", "content": task["instruction"]["text"]},
                {"role": "assistant", "content": _fenced(candidate["solution"], task["language"])}]
    return {
        "id": candidate["id"], "language": task["language"], "instruction_id": task["instruction"]["id"],
        "messages": messages, "text": chatml(messages) if with_text else None, "score": candidate.get("score"),
        "repairs": candidate.get("repairs", 0), "model": candidate["model"], "prompt_hash": candidate["prompt_hash"],
        "source": _source(task), "verdicts": candidate.get("verdicts", []),
    }


def _rejections(events: Iterable[Record]) -> list[Record]:
    out = []
    for e in events:
        if e["event"] == "concepts" and e.get("rejection"):
            out.append({"id": e["id"], "language": e["language"], "item": "seed", **e["rejection"],
                        "content": _short(e.get("response"))})
        elif e["event"] == "task":
            if e.get("rejection"):
                content = (e.get("instruction") or {}).get("text") or e["rejection"].get("response", "")
                out.append({"id": e["id"], "language": e["language"], "item": "task",
                            "stage": e["rejection"]["stage"], "reason": e["rejection"]["reason"],
                            "content": _short(content)})
            for c in e.get("candidates", []):
                if c.get("accepted"):
                    continue
                failed = next((v for v in c.get("verdicts", []) if not v["passed"]), None)
                stage, reason = (failed["stage"], failed["reason"]) if failed else ("judge", "not judged")
                out.append({"id": c["id"], "language": e["language"], "item": "candidate", "stage": stage,
                            "reason": reason, "content": _short(c.get("solution") or c.get("response"))})
    return out


def _best(candidates: Sequence[Record]) -> Record:
    """Best of n: highest judge score, then fewest repairs, then id."""
    return min(candidates, key=lambda c: (-(c.get("score") or 0.0), c.get("repairs", 0), c["id"]))


def _fine(coarse: Sequence[Record], fraction: float) -> list[Record]:
    by_instruction: dict[str, list[Record]] = defaultdict(list)
    for r in coarse:
        by_instruction[r["instruction_id"]].append(r)
    best = sorted((_best(rs) for rs in by_instruction.values()), key=lambda r: (-(r["score"] or 0.0), r["id"]))
    return sorted(best[: math.ceil(fraction * len(best))], key=lambda r: r["id"])


def _dpo_pair(task: Record, margin: float) -> Record | None:
    """Chosen: the accepted candidate with the best judge score; rejected: one that fails its tests,
    else one scoring at least `margin` lower. Where nothing ran (no toolchain), judge margins alone."""
    candidates = [c for c in task.get("candidates", []) if c.get("solution")]
    accepted = [c for c in candidates if c.get("accepted")]
    executed = any(verdict(c, "sandbox") and verdict(c, "sandbox")["status"] != "sandbox_error" for c in candidates)
    if accepted:
        chosen = _best(accepted)
    elif not executed:
        judged = [c for c in candidates if c.get("score") is not None and verdict(c, "judge")["passed"]]
        if not judged:
            return None
        chosen = _best(judged)
    else:
        return None
    failing = [c for c in candidates if not (verdict(c, "syntax") or {"passed": True})["passed"]
               or ((v := verdict(c, "sandbox")) and not v["passed"] and v["status"] != "sandbox_error")]
    if failing and executed:
        rejected, reason = min(failing, key=lambda c: c["id"]), "rejected fails its tests"
    else:
        worse = [c for c in candidates if c is not chosen and c.get("score") is not None
                 and c["score"] <= (chosen.get("score") or 0.0) - margin]
        if not worse:
            return None
        rejected = min(worse, key=lambda c: (c["score"], c["id"]))
        reason = f"judge margin {(chosen['score'] or 0.0) - rejected['score']:.2f}"
    language = task["language"]
    return {
        "id": f"{task['instruction']['id']}-dpo", "language": language,
        "prompt": [{"role": "user", "content": task["instruction"]["text"]}],
        "chosen": [{"role": "assistant", "content": _fenced(chosen["solution"], language)}],
        "rejected": [{"role": "assistant", "content": _fenced(rejected["solution"], language)}],
        "chosen_id": chosen["id"], "rejected_id": rejected["id"], "chosen_score": chosen.get("score"),
        "rejected_score": rejected.get("score"), "reason": reason,
    }


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
    from coderforge.filters.dedup import Deduplicator

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
    events: Sequence[Record],
    graph: MemoryGraph,
    seeds: Mapping[str, Mapping[str, Any]],
    config: GenerateConfig,
    dedup: DedupConfig,
    provenance: Mapping[str, Any],
) -> dict[str, Any]:
    """Write every output file from the event log; returns the funnel."""
    tasks = [e for e in events if e["event"] == "task"]
    rejected = _rejections(events)
    funnel: dict[str, Any] = {"languages": {}, "rejected_by_stage": {}}
    for language in config.languages:
        ours = [t for t in tasks if t["language"] == language]
        accepted = [_sft_record(t, c, with_text=config.chatml) for t in ours for c in t.get("candidates", [])
                    if c.get("accepted")]
        coarse, dropped = _dedup(accepted, dedup) if accepted else ([], [])
        rejected.extend(dropped)
        fine = _fine(coarse, config.fine_fraction)
        pairs = [p for t in ours if t.get("instruction") and (p := _dpo_pair(t, config.dpo_min_margin))]
        solutions = {c["id"]: c["solution"] for t in ours for c in t.get("candidates", [])}
        fim_sources = [(f"solution:{r['id']}", language, solutions[r["id"]]) for r in coarse]
        fim_sources += [(f"seed:{sid}", language, s["code"]) for sid, s in sorted(seeds.items())
                        if s["language"] == language]
        fim = _fim_records(fim_sources, per_source=config.fim_per_source, seed=config.seed)
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
        for language in config.languages
    }
    funnel["provenance"] = dict(provenance)
    with atomic_writer(out / "funnel.json") as f:
        json.dump(funnel, f, indent=2)
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


def _funnel_counts(language: str, *, events: Sequence[Record], seeds: Mapping[str, Mapping[str, Any]],
                   coarse: Sequence[Record], fine: Sequence[Record], pairs: Sequence[Record],
                   fim: Sequence[Record]) -> dict[str, int]:
    """Items reaching each stage, in pipeline order: seeds, seeds with concepts, tasks, instructions
    parsed, instructions kept (not near-duplicate, not contaminated), candidates sampled, programs
    parsed (a code block in the language, with tests), syntax ok, tests pass (after repair rounds),
    clean (no benchmark overlap), judge pass, accepted; then what the outputs hold."""
    tasks = [e for e in events if e["event"] == "task" and e["language"] == language]
    candidates = [c for t in tasks for c in t.get("candidates", [])]

    def reached(stage: str, *, pass_needed: bool = True) -> int:
        return sum(1 for c in candidates if (v := verdict(c, stage)) and (v["passed"] or not pass_needed))

    return {
        "seeds": sum(1 for s in seeds.values() if s["language"] == language),
        "seeds_with_concepts": sum(1 for e in events if e["event"] == "concepts" and e["language"] == language
                                   and e.get("concepts")),
        "tasks": len(tasks),
        "instructions": sum(1 for t in tasks if t.get("instruction")),
        "instructions_kept": sum(1 for t in tasks if t.get("instruction") and not (t.get("rejection") or {})),
        "candidates": len(candidates),
        "programs": reached("program"),
        "syntax_ok": reached("syntax"),
        "tests_pass": reached("sandbox"),
        "clean": sum(1 for c in candidates if (v := verdict(c, "sandbox")) and v["passed"]
                     and (verdict(c, "decontam") or v)["passed"]),
        "judge_pass": reached("judge"),
        "accepted": sum(1 for c in candidates if c.get("accepted")),
        "sft_coarse": len(coarse),
        "sft_fine": len(fine),
        "dpo_pairs": len(pairs),
        "fim_samples": len(fim),
    }
