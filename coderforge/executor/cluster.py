"""Joining a Ray cluster, and starting a small one on this machine (a head and worker nodes as
`ray start --block` processes) for tests, benchmarks and trying the Ray executor on a laptop."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from coderforge.errors import CoderforgeError
from coderforge.executor.config import ExecutorConfig

log = logging.getLogger(__name__)

_ADDRESS = re.compile(r"ray start --address='([^']+)'")
#: A cluster of this machine's own processes: no usage reports, and no token authentication (a head
#: node turns it on when it finds ~/.ray/auth_token, which its worker nodes and drivers then lack).
_NODE_ENV = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}
#: Seconds a node may take to start (imports, raylet, GCS) on a busy machine.
START_TIMEOUT_S = 120.0


class RayUnavailableError(CoderforgeError):
    """Ray is not installed, or the cluster cannot be reached."""


def import_ray() -> ModuleType:
    """The ray module, or an error saying how to install it."""
    try:
        import ray
    except ImportError as e:
        raise RayUnavailableError("the ray executor needs Ray: pip install 'coderforge[ray]'") from e
    return ray


def connect(config: ExecutorConfig) -> None:
    """Join the configured cluster (or start a Ray instance in this process) unless already joined."""
    ray = import_ray()
    if ray.is_initialized():
        return
    try:
        ray.init(address=config.address, include_dashboard=False, log_to_driver=False,
                 configure_logging=False)
    except (ConnectionError, RuntimeError, ValueError) as e:
        raise RayUnavailableError(f"cannot join the Ray cluster at {config.address!r}: {e}") from e
    resources = ray.cluster_resources()
    log.info("Ray cluster: %d node(s), %g CPU(s)", len(ray.nodes()), resources.get("CPU", 0))


@dataclass
class LocalCluster:
    """Ray nodes started on this machine: `address` is the head's GCS address."""

    root: Path
    address: str = ""
    nodes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def _ray_start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log_path = self.root / f"{name}.log"
        # `ray` next to this interpreter: the nodes run the same environment as the driver.
        command = [str(Path(sys.executable).with_name("ray")), "start", "--block", "--disable-usage-stats",
                   f"--temp-dir={self.root / name}", *args]
        with log_path.open("wb") as out:
            # Its own session, so teardown can reach every process the node started (and only those).
            proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                    env={**os.environ, **_NODE_ENV})
        self.nodes.append(proc)
        return proc

    def _wait_started(self, name: str, proc: subprocess.Popen[bytes]) -> str:
        log_path = self.root / f"{name}.log"
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            text = log_path.read_text(errors="replace")
            if "Ray runtime started" in text:
                return text
            if proc.poll() is not None:
                break
            time.sleep(0.3)
        raise RayUnavailableError(f"Ray node {name} did not start; its log ({log_path}) ends:\n{text[-2000:]}")

    def start_head(self, *, num_cpus: int, object_store_mb: int) -> None:
        proc = self._ray_start("head", "--head", "--port=0", f"--num-cpus={num_cpus}",
                               f"--object-store-memory={object_store_mb * 2**20}", "--include-dashboard=false")
        match = _ADDRESS.search(self._wait_started("head", proc))
        if match is None:
            raise RayUnavailableError(f"the head node's log ({self.root / 'head.log'}) names no address")
        self.address = match.group(1)

    def add_node(self, *, num_cpus: int, object_store_mb: int) -> subprocess.Popen[bytes]:
        """Start one more worker node and wait until it runs; returns its `ray start` process."""
        name = f"node{len(self.nodes)}"
        proc = self._ray_start(name, f"--address={self.address}",
                               f"--num-cpus={num_cpus}", f"--object-store-memory={object_store_mb * 2**20}")
        self._wait_started(name, proc)
        return proc

    def stop(self) -> None:
        """Stop every node (workers first): SIGTERM lets each drain, then its whole session is killed."""
        for proc in reversed(self.nodes):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in reversed(self.nodes):
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # leftovers of that node (workers, agents)
            proc.wait()
        self.nodes.clear()


@contextlib.contextmanager
def local_cluster(*, nodes: int = 2, num_cpus: int = 1, object_store_mb: int = 300) -> Iterator[LocalCluster]:
    """A head and `nodes - 1` worker nodes on this machine, each with `num_cpus` CPUs; stopped and
    its temporary folder removed on exit. The folder lives under /tmp: Ray's socket paths must stay
    short (108 bytes)."""
    cluster = LocalCluster(Path(tempfile.mkdtemp(prefix="cf-ray-", dir="/tmp")))
    try:
        cluster.start_head(num_cpus=num_cpus, object_store_mb=object_store_mb)
        for _ in range(nodes - 1):
            cluster.add_node(num_cpus=num_cpus, object_store_mb=object_store_mb)
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(cluster.root, ignore_errors=True)
