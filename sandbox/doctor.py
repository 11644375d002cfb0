"""`coderforge sandbox doctor`: is each toolchain installed, and can each backend run here?"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

from coderforge.sandbox.toolchains import TOOLCHAINS, Toolchain, host_tools


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    """The version found, or why it is missing."""
    fix: str = ""
    """How to install or enable it (empty when ok)."""


def check_toolchain(toolchain: Toolchain) -> Check:
    argv = toolchain.probe(host_tools())
    if not argv or not shutil.which(argv[0]):
        return Check(toolchain.language, False, f"{argv[0] if argv else 'toolchain'} not found", toolchain.install)
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        return Check(toolchain.language, False, f"{argv[0]} failed: {e}", toolchain.install)
    text = (out.stdout or out.stderr).strip()
    if out.returncode != 0:
        return Check(toolchain.language, False, f"{argv[0]} exited {out.returncode}: {text[:200]}", toolchain.install)
    return Check(toolchain.language, True, text.splitlines()[0] if text else "ok")


def check_toolchains() -> list[Check]:
    return [check_toolchain(tc) for tc in TOOLCHAINS.values()]


def check_backends(docker_image: str) -> list[Check]:
    from coderforge.sandbox.cgroups import CgroupManager

    checks = []
    bwrap = shutil.which("bwrap")
    checks.append(Check("bwrap", bool(bwrap), bwrap or "bubblewrap not found",
                        "" if bwrap else "apt-get install bubblewrap"))
    manager = CgroupManager.detect()
    if manager is not None:
        checks.append(Check("cgroups", True, f"{manager.version}: {', '.join(sorted(manager.parents))}"))
        manager.close()
    else:
        checks.append(Check("cgroups", False, "no writable memory cgroup: bwrap refuses to run unless "
                            "sandbox.allow_no_cgroups (limits then fall back to rlimits)",
                            "run as root with cgroup v1 memory/pids, or delegated cgroup v2 controllers"))
    checks.append(_check_docker(docker_image))
    return checks


def _check_docker(image: str) -> Check:
    try:
        import docker
        from docker.errors import DockerException, ImageNotFound
    except ImportError:
        return Check("docker", False, "the docker package is not installed", "pip install 'coderforge[docker]'")
    try:
        client = docker.from_env(timeout=5)
        version = client.version().get("Version", "?")
    except DockerException as e:
        return Check("docker", False, f"no engine reachable ({str(e)[:120]})", "apt-get install docker.io; dockerd &")
    try:
        client.images.get(image)
    except ImageNotFound:
        return Check("docker", False, f"engine {version}, image {image} missing", "scripts/docker-image.sh")
    finally:
        client.close()
    return Check("docker", True, f"engine {version}, image {image}")
