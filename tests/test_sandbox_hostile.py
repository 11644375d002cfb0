"""Hostile programs on both backends: each ends with the right status, the host stays unchanged,
and no process outlives its run. All network traffic here aims at the host's loopback only."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from coderforge.sandbox import Program, Result, Sandbox, Status
from sandbox_support import BACKENDS, config_for, processes_with, require_backend

PROJECT = Path(__file__).resolve().parent.parent
SECRET_ENV = "CODERFORGE_TEST_SECRET"

LOOP = {
    "python": "while True:\n    pass\n",
    "javascript": "for (;;) {}\n",
    "typescript": "let spins: number = 0;\nfor (;;) { spins++; }\n",
    "java": "public class Main { public static void main(String[] a) { long i = 0; while (true) { i++; } } }\n",
    "c": "int main(void) { volatile unsigned long i = 0; for (;;) i++; }\n",
    "cpp": "int main() { volatile unsigned long i = 0; for (;;) i++; }\n",
    "go": "package main\n\nfunc main() {\n\tfor {\n\t}\n}\n",
    "rust": "fn main() { let mut i: u64 = 0; loop { i = std::hint::black_box(i.wrapping_add(1)); } }\n",
    "bash": "while :; do :; done\n",
    "php": "<?php\nwhile (true) {}\n",
    "csharp": "class P { static void Main() { while (true) {} } }\n",
}
MEMORY = {
    "python": "keep = []\nwhile True:\n    keep.append(b'x' * (16 * 1024 * 1024))\n",
    "javascript": "const keep = [];\nwhile (true) keep.push(new Array(1e6).fill(1.5));\n",
    "typescript": "const keep: number[][] = [];\nwhile (true) keep.push(new Array(1e6).fill(1.5));\n",
    "java": "import java.util.*;\npublic class Main { public static void main(String[] a) {\n"
            "  List<long[]> keep = new ArrayList<>(); while (true) keep.add(new long[1 << 20]); } }\n",
    "c": "#include <stdlib.h>\n#include <string.h>\nint main(void) {\n"
         "  for (;;) { char *p = malloc(16 << 20); if (!p) return 3; memset(p, 1, 16 << 20); } }\n",
    "cpp": "#include <vector>\nint main() { std::vector<std::vector<char>> keep;\n"
           "  for (;;) keep.push_back(std::vector<char>(16 << 20, 1)); }\n",
    "go": "package main\n\nfunc main() {\n\tvar keep [][]byte\n\tfor {\n\t\tb := make([]byte, 16<<20)\n"
          "\t\tfor i := range b {\n\t\t\tb[i] = 1\n\t\t}\n\t\tkeep = append(keep, b)\n\t}\n}\n",
    "rust": "fn main() { let mut keep: Vec<Vec<u8>> = Vec::new(); loop { keep.push(vec![1u8; 16 << 20]); } }\n",
    "bash": "s=$(head -c 2000000000 /dev/zero | tr '\\0' x)\necho ${#s}\n",
    "php": "<?php\n$keep = [];\nwhile (true) { $keep[] = str_repeat('x', 16 * 1024 * 1024); }\n",
    "csharp": "using System.Collections.Generic;\nclass P { static void Main() { var keep = new List<byte[]>();\n"
              "  while (true) { var b = new byte[16 << 20]; for (int i = 0; i < b.Length; i += 4096) b[i] = 1;"
              " keep.Add(b); } } }\n",
}
FLOOD = {
    "python": "while True:\n    print('x' * 1000)\n",
    # console.log on a pipe may buffer inside node when the loop never yields; write straight to fd 1.
    "javascript": "const fs = require('fs');\nconst line = 'x'.repeat(1000) + '\\n';\n"
                  "for (;;) fs.writeSync(1, line);\n",
    "typescript": "const fs = require('fs');\nconst line: string = 'x'.repeat(1000) + '\\n';\n"
                  "for (;;) fs.writeSync(1, line);\n",
    "java": "public class Main { public static void main(String[] a) { String s = \"x\".repeat(1000);\n"
            "  while (true) System.out.println(s); } }\n",
    "c": "#include <stdio.h>\n#include <string.h>\nint main(void) { char s[1001]; memset(s, 'x', 1000); s[1000] = 0;\n"
         "  for (;;) puts(s); }\n",
    "cpp": "#include <iostream>\n#include <string>\nint main() { std::string s(1000, 'x');\n"
           "  for (;;) std::cout << s << '\\n'; }\n",
    "go": "package main\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n)\n\nfunc main() {\n\ts := strings.Repeat(\"x\", 1000)\n"
          "\tfor {\n\t\tfmt.Println(s)\n\t}\n}\n",
    "rust": "fn main() { let s = \"x\".repeat(1000); loop { println!(\"{}\", s); } }\n",
    "bash": "yes xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
    "php": "<?php\nwhile (true) { echo str_repeat('x', 1000), \"\\n\"; }\n",
    "csharp": "class P { static void Main() { var s = new string('x', 1000);\n"
              "  while (true) System.Console.WriteLine(s); } }\n",
}


SYSCALLS_C = r"""#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
static void report(const char *name, long rc, int first) {
  printf("%s\"%s\": [%ld, %d]", first ? "{" : ", ", name, rc, rc == -1 ? errno : 0);
}
int main(void) {
  char params[120] = {0};
  long rc = syscall(SYS_unshare, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET);
  report("unshare", rc, 1);
  rc = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
  if (rc == 0) _exit(0);
  report("clone_newuser", rc, 0);
  report("add_key", syscall(SYS_add_key, "user", "cf-shared", "x", 1, -4 /* user keyring */), 0);
  report("keyctl", syscall(SYS_keyctl, 0 /* get keyring id */, -4, 1), 0);
  report("io_uring_setup", syscall(SYS_io_uring_setup, 4, params), 0);
  puts("}");
  return 0;
}
"""


@dataclass(frozen=True)
class Case:
    id: str
    language: str
    code: str
    expected: frozenset[Status]
    timeout_s: float | None = None
    """Memory bombs get time to reach their limit on a busy machine; the rest use the 2 s default."""


def _cases(token: str, port: int) -> list[Case]:
    """Every hostile program, with the statuses it may end with."""
    timeout, passed, ran = {Status.timeout}, {Status.passed}, {Status.passed, Status.failed}
    cases = []
    for kind, table, expected, seconds in (("loop", LOOP, timeout, None),
                                           ("memory", MEMORY, {Status.memory_exceeded}, 20.0),
                                           ("flood", FLOOD, {Status.output_exceeded}, 20.0)):
        cases += [Case(f"{kind}-{lang}", lang, code, frozenset(expected), seconds) for lang, code in table.items()]
    # Programs that print a JSON report of what they reached; the tests read it back.
    targets = [f"/tmp/{token}", f"/usr/{token}", f"/etc/{token}", f"{PROJECT}/{token}", f"/work/../{token}",
               f"/dev/shm/{token}", f"/root/{token}", f"/{token}"]
    specs = {
        "forkbomb-python": ("python", "import os\nwhile True:\n    try:\n        os.fork()\n"
                                      "    except OSError:\n        pass\n", timeout),
        "forkbomb-bash": ("bash", "bomb() { bomb | bomb & }\nbomb\nwhile :; do :; done\n", timeout),
        "forkbomb-c": ("c", "#include <unistd.h>\nint main(void) { for (;;) fork(); }\n", timeout),
        "child-python": ("python", f"import subprocess\nsubprocess.Popen(['sh', '-c', 'sleep 60', '{token}-child'])\n"
                                   "print('parent done')\n", passed),
        "child-bash": ("bash", f"sh -c 'sleep 60' {token}-child &\necho parent done\n", passed),
        "child-c": ("c", "#include <unistd.h>\nint main(void) {\n  if (fork() == 0) { execl(\"/bin/sh\", \"sh\", "
                         f"\"-c\", \"sleep 60\", \"{token}-child\", (char *)0); }}\n  return 0;\n}}\n", passed),
        "daemon-python": ("python", "import os\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
                                    f"        os.execvp('sh', ['sh', '-c', 'sleep 60', '{token}-daemon'])\n"
                                    "    os._exit(0)\nprint('parent done')\n", passed),
        "daemon-bash": ("bash", f"setsid nohup sh -c 'sleep 60' {token}-daemon >/dev/null 2>&1 &\necho parent done\n",
                        passed),
        "daemon-c": ("c", "#include <unistd.h>\nint main(void) {\n  if (fork() == 0) { setsid(); if (fork() == 0) "
                          f"execl(\"/bin/sh\", \"sh\", \"-c\", \"sleep 60\", \"{token}-daemon\", (char *)0);"
                          " _exit(0); }\n"
                          "  return 0;\n}\n", passed),
        "net-python": ("python", "import socket\ntry:\n"
                                 f"    socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
                                 "except OSError as e:\n    print('blocked', e)\nelse:\n    print('CONNECTED')\n"
                                 "    raise SystemExit(1)\n", passed),
        "net-bash": ("bash", f"if (exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null; then echo CONNECTED; exit 1; fi\n"
                             "echo blocked\n", passed),
        "net-c": ("c", "#include <arpa/inet.h>\n#include <stdio.h>\n#include <sys/socket.h>\nint main(void) {\n"
                       "  int s = socket(AF_INET, SOCK_STREAM, 0); struct sockaddr_in a = {0};\n"
                       f"  a.sin_family = AF_INET; a.sin_port = htons({port}); a.sin_addr.s_addr = htonl(0x7f000001);\n"
                       "  if (connect(s, (struct sockaddr *)&a, sizeof a) == 0) { puts(\"CONNECTED\"); return 1; }\n"
                       "  puts(\"blocked\"); return 0;\n}\n", passed),
        "net-javascript": ("javascript", f"const c = require('net').connect({{port: {port}, host: '127.0.0.1'}});\n"
                                         "c.on('connect', () => { console.log('CONNECTED'); process.exit(1); });\n"
                                         "c.on('error', (e) => { console.log('blocked', e.code); "
                                         "process.exit(0); });\n",
                           passed),
        "secrets-python": ("python", "import json, os\nfound = {}\n"
                                     "for what, read in [('shadow', lambda: open('/etc/shadow').read()),\n"
                                     "                   ('root', lambda: os.listdir('/root')),\n"
                                     f"                   ('project', lambda: os.listdir('{PROJECT}')),\n"
                                     f"                   ('pyproject', lambda: open('{PROJECT}/pyproject.toml')"
                                     ".read()),\n"
                                     "                   ('init-environ', lambda: open('/proc/1/environ').read())]:\n"
                                     "    try:\n        found[what] = str(read())[:200]\n    except OSError:\n"
                                     "        pass\nfound['env'] = dict(os.environ)\nprint(json.dumps(found))\n",
                           passed),
        "secrets-bash": ("bash", f"cat /etc/shadow; ls -a /root; ls {PROJECT}; cat /proc/1/environ; env\n", ran),
        "secrets-c": ("c", "#include <dirent.h>\n#include <stdio.h>\n#include <stdlib.h>\nint main(void) {\n"
                           "  int bad = 0; if (fopen(\"/etc/shadow\", \"r\")) bad |= 1;\n"
                           "  if (opendir(\"/root\")) bad |= 2;\n"
                           f"  if (opendir(\"{PROJECT}\")) bad |= 4; if (getenv(\"{SECRET_ENV}\")) bad |= 8;\n"
                           "  printf(\"%d\\n\", bad); return bad;\n}\n", passed),
        "write-python": ("python", "import json\nreport = {}\n"
                                   f"for path in {targets!r}:\n    try:\n        open(path, 'w').write('pwned')\n"
                                   "        report[path] = 'written'\n    except OSError as e:\n"
                                   "        report[path] = e.strerror\nprint(json.dumps(report))\n", passed),
        "write-bash": ("bash", "".join(f"echo pwned > {t}-b\n" for t in targets) + "true\n", passed),
        "killparent-python": ("python", "import os, signal\nfor pid in (os.getppid(), -1):\n    try:\n"
                                        "        os.kill(pid, signal.SIGKILL)\n    except OSError as e:\n"
                                        "        print('cannot kill', pid, e.strerror)\nprint('alive')\n", ran),
        "killparent-bash": ("bash", "kill -9 $PPID; kill -9 -1; echo alive\n", ran),
        # Each call's (return value, errno); none may succeed (escapes, shared kernel state).
        "syscalls-c": ("c", SYSCALLS_C, passed),
        "unshare-bash": ("bash", "if unshare -Urmn true; then echo ESCAPED; else echo denied; fi\n", passed),
        # A tree deeper than a recursive delete can go (and than PATH_MAX): cleanup must still work.
        "deeptree-python": ("python", "import os\nfor _ in range(3000):\n    os.mkdir('d')\n    os.chdir('d')\n"
                                      "print('deep')\n", passed),
    }
    cases += [Case(name, lang, code, frozenset(expected)) for name, (lang, code, expected) in specs.items()]
    return cases


@dataclass
class Run:
    token: str
    cases: dict[str, Case]
    results: dict[str, Result]
    listener: socket.socket
    leftovers: list[str]
    sandbox: Sandbox


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both backends share compiled builds here: this suite is about what programs do when run."""
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="module", params=BACKENDS)
def hostile(request: pytest.FixtureRequest, shared_cache: Path):
    require_backend(request.param)
    token = f"cfhostile{uuid.uuid4().hex[:10]}"
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    port = listener.getsockname()[1]
    cases = _cases(token, port)
    os.environ[SECRET_ENV] = token
    cfg = config_for(request.param, shared_cache, timeout_s=2, memory_mb=128,
                     output_limit_bytes=1024 * 1024)
    try:
        with Sandbox(cfg) as sandbox:
            programs = [Program(c.id, c.language, c.code, timeout_s=c.timeout_s) for c in cases]
            results = {r.id: r for r in sandbox.execute(programs)}
            leftovers = processes_with(token)
            for _ in range(20):  # a killed tree may take a moment to be reaped
                if not leftovers:
                    break
                time.sleep(0.1)
                leftovers = processes_with(token)
            yield Run(token, {c.id: c for c in cases}, results, listener, leftovers, sandbox)
    finally:
        del os.environ[SECRET_ENV]
        listener.close()


CASE_IDS = [c.id for c in _cases("t", 1)]


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_hostile_program_ends_with_the_right_status(hostile: Run, case_id: str) -> None:
    result, case = hostile.results[case_id], hostile.cases[case_id]
    why = f"{case_id}: {result.status} (exit {result.exit_code})\n{result.stderr[-800:]}"
    assert result.status in case.expected, why


def test_no_process_outlives_its_run(hostile: Run) -> None:
    assert hostile.leftovers == []
    assert processes_with(hostile.token) == []


def test_loopback_listener_on_the_host_is_unreachable(hostile: Run) -> None:
    for lang in ("python", "bash", "c", "javascript"):
        assert "blocked" in hostile.results[f"net-{lang}"].stdout
    with pytest.raises(BlockingIOError):
        hostile.listener.accept()


def test_secrets_stay_hidden(hostile: Run) -> None:
    report = json.loads(hostile.results["secrets-python"].stdout)
    # pid 1 (bwrap's or docker's init) may be readable, but it too holds the sandbox's env only.
    assert set(report) <= {"env", "init-environ"}, report
    assert SECRET_ENV not in report["env"] and hostile.token not in json.dumps(report)
    bash = hostile.results["secrets-bash"]
    assert hostile.token not in bash.stdout and "root:" not in bash.stdout
    assert "pyproject.toml" not in bash.stdout
    assert hostile.results["secrets-c"].stdout.strip() == "0"


def test_writes_outside_the_work_dir_leave_the_host_unchanged(hostile: Run) -> None:
    report = json.loads(hostile.results["write-python"].stdout)
    for path in (f"/usr/{hostile.token}", f"/etc/{hostile.token}", f"/{hostile.token}"):
        assert report[path] != "written", report
    for base in ("/tmp", "/usr", "/etc", str(PROJECT), "/dev/shm", "/root", "/"):
        for suffix in ("", "-b"):
            assert not Path(base, hostile.token + suffix).exists()
    assert not list(Path("/dev/shm").rglob(f"{hostile.token}*"))


def test_namespaces_keyring_and_io_uring_are_denied(hostile: Run) -> None:
    import errno

    report = json.loads(hostile.results["syscalls-c"].stdout)
    assert report == {name: [-1, errno.EPERM] for name in report} and len(report) == 5, report
    assert hostile.results["unshare-bash"].stdout == "denied\n"


def test_work_dirs_are_removed_whatever_programs_leave(hostile: Run) -> None:
    assert hostile.results["deeptree-python"].stdout == "deep\n"
    assert list(hostile.sandbox.runner.work_root.iterdir()) == []


def test_sandbox_still_works_after_hostile_programs(hostile: Run) -> None:
    (result,) = hostile.sandbox.execute([Program("after", "python", "print('fine')")])
    assert (result.status, result.stdout) == (Status.passed, "fine\n")


# --- docker: containers never outlive their coderforge --------------------------------------

def _docker_client():
    import docker

    return docker.from_env(timeout=30)


@pytest.mark.docker
def test_docker_containers_left_by_a_dead_coderforge_are_removed_at_start(tmp_path: Path) -> None:
    require_backend("docker")
    from coderforge.sandbox import SandboxConfig
    from coderforge.sandbox.docker_backend import LABEL, OWNER_LABEL
    from docker.errors import NotFound

    dead = subprocess.Popen(["true"])
    dead.wait()  # its pid is free: the owner of the leftover is gone
    client = _docker_client()
    left = client.containers.create(SandboxConfig().docker_image, command=["sleep", "300"], network_mode="none",
                                    labels={LABEL: "1", OWNER_LABEL: f"{socket.gethostname()}:{dead.pid}"})
    try:
        left.start()
        with Sandbox(config_for("docker", tmp_path)), pytest.raises(NotFound):
            client.containers.get(left.id)
    finally:
        with contextlib.suppress(NotFound):
            left.remove(force=True)
        client.close()


@pytest.mark.docker
def test_docker_program_ends_by_itself_when_coderforge_is_killed(tmp_path: Path) -> None:
    require_backend("docker")
    from coderforge.sandbox.docker_backend import OWNER_LABEL

    program = tmp_path / "sleeper.sh"
    program.write_text("sleep 300\n")
    entry = str(Path(sys.executable).with_name("coderforge"))
    proc = subprocess.Popen([entry, "sandbox", "run", "--backend", "docker", "--timeout", "1", str(program)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = _docker_client()
    owner = {"label": f"{OWNER_LABEL}={socket.gethostname()}:{proc.pid}"}
    try:
        for _ in range(600):  # until its container runs
            running = client.containers.list(filters=owner)
            if running or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert running, "no labelled container was seen running"
        proc.send_signal(signal.SIGKILL)  # coderforge dies without cleaning up
        proc.wait()
        for _ in range(600):  # the container's own deadline (timeout + slack) ends it
            if not client.containers.list(filters=owner):
                break
            time.sleep(0.1)
        assert client.containers.list(filters=owner) == [], "the program outlived its coderforge"
    finally:
        if proc.poll() is None:
            proc.kill()
        for container in client.containers.list(all=True, filters=owner):
            container.remove(force=True)
        client.close()


@pytest.mark.docker
def test_docker_as_non_root_runs_as_the_caller_in_its_private_work_dir(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    require_backend("docker")
    from coderforge.sandbox.docker_backend import DockerBackend
    from coderforge.sandbox.isolation import Limits

    caller = 4242  # a non-root caller with docker access: its work dir is its own, mode 0700
    work = Path(tempfile.mkdtemp(prefix="cf-nonroot-", dir="/dev/shm"))
    try:
        (work / "input.txt").write_text("mine\n")
        for path in (work, work / "input.txt"):
            os.chown(path, caller, caller)
        work.chmod(0o700)
        for name in ("geteuid", "getuid", "getgid"):
            monkeypatch.setattr(os, name, lambda: caller)
        backend = DockerBackend(config_for("docker", tmp_path))
        monkeypatch.undo()
        limits = Limits(timeout_s=20, memory_mb=128, pids=32, cpus=1, output_limit=4096, file_size_mb=1)
        done = backend.run(["sh", "-c", "id -u; cat input.txt; echo out > made.txt"], workdir=work, env={},
                           stdin=None, limits=limits)
        backend.close()
        assert (done.exit_code, done.stdout) == (0, b"4242\nmine\n"), done
        assert (work / "made.txt").stat().st_uid == caller  # the caller can remove what the program left
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.parametrize(("killed_inside", "states", "oom"), [
    (True, [{"ExitCode": 137, "OOMKilled": False}, {"ExitCode": 137, "OOMKilled": True}], True),
    (False, [{"ExitCode": 137, "OOMKilled": False}, {"ExitCode": 137, "OOMKilled": True}], False),
    (True, [{"ExitCode": 1, "OOMKilled": False}, {"ExitCode": 1, "OOMKilled": True}], False),
])
def test_docker_waits_for_an_oom_flag_that_comes_after_the_exit(killed_inside: bool, states: list[dict],
                                                                oom: bool) -> None:
    """The engine's OOM event may land after `wait` returned: a SIGKILL the host did not send is
    re-read until the flag shows; a timeout the host ended, or another exit code, is not."""
    from types import SimpleNamespace

    from coderforge.sandbox.docker_backend import DockerBackend

    reads = iter(states)
    backend = object.__new__(DockerBackend)
    backend.client = SimpleNamespace(api=SimpleNamespace(inspect_container=lambda _id: {"State": next(reads)}))
    assert bool(backend._final_state("c0ffee", killed_inside).get("OOMKilled")) is oom
