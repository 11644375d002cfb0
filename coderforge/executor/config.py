"""The executor's configuration section (`executor:` in a run config)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from coderforge.section import Section


class ExecutorConfig(Section):
    kind: Literal["local", "ray"] = "local"
    """local: everything in this process; ray: filters on Ray Data and generate shards as Ray tasks
    on a Ray cluster (install the `ray` extra)."""
    address: str | None = None
    """Ray cluster to join: `auto` (the cluster `ray start` made on this node), `HOST:PORT` of a
    head node, or `ray://HOST:10001` (Ray Client); none: start a Ray instance inside this process."""
    shard_slots: int = Field(default=4, ge=1)
    """generate: task slots per shard (a shard is one language x a range of slots); finished shards
    are skipped on rerun, so smaller shards lose less work to a killed worker."""
    sandbox_actors: int | None = Field(default=None, ge=1)
    """generate: sandbox actors (one CPU each) the shards send programs to; none: one per CPU in
    the cluster."""
    engine_replicas: int | None = Field(default=None, ge=1)
    """generate: engine actors per local backend config, each request sent to the least busy; none:
    with GPUs in the cluster, one vLLM engine per `backend.vllm.tensor_parallel_size` GPUs (data
    parallel), else one."""
    batch_size: int = Field(default=1024, ge=1)
    """filters: records per Ray Data batch."""
