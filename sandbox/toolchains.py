"""The toolchain registry: per language (keyed by coderforge.languages canonical names) the file
layout, compile and run commands, default limits, how to probe it and how to install it.

Commands are argv lists run inside the sandbox with /work as the current directory; the same
paths exist on the host, in the bwrap view and in the docker image, so one command serves all.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

#: Source of the Java launcher compiled next to every Java program: it runs the `main` of the
#: first class (public classes first, then in source order) that has one, so a file may hold
#: several classes with `main` in any of them.
JAVA_LAUNCHER = "CoderforgeMain"
_JAVA_LAUNCHER_SOURCE = """\
import java.lang.reflect.*;
public final class CoderforgeMain {
    public static void main(String[] names) throws Throwable {
        for (String name : names) {
            Class<?> c;
            try { c = Class.forName(name, false, CoderforgeMain.class.getClassLoader()); }
            catch (ClassNotFoundException e) { continue; }
            Method m;
            try { m = c.getDeclaredMethod("main", String[].class); } catch (NoSuchMethodException e) { continue; }
            if (!Modifier.isStatic(m.getModifiers())) continue;
            m.setAccessible(true);
            try { m.invoke(null, (Object) new String[0]); }
            catch (InvocationTargetException e) { throw e.getCause(); }
            return;
        }
        System.err.println("error: no class with a static main(String[]) method");
        System.exit(1);
    }
}
"""

#: Ambient declarations so TypeScript programs may use node's globals and modules without
#: @types/node (not installable offline): all typed `any`.
_TS_NODE_SHIM = """\
declare var require: any; declare var module: any; declare var exports: any; declare var process: any;
declare var Buffer: any; declare var __dirname: string; declare var __filename: string;
declare module "*";
"""


@dataclass(frozen=True)
class Plan:
    """What a toolchain's commands depend on: the code, the limits, and where tools live."""

    code: str
    memory_mb: int
    cpus: float
    tools: HostTools


@dataclass(frozen=True)
class HostTools:
    """Toolchains outside /usr, found on the host: the python this process runs on (stdlib only
    is visible in the sandbox) and the rustup toolchain's sysroot."""

    python_prefix: Path
    rust_sysroot: Path | None

    @property
    def python(self) -> str:
        return str(self.python_prefix / "bin" / "python3")

    @property
    def python_site_packages(self) -> Path:
        return self.python_prefix / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"

    def mounts(self) -> list[Path]:
        """Host directories the sandbox binds read-only at the same path."""
        return [p for p in (self.python_prefix, self.rust_sysroot) if p is not None]


@functools.cache
def host_tools() -> HostTools:
    rust_sysroot = None
    cargo_rustc = Path.home() / ".cargo" / "bin" / "rustc"
    rustc = shutil.which("rustc") or (str(cargo_rustc) if cargo_rustc.exists() else None)
    if rustc:
        try:
            out = subprocess.run([rustc, "--print", "sysroot"], capture_output=True, text=True, timeout=30, check=True)
            rust_sysroot = Path(out.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            rust_sysroot = None
    return HostTools(python_prefix=Path(sys.base_prefix).resolve(), rust_sysroot=rust_sysroot)


@dataclass(frozen=True)
class Toolchain:
    language: str
    layout: Callable[[str], dict[str, str]]
    """code -> the files to write in /work (the first is the main source)."""
    run: Callable[[Plan], list[str]]
    compile: Callable[[Plan], list[str]] | None = None
    artifacts: tuple[str, ...] = ()
    """What compile leaves in /work that run needs (cached by content hash)."""
    probe: Callable[[HostTools], list[str]] = lambda tools: []
    """argv printing the toolchain's version; also the toolchain's fingerprint in the compile cache."""
    install: str = ""
    env: dict[str, str] = field(default_factory=dict)
    timeout_s: float = 10.0
    memory_mb: int = 512
    compile_timeout_s: float = 60.0
    compile_memory_mb: int = 2048
    memory_markers: tuple[str, ...] = ()
    """stderr text meaning the runtime ran out of memory (a failed exit with one is memory_exceeded)."""


def _one(name: str, prelude: str = "") -> Callable[[str], dict[str, str]]:
    return lambda code: {name: prelude + code}


def _strip_comments_and_strings(code: str) -> str:
    return re.sub(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', " ", code, flags=re.S)


_JAVA_TYPE = re.compile(r"\b(public\s+)?(?:(?:final|abstract|static|sealed|non-sealed|strictfp)\s+)*"
                        r"(?:class|interface|enum|record)\s+([A-Za-z_$][\w$]*)")


def java_top_level_types(code: str) -> list[tuple[str, bool]]:
    """(name, is public) of each top-level type, in source order."""
    text = _strip_comments_and_strings(code)
    depth, types, pos = 0, [], 0
    for m in _JAVA_TYPE.finditer(text):
        depth += text.count("{", pos, m.start()) - text.count("}", pos, m.start())
        pos = m.start()
        if depth == 0:
            types.append((m.group(2), bool(m.group(1))))
    return types


def _java_package(code: str) -> str:
    m = re.search(r"^\s*package\s+([\w.]+)\s*;", _strip_comments_and_strings(code), re.M)
    return m.group(1) + "." if m else ""


def _java_layout(code: str) -> dict[str, str]:
    public = [name for name, is_public in java_top_level_types(code) if is_public]
    return {f"{public[0] if public else 'Main'}.java": code, f"{JAVA_LAUNCHER}.java": _JAVA_LAUNCHER_SOURCE}


def _java_candidates(code: str) -> list[str]:
    types = java_top_level_types(code)
    ordered = [n for n, p in types if p] + [n for n, p in types if not p]
    return [_java_package(code) + n for n in ordered]


_JVM_FLAGS = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:-UsePerfData"]


def _java_compile(plan: Plan) -> list[str]:
    return ["javac", *(f"-J{f}" for f in _JVM_FLAGS), "-J-Xmx768m", "-encoding", "UTF-8", "-nowarn", "-d", "classes",
            *_java_layout(plan.code)]


def _java_run(plan: Plan) -> list[str]:
    heap = max(32, plan.memory_mb * 3 // 4)
    return ["java", *_JVM_FLAGS, f"-Xmx{heap}m", f"-XX:ActiveProcessorCount={max(1, round(plan.cpus))}",
            "-cp", "classes", JAVA_LAUNCHER, *_java_candidates(plan.code)]


_ESM = re.compile(r"^\s*(import\s[^(]|export\s)", re.M)


def _js_name(code: str) -> str:
    return "main.mjs" if _ESM.search(code) else "main.js"


def _node(plan: Plan, script: str) -> list[str]:
    return ["node", f"--max-old-space-size={max(16, plan.memory_mb * 3 // 4)}", script]


def _ts_compile(plan: Plan) -> list[str]:
    return ["tsc", "--target", "es2020", "--module", "commonjs", "--noEmitOnError", "--pretty", "false",
            "--outDir", "out", "main.ts", "coderforge-node.d.ts"]


_GO_TEST = re.compile(r"^func\s+Test\w*\s*\(\s*\w+\s+\*testing\.T\s*\)", re.M)
_GO_MAIN = re.compile(r"^func\s+main\s*\(\s*\)", re.M)


def _go_is_test(code: str) -> bool:
    return bool(_GO_TEST.search(code)) and not _GO_MAIN.search(code)


def _go_layout(code: str) -> dict[str, str]:
    if _go_is_test(code):
        return {"main_test.go": code, "go.mod": "module sandbox\n\ngo 1.19\n"}
    return {"main.go": code}


def _go_compile(plan: Plan) -> list[str]:
    if _go_is_test(plan.code):
        return ["go", "test", "-c", "-o", "prog", "."]
    return ["go", "build", "-o", "prog", "main.go"]


_RUST_TEST = re.compile(r"#\[\s*test\s*\]")
_RUST_MAIN = re.compile(r"\bfn\s+main\s*\(")


def _rust_compile(plan: Plan) -> list[str]:
    rustc = str(plan.tools.rust_sysroot / "bin" / "rustc") if plan.tools.rust_sysroot else "rustc"
    test = ["--test"] if _RUST_TEST.search(plan.code) and not _RUST_MAIN.search(plan.code) else []
    return [rustc, "--edition", "2021", "-C", "opt-level=1", "-C", "debuginfo=0", *test, "-o", "prog", "main.rs"]


def _php_layout(code: str) -> dict[str, str]:
    return {"main.php": code if "<?php" in code or "<?=" in code else "<?php\n" + code}


def _version(*argv: str) -> Callable[[HostTools], list[str]]:
    return lambda tools: list(argv)


TOOLCHAINS: dict[str, Toolchain] = {
    tc.language: tc
    for tc in (
        # No -E: the environment is the sandbox's own (nothing of the host's), and PYTHONHASHSEED=0 in it
        # makes set and dict-of-str orders, so verdicts, the same on every run of a program.
        Toolchain(
            "python", _one("main.py"), run=lambda p: [p.tools.python, "-B", "-s", "main.py"],
            probe=lambda tools: [tools.python, "--version"], install="comes with coderforge's own Python",
            env={"PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}, memory_markers=("MemoryError",),
        ),
        Toolchain(
            "javascript", lambda code: {_js_name(code): code}, run=lambda p: _node(p, _js_name(p.code)),
            probe=_version("node", "--version"), install="apt-get install nodejs",
            memory_markers=("JavaScript heap out of memory", "Reached heap limit"),
        ),
        Toolchain(
            "typescript", lambda code: {"main.ts": code, "coderforge-node.d.ts": _TS_NODE_SHIM},
            compile=_ts_compile, run=lambda p: _node(p, "out/main.js"), artifacts=("out",),
            probe=_version("tsc", "--version"), install="apt-get install nodejs node-typescript",
            memory_markers=("JavaScript heap out of memory", "Reached heap limit"),
        ),
        Toolchain(
            "java", _java_layout, compile=_java_compile, run=_java_run, artifacts=("classes",),
            probe=_version("javac", "-version"), install="apt-get install openjdk-17-jdk-headless",
            timeout_s=15.0, memory_markers=("java.lang.OutOfMemoryError",),
        ),
        Toolchain(
            "c", _one("main.c"), compile=lambda p: ["gcc", "-std=gnu17", "-O2", "-pipe", "-o", "prog", "main.c", "-lm"],
            run=lambda p: ["./prog"], artifacts=("prog",), probe=_version("gcc", "--version"),
            install="apt-get install gcc",
        ),
        Toolchain(
            "cpp", _one("main.cpp"),
            compile=lambda p: ["g++", "-std=gnu++17", "-O2", "-pipe", "-o", "prog", "main.cpp"],
            run=lambda p: ["./prog"], artifacts=("prog",), probe=_version("g++", "--version"),
            install="apt-get install g++",
            memory_markers=("std::bad_alloc",),
        ),
        Toolchain(
            "go", _go_layout, compile=_go_compile, run=lambda p: ["./prog"], artifacts=("prog",),
            probe=_version("go", "version"), install="apt-get install golang-go",
            env={"GOCACHE": "/tmp/go-build", "GOPATH": "/tmp/go", "CGO_ENABLED": "0", "GOFLAGS": "-mod=mod",
                 "GOTOOLCHAIN": "local", "GOPROXY": "off"},
            memory_markers=("runtime: out of memory",),
        ),
        Toolchain(
            "rust", _one("main.rs"), compile=_rust_compile, run=lambda p: ["./prog"], artifacts=("prog",),
            probe=lambda tools: [str(tools.rust_sysroot / "bin" / "rustc") if tools.rust_sysroot else "rustc",
                                 "--version"],
            install="rustup (https://rustup.rs), toolchain stable", memory_markers=("memory allocation of",),
        ),
        Toolchain(
            "bash", _one("main.sh"), run=lambda p: ["bash", "main.sh"], probe=_version("bash", "--version"),
            install="apt-get install bash", memory_markers=("xmalloc: cannot allocate",),
        ),
        Toolchain(
            "php", _php_layout,
            run=lambda p: ["php", "-d", f"memory_limit={p.memory_mb}M", "-d", "display_errors=stderr",
                           "-d", "log_errors=0", "main.php"],
            probe=_version("php", "--version"), install="apt-get install php-cli",
            memory_markers=("Allowed memory size of",),
        ),
        Toolchain(
            "csharp", _one("main.cs"),
            compile=lambda p: ["mcs", "-out:prog.exe", "-optimize+", "-nowarn:168,219", "main.cs"],
            run=lambda p: ["mono", "prog.exe"], artifacts=("prog.exe",), probe=_version("mcs", "--version"),
            install="apt-get install mono-mcs mono-runtime", timeout_s=15.0,
            memory_markers=("System.OutOfMemoryException", "Out of memory"),
        ),
    )
}


#: A trivial program per language (doctor's end-to-end probe, the throughput benchmark).
HELLO_WORLD: dict[str, str] = {
    "python": 'print("hello")\n',
    "javascript": 'console.log("hello");\n',
    "typescript": 'const greeting: string = "hello";\nconsole.log(greeting);\n',
    "java": ('public class Main {\n    public static void main(String[] args) {\n'
             '        System.out.println("hello");\n    }\n}\n'),
    "c": '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n',
    "cpp": '#include <iostream>\nint main() { std::cout << "hello" << std::endl; }\n',
    "go": 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n',
    "rust": 'fn main() {\n    println!("hello");\n}\n',
    "bash": 'echo hello\n',
    "php": '<?php\necho "hello\\n";\n',
    "csharp": 'using System;\nclass Program { static void Main() { Console.WriteLine("hello"); } }\n',
}


class NoToolchainError(LookupError):
    """No toolchain is registered for a language coderforge.languages knows."""


def get_toolchain(language: str) -> Toolchain:
    try:
        return TOOLCHAINS[language]
    except KeyError:
        raise NoToolchainError(f"no sandbox toolchain for {language!r}; supported: {', '.join(TOOLCHAINS)}") from None
