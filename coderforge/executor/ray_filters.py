"""`coderforge filter | dedup | decontam --executor ray`: JSONL shards read as one Ray dataset, the
per-record stages (parse, decontam) run with `map_batches` in actors that build their stage once,
near-dedup as MinHash signatures per batch with LSH bands grouped across the whole dataset, and
each input shard written back as a kept and a rejected shard of the same name.

Verdicts equal the local path's on the concatenated shards (sorted by name): the same MinHash
seeds and banding, every candidate pair checked against the threshold, clusters named by their
earliest member and kept by the same score (coderforge.checklists.dedup.cluster_verdicts)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from coderforge.checklists.chain import UNKNOWN_LANGUAGE, Funnel
from coderforge.checklists.dedup import Clusters, Deduplicator, UnionFind, cluster_verdicts, record_score
from coderforge.errors import CoderforgeError, ConfigError
from coderforge.executor.cluster import connect, import_ray
from coderforge.executor.engines import LeastBusy, RemoteBackend, replica_plan, start_replicas
from coderforge.io import atomic_writer, dumps, read_jsonl
from coderforge.records import add_verdict, passed_all

if TYPE_CHECKING:
    from ray.data import Dataset

    from coderforge.checklists.config import DedupConfig, FiltersConfig
    from coderforge.config import Config
    from coderforge.llm.config import BackendConfig
    from coderforge.sandbox.config import SandboxConfig

__all__ = ["ShardedResult", "input_shards", "run_sharded"]

log = logging.getLogger(__name__)

#: Largest block (so largest shard) Ray Data may build before splitting it: a shard is one block.
MAX_SHARD_BYTES = 2**30
Key = tuple[int, int]  # (shard, position in the shard): the order of the concatenated input


@dataclass
class ShardedResult:
    """What a sharded run wrote: counts and the funnel over all shards."""

    kept: int
    rejected: int
    funnel: Funnel


def input_shards(path: Path) -> list[Path]:
    """The JSONL shards of `path`: the file itself, or a folder's *.jsonl files sorted by name."""
    if path.is_file():
        return [path]
    shards = sorted(p for p in path.glob("*.jsonl") if p.is_file())
    if not shards:
        raise ConfigError(f"{path} holds no *.jsonl shards", source="INPUT")
    return shards


def run_sharded(config: Config, *, inputs: Sequence[Path], stages: Sequence[str], out: Path, rejected: Path,
                only_passing: bool) -> ShardedResult:
    """Run `stages` over the shards on the configured Ray cluster; writes out/<shard> and
    rejected/<shard> for every input shard. `only_passing`: records an earlier verdict rejected
    skip every stage and go to `rejected` (the chain); else every record is checked."""
    from coderforge.checklists.chain import build_chain

    # Built here once first: a bad stage config fails fast with its own message, and a decontamination
    # index is built and cached on this node before the actors load it.
    if per_record := [s for s in stages if s not in ("dedup", "sandbox", "judge")]:
        build_chain(config.filters, stages=per_record)
    connect(config.executor)
    ray = import_ray()
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.target_max_block_size = MAX_SHARD_BYTES
    ds = _read(inputs, only_passing=only_passing)
    engines: list[Any] = []
    try:
        return _run_stages(ray, config, ds, inputs=inputs, stages=stages, out=out, rejected=rejected, engines=engines)
    finally:  # the dataset is lazy: the judge's engines serve it until its last shard is written
        with contextlib.suppress(Exception):
            ray.get([e.aclose.remote() for e in engines], timeout=60)
        for engine in engines:
            ray.kill(engine)


def _run_stages(ray: Any, config: Config, ds: Dataset, *, inputs: Sequence[Path], stages: Sequence[str], out: Path,
                rejected: Path, engines: list[Any]) -> ShardedResult:
    """Add the stages to the dataset, run it, write the shards; the judge's engine actors go into `engines`."""
    for name in stages:
        if name == "dedup":
            ds = _dedup(ds, config.filters.dedup)
        elif name in ("decontam", "sandbox"):
            # An actor per CPU at most: each loads the benchmark index once, or holds a one-CPU sandbox.
            ds = ds.map_batches(_RecordStage, fn_constructor_kwargs={"filters": config.filters, "name": name,
                                                                     "sandbox": config.sandbox},
                                batch_size=None, batch_format="numpy", num_cpus=1,
                                compute=ray.data.ActorPoolStrategy(min_size=1, max_size=_cpus(ray)))
        elif name == "judge":  # local engines as replica actors the judging actors share; endpoints called directly
            backend = config.filters.judge.backend or config.backend
            if backend.kind != "openai":
                plan = replica_plan(ray, backend, config.executor.engine_replicas)
                engines.extend(start_replicas(ray, backend, *plan))
                backend = backend.model_copy(update={"model": ray.get(engines[0].model.remote())})
            ds = ds.map_batches(_RecordStage, fn_constructor_kwargs={"filters": config.filters, "name": name,
                                                                     "judge": backend, "engines": list(engines)},
                                batch_size=None, batch_format="numpy", num_cpus=0,
                                compute=ray.data.ActorPoolStrategy(min_size=1, max_size=_cpus(ray)))
        else:
            ds = ds.map_batches(_record_stage, fn_kwargs={"filters": config.filters, "name": name},
                                batch_size=None, batch_format="numpy")
    names = [p.name for p in inputs]
    written = ds.map_batches(_write_shard, fn_kwargs={"names": names, "out": str(out), "rejected": str(rejected)},
                             batch_size=None, batch_format="numpy").take_all()
    shards = [int(w["shard"]) for w in written]
    if len(shards) != len(set(shards)):
        raise CoderforgeError("Ray split a shard over several blocks; split the input into smaller shards")
    for k in set(range(len(inputs))) - set(shards):  # shards with no records
        _write_rows(Path(out) / names[k], [])
        _write_rows(Path(rejected) / names[k], [])
    return ShardedResult(kept=sum(int(w["kept"]) for w in written), rejected=sum(int(w["rejected"]) for w in written),
                         funnel=_funnel(stages, [json.loads(w["trails"]) for w in written]))


def _cpus(ray: Any) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


# -- reading and writing shards ----------------------------------------------------------------
# Each shard is one block from reading to writing (every step maps whole blocks), so a writer sees
# exactly one shard's rows, in order, and names its output after it. A row carries its record as the
# JSON text read_jsonl checked; steps parse it back with json.loads (a row has no file line to name).

def _read(inputs: Sequence[Path], *, only_passing: bool) -> Dataset:
    """One row per record: shard, position, the record as JSON, whether it is still alive, its trail."""
    ray = import_ray()
    items = [{"shard": k, "path": str(p.resolve())} for k, p in enumerate(inputs)]
    return ray.data.from_items(items, override_num_blocks=len(items)).flat_map(
        _read_shard, fn_kwargs={"only_passing": only_passing})


def _read_shard(item: dict[str, Any], *, only_passing: bool) -> list[dict[str, Any]]:
    rows = []
    for record in read_jsonl(item["path"]):
        rows.append({"shard": item["shard"], "pos": len(rows), "record": dumps(record),
                     "alive": passed_all(record) or not only_passing, "trail": "[]"})
    return rows


def _write_rows(path: Path, lines: Sequence[str]) -> None:
    with atomic_writer(path) as handle:
        handle.writelines(line + "\n" for line in lines)


def _write_shard(block: dict[str, np.ndarray], *, names: list[str], out: str, rejected: str) -> dict[str, Any]:
    """Write one shard's kept and rejected records in input order; its counts and trails come back."""
    shard = int(block["shard"][0])
    if set(block["shard"].tolist()) != {shard} or block["pos"].tolist() != list(range(len(block["pos"]))):
        raise CoderforgeError(f"shard {names[shard]} reached its writer incomplete or mixed with another")
    alive = [bool(a) for a in block["alive"]]
    _write_rows(Path(out) / names[shard], [r for r, a in zip(block["record"], alive, strict=True) if a])
    _write_rows(Path(rejected) / names[shard], [r for r, a in zip(block["record"], alive, strict=True) if not a])
    trails = [json.loads(t) for t in block["trail"]]
    return {"shard": np.array([shard]), "kept": np.array([sum(alive)]), "rejected": np.array([len(alive) - sum(alive)]),
            "trails": np.array([json.dumps(trails)], dtype=object)}


def _funnel(stages: Sequence[str], trails_per_shard: list[list[list[list[Any]]]]) -> Funnel:
    """The chain's funnel from every record's trail of (stage, language, passed, label)."""
    funnel = Funnel(stages=list(stages))
    for stage in stages:
        funnel.entered[stage], funnel.passed[stage], funnel.reasons[stage] = Counter(), Counter(), Counter()
    for trails in trails_per_shard:
        for trail in trails:
            for stage, language, passed, label in trail:
                funnel.entered[stage][language] += 1
                if passed:
                    funnel.passed[stage][language] += 1
                else:
                    funnel.reasons[stage][label] += 1
    return funnel


def _with_trail(trail: str, stage: str, record: dict[str, Any], label: str) -> str:
    last = record["verdicts"][-1]
    entry = [stage, record.get("language") or UNKNOWN_LANGUAGE, bool(last["passed"]), label]
    return json.dumps([*json.loads(trail), entry])


# -- per-record stages -------------------------------------------------------------------------

class _RecordStage:
    """A filter stage over blocks of rows, as an actor: the stage (e.g. a decontamination index) is built once."""

    def __init__(self, *, filters: FiltersConfig, name: str, sandbox: SandboxConfig | None = None,
                 judge: BackendConfig | None = None, engines: Sequence[Any] = ()) -> None:
        from coderforge.checklists.chain import build_chain
        from coderforge.llm import make_backend
        from coderforge.sandbox import Sandbox

        runner = Sandbox(sandbox.model_copy(update={"workers": 1})) if name == "sandbox" and sandbox else None
        backend = None
        if name == "judge" and judge is not None:
            backend = RemoteBackend(LeastBusy(engines), model=judge.model) if engines else make_backend(judge)
        (self.stage,) = build_chain(filters, stages=[name], sandbox=runner, judge_backend=backend).stages

    def __call__(self, block: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        alive = [i for i, a in enumerate(block["alive"]) if a]
        records = [json.loads(block["record"][i]) for i in alive]
        asyncio.run(self.stage.run(records))
        rows = {k: list(v) for k, v in block.items()}
        for i, record in zip(alive, records, strict=True):
            last = record["verdicts"][-1]
            rows["record"][i] = dumps(record)
            rows["alive"][i] = bool(last["passed"])
            rows["trail"][i] = _with_trail(rows["trail"][i], self.stage.name, record,
                                           "" if last["passed"] else self.stage.label(last))
        return _columns(rows)


def _record_stage(block: dict[str, np.ndarray], *, filters: FiltersConfig, name: str) -> dict[str, np.ndarray]:
    """A cheap filter stage as a task (no actor to start)."""
    return _RecordStage(filters=filters, name=name)(block)


def _columns(rows: dict[str, list[Any]]) -> dict[str, np.ndarray]:
    return {k: np.array(v, dtype=object if k in ("record", "trail") else None) for k, v in rows.items()}


# -- near-dedup across shards ------------------------------------------------------------------

class _Signer:
    """Per alive record: exact-duplicate key, MinHash signature, LSH band keys, name and score."""

    def __init__(self, *, config: DedupConfig) -> None:
        self.dedup = Deduplicator(config)
        lsh = self.dedup.lsh()
        self.bands, self.rows = lsh.b, lsh.r
        self.num_perm = config.num_perm

    def band_keys(self, hashvalues: np.ndarray) -> list[int]:
        # One int64 per band (index and values hashed): two records share a bucket when they share a band
        # (a 64-bit collision may add a candidate pair, which is still checked against the threshold).
        return [int.from_bytes(hashlib.blake2b(k.to_bytes(2, "little") + hashvalues[k * self.rows:(k + 1) * self.rows]
                                               .tobytes(), digest_size=8).digest(), "little", signed=True)
                for k in range(self.bands)]

    def __call__(self, block: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        n = len(block["shard"])
        signatures = np.zeros((n, self.num_perm), dtype=np.uint64)
        bands = np.zeros((n, self.bands), dtype=np.int64)
        has_signature = np.zeros(n, dtype=bool)
        exact, names, scores = [], [], []
        for i, line in enumerate(block["record"]):
            if not block["alive"][i]:
                exact.append("")
                names.append("")
                scores.append((0.0, 0.0, 0.0))
                continue
            record = json.loads(line)
            text = self.dedup.text(record)
            exact.append(self.dedup.exact_key(text))
            rid = record.get("id")
            names.append("" if rid is None else str(rid))
            scores.append(record_score(record))
            signature = self.dedup.signature(text)
            if signature is not None:
                has_signature[i] = True
                signatures[i] = signature.hashvalues
                bands[i] = self.band_keys(signature.hashvalues)
        return {**block, "exact": np.array(exact, dtype=object),
                "named": np.array([bool(x) for x in names]), "name": np.array(names, dtype=object),
                "score": np.array(scores, dtype=np.float64).reshape(n, 3), "has_signature": has_signature,
                "signature": signatures, "bands": bands}


def _sign(block: dict[str, np.ndarray], *, config: DedupConfig) -> dict[str, np.ndarray]:
    return _Signer(config=config)(block)


def _dedup(ds: Dataset, config: DedupConfig) -> Dataset:
    """Add a dedup verdict to every alive row. Signatures are computed per block on the cluster; the
    band table (8 bytes per band and record) and the record keys, names and scores come to the
    driver, which groups the bands into candidate pairs, fetches the signatures of those pairs'
    records only, checks them against the threshold and picks each cluster's keeper; the verdicts
    are then applied per block."""
    from datasketch import MinHash

    signed = ds.map_batches(_sign, fn_kwargs={"config": config}, batch_size=None, batch_format="numpy").materialize()
    columns = ["shard", "pos", "alive", "exact", "named", "name", "score", "has_signature", "bands"]
    table = {c: [] for c in columns}
    for block in signed.select_columns(columns).iter_batches(batch_size=None, batch_format="numpy"):
        for c in columns:
            table[c].append(block[c])
    meta = {c: np.concatenate(v) if v else np.array([]) for c, v in table.items()}
    alive = meta["alive"].astype(bool)
    order = np.lexsort((meta["pos"][alive], meta["shard"][alive]))  # the concatenated input's order
    meta = {c: v[alive][order] for c, v in meta.items()}
    n = len(meta["shard"])
    keys: list[Key] = list(zip(meta["shard"].tolist(), meta["pos"].tolist(), strict=True))
    names = {i: str(meta["name"][i]) if meta["named"][i] else f"#{i}" for i in range(n)}
    found = UnionFind(n)
    first_of: dict[str, int] = {}
    exact_of = {}
    for i, exact in enumerate(meta["exact"]):
        exact_of[i] = first_of.setdefault(exact, i)
        found.union(exact_of[i], i)

    candidates = _candidate_pairs(meta["bands"], meta["has_signature"].astype(bool), exact_of)
    wanted = {keys[i] for pair in candidates for i in pair}
    template = MinHash(num_perm=config.num_perm, seed=config.seed)  # its scheme and permutations
    signatures: dict[int, Any] = {}
    index = {key: i for i, key in enumerate(keys)}
    if wanted:
        rows = (signed.filter(fn=lambda r: (int(r["shard"]), int(r["pos"])) in wanted)
                .select_columns(["shard", "pos", "signature"]).take_all())
        for r in rows:
            signatures[index[(int(r["shard"]), int(r["pos"]))]] = MinHash(
                num_perm=config.num_perm, seed=config.seed, hashvalues=np.asarray(r["signature"], dtype=np.uint64),
                permutations=template.permutations, scheme=template.scheme)
    for a, b in candidates:
        if signatures[a].jaccard(signatures[b]) >= config.threshold:
            found.union(a, b)

    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(found.find(i), []).append(i)
    clusters = Clusters(roots=[], exact_of=exact_of, signatures=signatures)
    scores = {i: tuple(float(x) for x in meta["score"][i]) for i in range(n)}
    verdicts: dict[Key, dict[str, Any]] = {}
    for group in members.values():
        if len(group) > 1 or not meta["named"][group[0]]:
            for i, fields in cluster_verdicts(group, clusters=clusters, scores=scores, names=names).items():
                verdicts[keys[i]] = fields
    log.info("dedup: %d records, %d candidate pairs, %d in clusters", n, len(candidates),
             sum(len(g) for g in members.values() if len(g) > 1))
    return signed.drop_columns(["exact", "named", "name", "score", "has_signature", "signature", "bands"]).map_batches(
        _apply_dedup, fn_kwargs={"verdicts": verdicts}, batch_size=None, batch_format="numpy")


def _candidate_pairs(bands: np.ndarray, has_signature: np.ndarray, exact_of: dict[int, int]) -> set[tuple[int, int]]:
    """Pairs (i < j) of records with different texts that share an LSH bucket in some band (the
    earliest of each exact-duplicate set stands for it, as in the local path)."""
    pairs: set[tuple[int, int]] = set()
    rows = np.flatnonzero(has_signature & np.array([exact_of[i] == i for i in range(len(has_signature))], dtype=bool))
    for k in range(bands.shape[1] if bands.ndim == 2 else 0):
        values = bands[rows, k]
        order = np.argsort(values, kind="stable")
        sorted_values = values[order]
        starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
        ends = np.r_[starts[1:], len(sorted_values)]
        for start, end in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
            members = sorted(rows[order[start:end]].tolist())
            pairs.update((a, b) for m, a in enumerate(members) for b in members[m + 1:])
    return pairs


def _apply_dedup(block: dict[str, np.ndarray], *, verdicts: dict[Key, dict[str, Any]]) -> dict[str, np.ndarray]:
    rows = {k: list(v) for k, v in block.items()}
    for i, alive in enumerate(block["alive"]):
        if not alive:
            continue
        record = json.loads(rows["record"][i])
        fields = verdicts.get((int(block["shard"][i]), int(block["pos"][i])))
        if fields is None:  # alone in its cluster, and named by its own id
            fields = {"stage": "dedup", "passed": True, "reason": "unique", "cluster": str(record["id"]),
                      "cluster_size": 1}
        add_verdict(record, **fields)
        rows["record"][i] = dumps(record)
        rows["alive"][i] = bool(fields["passed"])
        rows["trail"][i] = _with_trail(rows["trail"][i], "dedup", record,
                                       "" if fields["passed"] else f"{fields['kind']} duplicate")
    return _columns(rows)
