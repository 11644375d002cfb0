"""Is a snippet self-contained: does it use only builtins, the standard library and its own
definitions? Python is checked exactly with CPython's own scope analysis (`symtable`: the names a
snippet reads but never binds) and import resolution (`ast`); tree-sitter has no scope analysis.
Other languages get a tree-sitter heuristic: imports must be standard, and names called bare must
be defined in the snippet, be builtins, or come from a standard import."""

from __future__ import annotations

import ast
import builtins
import re
import symtable
import sys
from dataclasses import dataclass, field

from coderforge.code.python_ast import parse_python
from coderforge.code.syntax import Import, called_names, definitions, identifier_names, imports, parse

__all__ = ["FileContext", "Verdict", "check_self_contained", "file_context", "is_standard_module"]


@dataclass(frozen=True)
class Verdict:
    self_contained: bool
    needs: list[str] = field(default_factory=list)
    """What it depends on outside itself and the standard library (`helper`, `import numpy`)."""
    imports: list[str] = field(default_factory=list)
    """Standard-library import statements of the file the snippet relies on (prepend to run it)."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_C_HEADERS = _words(
    "assert complex ctype errno fenv float inttypes iso646 limits locale math setjmp signal stdalign stdarg "
    "stdatomic stdbool stddef stdint stdio stdlib stdnoreturn string tgmath threads time uchar wchar wctype "
    "unistd fcntl pthread sys/types sys/stat sys/time sys/wait sys/socket dirent strings")
_CPP_HEADERS = _words(
    "algorithm any array atomic bit bitset charconv chrono codecvt compare complex concepts condition_variable "
    "deque exception execution filesystem format forward_list fstream functional future initializer_list iomanip "
    "ios iosfwd iostream istream iterator limits list locale map memory memory_resource mutex new numbers numeric "
    "optional ostream queue random ranges ratio regex scoped_allocator set shared_mutex source_location span "
    "sstream stack stdexcept streambuf string string_view syncstream system_error thread tuple type_traits "
    "typeindex typeinfo unordered_map unordered_set utility valarray variant vector")
_NODE_BUILTINS = _words(
    "assert async_hooks buffer child_process cluster console constants crypto dgram diagnostics_channel dns "
    "domain events fs fs/promises http http2 https inspector module net os path path/posix path/win32 perf_hooks "
    "process punycode querystring readline repl stream stream/promises string_decoder timers timers/promises tls "
    "trace_events tty url util v8 vm wasi worker_threads zlib test")
_RUBY_STDLIB = _words(
    "json set date time securerandom digest fileutils pathname tempfile open3 optparse logger csv yaml erb "
    "stringio strscan benchmark forwardable singleton observer ostruct timeout uri net/http socket English "
    "prime bigdecimal matrix pp shellwords tsort zlib base64 etc io/console")
_SWIFT_STDLIB = frozenset({"Foundation", "Swift", "Dispatch", "Darwin", "Glibc", "os"})

# Names callable without an import, per language (beyond the snippet's own definitions).
_BUILTINS: dict[str, frozenset[str]] = {
    "javascript": _words(
        "parseInt parseFloat isNaN isFinite String Number Boolean Array Object Symbol BigInt Date Error TypeError "
        "RangeError SyntaxError ReferenceError Map Set WeakMap WeakSet Promise RegExp setTimeout clearTimeout "
        "setInterval clearInterval setImmediate encodeURIComponent decodeURIComponent encodeURI decodeURI "
        "structuredClone queueMicrotask fetch URL URLSearchParams TextEncoder TextDecoder Uint8Array Int32Array "
        "Float64Array ArrayBuffer DataView Proxy Function AbortController require"),
    "go": _words(
        "append cap clear close complex copy delete imag len make max min new panic print println real recover "
        "int int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 uintptr float32 float64 string byte rune bool "
        "error any"),
    "rust": _words(
        "println print eprintln eprint format vec panic assert assert_eq assert_ne debug_assert debug_assert_eq "
        "unreachable todo unimplemented write writeln matches Some Ok Err Box drop dbg concat stringify "
        "include_str env cfg format_args"),
    "java": _words(
        "String StringBuilder Object Integer Long Double Float Boolean Character Byte Short Math Thread "
        "Exception RuntimeException IllegalArgumentException IllegalStateException NullPointerException "
        "IndexOutOfBoundsException UnsupportedOperationException ArithmeticException Error AssertionError"),
    "csharp": _words(
        "Exception ArgumentException ArgumentNullException ArgumentOutOfRangeException InvalidOperationException "
        "NotImplementedException NotSupportedException Random StringBuilder nameof"),
    "kotlin": _words(
        "println print listOf mutableListOf mapOf mutableMapOf setOf mutableSetOf arrayOf intArrayOf emptyList "
        "emptyMap emptySet require requireNotNull check error repeat maxOf minOf lazy run let apply also with "
        "TODO Pair Triple StringBuilder IllegalArgumentException IllegalStateException arrayListOf hashMapOf "
        "sequenceOf buildString"),
    "scala": _words("println print Some List Map Set Vector Array Seq Option require assert Right Left"),
    "swift": _words(
        "print min max abs zip stride precondition preconditionFailure fatalError assert Array Dictionary Set "
        "String Int Double Float Bool Character"),
    "ruby": _words(
        "puts print p pp require require_relative raise loop lambda proc format sprintf rand Integer Float String "
        "Array Hash attr_accessor attr_reader attr_writer private public protected include extend "
        "block_given? catch throw sleep gets freeze"),
    "lua": _words(
        "print pairs ipairs tostring tonumber type error assert select unpack pcall xpcall setmetatable "
        "getmetatable rawget rawset rawequal rawlen next require collectgarbage load"),
}
_BUILTINS["typescript"] = _BUILTINS["javascript"]
# Languages whose standard library is a flat namespace too large to list (C's libc, PHP's functions,
# shell commands): a bare name defined nowhere in the file is taken as standard when the file's
# imports are all standard.
_FLAT_STDLIB = {"c", "cpp", "php", "bash", "sql", "r", "haskell"}


def is_standard_module(module: str, language: str) -> bool:
    """Whether an import names the language's standard library (or the runtime's built-in modules)."""
    m = module.strip()
    if language == "python":
        return not m.startswith(".") and m.split(".")[0] in sys.stdlib_module_names
    if language in ("c", "cpp"):
        stem = m.removesuffix(".h")
        return stem in _C_HEADERS or (language == "cpp" and (
            m in _CPP_HEADERS or (m.startswith("c") and m[1:] in _C_HEADERS)))
    if language == "java":
        return m.startswith(("java.", "javax."))
    if language == "kotlin":
        return m.startswith(("kotlin.", "java.", "javax."))
    if language == "scala":
        return m.startswith(("scala.", "java.", "javax.")) or m in ("scala", "java")
    if language == "go":
        return "." not in m.strip('"').split("/")[0]
    if language == "rust":
        return m.split("::")[0].lstrip("{") in ("std", "core", "alloc")
    if language in ("javascript", "typescript"):
        return m.removeprefix("node:") in _NODE_BUILTINS
    if language == "csharp":
        return m == "System" or m.startswith("System.")
    if language == "swift":
        return m in _SWIFT_STDLIB
    if language == "ruby":
        return m in _RUBY_STDLIB
    return False


@dataclass(frozen=True)
class FileContext:
    """What a snippet's file provides: its imports and the names it defines (computed once per file)."""

    imports: list[Import]
    defined: set[str]
    types_and_functions: set[str]
    """Names of the file's functions and types (not methods, reached through an object)."""
    python_bindings: dict[str, tuple[str, str]]


_EMPTY = FileContext([], set(), set(), {})


def _short(name: str) -> str:
    return name.split("::")[-1].split(".")[-1]


def file_context(text: str, language: str) -> FileContext:
    result = parse(text, language)
    defs = definitions(text, language, result=result)
    return FileContext(
        imports=imports(text, language, result=result),
        defined={_short(d.name) for d in defs},
        types_and_functions={_short(d.name) for d in defs if d.kind != "method"},
        python_bindings=_python_import_bindings(text) if language == "python" else {},
    )


def check_self_contained(code: str, language: str, *, context: FileContext | None = None,
                         method: bool = False) -> Verdict:
    """Verdict for `code` (a function, method or class); `context` is the file it came from. A
    `method` that uses its receiver (`self`, `this`, instance variables) needs its class."""
    if language == "python":
        verdict = _check_python(code, context or _EMPTY)
    else:
        verdict = _check_tree_sitter(code, language, context or _EMPTY)
    if method and _uses_receiver(code, language):
        return Verdict(False, [*verdict.needs, "its class (uses the receiver)"], verdict.imports)
    return verdict


_RECEIVER = {"ruby": r"@\w|\bself\b", "php": r"\$this\b"}


def _uses_receiver(code: str, language: str) -> bool:
    if language == "python":
        return _python_uses_first_parameter(code)
    if language == "go":
        receiver = re.match(r"\s*(?://[^\n]*\n\s*)*func\s*\(\s*(\w+)", code)
        body = code[code.find("{"):] if "{" in code else ""
        return receiver is not None and re.search(rf"\b{receiver.group(1)}\b", body) is not None
    return re.search(_RECEIVER.get(language, r"\b(this|self)\b"), code) is not None


def _python_uses_first_parameter(code: str) -> bool:
    """Whether a method reads its first parameter (self/cls); static methods have none to read."""
    if re.search(r"^\s*@staticmethod\b", code, re.MULTILINE):
        return False
    try:
        top = symtable.symtable(code, "<seed>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    functions = [t for t in top.get_children() if t.get_type() == "function"]
    if not functions or not functions[0].get_parameters():
        return False
    first = functions[0].get_parameters()[0]
    tables = [functions[0]]
    while tables:
        table = tables.pop()
        names = {sym.get_name(): sym for sym in table.get_symbols()}
        if first in names and names[first].is_referenced() and (table is functions[0] or names[first].is_free()):
            return True
        tables.extend(table.get_children())
    return False


# --- Python ---------------------------------------------------------------------------------

def _python_free_names(code: str) -> set[str] | None:
    """Names `code` reads but never binds anywhere (None when CPython cannot compile it)."""
    try:
        top = symtable.symtable(code, "<seed>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # deep nesting overflows CPython
        return None
    bound = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    tables, read = [top], set()
    while tables:
        table = tables.pop()
        for sym in table.get_symbols():
            if sym.is_declared_global() and sym.is_assigned():
                bound.add(sym.get_name())
            elif sym.is_referenced() and sym.is_global():
                read.add(sym.get_name())
        tables.extend(table.get_children())
    return read - bound


def _python_import_bindings(text: str, *, nested: bool = False) -> dict[str, tuple[str, str]]:
    """Import bindings of Python code, top-level only unless `nested`: bound name -> (module, statement)."""
    try:
        tree = parse_python(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # deep nesting overflows CPython
        return {}
    out = {}
    for node in ast.walk(tree) if nested else tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                name = alias.asname or alias.name.split(".")[0]
                out[name] = (alias.name, ast.get_source_segment(text, node) or "")
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                out[alias.asname or alias.name] = (module, ast.get_source_segment(text, node) or "")
    return out


def _check_python(code: str, context: FileContext) -> Verdict:
    free = _python_free_names(code)
    if free is None:
        return Verdict(False, ["code CPython cannot compile"])
    needs: list[str] = []
    for imp in _python_import_bindings(code, nested=True).values():
        if not is_standard_module(imp[0], "python"):
            needs.append(f"import {imp[0]}")
    bindings, file_defs = context.python_bindings, context.defined
    used_imports: list[str] = []
    for name in sorted(free - set(dir(builtins))):
        if name in bindings:
            module, statement = bindings[name]
            if is_standard_module(module, "python"):
                if statement not in used_imports:
                    used_imports.append(statement)
                continue
            needs.append(f"import {module}")
        else:
            needs.append(name if name not in file_defs else f"{name} (defined elsewhere in the file)")
    return Verdict(not needs, list(dict.fromkeys(needs)), used_imports)


# --- other languages --------------------------------------------------------------------------

_IMPORT_WORDS = _words("import from as const let var require use using include static package export default "
                          "type typeof mod crate self super pub")


def _bound_names(imp: Import) -> set[str]:
    """Names an import statement binds: the words left once the module text and keywords are gone,
    and the module's last component."""
    rest = imp.statement.replace(imp.module, " ")
    words = set(re.findall(r"[A-Za-z_$][\w$]*", rest)) - _IMPORT_WORDS
    short = re.split(r"[/.:\\]+", imp.module.removesuffix(".h"))[-1]
    return words | ({short} if short else set())


def _statement(imp: Import, language: str) -> str:
    # Go's grouped `import (...)` is matched spec by spec: give each its own statement.
    return f"import {imp.statement}" if language == "go" and not imp.statement.startswith("import") else imp.statement


def _check_tree_sitter(code: str, language: str, context: FileContext) -> Verdict:
    result = parse(code, language)
    own = {_short(d.name) for d in definitions(code, language, result=result)}
    file_imports, file_defs = context.imports, context.defined
    all_imports = imports(code, language, result=result) + file_imports
    needs = [f"import {imp.module}" for imp in imports(code, language, result=result)
             if not is_standard_module(imp.module, language)]
    standard = [imp for imp in all_imports if is_standard_module(imp.module, language)]
    foreign = [imp for imp in file_imports if not is_standard_module(imp.module, language)]
    used: list[str] = []
    called = called_names(code, language, result=result)
    for name in sorted(called - own):
        if name in _BUILTINS.get(language, ()):
            continue
        if name in file_defs:
            needs.append(f"{name} (defined elsewhere in the file)")
            continue
        word = re.compile(rf"\b{re.escape(name)}\b")
        binding = next((imp for imp in all_imports if word.search(imp.statement)), None)
        if binding is not None:
            if binding in standard:
                used.append(binding.statement)
            else:
                needs.append(f"import {binding.module}")
            continue
        if language in _FLAT_STDLIB and not foreign:
            continue
        needs.append(name)
    names = identifier_names(code, language, result=result)
    # Types and functions of the file used other than by a bare call (`Node<T>`, `&Helper`).
    needs.extend(f"{name} (defined elsewhere in the file)"
                 for name in sorted((context.types_and_functions & names) - own - called))
    for imp in foreign:  # qualified uses (`yaml.Marshal(x)`, `_.map(x)`, `Bar` from `import a.b.Bar;`)
        if _bound_names(imp) & names:
            needs.append(f"import {imp.module}")
    if language in _FLAT_STDLIB or language in ("go", "java", "kotlin", "scala", "swift", "csharp", "rust"):
        # Their standard imports are needed to compile whatever of them the snippet uses.
        used.extend(_statement(imp, language) for imp in standard if imp in file_imports)
    return Verdict(not needs, list(dict.fromkeys(needs)), list(dict.fromkeys(used)))
