"""The docker backend, through the Docker SDK: one short-lived container per command, from the
locally built image (scripts/docker-image.sh), with no network, memory/pids/CPU limits, a
read-only root, a tmpfs /tmp, the work dir bound at /work, uid 65534, every capability dropped,
no-new-privileges and the bwrap backend's seccomp rules (sandbox/seccomp.py). tini is pid 1, as
bwrap is in its sandbox, so orphans are reaped and the whole tree ends with the program.

Containers carry labels naming their owner (host and pid): a backend starting up removes those
of owners that died, and each container ends itself after its wall-clock limit (plus slack), so
a coderforge killed with SIGKILL leaves no program running. As root, programs run as uid 65534
(the runner chowns the work dir to it); otherwise as the caller, the only uid that can enter
the caller's 0700 work dir."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from coderforge.sandbox.config import SandboxConfig
from coderforge.sandbox.housekeeping import pid_alive
from coderforge.sandbox.isolation import (
    SANDBOX_UID,
    WORK,
    Execution,
    Isolation,
    Limits,
    SandboxUnavailableError,
    sandbox_env,
)
from coderforge.sandbox.seccomp import docker_profile

logger = logging.getLogger(__name__)

# Feeds stdin from a read-only file bound outside /work (attaching stdin through the API races).
_STDIN = "/run/stdin"
_WITH_STDIN = f'exec "$@" < {_STDIN}'
#: Every container of this backend carries LABEL; OWNER_LABEL is "<host>:<pid>" of its coderforge.
LABEL = "coderforge.sandbox"
OWNER_LABEL = "coderforge.owner"
#: Seconds a container outlives its wall-clock limit before it ends itself (the host kills it first).
_SELF_KILL_SLACK_S = 10
#: The engine sets OOMKilled on its own OOM event, which may come after the exit event that ends
#: `wait`: a SIGKILL exit (137) the host did not cause waits this long for the flag to show.
_OOM_FLAG_WAIT_S = 2.0


class DockerBackend(Isolation):
    name = "docker"

    def __init__(self, config: SandboxConfig) -> None:
        try:
            import docker
            from docker.errors import DockerException, ImageNotFound
        except ImportError as e:
            raise SandboxUnavailableError("the docker backend needs the docker package: "
                                          "pip install 'coderforge[docker]'") from e
        self.config = config
        workers = config.workers or 8
        try:
            self.client = docker.from_env(timeout=120, max_pool_size=2 * workers + 2)
            self.client.ping()
        except DockerException as e:
            raise SandboxUnavailableError(f"no Docker engine reachable ({e}); start dockerd, "
                                          "or use backend bwrap") from e
        try:
            self.client.images.get(config.docker_image)
        except ImageNotFound as e:
            raise SandboxUnavailableError(f"docker image {config.docker_image} is missing: build it with "
                                          "scripts/docker-image.sh (coderforge sandbox image)") from e
        self.host = socket.gethostname()
        self.owner = f"{self.host}:{os.getpid()}"
        self.user = f"{SANDBOX_UID}:{SANDBOX_UID}" if os.geteuid() == 0 else f"{os.getuid()}:{os.getgid()}"
        self.seccomp = docker_profile()
        self.remove_stale()

    def remove_stale(self) -> None:
        """Remove containers whose coderforge (on this host) is gone; never raises."""
        from docker.errors import DockerException

        try:
            containers = self.client.containers.list(all=True, filters={"label": LABEL})
        except DockerException as e:
            logger.warning("could not list stale sandbox containers: %s", e)
            return
        for container in containers:
            host, _, pid = container.labels.get(OWNER_LABEL, "").rpartition(":")
            if host == self.host and pid.isdigit() and not pid_alive(int(pid)):
                logger.debug("removing container %s, left by dead process %s", container.name, pid)
                try:
                    container.remove(force=True, v=True)
                except DockerException as e:
                    logger.warning("could not remove stale container %s: %s", container.name, e)

    def _create(self, argv: list[str], *, workdir: Path, env: dict[str, str], stdin_file: Path | None,
                limits: Limits) -> Any:
        from docker.types import LogConfig, Mount, Ulimit

        mounts = [Mount(WORK, str(workdir), type="bind")]
        command = argv
        if stdin_file is not None:
            mounts.append(Mount(_STDIN, str(stdin_file), type="bind", read_only=True))
            command = ["/bin/sh", "-c", _WITH_STDIN, "sh", *argv]
        # The container's own deadline: when timeout exits, so does tini and every process with it.
        wall = int(limits.timeout_s) + 1 + _SELF_KILL_SLACK_S
        command = ["timeout", "--signal=KILL", str(wall), *command]
        memory = f"{limits.memory_mb}m"
        cpu_seconds = int(limits.timeout_s * max(1.0, limits.cpus)) + 1
        return self.client.containers.create(
            self.config.docker_image, command=command, name=f"coderforge-{uuid.uuid4().hex[:12]}",
            labels={LABEL: "1", OWNER_LABEL: self.owner},
            user=self.user, working_dir=WORK, environment=sandbox_env(env),
            network_mode="none", mem_limit=memory, memswap_limit=memory, pids_limit=limits.pids,
            nano_cpus=int(limits.cpus * 1e9), read_only=True, init=True,
            tmpfs={"/tmp": f"rw,nosuid,nodev,size={limits.memory_mb}m,mode=1777"}, mounts=mounts,
            cap_drop=["ALL"], security_opt=["no-new-privileges", f"seccomp={self.seccomp}"],
            ulimits=[Ulimit(name="fsize", soft=limits.file_size_mb << 20, hard=limits.file_size_mb << 20),
                     Ulimit(name="nofile", soft=1024, hard=1024), Ulimit(name="core", soft=0, hard=0),
                     Ulimit(name="cpu", soft=cpu_seconds, hard=cpu_seconds)],
            log_config=LogConfig(type=LogConfig.types.NONE), hostname="sandbox", stdin_open=False,
        )

    def run(self, argv: list[str], *, workdir: Path, env: dict[str, str], stdin: bytes | None,
            limits: Limits) -> Execution:
        from docker.errors import DockerException

        stdin_file = None
        if stdin is not None:
            stdin_file = workdir.parent / f"{workdir.name}.stdin"
            stdin_file.write_bytes(stdin)
            stdin_file.chmod(0o644)
        container = None
        start = time.monotonic()
        try:
            container = self._create(argv, workdir=workdir, env=env, stdin_file=stdin_file, limits=limits)
            stream = container.attach(stdout=True, stderr=True, stream=True, demux=True, logs=False)
            collector = _Collector(stream, limits.output_limit)
            exited: dict[str, Any] = {}
            container.start()
            start = time.monotonic()
            # The output must be drained while the container is killed (the engine blocks its exit on
            # the attach stream), so reading, waiting and killing happen on separate threads.
            reader = threading.Thread(target=collector.read, daemon=True)
            waiter = threading.Thread(target=lambda: exited.update(container.wait()), daemon=True)
            reader.start()
            waiter.start()
            deadline = start + limits.timeout_s
            while waiter.is_alive() and not collector.exceeded.is_set() and time.monotonic() < deadline:
                waiter.join(timeout=0.02)
            wall = time.monotonic() - start
            timed_out = waiter.is_alive() and not collector.exceeded.is_set()
            if waiter.is_alive():
                _kill(container)
                waiter.join(timeout=60)
            reader.join(timeout=10)
            killed_inside = not timed_out and not collector.exceeded.is_set()
            state = self._final_state(container.id, killed_inside)
            return Execution(exit_code=exited.get("StatusCode", state.get("ExitCode")), stdout=collector.stdout,
                             stderr=collector.stderr, wall_s=wall, timed_out=timed_out,
                             output_exceeded=collector.exceeded.is_set(), memory_exceeded=bool(state.get("OOMKilled")))
        except DockerException as e:
            return Execution(exit_code=None, stdout=b"", stderr=b"", wall_s=time.monotonic() - start,
                             error=f"docker failed: {e}")
        finally:
            if container is not None:
                try:
                    container.remove(force=True, v=True)
                except DockerException as e:
                    logger.warning("could not remove container %s: %s", container.id[:12], e)
            if stdin_file is not None:
                stdin_file.unlink(missing_ok=True)

    def _final_state(self, container_id: str, killed_inside: bool) -> dict[str, Any]:
        """The exited container's State; after a SIGKILL the host did not send, re-read until the
        OOM flag shows or _OOM_FLAG_WAIT_S has passed (the OOM and exit events race)."""
        state = self.client.api.inspect_container(container_id)["State"]
        deadline = time.monotonic() + _OOM_FLAG_WAIT_S
        while (killed_inside and state.get("ExitCode") == 137 and not state.get("OOMKilled")
               and time.monotonic() < deadline):
            time.sleep(0.1)
            state = self.client.api.inspect_container(container_id)["State"]
        return state

    def close(self) -> None:
        self.client.close()


def _kill(container: Any) -> None:
    from docker.errors import APIError

    with contextlib.suppress(APIError):  # already stopped
        container.kill()


class _Collector:
    """Drains a container's demultiplexed output to its end, keeping at most `limit` bytes a stream."""

    def __init__(self, stream: Any, limit: int) -> None:
        self.stream, self.limit = stream, limit
        self.out, self.err = bytearray(), bytearray()
        self.exceeded = threading.Event()

    @property
    def stdout(self) -> bytes:
        return bytes(self.out[: self.limit])

    @property
    def stderr(self) -> bytes:
        return bytes(self.err[: self.limit])

    def read(self) -> None:
        try:
            for out, err in self.stream:
                for buf, data in ((self.out, out), (self.err, err)):
                    if data and len(buf) <= self.limit:
                        buf += data[: self.limit + 1 - len(buf)]
                        if len(buf) > self.limit:
                            self.exceeded.set()
        except Exception as e:  # the stream ends when the container is killed or removed
            logger.debug("output stream ended: %s", e)
