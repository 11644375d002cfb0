"""The sandbox's API, toolchains and CLI on real toolchains under real isolation."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from coderforge.sandbox import Program, Sandbox, SandboxConfig, Status
from coderforge.sandbox.isolation import Execution, Isolation, Limits
from coderforge.sandbox.toolchains import HELLO_WORLD, TOOLCHAINS, java_top_level_types
from sandbox_support import BACKENDS, config_for, require_backend
from typer.testing import CliRunner

from coderforge.cli import app
from coderforge.errors import ConfigError
from coderforge.languages import UnknownLanguageError, get_language

# A program per language that fails its own check (non-zero exit) and one that does not compile.
FAILING = {
    "python": "assert 1 + 1 == 3",
    "javascript": "const assert = require('assert'); assert.strictEqual(1 + 1, 3);",
    "typescript": "const n: number = 2; if (n !== 3) { throw new Error('expected 3'); }",
    "java": "public class Main { public static void main(String[] a) { System.exit(2 > 1 ? 1 : 0); } }",
    "c": "#include <assert.h>\nint main(void) { assert(1 + 1 == 3); return 0; }",
    "cpp": "#include <stdexcept>\nint main() { throw std::runtime_error(\"boom\"); }",
    "go": "package main\n\nimport \"os\"\n\nfunc main() { os.Exit(3) }",
    "rust": "fn main() { assert_eq!(1 + 1, 3); }",
    "bash": "[ 1 -eq 2 ]",
    "php": "<?php\nif (1 + 1 !== 3) { exit(4); }",
    "csharp": "class P { static int Main() { return 5; } }",
}
NOT_COMPILING = {
    "typescript": "const n: number = 'not a number';\nconsole.log(n);",
    "java": "public class Main { public static void main(String[] a) { int x = \"s\"; } }",
    "c": "int main(void) { return undefined_name; }",
    "cpp": "int main() { std::vector<int> v; }",
    "go": "package main\n\nfunc main() { x := 1 }",
    "rust": "fn main() { let x: u32 = \"s\"; }",
    "csharp": "class P { static void Main() { int x = \"s\"; } }",
}


@pytest.fixture(scope="module", params=BACKENDS)
def sandbox(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    require_backend(request.param)
    with Sandbox(config_for(request.param, tmp_path_factory.mktemp("sb"), timeout_s=20)) as sb:
        yield sb


def test_toolchains_are_keyed_by_canonical_language_names() -> None:
    assert set(TOOLCHAINS) == {"python", "javascript", "typescript", "java", "c", "cpp", "go", "rust", "bash", "php",
                               "csharp"}
    for name in TOOLCHAINS:
        assert get_language(name).name == name
    assert set(HELLO_WORLD) == set(TOOLCHAINS) == set(FAILING)


def test_program_canonicalises_language_and_rejects_bad_input() -> None:
    assert Program("a", "c++", "").language == "cpp"
    assert Program("a", "golang", "").language == "go"
    with pytest.raises(UnknownLanguageError):
        Program("a", "cobol", "")
    for bad in ("../x", "/etc/passwd", ".hidden"):
        with pytest.raises(ValueError, match="plain relative path"):
            Program("a", "python", "", files={bad: ""})
    with pytest.raises(ValueError, match="timeout_s"):
        Program("a", "python", "", timeout_s=0)


def test_every_language_passes_fails_and_reports_compile_errors(sandbox: Sandbox) -> None:
    programs = [Program(f"ok-{lang}", lang, code) for lang, code in HELLO_WORLD.items()]
    programs += [Program(f"fail-{lang}", lang, code) for lang, code in FAILING.items()]
    programs += [Program(f"cc-{lang}", lang, code) for lang, code in NOT_COMPILING.items()]
    results = {r.id: r for r in sandbox.execute(programs)}
    assert [r.id for r in sandbox.execute(programs[:2])] == [p.id for p in programs[:2]]  # input order
    for lang in HELLO_WORLD:
        ok = results[f"ok-{lang}"]
        assert (ok.status, ok.stdout.strip(), ok.exit_code) == (Status.passed, "hello", 0), ok
        fail = results[f"fail-{lang}"]
        assert fail.status is Status.failed and fail.exit_code not in (0, None), fail
    for lang in NOT_COMPILING:
        cc = results[f"cc-{lang}"]
        assert cc.status is Status.compile_error and cc.exit_code is None and cc.stderr, cc
        assert cc.run_time_s == 0.0


JAVA_SEVERAL_CLASSES = """
import java.util.*;

class Helper {
    static int twice(int x) { return 2 * x; }
}

interface Shape { double area(); }

class Runner {
    public static void main(String[] args) {
        String s = "class Fake { public static void main(String[] a) {} }";
        System.out.println("runner " + Helper.twice(21));
    }
}
"""


def test_python_runs_are_reproducible(sandbox: Sandbox) -> None:
    # Seen in CI: a solution returning list(set(words)) passed in generate and failed when re-run (the
    # interpreter ran with -E, which ignored the sandbox's PYTHONHASHSEED=0).
    code = 'print(list(set(["Hello", "World", "Python", "Programming"])), hash("Hello"))\n'
    runs = sandbox.execute([Program(f"order-{k}", "python", code) for k in range(4)])
    assert all(r.status == Status.passed for r in runs)
    assert len({r.stdout for r in runs}) == 1, [r.stdout for r in runs]


def test_java_runs_the_class_holding_main_wherever_it_is(sandbox: Sandbox) -> None:
    assert java_top_level_types(JAVA_SEVERAL_CLASSES) == [("Helper", False), ("Shape", False), ("Runner", False)]
    packaged = "package demo.app;\n\npublic class Greeter {\n    public static void main(String[] a) {\n" \
               "        System.out.println(\"packaged\");\n    }\n    static class Inner {}\n}\n"
    results = sandbox.execute([Program("several", "java", JAVA_SEVERAL_CLASSES), Program("pkg", "java", packaged)])
    assert [(r.status, r.stdout) for r in results] == [(Status.passed, "runner 42\n"), (Status.passed, "packaged\n")]


GO_TESTS = """package main

import "testing"

func add(a, b int) int { return a + b }

func TestAdd(t *testing.T) {
    if add(2, 2) != %d {
        t.Fatalf("add(2, 2) = %%d", add(2, 2))
    }
}
"""
RUST_TESTS = """
fn add(a: i32, b: i32) -> i32 { a + b }

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn adds() { assert_eq!(add(2, 2), %d); }
}
"""


def test_native_unit_test_forms(sandbox: Sandbox) -> None:
    programs = [Program("go-ok", "go", GO_TESTS % 4), Program("go-bad", "go", GO_TESTS % 5),
                Program("rs-ok", "rust", RUST_TESTS % 4), Program("rs-bad", "rust", RUST_TESTS % 5),
                Program("node-test", "javascript", "const test = require('node:test');\n"
                        "const assert = require('assert');\ntest('x', () => assert.equal(1, 2));\n")]
    status = {r.id: r.status for r in sandbox.execute(programs)}
    assert status == {"go-ok": Status.passed, "go-bad": Status.failed, "rs-ok": Status.passed,
                      "rs-bad": Status.failed, "node-test": Status.failed}


def test_stdin_extra_files_and_limits_per_program(sandbox: Sandbox) -> None:
    reader = ("import helper, sys\nprint(helper.shout(sys.stdin.read()))\n"
              "print(open('data/in.txt').read().strip())\n")
    results = sandbox.execute([
        Program("io", "python", reader, stdin="quiet words",
                files={"helper.py": "def shout(s):\n    return s.upper()\n", "data/in.txt": "from a file\n"}),
        Program("slow", "bash", "sleep 5", timeout_s=0.5),
        Program("big", "python", "b = bytearray(200 * 1024 * 1024)\nb[::4096] = b'x' * len(b[::4096])",
                memory_mb=64),
    ])
    assert (results[0].status, results[0].stdout) == (Status.passed, "QUIET WORDS\nfrom a file\n")
    assert results[1].status is Status.timeout and results[1].run_time_s < 4
    assert results[2].status is Status.memory_exceeded


def test_output_is_cut_and_marked(tmp_path: Path) -> None:
    require_backend("bwrap")
    cfg = config_for("bwrap", tmp_path, keep_output_bytes=100, output_limit_bytes=10_000)
    with Sandbox(cfg) as sb:
        long, flood = sb.execute([Program("long", "python", "print('a' * 500)"),
                                  Program("flood", "python", "import sys\nsys.stderr.write('e' * 20000)\nprint('x')")])
    assert (long.status, len(long.stdout), long.stdout_truncated, long.stderr_truncated) == \
        (Status.passed, 100, True, False)
    assert flood.status is Status.output_exceeded and flood.stderr_truncated and not flood.stdout_truncated


class _Counting(Isolation):
    """Wraps a real backend and counts compile commands (to see the compile cache work)."""

    name = "counting"

    def __init__(self, inner: Isolation) -> None:
        self.inner = inner
        self.compiles = 0

    def run(self, argv: list[str], *, workdir: Path, env: dict[str, str], stdin: bytes | None,
            limits: Limits) -> Execution:
        self.compiles += argv[0] in ("gcc", "go")
        return self.inner.run(argv, workdir=workdir, env=env, stdin=stdin, limits=limits)

    def close(self) -> None:
        self.inner.close()


def test_compile_cache_reuses_builds_of_identical_sources(tmp_path: Path) -> None:
    require_backend("bwrap")
    from coderforge.sandbox.bwrap import BwrapBackend

    cfg = config_for("bwrap", tmp_path)
    backend = _Counting(BwrapBackend(cfg))
    c_code = '#include <stdio.h>\nint main(void) { printf("%d\\n", 6 * 7); return 0; }\n'
    with Sandbox(cfg, backend=backend) as sb:
        first = sb.execute([Program("a", "c", c_code)])[0]
        again = sb.execute([Program("b", "c", c_code), Program("c", "c", c_code.replace("7", "8"))])
    assert [r.stdout for r in (first, *again)] == ["42\n", "42\n", "48\n"]
    assert backend.compiles == 2  # the second identical source came from the cache
    assert any((tmp_path / "compile-cache").rglob("prog"))


def test_compile_cache_key_covers_every_input_file(tmp_path: Path) -> None:
    require_backend("bwrap")
    main = '#include <stdio.h>\n#include "value.h"\nint main(void) { printf("%d\\n", VALUE); return 0; }\n'
    with Sandbox(config_for("bwrap", tmp_path)) as sb:
        # One after the other: the second would find the first's build if the key missed the header.
        results = [sb.execute([Program(f"h{n}", "c", main, files={"value.h": f"#define VALUE {n}\n"})])[0]
                   for n in (1, 2)]
    assert [r.stdout for r in results] == ["1\n", "2\n"]


def test_multiprocessing_locks_work_on_every_backend(sandbox: Sandbox) -> None:
    code = "import multiprocessing\nlock = multiprocessing.Lock()\nwith lock:\n    print('locked')\n"
    (result,) = sandbox.execute([Program("mp-lock", "python", code)])
    assert (result.status, result.stdout) == (Status.passed, "locked\n"), result.stderr


def test_aexecute_from_an_event_loop(sandbox: Sandbox) -> None:
    async def main() -> list[Status]:
        first, second = await asyncio.gather(sandbox.aexecute([Program("x", "python", "print(1)")]),
                                             sandbox.aexecute([Program("y", "bash", "exit 1")]))
        return [r.status for r in first + second]

    assert asyncio.run(main()) == [Status.passed, Status.failed]


def test_language_without_toolchain_is_a_sandbox_error(sandbox: Sandbox) -> None:
    (result,) = sandbox.execute([Program("rb", "ruby", "puts 1")])
    assert result.status is Status.sandbox_error and "no sandbox toolchain" in result.stderr


# --- CLI -------------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_run(tmp_path: Path) -> None:
    require_backend("bwrap")
    src = tmp_path / "prog.py"
    src.write_text("import sys\nprint(sys.stdin.read()[::-1])\nsys.exit(0 if sys.argv else 1)\n")
    (tmp_path / "in.txt").write_text("abc")
    res = runner.invoke(app, ["sandbox", "run", str(src), "--stdin", str(tmp_path / "in.txt"), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert (data["status"], data["stdout"], data["id"]) == ("passed", "cba\n", "prog.py")
    failing = tmp_path / "fail.txt"
    failing.write_text("exit 7")
    res = runner.invoke(app, ["sandbox", "run", "--lang", "sh", str(failing), "--timeout", "5"])
    assert res.exit_code == 1 and "failed exit=7" in res.stderr
    res = runner.invoke(app, ["sandbox", "run", str(failing)])
    assert res.exit_code == 2 and "pass --lang" in res.stderr
    res = runner.invoke(app, ["sandbox", "run", "--lang", "cobol", str(src)])
    assert res.exit_code == 2 and "unknown language 'cobol'" in res.stderr


def test_cli_run_strips_terminal_escapes_from_program_output(tmp_path: Path) -> None:
    require_backend("bwrap")
    src = tmp_path / "escapes.py"
    src.write_text("import sys\nprint('\\x1b]0;title\\x07\\x1b[31mred\\x1b[0m\\rok\\tdone')\n"
                   "sys.stderr.write('\\x1b[2Jerr\\x9b\\n')\n")
    res = runner.invoke(app, ["sandbox", "run", str(src)])
    assert res.exit_code == 0, res.output
    assert res.stdout == "]0;title[31mred[0mok\tdone\n"
    assert res.stderr.startswith("[2Jerr\n")


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_cli_batch_writes_resumes_and_reports_bad_lines(tmp_path: Path) -> None:
    require_backend("bwrap")
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    good = [{"id": "p1", "language": "py", "code": "print(1)"},
            {"id": 2, "language": "sh", "code": "read x; echo $x", "stdin": "hey\n"},
            {"id": "p3", "language": "c++", "code": "int main() { return 1; }", "timeout": 10, "memory_mb": 128}]
    source.write_text("".join(json.dumps(g) + "\n" for g in good[:2]))
    res = runner.invoke(app, ["sandbox", "batch", str(source), str(out), "--workers", "2"])
    assert res.exit_code == 0, res.output
    assert {(r["id"], r["status"]) for r in _lines(out)} == {("p1", "passed"), ("2", "passed")}

    # An interrupted earlier write leaves a partial line; the rerun drops it and skips done ids.
    with out.open("a") as f:
        f.write('{"id": "p3", "stat')
    bad = ['{"id": "x", "language": "python"}', "not json", '{"id": "y", "language": "klingon", "code": ""}',
           '{"id": "p1", "language": "py", "code": "print(2)"}', '{"id": "z", "language": "py", "code": 1}',
           '{"id": "w", "language": "py", "code": "", "colour": "red"}']
    source.write_text("".join(json.dumps(g) + "\n" for g in good) + "\n".join(bad) + "\n")
    res = runner.invoke(app, ["sandbox", "batch", str(source), str(out)])
    assert res.exit_code == 2
    for expected in ("in.jsonl:4: missing 'code'", "in.jsonl:5: not valid JSON", "in.jsonl:6: unknown language",
                     "in.jsonl:7: duplicate id 'p1'", "in.jsonl:8: 'code' must be a string",
                     "in.jsonl:9: unknown field(s) 'colour'"):
        assert expected in res.stderr, res.stderr
    rows = _lines(out)
    assert [r["id"] for r in rows] == ["p1", "2", "p3"] or sorted(r["id"] for r in rows) == ["2", "p1", "p3"]
    assert next(r for r in rows if r["id"] == "p3")["status"] == "failed"
    assert "ran 1, skipped 2" in res.stdout

    res = runner.invoke(app, ["sandbox", "batch", str(tmp_path / "missing.jsonl"), str(out)])
    assert res.exit_code == 1 and "cannot read" in res.stderr


def test_cli_doctor_lists_toolchains() -> None:
    res = runner.invoke(app, ["sandbox", "doctor"])
    for lang in TOOLCHAINS:
        assert lang in res.stdout
    assert "bwrap" in res.stdout


def test_config_section_is_part_of_the_run_config() -> None:
    from coderforge.config import validate_data

    cfg = validate_data({"sandbox": {"backend": "docker", "workers": 3, "memory_mb": 256}})
    assert isinstance(cfg.sandbox, SandboxConfig) and cfg.sandbox.workers == 3
    with pytest.raises(ConfigError, match=r"sandbox\.backend"):
        validate_data({"sandbox": {"backend": "chroot"}})


def test_nothing_is_left_on_the_host_after_close(tmp_path: Path) -> None:
    require_backend("bwrap")
    cfg = config_for("bwrap", tmp_path, work_root=tmp_path / "work")
    (tmp_path / "work").mkdir()
    sandbox = Sandbox(cfg)
    cgroups = sandbox.backend.cgroups  # type: ignore[attr-defined]
    sandbox.execute([Program("a", "python", "import os\nos.fork()\nprint('x')"), Program("b", "c", "int main(){}")])
    sandbox.close()
    assert list((tmp_path / "work").iterdir()) == []
    if cgroups is not None:
        assert not any(parent.exists() for parent in cgroups.parents.values())


def _deep_tree(top: Path, depth: int) -> None:
    """`depth` nested directories under top, made by fd (the path outgrows PATH_MAX)."""
    import os

    top.mkdir()
    fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(depth):
        os.mkdir("d", dir_fd=fd)
        child = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = child
    with open(os.open("f", os.O_WRONLY | os.O_CREAT, 0o600, dir_fd=fd), "w") as f:
        f.write("leaf")
    os.close(fd)


def test_stale_leftovers_of_any_depth_do_not_stop_a_new_sandbox(tmp_path: Path) -> None:
    import subprocess

    require_backend("bwrap")
    dead = subprocess.Popen(["true"])
    dead.wait()  # its pid names the leftover: no such process runs any more
    work = tmp_path / "work"
    work.mkdir()
    _deep_tree(work / f"coderforge-sandbox-{dead.pid}-left", 3000)
    with Sandbox(config_for("bwrap", tmp_path, work_root=work)) as sb:
        (result,) = sb.execute([Program("after", "python", "print('fine')")])
        assert result.stdout == "fine\n"
        assert [p.name for p in work.iterdir()] == [sb.runner.work_root.name]


def test_without_cgroups_bwrap_refuses_unless_allowed_and_caps_tmpfs(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    require_backend("bwrap")
    from coderforge.sandbox.cgroups import CgroupManager
    from coderforge.sandbox.isolation import SandboxUnavailableError

    monkeypatch.setattr(CgroupManager, "detect", classmethod(lambda cls: None))
    with pytest.raises(SandboxUnavailableError, match="allow_no_cgroups"):
        Sandbox(config_for("bwrap", tmp_path))
    fill = ("import os\nfor where in ('/tmp', '/dev/shm'):\n    written = 0\n    try:\n"
            "        with open(os.path.join(where, 'fill'), 'wb') as f:\n            while written < 400:\n"
            "                f.write(b'x' * (1 << 20))\n                f.flush()\n                written += 1\n"
            "    except OSError:\n        pass\n    os.remove(os.path.join(where, 'fill'))\n    print(written)\n")
    with Sandbox(config_for("bwrap", tmp_path, allow_no_cgroups=True, memory_mb=64, file_size_mb=1024)) as sb:
        (result,) = sb.execute([Program("fill", "python", fill)])
    assert result.status is Status.passed, result
    assert all(int(n) <= 64 for n in result.stdout.split()), result.stdout


def test_cgroup_v2_files_are_written_and_read_in_v2_format(tmp_path: Path) -> None:
    from coderforge.sandbox.cgroups import Cgroup

    d = tmp_path / "job"
    d.mkdir()
    (d / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 0\n")
    group = Cgroup({"memory": d, "pids": d, "cpu": d}, v2=True)
    group.limit(memory_mb=64, pids=32, cpus=0.5)
    assert (d / "memory.max").read_text() == str(64 << 20)
    assert (d / "memory.swap.max").read_text() == "0"
    assert (d / "pids.max").read_text() == "32"
    assert (d / "cpu.max").read_text() == "50000 100000"
    assert group.procs_files == [d / "cgroup.procs"]
    assert not group.oom_killed()  # hitting the limit (max) is not an OOM kill
    (d / "memory.events").write_text("low 0\nhigh 0\nmax 9\noom 2\noom_kill 1\n")
    assert group.oom_killed()


def test_docker_image_holds_no_private_keys() -> None:
    from coderforge.sandbox.image import image_files

    files = image_files()
    assert any(f.startswith("etc/ssl/certs") for f in files)
    assert not [f for f in files if f == "etc/ssl/private" or f.startswith("etc/ssl/private/")]


def test_seccomp_filter_builds_for_each_supported_architecture() -> None:
    from coderforge.sandbox.isolation import SandboxUnavailableError
    from coderforge.sandbox.seccomp import DENIED, docker_profile, filter_program

    for machine in ("x86_64", "aarch64"):  # every denied name has a number there, and jumps stay in range
        program = filter_program(machine)
        assert len(program) % 8 == 0 and len(program) // 8 < 256
    with pytest.raises(SandboxUnavailableError, match="riscv64"):
        filter_program("riscv64")
    denied = json.loads(docker_profile())["syscalls"][0]["names"]
    assert set(DENIED) <= set(denied) and "io_uring_setup" in denied
