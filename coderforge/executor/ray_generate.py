"""`coderforge generate` on a Ray cluster. The run is split into shards (one language x a range of
task slots), each a Ray task running the same LanguagePool code as the local executor, with:

- the memory graph as one named actor (`GraphActor`) that folds in every shard's events and
  answers the pools' queries (targets, adaptable items, near-duplicate instructions), saved to
  RUN_DIR/graph.json as in a local run;
- local engines (transformers, vLLM) as actors shared by every shard through the Backend seam
  (`RemoteBackend`); OpenAI endpoints are called from each shard directly;
- sandbox executions spread over a pool of one-CPU actors (`RemoteSandbox`), so execution
  scales apart from inference.

Each shard appends its own event log, RUN_DIR/shards/<language>-<first>-<end>.jsonl, with the
local log's exactly-once rules (fsync per event, a torn last line dropped on reopening, logged
slots never redone); a shard whose slots are all logged is skipped on rerun. A shard whose worker
dies is retried by Ray and resumes from its log. The outputs are built from the merged logs."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coderforge.agents.graph import GRAPH_FILE, Adaptable, MemoryGraph, Target
from coderforge.agents.pool import LanguagePool, apply_event
from coderforge.config import Config
from coderforge.errors import CoderforgeError
from coderforge.events import Event
from coderforge.executor.cluster import connect, import_ray
from coderforge.executor.engines import LeastBusy, RemoteBackend, replica_plan, start_replicas
from coderforge.generate_run import EVENTS_FILE, GRAPH_SAVE_INTERVAL_S, EventLog, _check_fingerprint, load_seeds
from coderforge.llm.base import Backend
from coderforge.llm.config import BackendConfig
from coderforge.rundir import public_provenance, record_session, run_lock

__all__ = ["RayGenerateRun", "Shard", "plan_shards"]

log = logging.getLogger(__name__)

SHARDS_DIR = "shards"
#: Times Ray reruns a shard whose worker process or node died (it resumes from its log).
SHARD_RETRIES = 3


@dataclass(frozen=True)
class Shard:
    """One language's task slots [start, stop); stop == start: the language's concept extraction."""

    language: str
    start: int
    stop: int

    @property
    def name(self) -> str:
        if self.stop == self.start:
            return f"{self.language}-concepts"
        return f"{self.language}-{self.start:05d}-{self.stop:05d}"

    def log_path(self, out: Path) -> Path:
        return out / SHARDS_DIR / f"{self.name}.jsonl"


def plan_shards(languages: Sequence[str], *, budget: int, shard_slots: int) -> list[Shard]:
    """Task shards of every language: slot ranges of `shard_slots`, in language then slot order."""
    return [Shard(language, start, min(start + shard_slots, budget))
            for language in languages for start in range(0, budget, shard_slots)]


# -- the shared memory graph -------------------------------------------------------------------

class GraphActor:
    """Owns the run's MemoryGraph: folds in events (idempotently) and answers the pools' queries."""

    def __init__(self, *, path: str, threshold: float, seeds: Mapping[str, Mapping[str, Any]],
                 events: Sequence[Event]) -> None:
        self._path = Path(path)
        self._seeds = seeds
        self._graph = MemoryGraph(near_duplicate_threshold=threshold)  # rebuilt from the logs
        for seed in seeds.values():
            self._graph.add_seed(seed)
        self._last_save = time.monotonic()
        self.apply(events)

    def apply(self, events: Sequence[Event]) -> None:
        for event in events:
            apply_event(self._graph, event, self._seeds)
        if time.monotonic() - self._last_save > GRAPH_SAVE_INTERVAL_S:
            self.save()

    def save(self) -> None:
        self._graph.save(self._path)
        self._last_save = time.monotonic()

    def seeds_without_concepts(self, language: str) -> list[str]:
        return self._graph.seeds_without_concepts(language)

    def next_target(self, language: str, *, difficulty_mix: Mapping[str, float], exclude: Iterable[str] = (),
                    salt: str = "", max_failures: int | None = None) -> Target | None:
        return self._graph.next_target(language, difficulty_mix=difficulty_mix, exclude=exclude, salt=salt,
                                       max_failures=max_failures)

    def adaptable(self, language: str) -> list[Adaptable]:
        return self._graph.adaptable(language)

    def near_duplicate(self, text: str, language: str) -> str | None:
        return self._graph.near_duplicate(text, language)

    def written_about(self, language: str, concept: str, *, limit: int = 3) -> list[str]:
        return self._graph.written_about(language, concept, limit=limit)

    def verified_examples(self, language: str, *, limit: int = 2) -> list[str]:
        return self._graph.verified_examples(language, limit=limit)


class RemoteGraph:
    """The GraphView a pool queries, answered by the graph actor (calls are short and few)."""

    def __init__(self, actor: Any) -> None:
        self._actor = actor
        self._ray = import_ray()

    def seeds_without_concepts(self, language: str) -> list[str]:
        return self._ray.get(self._actor.seeds_without_concepts.remote(language))

    def next_target(self, language: str, *, difficulty_mix: Mapping[str, float], exclude: Iterable[str] = (),
                    salt: str = "", max_failures: int | None = None) -> Target | None:
        return self._ray.get(self._actor.next_target.remote(language, difficulty_mix=dict(difficulty_mix),
                                                            exclude=list(exclude), salt=salt,
                                                            max_failures=max_failures))

    def adaptable(self, language: str) -> list[Adaptable]:
        return self._ray.get(self._actor.adaptable.remote(language))

    def near_duplicate(self, text: str, language: str) -> str | None:
        return self._ray.get(self._actor.near_duplicate.remote(text, language))

    def written_about(self, language: str, concept: str, *, limit: int = 3) -> list[str]:
        return self._ray.get(self._actor.written_about.remote(language, concept, limit=limit))

    def verified_examples(self, language: str, *, limit: int = 2) -> list[str]:
        return self._ray.get(self._actor.verified_examples.remote(language, limit=limit))


# -- engines and sandboxes as actors -----------------------------------------------------------

class SandboxActor:
    """A one-CPU sandbox: runs the programs it is sent one at a time."""

    def __init__(self, config: Any) -> None:
        from coderforge.sandbox import Sandbox

        self._sandbox = Sandbox(config.model_copy(update={"workers": 1}))

    async def aexecute(self, programs: list[Any]) -> list[Any]:
        return await self._sandbox.aexecute(programs)


class RemoteSandbox:
    """`aexecute` on the least busy sandbox actor."""

    def __init__(self, actors: Sequence[Any], *, offset: int = 0) -> None:
        self._actors = LeastBusy(actors, offset=offset)

    async def aexecute(self, programs: Sequence[Any]) -> list[Any]:
        return await self._actors.call("aexecute", list(programs))


# -- one shard ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Cluster:
    """What every shard gets: the graph actor, the engines, the sandbox actors, the seeds (in the object store)."""

    graph: Any
    engines: Mapping[str, tuple[Sequence[Any], str]]
    """Role -> (engine replicas (actors), model name), for roles on local engines."""
    endpoints: Mapping[str, BackendConfig]
    """Role -> backend config, for roles on HTTP endpoints (each shard calls them itself)."""
    sandboxes: Sequence[Any]
    seeds: Any
    """ObjectRef of the seeds by id."""


def _run_shard(config: Config, out: str, shard: Shard, cluster: _Cluster, index: int) -> tuple[int, list[str]]:
    """Run one shard to the end (a Ray task); returns how many events it logged this time, and why
    work was left undone (backend failures: a rerun does it)."""
    return asyncio.run(_shard_main(config, Path(out), shard, cluster, index))


async def _shard_main(config: Config, out: Path, shard: Shard, cluster: _Cluster,
                      index: int) -> tuple[int, list[str]]:
    from coderforge.agents.roles import Agents
    from coderforge.checklists.chain import build_chain
    from coderforge.llm import make_backend

    ray = import_ray()
    seeds = ray.get(cluster.seeds)
    events = EventLog(shard.log_path(out))
    # A retried shard re-sends what it logged: the actor may have died with the worker before folding it in.
    ray.get(cluster.graph.apply.remote(events.events))
    logged = 0

    def record(event: Event) -> None:
        nonlocal logged
        events.append(event)
        logged += 1
        ray.get(cluster.graph.apply.remote([event]))

    async with contextlib.AsyncExitStack() as stack:
        spread: dict[int, LeastBusy] = {}  # one per engine: its roles' calls take turns together
        backends: dict[str, Backend] = {
            role: RemoteBackend(spread.setdefault(id(replicas), LeastBusy(replicas, offset=index)), model=model)
            for role, (replicas, model) in cluster.engines.items()}
        http: dict[str, Backend] = {}
        for role, backend_config in cluster.endpoints.items():
            key = backend_config.model_dump_json()
            if key not in http:
                http[key] = make_backend(backend_config)
                stack.push_async_callback(http[key].aclose)
            backends[role] = http[key]
        sandbox = RemoteSandbox(cluster.sandboxes, offset=index)
        chain = build_chain(config.filters, sandbox=sandbox, judge_backend=backends["judge"])
        agents = Agents(config.generate.roles, backends, seed=config.generate.seed)
        pool = LanguagePool(shard.language, config=config.generate, agents=agents, chain=chain, sandbox=sandbox,
                            graph=RemoteGraph(cluster.graph), seeds=seeds, record=record, done_events=events.events,
                            slots=range(shard.start, shard.stop))
        try:
            if shard.stop == shard.start:
                await pool.extract_concepts()
            else:
                await pool.run_tasks()
        finally:
            events.close()
    return logged, pool.undone


# -- the driver --------------------------------------------------------------------------------

class RayGenerateRun:
    """One generate run into `out` on the configured Ray cluster (same outputs layout as local,
    plus RUN_DIR/shards/)."""

    def __init__(self, config: Config, out: Path) -> None:
        self.config = config
        self.out = out
        self._undone: list[str] = []
        self.engine_load: list[dict[str, Any]] = []
        """Per engine: its model, and the requests each of its replicas answered in this session."""

    def _logged(self, shard: Shard) -> list[Event]:
        path = shard.log_path(self.out)
        return EventLog(path).events if path.is_file() else []

    async def run(self, *, on_event: Callable[[Event], None] | None = None,
                  on_start: Callable[[dict[str, tuple[int, int]]], None] | None = None) -> dict[str, Any]:
        """Run every unfinished shard, then write the outputs from all shards' logs; returns the funnel.
        The run folder is locked for the whole run, as a local run's is."""
        with run_lock(self.out):
            return await self._run(on_event=on_event, on_start=on_start)

    async def _run(self, *, on_event: Callable[[Event], None] | None,
                   on_start: Callable[[dict[str, tuple[int, int]]], None] | None) -> dict[str, Any]:
        cfg = self.config.generate
        if (self.out / EVENTS_FILE).is_file():
            raise CoderforgeError(f"{self.out} holds a run of the local executor ({EVENTS_FILE}); resume it with "
                                  "executor.kind local, or write to a new --out folder")
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / SHARDS_DIR).mkdir(exist_ok=True)
        _check_fingerprint(self.out, self.config)
        seeds = load_seeds(self.config)
        record_session(self.out, self.config, seed_ids=seeds.keys())
        concept_shards = [Shard(language, 0, 0) for language in cfg.languages]
        task_shards = plan_shards(cfg.languages, budget=cfg.instructions_per_language,
                                  shard_slots=self.config.executor.shard_slots)
        logged = {s: self._logged(s) for s in concept_shards + task_shards}
        done = {s for s in task_shards if {e["slot"] for e in logged[s] if e["event"] == "task"} >= set(
            range(s.start, s.stop))}
        if on_start is not None:
            tasks = [e for s in task_shards for e in logged[s] if e["event"] == "task"]
            on_start({language: (sum(e["language"] == language for e in tasks), cfg.instructions_per_language)
                      for language in cfg.languages})
        with_concepts = {e["seed_id"] for s in concept_shards for e in logged[s]}
        pending = [s for s in concept_shards
                   if any(seed["language"] == s.language and sid not in with_concepts for sid, seed in seeds.items())]
        pending += [s for s in task_shards if s not in done]
        started = time.time()
        engines: dict[str, tuple[list[Any], str]] = {}
        endpoints: dict[str, BackendConfig] = {}
        if pending:
            engines, endpoints = await self._run_pending(pending, seeds, logged, on_event)
        from coderforge.outputs import build_outputs

        events = [e for s in concept_shards + task_shards for e in self._logged(s)]
        graph = MemoryGraph(near_duplicate_threshold=cfg.near_duplicate_threshold)
        for seed in seeds.values():
            graph.add_seed(seed)
        for event in events:
            apply_event(graph, event, seeds)
        models = sorted({model for _, model in engines.values()} | {b.model for b in endpoints.values()}) or sorted(
            {e["model"] for e in events if e.get("model")})
        provenance = public_provenance(self.config, models=models, events=len(events),
                                       seconds=time.time() - started)
        provenance.update(executor="ray", shards=[s.name for s in task_shards])
        if self.engine_load:
            provenance["engine_requests"] = self.engine_load
        funnel = build_outputs(self.out, config=self.config, events=events, graph=graph, seeds=seeds,
                               provenance=provenance)
        graph.save(self.out / GRAPH_FILE)
        if self._undone:
            raise CoderforgeError(
                f"{len(self._undone)} unit(s) of work were left undone because a backend failed (last: "
                f"{self._undone[-1]}); the outputs hold what was done. Run the same command again to resume {self.out}")
        return funnel

    async def _run_pending(
        self, pending: Sequence[Shard], seeds: Mapping[str, Any], logged: Mapping[Shard, list[Event]],
        on_event: Callable[[Event], None] | None,
    ) -> tuple[dict[str, tuple[list[Any], str]], dict[str, BackendConfig]]:
        """Start the actors, run the concept shards, then the task shards; stop the actors."""
        cfg = self.config.generate
        connect(self.config.executor)
        ray = import_ray()
        engines, endpoints, sandbox_count = self._start_engines(ray)
        # Named after the run folder: a second driver on the same run fails here instead of racing this one.
        run_key = hashlib.sha1(str(self.out.resolve()).encode()).hexdigest()[:12]
        graph_actor = ray.remote(num_cpus=0)(GraphActor).options(name=f"coderforge-graph-{run_key}").remote(
            path=str(self.out / GRAPH_FILE), threshold=cfg.near_duplicate_threshold, seeds=seeds,
            events=[e for events in logged.values() for e in events])
        engine_actors = list({id(a): a for replicas, _ in engines.values() for a in replicas}.values())
        sandboxes = self._start_sandboxes(ray, sandbox_count)
        cluster = _Cluster(graph=graph_actor, engines=engines, endpoints=endpoints, sandboxes=sandboxes,
                           seeds=ray.put(seeds))
        remote_shard = ray.remote(num_cpus=0, max_retries=SHARD_RETRIES)(_run_shard)
        try:
            await self._run_shards(remote_shard, [s for s in pending if s.start == s.stop], cluster, on_event)
            await self._run_shards(remote_shard, [s for s in pending if s.start != s.stop], cluster, on_event)
            ray.get(graph_actor.save.remote())
            distinct = {id(replicas): (replicas, model) for replicas, model in engines.values()}.values()
            self.engine_load = [{"model": model, "requests": ray.get([a.served.remote() for a in replicas])}
                                for replicas, model in distinct]
        finally:
            with contextlib.suppress(Exception):
                ray.get([a.aclose.remote() for a in engine_actors], timeout=60)
            for actor in [graph_actor, *engine_actors, *sandboxes]:
                ray.kill(actor)
        return engines, endpoints

    async def _run_shards(self, remote_shard: Any, shards: Sequence[Shard], cluster: _Cluster,
                          on_event: Callable[[Event], None] | None) -> None:
        """Run the shards at once (the actors bound the work in flight); report each as it ends."""
        refs = {remote_shard.remote(self.config, str(self.out), shard, cluster, k): shard
                for k, shard in enumerate(shards)}
        for finished in asyncio.as_completed([self._report(ref, shard, on_event) for ref, shard in refs.items()]):
            await finished

    async def _report(self, ref: Any, shard: Shard, on_event: Callable[[Event], None] | None) -> None:
        count, undone = await ref
        self._undone.extend(undone)
        log.info("shard %s done (%d events logged)", shard.name, count)
        if on_event is not None:
            for event in self._logged(shard)[-count:] if count else []:
                on_event(event)

    def _start_engines(self, ray: Any) -> tuple[dict[str, tuple[list[Any], str]], dict[str, BackendConfig], int]:
        """Engine replicas per distinct local backend config (roles sharing a config share them); the
        roles on HTTP endpoints, which each shard calls itself; and how many sandbox actors to start."""
        cfg = self.config
        routes = {role: getattr(cfg.generate.roles, role).backend or cfg.backend
                  for role in type(cfg.generate.roles).model_fields}
        routes["judge"] = cfg.filters.judge.backend or cfg.backend
        endpoints = {role: backend for role, backend in routes.items() if backend.kind == "openai"}
        local = {backend.model_dump_json(): backend for backend in routes.values() if backend.kind != "openai"}
        plans = {key: replica_plan(ray, backend, cfg.executor.engine_replicas) for key, backend in local.items()}
        sandboxes = self._sandbox_count(ray, engine_cpus=sum(count for count, _ in plans.values()))
        started = {key: start_replicas(ray, local[key], *plans[key]) for key in local}
        models = {key: ray.get(actors[0].model.remote()) for key, actors in started.items()}
        engines = {role: (started[key], models[key]) for role, backend in routes.items()
                   if (key := backend.model_dump_json()) in started}
        return engines, endpoints, sandboxes

    def _sandbox_count(self, ray: Any, *, engine_cpus: int) -> int:
        """One-CPU sandbox actors: the configured number, else every CPU the engines leave free. An
        actor no CPU is left for would never start, and the shards would wait on it for ever."""
        free = int(ray.cluster_resources().get("CPU", 1)) - engine_cpus
        count = self.config.executor.sandbox_actors or free
        if count < 1 or count > free:
            raise CoderforgeError(
                f"the Ray cluster has {free + engine_cpus} CPU(s): {engine_cpus} for engine actors leave "
                f"{max(free, 0)} for the {max(count, 1)} sandbox actor(s) that need one each; lower "
                "executor.engine_replicas or executor.sandbox_actors, or add nodes")
        return count

    def _start_sandboxes(self, ray: Any, count: int) -> list[Any]:
        """`count` one-CPU sandbox actors."""
        # SPREAD: the actors go to every node, so a second node adds its cores to execution.
        return [ray.remote(SandboxActor).options(num_cpus=1, scheduling_strategy="SPREAD").remote(self.config.sandbox)
                for _ in range(count)]
