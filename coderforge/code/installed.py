"""Real source files already on this machine, per language: the Python standard library, Node's
bundled JavaScript, C headers, the JDK's src.zip, Go's and Rust's standard libraries... Tests,
benchmarks and demos use them as corpora that nobody wrote for coderforge."""

from __future__ import annotations

import glob
import random
import re
import sysconfig
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["SourceFile", "installed_languages", "sample_sources"]


@dataclass(frozen=True)
class SourceFile:
    path: str
    """Where it came from (`src.zip!java.base/java/lang/String.java` for zip members)."""
    text: str


def _site_packages() -> str:
    return sysconfig.get_paths()["purelib"]


# Glob patterns per language, in order of preference. Labels are the language of the collection,
# so C++ headers named `.h` (Arrow's, torch's) count as C++.
_PATTERNS: dict[str, tuple[str, ...]] = {
    "python": (sysconfig.get_paths()["stdlib"] + "/*.py", sysconfig.get_paths()["stdlib"] + "/*/*.py"),
    "javascript": ("/usr/lib/node_modules/npm/lib/**/*.js", "/usr/lib/node_modules/npm/node_modules/*/lib/*.js",
                   "/usr/share/nodejs/*/lib/*.js"),
    "typescript": ("/usr/share/nodejs/typescript/lib/*.d.ts",),
    "c": ("/usr/include/*.h", "/usr/include/*/sys/*.h", "/usr/include/linux/*.h"),
    "cpp": ("/usr/include/c++/*/bits/*.h", _site_packages() + "/pyarrow/include/arrow/*.h",
            _site_packages() + "/pyarrow/src/arrow/**/*.cc", _site_packages() + "/torch/include/c10/util/*.h"),
    "go": ("/usr/lib/go/src/*/*.go", "/usr/lib/go/src/*/*/*.go"),
    "rust": ("/usr/src/rustc-*/library/*/src/*.rs", "/usr/src/rustc-*/library/*/src/*/*.rs"),
    "ruby": ("/usr/lib/ruby/*/*.rb", "/usr/lib/ruby/*/*/*.rb"),
    "php": ("/usr/share/php/*/*.php", "/usr/lib/google-cloud-sdk/platform/google_appengine/**/*.php"),
    "bash": ("/usr/src/rustc-*/src/**/*.sh", "/usr/share/doc/git/**/*.sh", "/usr/lib/perf-core/tests/**/*.sh"),
    "sql": ("/usr/share/postgresql/*/extension/*.sql", "/usr/share/postgresql/*/*.sql"),
    "csharp": ("/usr/share/doc/mono*/examples/*.cs", "/usr/lib/node_modules/npm/node_modules/node-gyp/lib/*.cs"),
}
#: Files that are no seed material: test suites (their functions are fixtures and checks, not code a
#: task asks for: `g2()` of test_yield_from.py, `rect_complex` of test_cmath.py) and, for the Python
#: standard library's globs, third-party packages beside it.
_NOT_SOURCE = re.compile(r"/(?:tests?|testing|__tests__)/|/test_[^/]*$|_test\.\w+$|\.test\.\w+$")
_NOT_PYTHON_STDLIB = re.compile(r"/(?:site-packages|dist-packages|idlelib|turtledemo)/")
_JDK_ZIPS = "/usr/lib/jvm/*/lib/src.zip"
_MAX_BYTES = 200_000


@cache
def _paths(language: str) -> list[str]:
    seen: dict[str, None] = {}
    for pattern in _PATTERNS.get(language, ()):
        root = len(pattern.split("*", 1)[0]) - 1  # only what the wildcards matched counts (a home named test)
        for path in sorted(glob.glob(pattern, recursive=True)):
            below = path[root:]
            if _NOT_SOURCE.search(below) or (language == "python" and _NOT_PYTHON_STDLIB.search(below)):
                continue
            if Path(path).is_file() and Path(path).stat().st_size <= _MAX_BYTES:
                seen.setdefault(path)
    return list(seen)


@cache
def _jdk_zip() -> Path | None:
    for path in sorted(glob.glob(_JDK_ZIPS)):
        if Path(path).resolve().is_file():
            return Path(path).resolve()
    return None


def installed_languages() -> list[str]:
    """Languages with at least one real source file on this machine."""
    found = [lang for lang in _PATTERNS if _paths(lang)]
    return [*found, "java"] if _jdk_zip() else found


def sample_sources(language: str, *, limit: int, seed: int = 0) -> list[SourceFile]:
    """Up to `limit` real `language` files from this machine, drawn at random (reproducibly)."""
    rng = random.Random(seed)
    if language == "java":
        archive = _jdk_zip()
        if archive is None:
            return []
        with zipfile.ZipFile(archive) as zf:
            names = [i.filename for i in zf.infolist() if i.filename.endswith(".java") and i.file_size <= _MAX_BYTES]
            picked = rng.sample(names, min(limit, len(names)))
            return [SourceFile(f"{archive}!{name}", zf.read(name).decode("utf-8", "replace")) for name in picked]
    out = []
    paths = list(_paths(language))
    for path in rng.sample(paths, len(paths)):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if text.strip():
            out.append(SourceFile(path, text))
        if len(out) == limit:
            break
    return out
