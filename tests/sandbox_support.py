"""Helpers shared by the sandbox tests: which backends can run here, and configs for them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from coderforge.sandbox import SandboxConfig

#: Each sandbox test runs on both backends; docker ones carry the `docker` marker.
BACKENDS = ["bwrap", pytest.param("docker", marks=pytest.mark.docker)]


def require_backend(name: str) -> None:
    """Skip when the backend cannot exist here; fail when docker is up but its image is missing."""
    if name == "bwrap":
        if not shutil.which("bwrap"):
            pytest.skip("bubblewrap is not installed (apt-get install bubblewrap)")
        return
    try:
        import docker
        from docker.errors import DockerException, ImageNotFound
    except ImportError:
        pytest.skip("the docker Python package is not installed")
    try:
        client = docker.from_env(timeout=5)
        client.ping()
    except DockerException as e:
        pytest.skip(f"no Docker engine reachable (as root: make docker-setup): {e}")
    try:
        client.images.get(SandboxConfig().docker_image)
    except ImageNotFound:
        pytest.fail(f"Docker is running but {SandboxConfig().docker_image} is missing: run scripts/docker-image.sh")
    finally:
        client.close()


def config_for(backend: str, tmp: Path, **overrides: object) -> SandboxConfig:
    return SandboxConfig(backend=backend, cache_dir=tmp / "compile-cache", **overrides)


def processes_with(token: str) -> list[str]:
    """Command lines of live host processes that mention token (none may outlive a run)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and int(proc.name) != os.getpid():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if token in cmdline:
                found.append(f"{proc.name}: {cmdline}")
    return found
