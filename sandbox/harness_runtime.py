"""Source text of the per-language test harness runtimes (see coderforge.sandbox.harness): the code
that counts the checks a test program executes, stops it on the first failing one in a way the tests
cannot catch, and prints the end marker. `{nonce}` and friends are filled by the harness."""

from __future__ import annotations

#: The end marker on stderr: the nonce proves the harness printed it, `checks=` counts checks that held.
MARKER = "@@coderforge-tests {nonce} checks={count}@@"
#: The first line of a failing check's report (stderr).
FAILURE = "coderforge check failed: "

#: Python: main.py runs solution.py, then tests.py with each `assert` rewritten (ast) into a counting
#: call, in one namespace; the marker is printed only when the tests ran to their end.
PYTHON = r'''
import ast, operator, os, sys

NONCE = {nonce!r}
checks = 0


def _fail(text):
    try:
        sys.stdout.flush()
    except Exception:
        pass
    os.write(2, ("\n" + {failure!r} + text + "\n").encode("utf-8", "replace"))
    os._exit(1)


def _short(value):
    text = repr(value)
    return text if len(text) <= 300 else text[:300] + "..."


def _message(msg):
    try:
        return ": " + str(msg()) if msg is not None else ""
    except BaseException as e:  # the message itself raised: still report the failed check
        return f": <message raised {{type(e).__name__}}>"


def check(ok, msg, source, line):
    global checks
    if not ok:
        _fail(f"tests.py:{{line}}: assert {{source}}{{_message(msg)}}")
    checks += 1


_OPS = {{"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
        ">=": operator.ge, "is": operator.is_, "is not": operator.is_not,
        "in": lambda a, b: a in b, "not in": lambda a, b: a not in b}}


def compare(left, op, right, msg, source, line):
    global checks
    if not _OPS[op](left, right):
        shown = f"{{_short(left)}} {{op}} {{_short(right)}} is false"
        _fail(f"tests.py:{{line}}: assert {{source}}: {{shown}}{{_message(msg)}}")
    checks += 1


_SYMBOL = {{ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Is: "is",
           ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}}


class _Asserts(ast.NodeTransformer):
    def __init__(self, text):
        self.text = text

    def visit_Assert(self, node):
        self.generic_visit(node)
        source = ast.get_source_segment(self.text, node.test) or ast.unparse(node.test)
        msg = ast.Lambda(ast.arguments([], [], None, [], [], None, []), node.msg) if node.msg else ast.Constant(None)
        tail = [msg, ast.Constant(source), ast.Constant(node.lineno)]
        test = node.test
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            name, args = "compare", [test.left, ast.Constant(_SYMBOL[type(test.ops[0])]), test.comparators[0], *tail]
        else:
            name, args = "check", [test, *tail]
        func = ast.Attribute(ast.Name("_coderforge", ast.Load()), name, ast.Load())
        return ast.copy_location(ast.Expr(ast.Call(func, args, [])), node)


def _counted(method):
    """A TestCase assertion that counts, and ends the run when it fails (no except can hide it)."""
    def counted(*args, **kwargs):
        global checks
        try:
            result = method(*args, **kwargs)
        except AssertionError as e:
            _fail(f"{{method.__name__}}: {{e}}")
        checks += 1
        return result
    return counted


def _unittest_main(namespace):
    """unittest.main() for tests run from a namespace: its TestCases run here, and a failure ends
    the run like any failed check (unittest.main would sys.exit either way)."""
    import types
    import unittest

    for name in dir(unittest.TestCase):
        if name.startswith("assert") and not name.startswith("assert_") and callable(getattr(unittest.TestCase, name)):
            setattr(unittest.TestCase, name, _counted(getattr(unittest.TestCase, name)))

    def main(*args, **kwargs):
        suite = unittest.defaultTestLoader.loadTestsFromModule(types.SimpleNamespace(**namespace))
        result = unittest.TextTestRunner(stream=sys.stderr, verbosity=1).run(suite)
        if not result.wasSuccessful():
            first = (result.failures + result.errors)[0]
            _fail(f"unittest: {{first[0]}}: {{first[1].strip().splitlines()[-1]}}")
        return result

    unittest.main = main


def _collected(namespace, before):
    """What pytest would run, for tests that only define it (nothing checked by their end): their
    test* functions that take no arguments, in order, then their unittest TestCases."""
    import inspect
    import unittest

    ours = {{k: v for k, v in namespace.items() if k not in before}}
    for name, value in ours.items():
        if name.startswith("test") and inspect.isfunction(value) and all(
                p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                for p in inspect.signature(value).parameters.values()):
            value()
    if any(isinstance(v, type) and issubclass(v, unittest.TestCase) for v in ours.values()):
        unittest.main()


class _Doctests:
    """Runs the examples in the solution's docstrings (`>>> f(2)` then `4`); the first that does not
    hold ends the run. They are the solution's own claims, not checks: they never count."""

    def __init__(self):
        import doctest

        class Runner(doctest.DocTestRunner):
            def report_failure(self, out, test, example, got):
                _fail(f"solution.py: {{test.name}}'s docstring example "
                      f">>> {{example.source.strip()}} shows {{example.want.strip()!r}}, got {{got.strip()!r}}")

            def report_unexpected_exception(self, out, test, example, exc_info):
                _fail(f"solution.py: {{test.name}}'s docstring example "
                      f">>> {{example.source.strip()}} raised {{exc_info[0].__name__}}: {{exc_info[1]}}")

        class Checker(doctest.OutputChecker):
            """Equal values hold whatever their spelling: `"Hello"` shows 'Hello'."""

            def check_output(self, want, got, optionflags):
                if super().check_output(want, got, optionflags):
                    return True
                try:
                    return ast.literal_eval(want.strip()) == ast.literal_eval(got.strip())
                except Exception:
                    return False

        self.finder = doctest.DocTestFinder()
        self.runner = Runner(checker=Checker(), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)

    def run(self, namespace):
        import inspect

        for name, value in list(namespace.items()):
            if (inspect.isfunction(value) or inspect.isclass(value)) and getattr(value, "__module__", "") == "solution":
                for test in self.finder.find(value, name, globs=dict(namespace)):
                    self.runner.run(test, out=lambda text: None)


_PLAIN = (int, float, complex, str, bytes, bool, type(None))


def _plain(value, depth=0):
    """Whether `value` is plain data (numbers, strings, None in lists, tuples, dicts, sets): what
    compares by value, so a copy shows whether a call changed it."""
    if isinstance(value, _PLAIN):
        return True
    if depth > 20:
        return False
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(_plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(_plain(k, depth + 1) and _plain(v, depth + 1) for k, v in value.items())
    return False


def _guarded(function):
    """The solution's `function`, ending the run when a call prints on stdout or changes a list,
    dict or set of plain data it was given: the tasks ask for functions that return their result,
    print nothing and leave their arguments unchanged, and an answer that does otherwise teaches
    the opposite."""
    import contextlib
    import copy
    import functools
    import io

    @functools.wraps(function)
    def guarded(*args, **kwargs):
        given = [*args, *kwargs.values()]
        watched = [(k, a, copy.deepcopy(a)) for k, a in enumerate(given, 1)
                   if isinstance(a, (list, dict, set)) and _plain(a)]
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            result = function(*args, **kwargs)
        if printed.getvalue():
            _fail(f"solution.py: {{function.__name__}} printed {{_short(printed.getvalue())}}; the task asks "
                  f"for functions that return their result and print nothing")
        for k, now, before in watched:
            if now != before:
                _fail(f"solution.py: {{function.__name__}} changed its argument {{k}} ({{_short(before)}} became "
                      f"{{_short(now)}}); the task asks for functions that leave their arguments unchanged")
        return result
    return guarded


def _guard(namespace):
    import inspect

    for name, value in list(namespace.items()):
        if inspect.isfunction(value) and value.__module__ == "solution":
            namespace[name] = _guarded(value)


def _under_another_hash_seed():
    """Everything again under PYTHONHASHSEED=1 (the sandbox runs seed 0): an answer whose result
    follows set order (`list(set(words))`) holds under one seed by chance only."""
    import subprocess

    if os.environ.get("PYTHONHASHSEED") != "0":
        return
    again = subprocess.run([sys.executable, "-B", "-s", sys.argv[0]], env={{**os.environ, "PYTHONHASHSEED": "1"}},
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, errors="replace")
    if again.returncode != 0:
        at = again.stderr.rfind({failure!r})
        why = again.stderr[at + len({failure!r}):] if at >= 0 else again.stderr[-500:]
        _fail(f"under another hash seed (PYTHONHASHSEED=1): {{why.strip() or again.returncode}}")


def _run(path, namespace, rewrite):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    tree = ast.parse(text, path)
    if rewrite:
        tree = ast.fix_missing_locations(_Asserts(text).visit(tree))
    exec(compile(tree, path, "exec"), namespace)


_namespace = {{"__name__": "solution", "__builtins__": __builtins__, "__file__": "solution.py",
              "_coderforge": sys.modules[__name__]}}
_run("solution.py", _namespace, rewrite=False)
_guard(_namespace)
_namespace["__name__"], _namespace["__file__"] = "__main__", "tests.py"
_unittest_main(_namespace)
_solution_names = set(_namespace)
_run("tests.py", _namespace, rewrite=True)
if checks == 0:
    _collected(_namespace, _solution_names)
_Doctests().run(_namespace)
_under_another_hash_seed()
sys.stdout.flush()
os.write(2, ("\n" + {marker!r}.replace("{{count}}", str(checks)) + "\n").encode())
'''

#: JavaScript (and TypeScript, typed `any`): a counting proxy of node:assert that the tests' own
#: `require` hands them (the solution keeps node's) and that stands as `assert` for tests that use it
#: without requiring it, console.assert, and an exit hook printing the marker only after the tests'
#: last line.
JAVASCRIPT_PRELUDE = r'''{declare}var __coderforge{any} = (() => {{
  const nodeRequire = module.require.bind(module);
  const realAssert = nodeRequire("node:assert");
  const fs = nodeRequire("node:fs");
  const util = nodeRequire("node:util");
  const realExit = process.exit.bind(process);
  const firstTestLine = {tests_line};
  let checks = 0, ended = false, early = false;
  const where = () => {{
    for (const frame of (new Error().stack || "").split("\n").slice(1)) {{
      const m = /{script}:(\d+):\d+/.exec(frame);
      if (m && Number(m[1]) > {prelude_lines}) {{
        const line = Number(m[1]);
        return line >= firstTestLine ? `tests:${{line - firstTestLine + 1}}` : `solution:${{line - {prelude_lines}}}`;
      }}
    }}
    return "tests";
  }};
  const fail = (text) => {{
    early = true;
    try {{ fs.writeSync(2, "\n{failure}" + where() + ": " + text + "\n"); }} catch (e) {{}}
    realExit(1);
  }};
  const held = (value) => {{ checks++; return value; }};
  const wrap = (name, fn) => function (...args) {{
    let value;
    try {{ value = fn.apply(this, args); }} catch (e) {{ fail(`assert.${{name}}: ${{e && e.message}}`); }}
    if (value && typeof value.then === "function") {{
      return value.then(held, (e) => fail(`assert.${{name}}: ${{e && e.message}}`));
    }}
    return held(value);
  }};
  // Two objects compared by reference can only be meant by value: a literal in the tests is never
  // the same object as a result (small models write strictEqual for arrays), so they compare deeply.
  const deep = {{ strictEqual: "deepStrictEqual", equal: "deepEqual", notStrictEqual: "notDeepStrictEqual",
                 notEqual: "notDeepEqual" }};
  const byValue = (real, key) => function (a, b, ...rest) {{
    const objects = a !== null && b !== null && typeof a === "object" && typeof b === "object";
    return real[objects ? deep[key] : key].call(this, a, b, ...rest);
  }};
  const proxy = (real) => {{
    const out{any} = wrap("ok", real.ok);
    for (const [key, value] of Object.entries(real)) {{
      const fn = deep[key] ? byValue(real, key) : value;
      out[key] = typeof value === "function" && /^[a-z]/.test(key) ? wrap(key, fn) : value;
    }}
    return out;
  }};
  const loose{any} = proxy(realAssert), strict{any} = proxy(realAssert.strict);
  loose.strict = strict; strict.strict = strict;
  const modules = {{ "assert": loose, "node:assert": loose, "assert/strict": strict, "node:assert/strict": strict }};
  // Tests that use `assert` without requiring it get node:assert (a global: their own declaration shadows it).
  globalThis.assert = loose;
  // describe/it/test blocks run at once, as a test runner would run them (a solution's own `test` shadows it).
  const run = (name, fn) => {{ if (typeof fn === "function") fn(); }};
  globalThis.describe = run; globalThis.it = run; globalThis.test = run;
  console.assert = (condition, ...data) => {{
    if (!condition) fail("console.assert: " + (data.length ? util.format(...data) : "assertion failed"));
    checks++;
  }};
  // The tasks ask for functions that return their result and print nothing: console output whose
  // nearest script frame is the solution's ends the run (compiled TypeScript maps to no line: not checked).
  for (const name of ["log", "info", "debug", "dir", "table"]) {{
    const real = console[name].bind(console);
    console[name] = (...data) => {{
      if (where().startsWith("solution:")) {{
        fail(`console.${{name}} printed ${{util.inspect(util.format(...data))}}; the task asks for functions ` +
             "that return their result and print nothing");
      }}
      return real(...data);
    }};
  }}
  process.exit = (code) => {{ early = true; realExit(code); }};
  process.on("exit", (code) => {{
    if (code === 0 && ended && !early) fs.writeSync(2, "\n{marker}".replace("{{count}}", String(checks)) + "\n");
  }});
  // `require("./solution")` in the tests: no such file, the solution is in this script; a direct
  // eval reads its top-level names (`const {{ add }} = require("./solution")`).
  const solution = new Proxy({{}}, {{ get: (_, key) => typeof key === "string" ? eval(key) : undefined }});
  const testsRequire = (id) => {{
    if (Object.prototype.hasOwnProperty.call(modules, id)) return modules[id];
    try {{ return nodeRequire(id); }} catch (e) {{
      if (e && e.code === "MODULE_NOT_FOUND" && id.startsWith(".")) return solution;
      throw e;
    }}
  }};
  return {{
    require: testsRequire,
    idle: () => checks === 0,
    end: () => {{ ended = true; }},
  }};
}})();
'''

#: C and C++: `assert` redefined after the solution; the tests' main renamed and called by the
#: harness's own main, which prints the marker when it returns 0.
C_PRELUDE = r'''#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
{includes}
static unsigned long coderforge_checks;
static void coderforge_fail(const char *expr, const char *file, int line) {{
    fflush(stdout);
    fprintf(stderr, "\n{failure}%s:%d: assert(%s)\n", file, line, expr);
    fflush(stderr);
    _exit(1);
}}
'''

C_BEFORE_TESTS = r'''
#undef assert
#define assert(...) ((__VA_ARGS__) ? (void)++coderforge_checks : coderforge_fail(#__VA_ARGS__, __FILE__, __LINE__))
'''

#: C++: `assert(a == b)` in the tests becomes coderforge_eq(...) (harness._cpp_equalities), whose
#: report shows both values as Python's does (`107 == 94 is false`): candidates failing one check then
#: show whether they agree on its value. Values print through operator<<, ranges element by element,
#: anything else as `?`.
CPP_EQUALITY = r'''
#include <iterator>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
template <class T> std::string coderforge_show(const T &value);
inline std::string coderforge_show_as(const std::string &s, int) {{ return "\"" + s + "\""; }}
inline std::string coderforge_show_as(char c, int) {{ return std::string("'") + c + "'"; }}
template <class T> auto coderforge_show_as(const T &value, int)
    -> decltype(std::declval<std::ostream &>() << value, std::string()) {{
    std::ostringstream out;
    out << std::boolalpha << value;
    return out.str();
}}
template <class T> auto coderforge_show_as(const T &value, long) -> decltype(std::begin(value), std::string()) {{
    std::string out = "{{";
    const char *sep = "";
    for (const auto &item : value) {{ out += sep + coderforge_show(item); sep = ", "; }}
    return out + "}}";
}}
template <class T> std::string coderforge_show_as(const T &, ...) {{ return "?"; }}
template <class T> std::string coderforge_show(const T &value) {{
    std::string shown = coderforge_show_as(value, 0);
    return shown.size() <= 300 ? shown : shown.substr(0, 300) + "...";
}}
// A literal 0 (or NULL) against a pointer is a null pointer constant in `p == 0`, an int here.
template <class A, class B> bool coderforge_equal(const A &a, const B &b) {{
    if constexpr (std::is_pointer_v<A> && std::is_integral_v<B>) return b == 0 && a == nullptr;
    else if constexpr (std::is_integral_v<A> && std::is_pointer_v<B>) return a == 0 && b == nullptr;
    else return a == b;
}}
template <class A, class B>
void coderforge_eq(const char *file, int line, const char *source, const A &a, const B &b) {{
    if (coderforge_equal(a, b)) {{ ++coderforge_checks; return; }}
    fflush(stdout);
    fprintf(stderr, "\n{failure}%s:%d: assert(%s): %s == %s is false\n", file, line, source,
            coderforge_show(a).c_str(), coderforge_show(b).c_str());
    fflush(stderr);
    _exit(1);
}}
'''

C_MAIN = r'''
int main(int argc, char **argv) {{
    int rc = ((int (*)(int, char **))coderforge_tests_main)(argc, argv);
    fflush(stdout);
    if (rc == 0) fprintf(stderr, "\n{marker}\n", coderforge_checks);
    fflush(stderr);
    return rc;
}}
'''

#: Java: the tests' `assert` statements become counting checks; this public class (the file's first,
#: so the launcher runs it) calls the tests' main and prints the marker when it returns.
JAVA = r'''
final class CoderforgeCheck {{
    static long checks;

    static void pass() {{
        checks++;
    }}

    static void fail(String where, Object message) {{
        System.out.flush();
        System.err.println("\n{failure}" + where + (message == null ? "" : ": " + message));
        System.err.flush();
        Runtime.getRuntime().halt(1);
    }}
}}

public class CoderforgeTests {{
    public static void main(String[] args) throws Throwable {{
        {tests_class}.main(args);
        System.out.flush();
        System.err.println("\n" + "{marker}".replace("{{count}}", Long.toString(CoderforgeCheck.checks)));
        System.err.flush();
    }}
}}
'''

#: Go: `expect(ok, message...)` for the tests; the tests' main renamed and called by this main.
GO = r'''
var coderforgeChecks int

func expect(ok bool, message ...any) {{
	if !ok {{
		_, file, line, _ := coderforgeRuntime.Caller(1)
		coderforgeFmt.Fprintf(coderforgeOs.Stderr, "\n{failure}%s:%d: %s\n", coderforgeFilepath.Base(file), line,
			coderforgeFmt.Sprint(message...))
		coderforgeOs.Exit(1)
	}}
	coderforgeChecks++
}}

func main() {{
	coderforgeTests()
	coderforgeFmt.Fprintf(coderforgeOs.Stderr, "\n{marker}\n", coderforgeChecks)
}}
'''

GO_IMPORTS = ('coderforgeFmt "fmt"', 'coderforgeOs "os"', 'coderforgeRuntime "runtime"',
              'coderforgeFilepath "path/filepath"')

#: Rust: assert!/assert_eq!/assert_ne! shadowed after the solution (so only the tests' count; line!()
#: is the combined file's, so `tests_line` maps it back); the tests live in a module (their `use`
#: lines cannot clash with the solution's) whose main is called here.
RUST_MACROS = r'''
static CODERFORGE_CHECKS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn coderforge_pass() {{
    CODERFORGE_CHECKS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}}

fn coderforge_fail(line: u32, what: String) -> ! {{
    use std::io::Write;
    let _ = std::io::stdout().flush();
    eprintln!("\n{failure}tests.rs:{{}}: {{}}", line + 1 - {tests_line}, what);
    std::process::exit(1)
}}

#[allow(unused_macros)]
macro_rules! assert {{
    ($cond:expr $(,)?) => {{
        if $cond {{ coderforge_pass() }} else {{
            coderforge_fail(line!(), format!("assert!({{}})", stringify!($cond)))
        }}
    }};
    ($cond:expr, $($arg:tt)+) => {{
        if $cond {{ coderforge_pass() }} else {{
            coderforge_fail(line!(), format!("assert!({{}}): {{}}", stringify!($cond), format_args!($($arg)+)))
        }}
    }};
}}

#[allow(unused_macros)]
macro_rules! coderforge_compare {{
    ($name:literal, $op:tt, $left:expr, $right:expr, $message:expr) => {{
        match (&$left, &$right) {{
            (left, right) => {{
                if *left $op *right {{ coderforge_pass() }} else {{
                    coderforge_fail(line!(), format!("{{}}!({{}}, {{}}): left: {{:?}}, right: {{:?}}{{}}", $name,
                        stringify!($left), stringify!($right), left, right, $message))
                }}
            }}
        }}
    }};
}}

#[allow(unused_macros)]
macro_rules! assert_eq {{
    ($left:expr, $right:expr $(,)?) => {{ coderforge_compare!("assert_eq", ==, $left, $right, String::new()) }};
    ($left:expr, $right:expr, $($arg:tt)+) => {{
        coderforge_compare!("assert_eq", ==, $left, $right, format!(": {{}}", format_args!($($arg)+)))
    }};
}}

#[allow(unused_macros)]
macro_rules! assert_ne {{
    ($left:expr, $right:expr $(,)?) => {{ coderforge_compare!("assert_ne", !=, $left, $right, String::new()) }};
    ($left:expr, $right:expr, $($arg:tt)+) => {{
        coderforge_compare!("assert_ne", !=, $left, $right, format!(": {{}}", format_args!($($arg)+)))
    }};
}}
'''

RUST_MAIN = r'''
fn main() {{
    coderforge_tests::main();
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let checks = CODERFORGE_CHECKS.load(std::sync::atomic::Ordering::SeqCst);
    eprintln!("\n{{}}", "{marker}".replace("{{count}}", &checks.to_string()));
}}
'''

#: Bash: bats-like `assert_equal ACTUAL EXPECTED [MESSAGE]` and `assert COMMAND...`. Checks and
#: failures are counted in files, so checks run in subshells (pipelines, $(...)) count too and a
#: failure in a subshell still fails the run; the end block runs only when the tests reach it.
BASH_PRELUDE = r'''coderforge_checks="$PWD/.coderforge-checks-{nonce}"
coderforge_failed="$PWD/.coderforge-failed-{nonce}"
: > "$coderforge_checks"
rm -f "$coderforge_failed"
coderforge_fail() {{
    printf '\n{failure}tests.sh:%s: %s\n' "$(( BASH_LINENO[1] - {tests_line} + 1 ))" "$1" >&2
    : > "$coderforge_failed"
    exit 1
}}
assert_equal() {{
    if [ "$1" != "$2" ]; then
        coderforge_fail "assert_equal: '$1' != '$2'${{3:+: $3}}"
    fi
    echo >> "$coderforge_checks"
}}
assert() {{
    if ! "$@"; then
        coderforge_fail "assert $*"
    fi
    echo >> "$coderforge_checks"
}}
'''

BASH_END = r'''
if [ -e "$coderforge_failed" ]; then exit 1; fi
printf '\n{marker}\n' "$(wc -l < "$coderforge_checks")" >&2
'''

#: PHP: the tests' assert(...) calls (compiled out by zend.assertions=-1) become coderforge_assert(...).
PHP_PRELUDE = r'''<?php
$GLOBALS['coderforge_checks'] = 0;
function coderforge_assert($condition, $message = null) {{
    if (!$condition) {{
        $where = debug_backtrace(DEBUG_BACKTRACE_IGNORE_ARGS, 1)[0]['line'] ?? 0;
        fwrite(STDERR, "\n{failure}tests.php:" . ($where - {tests_line} + 1) . ": assert failed"
            . ($message === null ? "" : ": " . (is_string($message) ? $message : var_export($message, true))) . "\n");
        exit(1);
    }}
    $GLOBALS['coderforge_checks']++;
}}
'''

PHP_END = r'''
fwrite(STDERR, "\n" . str_replace("{{count}}", (string) $GLOBALS['coderforge_checks'], "{marker}") . "\n");
'''

#: C#: the tests' Debug.Assert / Trace.Assert calls become counted checks; the tests' Main is renamed
#: and this entry point calls it (by reflection: it may be private) and prints the marker.
CSHARP = r'''
static class CoderforgeCheck {{
    static long checks;

    public static long Checks {{ get {{ return checks; }} }}

    public static void Assert(bool condition, string message = null, string detail = null,
                              [System.Runtime.CompilerServices.CallerLineNumber] int line = 0) {{
        if (!condition) {{
            System.Console.Out.Flush();
            System.Console.Error.WriteLine("\n{failure}tests.cs:" + (line - {tests_line} + 1) + ": Debug.Assert failed"
                + (message == null ? "" : ": " + message));
            System.Console.Error.Flush();
            System.Environment.Exit(1);
        }}
        checks++;
    }}
}}

static class CoderforgeHarness {{
    static int Main(string[] args) {{
        const System.Reflection.BindingFlags any = System.Reflection.BindingFlags.Static
            | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic;
        foreach (var type in typeof(CoderforgeHarness).Assembly.GetTypes()) {{
            var main = type.GetMethod("CoderforgeTestsMain", any);
            if (main == null) continue;
            object result;
            try {{
                result = main.Invoke(null, main.GetParameters().Length == 0 ? null : new object[] {{ args }});
            }} catch (System.Reflection.TargetInvocationException e) {{
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }}
            if (result is int && (int) result != 0) return (int) result;
            System.Console.Out.Flush();
            System.Console.Error.WriteLine("\n" + "{marker}".Replace("{{count}}", CoderforgeCheck.Checks.ToString()));
            return 0;
        }}
        System.Console.Error.WriteLine("the tests have no static Main method");
        return 1;
    }}
}}
'''
