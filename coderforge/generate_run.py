"""`coderforge generate`: seeds from the corpus, one agent pool per language on shared backends,
every finished unit of work appended to RUN_DIR/events.jsonl, the memory graph (rebuilt from the log)
snapshotted in RUN_DIR/graph.json, and the outputs rebuilt from the log at the end. Candidates go
through the same filter chain (coderforge.checklists.chain) as `coderforge filter`. Killed at any point,
the same command resumes: logged events are kept (a torn last line is dropped), unfinished tasks are
redone; so are tasks left undone because a backend failed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from coderforge.agents.graph import GRAPH_FILE, MemoryGraph
from coderforge.agents.pool import LanguagePool, apply_event
from coderforge.agents.roles import Agents
from coderforge.config import Config
from coderforge.errors import CoderforgeError
from coderforge.events import Event
from coderforge.io import JsonlAppender, RecordError
from coderforge.llm import Backend, make_backend
from coderforge.llm.config import BackendConfig
from coderforge.outputs_config import OutputsConfig
from coderforge.rundir import flatten, public_provenance, read_run_file, record_session, run_lock

log = logging.getLogger(__name__)

EVENTS_FILE = "events.jsonl"
#: Fields that decide what a run's samples are; a resume must not change them. (Filter, sandbox
#: and engine settings may change: they apply to the tasks still to come; so may output settings:
#: the outputs are rebuilt from the whole log at the end of each session.)
_FINGERPRINT = ("generate.", "backend.kind", "backend.model")
#: Fields that may change between a run and its resumption: pace, not samples; and the output
#: settings that runs made before the `outputs` section recorded under generate.
_RESUMABLE_CHANGES = ("generate.instructions_per_language", "generate.tasks_in_flight",
                      *(f"generate.{name}" for name in OutputsConfig.model_fields))
#: Seconds between graph snapshots while running (the log replays whatever a snapshot missed).
GRAPH_SAVE_INTERVAL_S = 2.0


class RunMismatchError(CoderforgeError):
    """RUN_DIR holds a run made with a different configuration."""


def _check_fingerprint(out: Path, config: Config) -> None:
    """Refuse to resume a run folder made with another configuration (record_session notes each one)."""
    current = config.model_dump(mode="json")
    if run := read_run_file(out):
        before = flatten(run["config"])
        now = flatten(current)
        changed = sorted(k for k in before.keys() | now.keys()
                         if k.startswith(_FINGERPRINT) and before.get(k) != now.get(k)
                         and not k.startswith(_RESUMABLE_CHANGES) and ".concurrency" not in k)
        if changed:
            raise RunMismatchError(
                f"{out} holds a run made with another configuration ({', '.join(changed[:5])} differ); "
                "resume it with the same config or write to a new --out folder")


def load_seeds(config: Config) -> dict[str, dict[str, Any]]:
    """Seeds of every configured language by id (ids are content hashes, stable across runs)."""
    from coderforge.agents.seeding import load_seeds as language_seeds
    from coderforge.code.tokens import load_token_counter

    counter = load_token_counter(config.code.tokenizer)
    seeds: dict[str, dict[str, Any]] = {}
    for language in config.generate.languages:
        found = language_seeds(language, paths=config.generate.corpus.get(language),
                               limit=config.generate.seeds_per_language, seed=config.generate.seed,
                               config=config.code.seeds, counter=counter)
        if not found:
            where = config.generate.corpus.get(language) or "the source installed on this machine"
            raise CoderforgeError(f"no {language} seeds found in {where}; set generate.corpus.{language} "
                                  "to folders of real source")
        seeds.update((s["id"], s) for s in found)
    return seeds


def build_backends(config: Config) -> dict[str, Backend]:
    """A backend per role; roles with the same backend config share one instance (one engine)."""
    shared: dict[str, Backend] = {}
    by_role: dict[str, Backend] = {}
    routes = {role: getattr(config.generate.roles, role).backend for role in type(config.generate.roles).model_fields}
    routes["judge"] = config.filters.judge.backend
    for role, routed in routes.items():
        cfg: BackendConfig = routed or config.backend
        key = cfg.model_dump_json()
        if key not in shared:
            shared[key] = make_backend(cfg)
        by_role[role] = shared[key]
    return by_role


class EventLog:
    """RUN_DIR/events.jsonl: append-only, fsynced per event; opening it drops a torn last line."""

    def __init__(self, path: Path) -> None:
        try:
            self._file = JsonlAppender(path, keep_records=True)
        except RecordError as e:
            raise CoderforgeError(f"the run's event log is damaged beyond its last line: {e}") from e
        self.events: list[Event] = self._file.records  # type: ignore[assignment]  (kept: keep_records)

    def append(self, event: Event) -> None:
        self._file.append(event)  # also lands in self.events

    def close(self) -> None:
        self._file.close()


class GenerateRun:
    """One generate run into `out`; `backends` (per role) may be given, e.g. metered ones."""

    def __init__(self, config: Config, out: Path, *, backends: Mapping[str, Backend] | None = None) -> None:
        self.config = config
        self.out = out
        self._backends = backends

    async def run(self, *, on_event: Callable[[Event], None] | None = None,
                  on_start: Callable[[dict[str, tuple[int, int]]], None] | None = None) -> dict[str, Any]:
        """Generate until every pool's budget is logged, then write the outputs; returns the funnel.
        The run folder is locked for the whole run: a second run into it fails, naming this one."""
        with run_lock(self.out):
            return await self._run(on_event=on_event, on_start=on_start)

    async def _run(self, *, on_event: Callable[[Event], None] | None,
                   on_start: Callable[[dict[str, tuple[int, int]]], None] | None) -> dict[str, Any]:
        cfg = self.config.generate
        if (self.out / "shards").is_dir():
            raise CoderforgeError(f"{self.out} holds a run of the ray executor (shards/); resume it with "
                                  "executor.kind ray, or write to a new --out folder")
        self.out.mkdir(parents=True, exist_ok=True)
        _check_fingerprint(self.out, self.config)
        seeds = load_seeds(self.config)
        record_session(self.out, self.config, seed_ids=seeds.keys())
        events = EventLog(self.out / EVENTS_FILE)
        graph = MemoryGraph(near_duplicate_threshold=cfg.near_duplicate_threshold)
        for seed in seeds.values():
            graph.add_seed(seed)
        for event in events.events:
            apply_event(graph, event, seeds)
        last_save = time.monotonic()

        def record(event: Event) -> None:
            nonlocal last_save
            events.append(event)
            apply_event(graph, event, seeds)
            if time.monotonic() - last_save > GRAPH_SAVE_INTERVAL_S:
                graph.save(self.out / GRAPH_FILE)
                last_save = time.monotonic()
            if on_event is not None:
                on_event(event)

        async with contextlib.AsyncExitStack() as stack:
            backends = self._backends
            if backends is None:
                backends = build_backends(self.config)
                for backend in {id(b): b for b in backends.values()}.values():
                    stack.push_async_callback(backend.aclose)
            from coderforge.checklists.chain import build_chain
            from coderforge.sandbox import Sandbox

            sandbox = stack.enter_context(contextlib.closing(Sandbox(self.config.sandbox)))
            chain = build_chain(self.config.filters, sandbox=sandbox, judge_backend=backends["judge"])
            agents = Agents(cfg.roles, backends, seed=cfg.seed)
            pools = [LanguagePool(language, config=cfg, agents=agents, chain=chain, sandbox=sandbox, graph=graph,
                                  seeds=seeds, record=record, done_events=events.events)
                     for language in cfg.languages]
            for pool in pools:
                pool.peers = [p for p in pools if p is not pool]
            if on_start is not None:
                on_start({p.language: (len(p.done_slots), cfg.instructions_per_language) for p in pools})
            started = time.time()
            try:
                await asyncio.gather(*(pool.run() for pool in pools))
            finally:
                events.close()
                graph.save(self.out / GRAPH_FILE)
            models = sorted({b.model for b in backends.values()})

        from coderforge.outputs import build_outputs

        provenance = public_provenance(self.config, models=models, events=len(events.events),
                                       seconds=time.time() - started, tokens=agents.usage)
        funnel = build_outputs(self.out, config=self.config, events=events.events, graph=graph, seeds=seeds,
                               provenance=provenance)
        graph.save(self.out / GRAPH_FILE)
        undone = [why for pool in pools for why in pool.undone]
        if undone:
            raise CoderforgeError(
                f"{len(undone)} unit(s) of work were left undone because a backend failed (last: {undone[-1]}); "
                f"the outputs hold what was done. Run the same command again to resume {self.out}")
        return funnel
