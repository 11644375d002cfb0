"""`coderforge filter | dedup | decontam --executor ray`: JSONL shards read as one Ray dataset, the
per-record stages (parse, decontam) run with `map_batches` in actors that build their stage once,
near-dedup as MinHash signatures per batch with LSH bands grouped across the whole dataset, and
each input shard written back as a kept and a rejected shard of the same name.

Verdicts equal the local path's on the concatenated shards (sorted by name): the same MinHash
seeds and banding, every candidate pair checked against the threshold, clusters named by their
earliest member and kept by the same score (coderforge.filters.dedup.cluster_verdicts)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from coderforge.errors import ConfigError
from coderforge.executor.cluster import connect, import_ray
from coderforge.filters.chain import UNKNOWN_LANGUAGE, Funnel
from coderforge.filters.dedup import Clusters, Deduplicator, UnionFind, cluster_verdicts, record_score
from coderforge.records import RecordError, add_verdict, atomic_writer, dumps, json_object, passed_all

if TYPE_CHECKING:
    from ray.data import Dataset

    from coderforge.config import Config
    from coderforge.filters.config import DedupConfig, FiltersConfig

__all__ = ["ShardedResult", "input_shards", "run_sharded"]

log = logging.getLogger(__name__)

#: Stages that run on Ray Data (the sandbox and the judge need their own actors; not yet).
RAY_STAGES = ("parse", "dedup", "decontam")
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
    unsupported = [s for s in stages if s not in RAY_STAGES]
    if unsupported:
        raise ConfigError(f"stage(s) {unsupported} do not run on the ray executor yet; it runs "
                          f"{', '.join(RAY_STAGES)} (run the others with --executor local)", source="--stages")
    from coderforge.filters.chain import build_chain

    # Built here once first: a bad stage config fails fast with its own message, and a decontamination
    # index is built and cached on this node before the actors load it.
    build_chain(config.filters, stages=[s for s in stages if s != "dedup"])
    connect(config.executor)
    ray = import_ray()
    ray.data.DataContext.get_current().enable_progress_bars = False
    batch = config.executor.batch_size
    ds = _read(inputs, only_passing=only_passing)
    for name in stages:
        if name == "dedup":
            ds = _dedup(ds, config.filters.dedup, batch_size=batch)
        else:
            ds = ds.map_batches(_RecordStage, fn_constructor_kwargs={"filters": config.filters, "name": name},
                                batch_size=batch, batch_format="numpy",
                                compute=ray.data.ActorPoolStrategy(min_size=1, max_size=_cpus(ray)))
    written = ds.groupby("shard", num_partitions=min(len(inputs), 4 * _cpus(ray))).map_groups(
        _write_shard, fn_kwargs={"names": [p.name for p in inputs], "out": str(out), "rejected": str(rejected)},
        batch_format="numpy").take_all()
    for k in set(range(len(inputs))) - {int(w["shard"]) for w in written}:  # shards with no records
        _write_shard({"shard": np.array([k]), "pos": np.array([]), "record": np.array([]), "alive": np.array([]),
                      "trail": np.array([])}, names=[p.name for p in inputs], out=str(out), rejected=str(rejected))
    return ShardedResult(kept=sum(int(w["kept"]) for w in written), rejected=sum(int(w["rejected"]) for w in written),
                         funnel=_funnel(stages, [json.loads(w["trails"]) for w in written]))


def _cpus(ray: Any) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


# -- reading and writing shards ----------------------------------------------------------------

def _read(inputs: Sequence[Path], *, only_passing: bool) -> Dataset:
    """One row per record: shard, position, the record as JSON, whether it is still alive, its trail."""
    ray = import_ray()
    items = [{"shard": k, "path": str(p.resolve())} for k, p in enumerate(inputs)]
    return ray.data.from_items(items, override_num_blocks=len(items)).flat_map(
        _read_shard, fn_kwargs={"only_passing": only_passing})


def _read_shard(item: dict[str, Any], *, only_passing: bool) -> list[dict[str, Any]]:
    rows = []
    with open(item["path"], encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json_object(line)
            except ValueError as e:
                raise RecordError(f"{item['path']}:{lineno}: {e}") from e
            rows.append({"shard": item["shard"], "pos": len(rows), "record": dumps(record),
                         "alive": passed_all(record) or not only_passing, "trail": "[]"})
    return rows


def _write_shard(group: dict[str, np.ndarray], *, names: list[str], out: str, rejected: str) -> dict[str, Any]:
    """Write one shard's kept and rejected records in input order; its counts and trails come back."""
    shard = int(group["shard"][0])
    order = np.argsort(group["pos"], kind="stable")
    kept = dropped = 0
    trails = []
    with atomic_writer(Path(out) / names[shard]) as good, atomic_writer(Path(rejected) / names[shard]) as bad:
        for i in order:
            alive = bool(group["alive"][i])
            (good if alive else bad).write(group["record"][i] + "\n")
            kept += alive
            dropped += not alive
            trails.append(json.loads(group["trail"][i]))
    return {"shard": np.array([shard]), "kept": np.array([kept]), "rejected": np.array([dropped]),
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
    """A filter stage over batches of rows (an actor: the stage, e.g. a decontamination index, is built once)."""

    def __init__(self, *, filters: FiltersConfig, name: str) -> None:
        from coderforge.filters.chain import build_chain

        (self.stage,) = build_chain(filters, stages=[name]).stages

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        alive = [i for i, a in enumerate(batch["alive"]) if a]
        records = [json.loads(batch["record"][i]) for i in alive]
        asyncio.run(self.stage.run(records))
        rows = {k: list(v) for k, v in batch.items()}
        for i, record in zip(alive, records, strict=True):
            last = record["verdicts"][-1]
            rows["record"][i] = dumps(record)
            rows["alive"][i] = bool(last["passed"])
            rows["trail"][i] = _with_trail(rows["trail"][i], self.stage.name, record,
                                           "" if last["passed"] else self.stage.label(last))
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

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        n = len(batch["shard"])
        signatures = np.zeros((n, self.num_perm), dtype=np.uint64)
        bands = np.zeros((n, self.bands), dtype=np.int64)
        has_signature = np.zeros(n, dtype=bool)
        exact, names, scores = [], [], []
        for i, line in enumerate(batch["record"]):
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
        return {"shard": batch["shard"], "pos": batch["pos"], "exact": np.array(exact, dtype=object),
                "named": np.array([bool(x) for x in names]), "name": np.array(names, dtype=object),
                "score": np.array(scores, dtype=np.float64).reshape(n, 3), "has_signature": has_signature,
                "signature": signatures, "bands": bands}


def _explode_bands(batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    keep = batch["has_signature"]
    bands = batch["bands"][keep]
    per = bands.shape[1] if bands.ndim == 2 else 0
    return {"band": bands.ravel(), "shard": np.repeat(batch["shard"][keep], per),
            "pos": np.repeat(batch["pos"][keep], per), "exact": np.repeat(batch["exact"][keep], per)}


def _bucket_pairs(group: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Candidate pairs of one LSH bucket: every two members with different texts (the earliest of
    each exact-duplicate set stands for it, as in the local path)."""
    first: dict[str, Key] = {}
    for shard, pos, exact in sorted(zip(group["shard"].tolist(), group["pos"].tolist(), group["exact"], strict=True)):
        first.setdefault(exact, (shard, pos))
    members = sorted(first.values())
    pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 1:]]
    return {"a_shard": np.array([a[0] for a, _ in pairs], dtype=np.int64),
            "a_pos": np.array([a[1] for a, _ in pairs], dtype=np.int64),
            "b_shard": np.array([b[0] for _, b in pairs], dtype=np.int64),
            "b_pos": np.array([b[1] for _, b in pairs], dtype=np.int64)}


def _dedup(ds: Dataset, config: DedupConfig, *, batch_size: int) -> Dataset:
    """Add a dedup verdict to every alive row: signatures per batch, bands grouped across the
    dataset into candidate pairs, clusters and keepers chosen on the driver (which holds only
    keys, names and scores), verdicts applied per batch."""
    from datasketch import MinHash

    ray = import_ray()
    ds = ds.materialize()
    signed = ds.filter(fn=lambda r: bool(r["alive"])).map_batches(
        _Signer, fn_constructor_kwargs={"config": config}, batch_size=batch_size, batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(min_size=1, max_size=_cpus(ray))).materialize()
    meta = signed.select_columns(["shard", "pos", "exact", "named", "name", "score"]).take_all()
    meta.sort(key=lambda r: (r["shard"], r["pos"]))
    index: dict[Key, int] = {(int(r["shard"]), int(r["pos"])): i for i, r in enumerate(meta)}
    names = {i: str(r["name"]) if r["named"] else f"#{i}" for i, r in enumerate(meta)}
    scores = {i: tuple(float(x) for x in r["score"]) for i, r in enumerate(meta)}
    found = UnionFind(len(meta))
    first_of: dict[str, int] = {}
    exact_of = {}
    for i, r in enumerate(meta):
        exact_of[i] = first_of.setdefault(r["exact"], i)
        found.union(exact_of[i], i)

    pairs = (signed.select_columns(["shard", "pos", "exact", "has_signature", "bands"])
             .map_batches(_explode_bands, batch_format="numpy")
             .groupby("band", num_partitions=4 * _cpus(ray)).map_groups(_bucket_pairs, batch_format="numpy")
             .take_all())
    candidates = {(index[(p["a_shard"], p["a_pos"])], index[(p["b_shard"], p["b_pos"])]) for p in pairs}
    wanted = {(int(meta[i]["shard"]), int(meta[i]["pos"])) for pair in candidates for i in pair}
    signatures: dict[int, Any] = {}
    template = MinHash(num_perm=config.num_perm, seed=config.seed)  # its scheme and permutations
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
    for i in range(len(meta)):
        members.setdefault(found.find(i), []).append(i)
    clusters = Clusters(roots=[], exact_of=exact_of, signatures=signatures)
    verdicts: dict[Key, dict[str, Any]] = {}
    for group in members.values():
        if len(group) > 1 or not meta[group[0]]["named"]:
            for i, fields in cluster_verdicts(group, clusters=clusters, scores=scores, names=names).items():
                verdicts[(int(meta[i]["shard"]), int(meta[i]["pos"]))] = fields
    log.info("dedup: %d records, %d candidate pairs, %d in clusters", len(meta), len(candidates),
             sum(len(g) for g in members.values() if len(g) > 1))
    return ds.map_batches(_apply_dedup, fn_kwargs={"verdicts": verdicts}, batch_size=batch_size,
                          batch_format="numpy")


def _apply_dedup(batch: dict[str, np.ndarray], *, verdicts: dict[Key, dict[str, Any]]) -> dict[str, np.ndarray]:
    rows = {k: list(v) for k, v in batch.items()}
    for i, alive in enumerate(batch["alive"]):
        if not alive:
            continue
        record = json.loads(rows["record"][i])
        fields = verdicts.get((int(batch["shard"][i]), int(batch["pos"][i])))
        if fields is None:  # alone in its cluster, and named by its own id
            fields = {"stage": "dedup", "passed": True, "reason": "unique", "cluster": str(record["id"]),
                      "cluster_size": 1}
        add_verdict(record, **fields)
        rows["record"][i] = dumps(record)
        rows["alive"][i] = bool(fields["passed"])
        rows["trail"][i] = _with_trail(rows["trail"][i], "dedup", record,
                                       "" if fields["passed"] else f"{fields['kind']} duplicate")
    return {k: np.array(v, dtype=object if k in ("record", "trail") else None) for k, v in rows.items()}
