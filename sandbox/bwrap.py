"""The default backend: bubblewrap with new pid/net/ipc/uts namespaces, read-only system binds,
the work dir as the only writable host path, uid 65534 with no capabilities and no_new_privs,
a seccomp filter (sandbox/seccomp.py), cgroup limits joined before bwrap starts, rlimits, and a
kill that reaches the whole tree. /tmp and /dev/shm are tmpfs of at most the memory limit each.

As root, bwrap runs privileged (so it can bind toolchains that live under /root) and the
program drops to uid 65534 through setpriv inside; the kernel then checks every host file
access against an unprivileged uid. (Root inside a user namespace would still be host root
to the file system.)
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
from contextlib import suppress
from pathlib import Path

from coderforge.sandbox.cgroups import Cgroup, CgroupManager
from coderforge.sandbox.config import SandboxConfig
from coderforge.sandbox.housekeeping import owned_name, remove_stale
from coderforge.sandbox.isolation import (
    PATH,
    SANDBOX_UID,
    WORK,
    Execution,
    Isolation,
    Limits,
    SandboxUnavailableError,
    sandbox_env,
)
from coderforge.sandbox.process import InfoPipe, run_limited
from coderforge.sandbox.seccomp import filter_program
from coderforge.sandbox.toolchains import host_tools

logger = logging.getLogger(__name__)

#: /etc entries programs and toolchains read (dynamic linker, JVM/mono/php config, alternatives).
ETC_ENTRIES = ("alternatives", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "java-17-openjdk", "mono", "php",
               "localtime", "nsswitch.conf", "ssl", "ca-certificates")
#: passwd/group the sandbox sees: root and nobody only, none of the host's accounts.
PASSWD = "root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
GROUP = "root:x:0:\nnogroup:x:65534:\n"

# Joins every cgroup.procs file given before "--", then execs the rest: the process and all it
# starts are counted from the first instruction of bwrap on.
_JOIN = 'umask 022; while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"'


class BwrapBackend(Isolation):
    name = "bwrap"

    def __init__(self, config: SandboxConfig) -> None:
        self.bwrap = shutil.which("bwrap")
        if not self.bwrap:
            raise SandboxUnavailableError("bubblewrap is not installed (apt-get install bubblewrap; "
                                          "or run scripts/system-deps.sh)")
        self.root = os.geteuid() == 0
        self.config = config
        self.cgroups = CgroupManager.detect()
        if self.cgroups is None:
            if not config.allow_no_cgroups:
                raise SandboxUnavailableError(
                    "no writable cgroup (v1 memory or v2 with memory+pids; bwrap needs root for them): without "
                    "one a program's memory is bounded per process only. Run as root, use backend docker, or "
                    "set sandbox.allow_no_cgroups: true to accept that")
            logger.warning("no writable cgroup (v1 memory or v2 with memory+pids): memory and process limits "
                           "fall back to RLIMIT_DATA and RLIMIT_NPROC (sandbox.allow_no_cgroups)")
        seccomp = filter_program()
        remove_stale(Path(tempfile.gettempdir()), "coderforge-bwrap-")
        self.runtime = Path(tempfile.mkdtemp(prefix=owned_name("coderforge-bwrap-")))
        self.runtime.chmod(0o755)
        (self.runtime / "passwd").write_text(PASSWD)
        (self.runtime / "group").write_text(GROUP)
        self.seccomp = self.runtime / "seccomp.bpf"
        self.seccomp.write_bytes(seccomp)
        self.tools = host_tools()

    def _bwrap_argv(self, argv: list[str], *, workdir: Path, env: dict[str, str], info_fd: int, seccomp_fd: int,
                    limits: Limits) -> list[str]:
        args = [self.bwrap, "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                "--hostname", "sandbox", "--die-with-parent", "--new-session", "--info-fd", str(info_fd), "--clearenv",
                "--seccomp", str(seccomp_fd)]
        for key, value in sandbox_env(env).items():
            args += ["--setenv", key, value]
        # Parents of bind targets are made explicitly: bwrap would make them 0700 (root-only).
        made: set[str] = set()
        for target in ["/etc/x", *(f"{m}/x" for m in self.tools.mounts())]:
            for parent in reversed(Path(target).parents[:-1]):
                if str(parent) not in made:
                    made.add(str(parent))
                    args += ["--perms", "0711" if parent.is_relative_to("/root") else "0755", "--dir", str(parent)]
        args += ["--ro-bind", "/usr", "/usr"]
        for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            link = Path("/") / name
            if link.is_symlink():
                args += ["--symlink", os.readlink(link), f"/{name}"]
            elif link.is_dir():
                args += ["--ro-bind", str(link), f"/{name}"]
        for name in ETC_ENTRIES:
            args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
        args += ["--ro-bind", str(self.runtime / "passwd"), "/etc/passwd",
                 "--ro-bind", str(self.runtime / "group"), "/etc/group"]
        for mount in self.tools.mounts():
            args += ["--ro-bind", str(mount), str(mount)]
        # Programs get the python standard library only, the same as in the docker image.
        args += ["--tmpfs", str(self.tools.python_site_packages)]
        # What a program writes to /tmp and /dev/shm is memory: capped here, and counted by the cgroup too.
        # /dev/shm is writable as on Docker (multiprocessing's semaphores live there).
        size = str(limits.memory_mb * 1024 * 1024)
        args += ["--proc", "/proc", "--dev", "/dev"]
        for tmpfs in ("/tmp", "/dev/shm"):
            args += ["--perms", "1777", "--size", size, "--tmpfs", tmpfs]
        args += ["--bind", str(workdir), WORK, "--chdir", WORK, "--remount-ro", "/"]
        if self.root:
            args += ["setpriv", f"--reuid={SANDBOX_UID}", f"--regid={SANDBOX_UID}", "--clear-groups",
                     "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
        return args + argv

    def _rlimits(self, limits: Limits) -> list[str]:
        cpu = int(limits.timeout_s * max(1.0, limits.cpus)) + 1
        out = ["prlimit", "--core=0", f"--fsize={limits.file_size_mb * 1024 * 1024}", "--nofile=1024", f"--cpu={cpu}"]
        if self.cgroups is None:
            # Runtimes map more than they use (JVM, node): RLIMIT_DATA gets headroom over the limit.
            data = (2 * limits.memory_mb + 256) * 1024 * 1024
            out += [f"--data={data}", f"--nproc={limits.pids * (self.config.workers or 64)}"]
        return [*out, "--"]

    def run(self, argv: list[str], *, workdir: Path, env: dict[str, str], stdin: bytes | None,
            limits: Limits) -> Execution:
        cgroup: Cgroup | None = None

        def kill(proc: subprocess.Popen[bytes]) -> None:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            if cgroup is not None:
                cgroup.kill_all()

        seccomp_fd = -1
        try:
            if self.cgroups is not None:
                cgroup = self.cgroups.create()
                cgroup.limit(memory_mb=limits.memory_mb, pids=limits.pids, cpus=limits.cpus)
            seccomp_fd = os.open(self.seccomp, os.O_RDONLY | os.O_CLOEXEC)  # bwrap reads the filter from it
            info = InfoPipe()
            bwrap = self._bwrap_argv(argv, workdir=workdir, env=env, info_fd=info.write_fd, seccomp_fd=seccomp_fd,
                                     limits=limits)
            full = ["/bin/sh", "-c", _JOIN, "sh", *map(str, cgroup.procs_files if cgroup else []), "--",
                    *self._rlimits(limits), *bwrap]
            done = run_limited(full, stdin=stdin, timeout_s=limits.timeout_s, output_limit=limits.output_limit,
                               kill=kill, info=info, env={"PATH": PATH}, pass_fds=(seccomp_fd,))
            memory = cgroup.oom_killed() if cgroup else False
        except OSError as e:
            return Execution(exit_code=None, stdout=b"", stderr=b"", wall_s=0.0, error=f"bwrap setup failed: {e}")
        finally:
            if seccomp_fd >= 0:
                os.close(seccomp_fd)
            if cgroup is not None:
                cgroup.kill_all()  # nothing outlives its run (the pid namespace already ends with it)
                cgroup.remove()
        if not done.info and not done.timed_out:  # bwrap never set the sandbox up
            reason = done.stderr.decode(errors="replace").strip() or f"exit code {done.exit_code}"
            return Execution(exit_code=None, stdout=b"", stderr=done.stderr, wall_s=done.wall_s,
                             error=f"bwrap failed before the program started: {reason}")
        return Execution(exit_code=done.exit_code, stdout=done.stdout, stderr=done.stderr, wall_s=done.wall_s,
                         timed_out=done.timed_out, output_exceeded=done.output_exceeded, memory_exceeded=memory)

    def close(self) -> None:
        if self.cgroups is not None:
            self.cgroups.close()
        shutil.rmtree(self.runtime, ignore_errors=True)
