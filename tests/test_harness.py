"""The test harness on real programs in the real sandbox (bubblewrap): what "passed" means per
language, the stub mutant, and programs that try to pass without a check holding."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from coderforge.sandbox import Result, Sandbox, Status, harness
from coderforge.sandbox.checks import failed_check, without_check
from coderforge.sandbox.harness import (
    constant_solution,
    expected_values,
    identity_solution,
    outcome,
    stub_solution,
    supports,
)
from sandbox_support import config_for, require_backend

from coderforge.code.demo import CHECK_CALL
from coderforge.code.syntax import parse

FAKE = "@@coderforge-tests 0123456789abcdef checks=3@@"


@dataclass(frozen=True)
class Lang:
    """One language's programs: `add` right and wrong, and tests of several kinds."""

    correct: str
    wrong: str
    tests: str
    print_only: str
    catch_all: str | None
    """Tests whose checks sit in a catch-all handler (None: the language has no exceptions)."""
    fake_marker: str
    """A correct solution that prints an end marker without the run's nonce."""
    exits_early: str
    """`add` that exits 0 on a negative argument (the tests' second check)."""


LANGS: dict[str, Lang] = {
    "python": Lang(
        correct="def add(a, b):\n    return a + b\n",
        wrong="def add(a, b):\n    return a - b\n",
        tests='assert add(1, 2) == 3, "one plus two"\nassert add(-1, 1) == 0\n',
        print_only="print(add(1, 2))\n",
        catch_all='try:\n    assert add(1, 2) == 3, "one plus two"\n    assert add(-1, 1) == 0\n'
                  "except BaseException as e:\n    print('failed', e)\n",
        fake_marker=f"import sys\n\ndef add(a, b):\n    return a + b\n\nprint({FAKE!r}, file=sys.stderr)\n",
        exits_early="import os\n\ndef add(a, b):\n    if a < 0:\n        os._exit(0)\n    return a + b\n",
    ),
    "javascript": Lang(
        correct="function add(a, b) {\n  return a + b;\n}\n",
        wrong="function add(a, b) {\n  return a - b;\n}\n",
        tests='const assert = require("node:assert");\nassert.strictEqual(add(1, 2), 3, "one plus two");\n'
              "assert.deepStrictEqual([add(-1, 1)], [0]);\n",
        print_only="console.log(add(1, 2));\n",
        catch_all='const assert = require("assert");\nfor (const [a, b, want] of [[1, 2, 3], [-1, 1, 0]]) {\n'
                  '  try { assert.strictEqual(add(a, b), want, "one plus two"); }\n'
                  '  catch (e) { console.log("failed", e.message); }\n}\n',
        fake_marker=f"function add(a, b) {{ return a + b; }}\nconsole.error({FAKE!r});\n",
        exits_early="function add(a, b) {\n  if (a < 0) process.exit(0);\n  return a + b;\n}\n",
    ),
    "typescript": Lang(
        correct="export function add(a: number, b: number): number {\n  return a + b;\n}\n",
        wrong="export function add(a: number, b: number): number {\n  return a - b;\n}\n",
        tests='import assert from "node:assert";\n\nassert.strictEqual(add(1, 2), 3, "one plus two");\n'
              "assert.deepStrictEqual([add(-1, 1)], [0]);\n",
        print_only="console.log(add(1, 2));\n",
        catch_all='import { strict as assert } from "assert";\n'
                  "const cases: [number, number, number][] = [[1, 2, 3], [-1, 1, 0]];\n"
                  'for (const [a, b, want] of cases) {\n  try { assert.equal(add(a, b), want, "one plus two"); }\n'
                  '  catch (e) { console.log("failed", e); }\n}\n',
        fake_marker=f"function add(a: number, b: number): number {{ return a + b; }}\nconsole.error({FAKE!r});\n",
        exits_early="function add(a: number, b: number): number {\n  if (a < 0) process.exit(0);\n  return a + b;\n}\n",
    ),
    "c": Lang(
        correct="int add(int a, int b) {\n    return a + b;\n}\n",
        wrong="int add(int a, int b) {\n    return a - b;\n}\n",
        tests="#include <assert.h>\n\nint main(void) {\n    assert(add(1, 2) == 3);\n    assert(add(-1, 1) == 0);\n}\n",
        print_only='#include <stdio.h>\n\nint main(void) {\n    printf("%d\\n", add(1, 2));\n    return 0;\n}\n',
        catch_all=None,
        fake_marker=('#include <stdio.h>\n\nint add(int a, int b) { return a + b; }\n'
                     f'__attribute__((constructor)) static void fake(void) {{ fprintf(stderr, "{FAKE}\\n"); }}\n'),
        exits_early="#include <stdlib.h>\n\nint add(int a, int b) {\n    if (a < 0) exit(0);\n    return a + b;\n}\n",
    ),
    "cpp": Lang(
        correct="#include <vector>\nusing namespace std;\n\nint add(int a, int b) {\n    return a + b;\n}\n",
        wrong="int add(int a, int b) {\n    return a - b;\n}\n",
        tests="#include <vector>\n#include <cassert>\nusing namespace std;\n\nint main() {\n"
              "    assert(add(1, 2) == 3);\n    assert(vector<int>{add(-1, 1)} == vector<int>{0});\n    return 0;\n}\n",
        print_only="#include <iostream>\n\nint main() {\n    std::cout << add(1, 2) << std::endl;\n}\n",
        catch_all="#include <bits/stdc++.h>\n#include <cassert>\n\nint main() {\n"
                  "    try {\n        assert(add(1, 2) == 3);\n"
                  "        assert(add(-1, 1) == 0);\n    } catch (...) {\n        std::cout << \"failed\";\n    }\n}\n",
        fake_marker=('#include <iostream>\n\nint add(int a, int b) { return a + b; }\n'
                     f'static int fake = (std::cerr << "{FAKE}" << std::endl, 0);\n'),
        exits_early="#include <cstdlib>\n\nint add(int a, int b) {\n"
                    "    if (a < 0) std::exit(0);\n    return a + b;\n}\n",
    ),
    "java": Lang(
        correct="import java.util.*;\n\npublic class Solution {\n    public static int add(int a, int b) {\n"
                "        return a + b;\n    }\n}\n",
        wrong="public class Solution {\n    public static int add(int a, int b) {\n        return a - b;\n    }\n}\n",
        tests="import java.util.*;\n\npublic class Main {\n    public static void main(String[] args) {\n"
              '        assert Solution.add(1, 2) == 3 : "one plus two";\n'
              "        assert List.of(Solution.add(-1, 1)).equals(List.of(0));\n    }\n}\n",
        print_only="public class Main {\n    public static void main(String[] args) {\n"
                   "        System.out.println(Solution.add(1, 2));\n    }\n}\n",
        catch_all="class Main {\n    public static void main(String[] args) {\n        try {\n"
                  '            assert Solution.add(1, 2) == 3 : "one plus two";\n'
                  "        } catch (Throwable t) {\n"
                  '            System.out.println("failed " + t);\n        }\n    }\n}\n',
        fake_marker=f'public class Solution {{\n    static {{ System.err.println("{FAKE}"); }}\n'
                    "    public static int add(int a, int b) { return a + b; }\n}\n",
        exits_early="public class Solution {\n    public static int add(int a, int b) {\n"
                    "        if (a < 0) System.exit(0);\n        return a + b;\n    }\n}\n",
    ),
    "go": Lang(
        correct='package main\n\nimport "fmt"\n\nfunc add(a, b int) int {\n\treturn a + b\n}\n\n'
                'func show(a int) string {\n\treturn fmt.Sprint(a)\n}\n',
        wrong="package main\n\nfunc add(a, b int) int {\n\treturn a - b\n}\n",
        tests='package main\n\nimport "fmt"\n\nfunc main() {\n\texpect(add(1, 2) == 3, "one plus two")\n'
              '\texpect(fmt.Sprint(add(-1, 1)) == "0", "minus one plus one")\n}\n',
        print_only='package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println(add(1, 2))\n}\n',
        catch_all='package main\n\nfunc main() {\n\tdefer func() { recover() }()\n'
                  '\texpect(add(1, 2) == 3, "one plus two")\n}\n',
        fake_marker=f'package main\n\nimport "os"\n\nfunc init() {{ os.Stderr.WriteString("{FAKE}\\n") }}\n\n'
                    "func add(a, b int) int { return a + b }\n",
        exits_early='package main\n\nimport "os"\n\nfunc add(a, b int) int {\n\tif a < 0 {\n\t\tos.Exit(0)\n\t}\n'
                    "\treturn a + b\n}\n",
    ),
    "rust": Lang(
        correct="use std::collections::HashMap;\n\nfn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n\n"
                "pub fn tally(s: &str) -> HashMap<char, usize> {\n    let mut m = HashMap::new();\n"
                "    for c in s.chars() {\n        *m.entry(c).or_insert(0) += 1;\n    }\n    m\n}\n",
        wrong="fn add(a: i32, b: i32) -> i32 {\n    a - b\n}\n",
        tests="use std::collections::HashMap;\n\nfn main() {\n    assert_eq!(add(1, 2), 3, \"one plus {}\", \"two\");\n"
              "    let empty: HashMap<char, usize> = HashMap::new();\n    assert_ne!(add(-1, 1), 1);\n"
              "    assert!(empty.is_empty());\n}\n",
        print_only='fn main() {\n    println!("{}", add(1, 2));\n}\n',
        catch_all="fn main() {\n    let r = std::panic::catch_unwind(|| {\n"
                  '        assert_eq!(add(1, 2), 3, "one plus two");\n    });\n    println!("{:?}", r.is_ok());\n}\n',
        fake_marker=f'fn add(a: i32, b: i32) -> i32 {{\n    eprintln!("{FAKE}");\n    a + b\n}}\n',
        exits_early="fn add(a: i32, b: i32) -> i32 {\n    if a < 0 {\n        std::process::exit(0);\n    }\n"
                    "    a + b\n}\n",
    ),
    "bash": Lang(
        correct="add() {\n    echo $(( $1 + $2 ))\n}\n",
        wrong="add() {\n    echo $(( $1 - $2 ))\n}\n",
        tests='assert_equal "$(add 1 2)" 3 "one plus two"\nassert [ "$(add -1 1)" -eq 0 ]\n',
        print_only='echo "$(add 1 2)"\n',
        catch_all='( assert_equal "$(add 1 2)" 3 "one plus two" ) || echo failed\n',
        fake_marker=f'add() {{\n    echo $(( $1 + $2 ))\n}}\necho "{FAKE}" >&2\n',
        exits_early="add() {\n    echo $(( $1 + $2 ))\n}\nexit 0\n",
    ),
    "php": Lang(
        correct="<?php\nfunction add(int $a, int $b): int {\n    return $a + $b;\n}\n",
        wrong="<?php\nfunction add($a, $b) {\n    return $a - $b;\n}\n",
        tests='<?php\nassert(add(1, 2) === 3, "one plus two");\nassert(add(-1, 1) == 0);\n',
        print_only='<?php\necho add(1, 2), "\\n";\n',
        catch_all='<?php\ntry {\n    assert(add(1, 2) === 3, "one plus two");\n} catch (Throwable $e) {\n'
                  '    echo "failed\\n";\n}\n',
        fake_marker=f'<?php\nfunction add($a, $b) {{ return $a + $b; }}\nfwrite(STDERR, "{FAKE}\\n");\n',
        exits_early="<?php\nfunction add($a, $b) {\n    if ($a < 0) exit(0);\n    return $a + $b;\n}\n",
    ),
    "csharp": Lang(
        correct="using System;\n\npublic static class Solution {\n    public static int Add(int a, int b) {\n"
                "        return a + b;\n    }\n}\n",
        wrong="public static class Solution {\n    public static int Add(int a, int b) {\n        return a - b;\n"
              "    }\n}\n",
        tests="using System;\nusing System.Diagnostics;\n\nclass Program {\n    static void Main() {\n"
              '        Debug.Assert(Solution.Add(1, 2) == 3, "one plus two");\n'
              "        Debug.Assert(Solution.Add(-1, 1) == 0);\n    }\n}\n",
        print_only="class Program {\n    static void Main() {\n        System.Console.WriteLine(Solution.Add(1, 2));\n"
                   "    }\n}\n",
        catch_all="using System.Diagnostics;\n\nclass Program {\n    static void Main() {\n        try {\n"
                  '            Debug.Assert(Solution.Add(1, 2) == 3, "one plus two");\n'
                  '        } catch (System.Exception e) {\n            System.Console.WriteLine("failed " + e);\n'
                  "        }\n    }\n}\n",
        fake_marker="public static class Solution {\n"
                    f'    static Solution() {{ System.Console.Error.WriteLine("{FAKE}"); }}\n'
                    "    public static int Add(int a, int b) { return a + b; }\n}\n",
        exits_early="public static class Solution {\n    public static int Add(int a, int b) {\n"
                    "        if (a < 0) System.Environment.Exit(0);\n        return a + b;\n    }\n}\n",
    ),
}

#: Runs compiled by the slowest toolchains (tsc, javac, g++ with iostream, mcs), beyond the core cases.
SLOW = {(lang, case) for lang in ("typescript", "java", "cpp", "csharp")
        for case in ("print_only", "catch_all", "fake_marker")}


def _programs(lang: str, spec: Lang) -> dict[str, tuple[str, str]]:
    """(solution, tests) per case; each runs once, in one batch per fixture."""
    stub = stub_solution(lang, spec.correct)
    assert stub is not None
    runs = {
        "correct": (spec.correct, spec.tests),
        "wrong": (spec.wrong, spec.tests),
        "print_only": (spec.correct, spec.print_only),
        "stub": (stub, spec.tests),
        "fake_marker": (spec.fake_marker, spec.print_only),
        "exits_early": (spec.exits_early, spec.tests),
    }
    if spec.catch_all is not None:
        runs["catch_all"] = (spec.wrong, spec.catch_all)
    return runs


def _run_batch(tmp: Path, *, slow: bool) -> dict[tuple[str, str], harness.TestOutcome]:
    require_backend("bwrap")
    built = {}
    for lang, spec in LANGS.items():
        for case, (solution, tests) in _programs(lang, spec).items():
            if ((lang, case) in SLOW) == slow:
                built[lang, case] = harness.test_program(f"{lang}-{case}", lang, solution=solution, tests=tests)
    with Sandbox(config_for("bwrap", tmp)) as sandbox:
        results = sandbox.execute([tp.program for tp in built.values()])
    return {key: outcome(tp, result) for (key, tp), result in zip(built.items(), results, strict=True)}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], harness.TestOutcome]:
    return _run_batch(tmp_path_factory.mktemp("harness"), slow=False)


@pytest.fixture(scope="module")
def slow_outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], harness.TestOutcome]:
    return _run_batch(tmp_path_factory.mktemp("harness-slow"), slow=True)


def _langs(case: str) -> list:
    return [pytest.param(lang, marks=pytest.mark.slow) if (lang, case) in SLOW else lang
            for lang, spec in LANGS.items() if case != "catch_all" or spec.catch_all is not None]


def _outcome(request: pytest.FixtureRequest, lang: str, case: str) -> harness.TestOutcome:
    return request.getfixturevalue("slow_outcomes" if (lang, case) in SLOW else "outcomes")[lang, case]


@pytest.mark.parametrize("lang", _langs("correct"))
def test_correct_solution_passes_with_every_check_counted(request, lang: str) -> None:
    got = _outcome(request, lang, "correct")
    assert got == harness.TestOutcome("passed", 3 if lang == "rust" else 2, "")


@pytest.mark.parametrize("lang", _langs("wrong"))
def test_wrong_solution_fails_naming_the_check(request, lang: str) -> None:
    got = _outcome(request, lang, "wrong")
    assert got.status == "failed" and got.checks == 0
    assert got.error.startswith("coderforge check failed: ")
    assert "one plus two" in got.error or "add(1, 2)" in got.error, got.error
    # The report names the check's line in the tests (TypeScript's compiled stack lines map nowhere),
    # and that statement alone can be set aside.
    check = failed_check(got.error)
    if lang == "typescript":
        assert check is None
        return
    assert check is not None, got.error
    narrowed, statement = without_check(LANGS[lang].tests, check.line, lang)
    assert re.search(r"add\W+1\W+2", statement, re.I) and CHECK_CALL.search(statement), statement
    assert parse(narrowed, lang).ok and statement not in narrowed


@pytest.mark.parametrize("lang", _langs("print_only"))
def test_tests_that_only_print_do_not_pass(request, lang: str) -> None:
    got = _outcome(request, lang, "print_only")
    assert got.status == "failed" and got.checks == 0
    assert got.error.startswith("no check executed"), got.error


@pytest.mark.parametrize("lang", _langs("catch_all"))
def test_a_catch_all_handler_cannot_hide_a_failed_check(request, lang: str) -> None:
    got = _outcome(request, lang, "catch_all")
    assert got.status == "failed"
    assert got.error.startswith("coderforge check failed: "), got.error


@pytest.mark.parametrize("lang", _langs("stub"))
def test_stub_mutant_runs_and_fails_good_tests(request, lang: str) -> None:
    got = _outcome(request, lang, "stub")
    assert got.status == "failed", got  # failed, not compile_error: the mutant is a real program
    assert got.error.startswith("coderforge check failed: "), got.error


@pytest.mark.parametrize("lang", _langs("fake_marker"))
def test_a_marker_without_the_nonce_does_not_pass(request, lang: str) -> None:
    got = _outcome(request, lang, "fake_marker")
    assert got.status == "failed" and got.error.startswith("no check executed"), got


@pytest.mark.parametrize("lang", _langs("exits_early"))
def test_exit_0_before_the_tests_end_does_not_pass(request, lang: str) -> None:
    got = _outcome(request, lang, "exits_early")  # the first check held, then add() exited 0
    assert got.status == "failed" and got.checks == 0
    assert got.error.startswith("no check executed"), got.error


def test_javascript_console_assert_and_undefined_assert_in_a_catch(tmp_path: Path) -> None:
    require_backend("bwrap")
    spec = LANGS["javascript"]
    cases = {
        "console.assert on a wrong value": (spec.wrong, 'console.assert(add(1, 2) === 3, "one plus two");\n'),
        # The case: a loop catching every error, even its own undefined `check`.
        "undefined assert in a catch": (spec.correct, "for (const x of [1, 2]) {\n"
                                                      "  try { check(add(x, 1) === x + 1); }\n"
                                                      "  catch (e) { console.log(e.message); }\n}\n"),
    }
    built = [harness.test_program(name, "javascript", solution=s, tests=t) for name, (s, t) in cases.items()]
    with Sandbox(config_for("bwrap", tmp_path)) as sandbox:
        results = sandbox.execute([tp.program for tp in built])
    console, undefined = (outcome(tp, r) for tp, r in zip(built, results, strict=True))
    assert console.status == "failed" and "console.assert: one plus two" in console.error
    assert undefined.status == "failed" and undefined.error.startswith("no check executed")


def test_stub_solution_replaces_every_function_body() -> None:
    solution = ("import math\n\nclass Box:\n    def area(self):\n        return 4\n\n"
                "def root(x):\n    def inner():\n        return 1\n    return math.sqrt(x)\n")
    stub = stub_solution("python", solution)
    assert stub == ("import math\n\nclass Box:\n    def area(self):\n        return None\n\n"
                    "def root(x):\n    return None\n")
    assert stub_solution("python", "x = 1\n") is None
    js = "const f = (a) => a + 1;\nclass A { constructor() { this.x = 1; } get() { return 2; } }\n"
    assert stub_solution("javascript", js) \
        == "const f = (a) => undefined;\nclass A { constructor() { this.x = 1; } get() { return undefined; } }\n"
    c = "struct P { int x; };\nstruct P mk(void) { struct P p = {1}; return p; }\nchar *name(void) { return \"a\"; }\n"
    assert stub_solution("c", c) \
        == ("struct P { int x; };\nstruct P mk(void) { struct P coderforge_zero = {0}; return coderforge_zero; }\n"
            "char *name(void) { return 0; }\n")


def test_cpp_identity_mutant_returns_each_functions_first_argument() -> None:
    # Seen on Qwen 0.5B: a dynamicMemoryAllocation(size) whose every test expected `size` back.
    cpp = ("#include <string>\nint blocks(const int size) {\n  return size * 1;\n}\n"
           "int len(const std::string &s) { return s.size(); }\nvoid log(int x) { }\nint *at(int *p, int k) "
           "{ return p + k; }\n")
    assert identity_solution("cpp", cpp) == (
        "#include <string>\nint blocks(const int size) { return size; }\nint len(const std::string &s) { return s; }\n"
        "void log(int x) { }\nint *at(int *p, int k) { return p; }\n")


def test_cpp_constant_mutant_returns_the_value_the_tests_expect_most() -> None:
    # Seen on Qwen 0.5B: an `int import_python_lib()` "returning the import result", tested by
    # `assert(import_python_lib() == 1)` alone, and kept.
    tests = ("int main() {\n    assert(f(1) == -2);\n    assert((g({1, 2}) == std::vector<int>{1, 2}));\n"
             "    assert(h(\"a\") == \"b\");\n    assert(k(2) == true);\n    assert(f(2) == f(3));\n"
             "    assert(f(4) == x);\n    assert(!f(5));\n}\n")
    assert expected_values(tests, "cpp") == ["-2", "std::vector<int>{1, 2}", '"b"', "true"]
    solution = ("#include <string>\nint import_python_lib() {\n  int result = 1;\n  return result;\n}\n"
                "void log(int x) { }\n")
    assert constant_solution("cpp", solution, "1") == (
        "#include <string>\nint import_python_lib() { return 1; }\nvoid log(int x) { }\n")


def test_supports_the_covered_languages() -> None:
    assert all(supports(lang) for lang in LANGS)
    assert supports("c++") and supports("py")
    assert not supports("lua") and not supports("no-such-language")
    with pytest.raises(ValueError, match="no test harness for 'lua'"):
        harness.test_program("x", "lua", solution="", tests="")


def _result(status: str, stderr: str, *, truncated: bool = False) -> Result:
    return Result(id="x", status=Status(status), exit_code=0 if status == "passed" else 1, stdout="", stderr=stderr,
                  stdout_truncated=False, stderr_truncated=truncated, compile_time_s=0.0, run_time_s=0.0)


def test_outcome_reads_the_marker_of_this_run_only() -> None:
    tp = harness.test_program("x", "python", solution="", tests="")
    mine = f"@@coderforge-tests {tp.nonce} checks=4@@"
    assert outcome(tp, _result("passed", f"noise\n{mine}\n")) == harness.TestOutcome("passed", 4, "")
    other = harness.test_program("y", "python", solution="", tests="")
    assert outcome(other, _result("passed", f"{mine}\n")).error.startswith("no check executed: the program exited")
    zero = outcome(tp, _result("passed", mine.replace("=4", "=0")))
    assert zero.status == "failed" and "without executing an assertion" in zero.error
    cut = outcome(tp, _result("passed", "x" * 100, truncated=True))
    assert cut.status == "failed" and "cut off" in cut.error
    # A non-passing run keeps the sandbox's status, whatever it printed.
    assert outcome(tp, _result("timeout", mine)) == harness.TestOutcome("timeout", 0, f"timeout: {mine}")
    failed = outcome(tp, _result("failed", "Traceback ...\ncoderforge check failed: tests.py:3: assert f(1) == 2"))
    assert failed.error == "coderforge check failed: tests.py:3: assert f(1) == 2"


def test_python_unittest_tests_count_and_fail_like_asserts(tmp_path: Path) -> None:
    require_backend("bwrap")
    tests = ("import unittest\n\nclass TestAdd(unittest.TestCase):\n    def test_add(self):\n"
             "        self.assertEqual(add(1, 2), 3)\n        try:\n            self.assertEqual(add(-1, 1), 0)\n"
             "        except AssertionError:\n            pass\n\nif __name__ == '__main__':\n    unittest.main()\n")
    spec = LANGS["python"]
    built = [harness.test_program(name, "python", solution=s, tests=tests)
             for name, s in (("correct", spec.correct), ("wrong", spec.wrong))]
    with Sandbox(config_for("bwrap", tmp_path)) as sandbox:
        results = sandbox.execute([tp.program for tp in built])
    correct, wrong = (outcome(tp, r) for tp, r in zip(built, results, strict=True))
    assert correct.status == "passed" and correct.checks >= 2
    assert wrong.status == "failed" and wrong.error.startswith("coderforge check failed: assertEqual: -1 != 3"), wrong


def test_tests_own_copy_of_a_solution_function_is_dropped() -> None:
    tests = "#include <cassert>\nint twice(int x) {\n    return 0;\n}\nint main() {\n    assert(twice(2) == 4);\n}\n"
    kept = harness.without_solution_copies(tests, "int twice(int x) { return 2 * x; }\n", "cpp")
    assert "return 0" not in kept and "assert(twice(2) == 4)" in kept
    assert kept.splitlines().index("    assert(twice(2) == 4);") == 5, "a failing check's line stays the tests' own"
    assert harness.without_solution_copies("assert g(1) == 1\n", "def f():\n    pass\n", "python") == (
        "assert g(1) == 1\n")
    person = "class Person:\n    def get(self):\n        return 1\n\nassert Person().get() == 1\n"
    kept = harness.without_solution_copies(person, "class Person:\n    def get(self):\n        return None\n", "python")
    assert kept.strip() == "assert Person().get() == 1", "the tests' own class goes, methods and all"
    # Seen on Qwen 0.5B: the solution's check_type a method of `class Solution`, the tests' own copy a
    # function: the copy goes all the same (the tests then fail: no check_type at the top level).
    copy = "def check_type(obj):\n    return type(obj)\n\nassert check_type(1) == int\n"
    wrapped = "class Solution:\n    def check_type(obj):\n        return type(obj)\n"
    assert harness.without_solution_copies(copy, wrapped, "python").strip() == "assert check_type(1) == int"
    assert harness.without_definitions(copy, {"check_type", "main"}, "python").strip() == "assert check_type(1) == int"


def test_javascript_strict_equal_on_two_arrays_compares_values(tmp_path: Path) -> None:
    require_backend("bwrap")
    config = config_for("bwrap", tmp_path)
    tests = ("const assert = require('node:assert');\nassert.strictEqual(pair(1), [1, 1]);\n"
             "assert.notStrictEqual(pair(1), [1, 2]);\nassert.strictEqual(pair(2).length, 2);\n")
    with Sandbox(config) as sandbox:
        good = asyncio.run(harness.run_tests(sandbox, "pair-ok", "javascript",
                                             solution="function pair(x) { return [x, x]; }\n", tests=tests))
        bad = asyncio.run(harness.run_tests(sandbox, "pair-bad", "javascript",
                                            solution="function pair(x) { return [x, 0]; }\n", tests=tests))
    assert (good.status, good.checks) == ("passed", 3)
    assert bad.status == "failed" and "strictEqual" in bad.error


def test_test_functions_never_called_run_as_a_runner_would_and_assert_needs_no_require(tmp_path: Path) -> None:
    # Seen on Qwen 0.5B: JavaScript tests defining `function testIsOdd()` and never calling it, or
    # using `assert` without requiring it; Python tests of pytest-style functions or bare TestCases.
    require_backend("bwrap")
    odd_js = "function isOdd(n) { return n % 2 !== 0; }\n"
    odd_ts = "function isOdd(n: number): boolean { return n % 2 !== 0; }\n"
    inc = "def f(x):\n    return x + 1\n"
    cases = {  # name: (language, solution, tests, status, checks)
        "js-uncalled": ("javascript", odd_js, "function testIsOdd() {\n  assert.strictEqual(isOdd(3), true);\n"
                                              "  assert.strictEqual(isOdd(4), false);\n}\n", "passed", 2),
        "js-uncalled-wrong": ("javascript", odd_js, "function testIsOdd() { assert.ok(!isOdd(3)); }\n", "failed", 0),
        "js-called-once": ("javascript", odd_js, "function testA() { assert.ok(isOdd(1)); }\ntestA();\n",
                           "passed", 1),
        "js-var-require": ("javascript", odd_js, "var assert = require('assert');\nassert.ok(isOdd(3));\n",
                           "passed", 1),
        "ts-uncalled": ("typescript", odd_ts, "function testIsOdd(): void {\n  assert.ok(isOdd(3));\n}\n", "passed", 1),
        "py-uncalled": ("python", inc, "def test_f():\n    assert f(1) == 2\n\ndef helper():\n    assert False\n\n"
                                       "def test_needs_a_fixture(tmp):\n    assert False\n", "passed", 1),
        "py-uncalled-wrong": ("python", inc, "def test_f():\n    assert f(1) == 3\n", "failed", 0),
        "py-bare-testcase": ("python", inc, "import unittest\nclass T(unittest.TestCase):\n    def test_a(self):\n"
                                            "        self.assertEqual(f(1), 2)\n", "passed", 1),
        "py-solution-named-test": ("python", "def test(x):\n    return x\n", "print(test(1))\n", "failed", 0),
    }
    with Sandbox(config_for("bwrap", tmp_path)) as sandbox:
        for name, (language, solution, tests, status, checks) in cases.items():
            result = asyncio.run(harness.run_tests(sandbox, name, language, solution=solution, tests=tests))
            assert (result.status, result.checks) == (status, checks), (name, result)


def test_a_python_answer_must_pass_under_a_second_hash_seed(tmp_path: Path) -> None:
    # Seen in a quickstart: an accepted `list(set(words))` answer whose tests expected the order that
    # hash seed 0 happens to give.
    require_backend("bwrap")
    words = ["Hello", "World", "Python", "Programming", "set", "order"]
    order = {seed: subprocess.run([sys.executable, "-c", f"print(list(set({words!r})))"], capture_output=True,
                                  text=True, env={"PYTHONHASHSEED": seed}, check=True).stdout.strip()
             for seed in ("0", "1")}
    assert order["0"] != order["1"], "the words must come out of a set in another order under seed 1"
    unique = "def unique(words):\n    return list(set(words))\n"
    cases = {"order-tested": f"assert unique({words!r}) == {order['0']}\n",
             "order-free": f"assert sorted(unique({words!r})) == {sorted(words)!r}\n"}
    with Sandbox(config_for("bwrap", tmp_path)) as sandbox:
        got = {name: asyncio.run(harness.run_tests(sandbox, name, "python", solution=unique, tests=tests))
               for name, tests in cases.items()}
    assert got["order-tested"].status == "failed", got
    assert got["order-tested"].error.startswith("coderforge check failed: under another hash seed "
                                                "(PYTHONHASHSEED=1): tests.py:1: assert unique("), got
    assert got["order-free"] == harness.TestOutcome("passed", 1, "")


def test_javascript_describe_and_it_blocks_run_as_a_runner_would(tmp_path: Path) -> None:
    # The prompt asks for plain asserts; Qwen 0.5B writes mocha's describe/it anyway.
    require_backend("bwrap")
    spec = LANGS["javascript"]
    tests = ('describe("add", () => {\n  it("adds", () => {\n    assert.strictEqual(add(1, 2), 3);\n  });\n'
             '  test("zero", function () {\n    assert.strictEqual(add(-1, 1), 0);\n  });\n});\n')
    with Sandbox(config_for("bwrap", tmp_path)) as sandbox:
        right, wrong = (asyncio.run(harness.run_tests(sandbox, name, "javascript", solution=code, tests=tests))
                        for name, code in (("right", spec.correct), ("wrong", spec.wrong)))
    assert right == harness.TestOutcome("passed", 2, "")
    assert wrong.status == "failed" and failed_check(wrong.error).line == 3, wrong


def test_a_python_solutions_docstring_examples_must_hold_and_never_count(tmp_path: Path) -> None:
    # Seen on Qwen 0.5B: an accepted check_type whose docstring showed `>>> check_type('hello')` as 'str'.
    require_backend("bwrap")
    claims = ('def area(r):\n    """The area of a circle of radius r.\n\n    >>> area(1)\n    3.14159...\n    """\n'
              "    return 3.14159 * r * r\n\n\nclass Twice:\n    \"\"\">>> Twice().of(2)\n    4\n    \"\"\"\n\n"
              "    def of(self, x):\n        return {doubled}\n")
    tests = "assert area(0) == 0\n"
    quoted = 'def greet(name):\n    """>>> greet("Ada")\n    "Hello, Ada"\n    """\n    return f"Hello, {name}"\n'
    cases = {"claims-hold": (claims.format(doubled="2 * x"), tests, "passed", 1, ""),
             # The value shown is right, spelt with other quotes than repr's.
             "claim-in-other-quotes": (quoted, 'assert greet("Bo") == "Hello, Bo"\n', "passed", 1, ""),
             "claim-wrong": (claims.format(doubled="x + x + 1"), tests, "failed", 0,
                             "coderforge check failed: solution.py: Twice's docstring example >>> Twice().of(2) shows "
                             "'4', got '5'"),
             "not-a-check": (claims.format(doubled="2 * x"), "print(area(0))\n", "failed", 0,
                             "no check executed: the tests ran to their end without executing an assertion")}
    with Sandbox(config_for("bwrap", tmp_path)) as sandbox:
        for name, (solution, code, status, checks, error) in cases.items():
            result = asyncio.run(harness.run_tests(sandbox, name, "python", solution=solution, tests=code))
            assert result == harness.TestOutcome(status, checks, error), (name, result)


def test_c_family_tests_without_a_main_run_their_test_functions(tmp_path: Path) -> None:
    # Seen on Qwen 0.5B: C++ tests that define `void test_factorial()` and no main (4 quickstart rejects).
    require_backend("bwrap")
    tests = ("#include <cassert>\n\nvoid test_add() {\n    assert(add(1, 2) == 3);\n}\n\n"
             "void TestMore(void) { assert(add(-1, 1) == 0); }\nvoid test_helper(int x) { assert(x == -7); }\n")
    cases = {"right": (LANGS["cpp"].correct, tests, "passed", 2),
             "wrong": (LANGS["cpp"].wrong, tests, "failed", 0),
             "no-test-function": (LANGS["cpp"].correct, '#include <cstdio>\nvoid show() { printf("%d", add(1, 2)); }\n',
                                  "failed", 0)}
    with Sandbox(config_for("bwrap", tmp_path)) as sandbox:
        for name, (solution, code, status, checks) in cases.items():
            result = asyncio.run(harness.run_tests(sandbox, name, "cpp", solution=solution, tests=code))
            assert (result.status, result.checks) == (status, checks), (name, result)
    assert result.error.startswith(harness.NO_CHECK)


def test_a_solutions_own_main_goes_before_it_meets_the_tests(tmp_path: Path) -> None:
    # Seen on Qwen 0.5B: 15 of 42 C++ rejects of a quickstart were "conflicting declaration of
    # 'int main'": the answer's demo main() beside the tests' own.
    from coderforge.agents.answers import parse_code

    require_backend("bwrap")
    demos = {
        "c": LANGS["c"].correct + "\n// Example usage\nint main(void) {\n    return add(1, 2) == 3 ? 0 : 1;\n}\n",
        "cpp": LANGS["cpp"].correct + "\nint main() {\n    return add(1, 2);\n}\n",
        "go": 'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc add(a, b int) int {\n\treturn a + b\n}\n\n'
              "func main() {\n\tfmt.Println(add(1, 2))\n\tos.Exit(0)\n}\n",
        "rust": LANGS["rust"].correct + '\nfn main() {\n    println!("{}", add(1, 2));\n}\n',
    }
    with Sandbox(config_for("bwrap", tmp_path)) as sandbox:
        def run(name: str, language: str, solution: str) -> harness.TestOutcome:
            return asyncio.run(harness.run_tests(sandbox, name, language, solution=solution,
                                                 tests=LANGS[language].tests))

        assert run("as-written", "cpp", demos["cpp"]).status == "compile_error"
        for language, answer in demos.items():
            solution = parse_code(f"```{language}\n{answer}```", language=language, finish_reason="stop",
                                  stage="solution")
            assert "main(" not in solution and "add(" in solution, solution
            assert run(language, language, solution) == harness.TestOutcome("passed", 3 if language == "rust" else 2,
                                                                            ""), language


def test_a_check_in_dispute_needs_agreement_on_its_value_and_goes_alone() -> None:
    from coderforge.sandbox.checks import Dispute, FailedCheck, disputed_check, states_example, values_agreed

    def run(line: int, report: str) -> tuple[str, str]:
        return "failed", f"failed: coderforge check failed: tests.py:{line}: {report}"

    same = run(3, "assert f(5) == 7: 6 == 7 is false")
    # Candidates that failed an earlier check never reached it; one that did not compile says nothing.
    assert disputed_check([same, same, run(1, "assert f(1) == 2: 1 == 2 is false"), ("compile_error", "x"), None],
                          min_agreeing=2) == Dispute(FailedCheck(3, "assert f(5) == 7: 6 == 7 is false"), 2)
    assert disputed_check([same, run(3, "assert f(5) == 7: 0 == 7 is false")], min_agreeing=2) is None
    assert disputed_check([same, ("timeout", "")], min_agreeing=1) is None
    assert disputed_check([same], min_agreeing=2) is None
    # A C report shows no values: agreement on failing an equality leaves the values open; C++ shows them.
    c = Dispute(FailedCheck(9, 'assert(countVowels("AEIOUaeiou") == 7)'), 3)
    assert not values_agreed(c, 'assert(countVowels("AEIOUaeiou") == 7);', "c")
    cpp = Dispute(FailedCheck(9, 'assert(countVowels("AEIOUaeiou") == 7): 10 == 7 is false'), 3)
    assert values_agreed(cpp, 'assert(countVowels("AEIOUaeiou") == 7);', "cpp")
    assert values_agreed(Dispute(FailedCheck(9, 'assert(isEven(20) == false)'), 3), "assert(isEven(20) == false);",
                         "cpp")
    assert values_agreed(Dispute(FailedCheck(3, "assert f(5) == 7: 6 == 7 is false"), 2), "assert f(5) == 7", "python")
    # The instruction's own example, in dispute with it; a check the instruction contradicts is not.
    example = "Examples: `countSetBits( 8 )` returns `3`; `countWords(\"a b\")` returns `2`."
    assert states_example("assert(countSetBits(8) == 3);", example)
    assert not states_example("assert(countSetBits(8) == 13);", example)
    assert not states_example("assert(countSetBits(1024) == 10);", example)
    assert not states_example('assert.strictEqual(countWords("a b"), 3);', example)
    assert states_example('assert countWords("a b") == 2', example)
    tests = "def test():\n    # the only check\n    assert f(5) == 7\n\ntest()\nassert f(1) == 2; assert f(2) == 3\n"
    assert without_check(tests, 3, "python") == ("def test():\n    # the only check\n    pass\n\ntest()\n"
                                                 "assert f(1) == 2; assert f(2) == 3\n", "assert f(5) == 7")
    assert without_check(tests, 6, "python") is None, "two checks on one line: neither goes alone"
    assert without_check(tests, 5, "python") is None, "no check on that line"


def test_a_cpp_equality_reports_both_values(tmp_path: Path) -> None:
    require_backend("bwrap")
    solution = ("#include <string>\n#include <vector>\nstd::vector<int> twice(std::vector<int> v) { for (int &x : v) "
                "x *= 2; return v; }\nstd::string greet(const std::string &n) { return \"hi \" + n; }\n"
                "const int *none() { return nullptr; }\nstruct Box { int v; bool operator==(const Box &o) const "
                "{ return v == o.v; } };\n")
    cases = {  # each suite's last check fails, reporting the values it compared
        "vector": ("    assert(twice({1, 2}) ==\n           std::vector<int>{2, 5});",
                   "tests.cpp:8: assert(twice({1, 2}) == std::vector<int>{2, 5}): {2, 4} == {2, 5} is false"),
        "string": ('    assert(greet("Bo") == "hi bo");', 'tests.cpp:8: assert(greet("Bo") == "hi bo"): "hi Bo" == '
                   "hi bo is false"),
        "unprintable": ("    assert(Box{1} == Box{2});", "tests.cpp:8: assert(Box{1} == Box{2}): ? == ? is false"),
        "zero": ("    assert(twice({1}).size() == 0);", "tests.cpp:8: assert(twice({1}).size() == 0): 1 == 0 is false"),
    }
    head = ("#include <cassert>\n#include <vector>\nint main() {\n    assert(none() == nullptr);\n"
            "    assert(none() == 0);\n    assert(NULL == none());\n    assert(twice({}) == std::vector<int>{});\n")
    with Sandbox(config_for("bwrap", tmp_path)) as sandbox:
        for name, (check, report) in cases.items():
            got = asyncio.run(harness.run_tests(sandbox, name, "cpp", solution=solution,
                                                tests=f"{head}{check}\n    return 0;\n}}\n"))
            assert (got.status, got.error) == ("failed", f"coderforge check failed: {report}"), (name, got)
            assert failed_check(got.error).line == int(report.split(":")[1]), "the line is the check's first"


def test_a_cpp_answer_cannot_borrow_the_tests_headers(tmp_path: Path) -> None:
    """An answer using std::vector without including <vector> compiled only because the tests
    included it first (seen on Qwen 0.5B: two kept `sum_list` answers); on its own it does not."""
    require_backend("bwrap")
    body = "int total(const std::vector<int>& v) { int t = 0; for (int x : v) t += x; return t; }\n"
    tests = "#include <vector>\n#include <cassert>\nint main() {\n    assert(total({1, 2}) == 3);\n}\n"
    with Sandbox(config_for("bwrap", tmp_path)) as sandbox:
        borrowed, own = (asyncio.run(harness.run_tests(sandbox, name, "cpp", solution=solution, tests=tests))
                         for name, solution in (("borrowed", body), ("own", "#include <vector>\n" + body)))
    assert borrowed.status == "compile_error" and "vector" in borrowed.error, borrowed
    assert own == harness.TestOutcome("passed", 1, "")


def test_a_python_answer_must_leave_its_arguments_unchanged(tmp_path: Path) -> None:
    """Seen on Qwen 0.5B: three kept `copy_attributes(new_node, old_node)` answers wrote into the
    `new_node` they were given, which their task said to leave unchanged."""
    require_backend("bwrap")
    tests = "assert merged({1: 'a'}, {2: 'b'}) == {1: 'a', 2: 'b'}\nassert merged({}, {}) == {}\n"
    in_place = "def merged(new, old):\n    new.update(old)\n    return new\n"
    copied = "class Box:\n    pass\n\n\ndef merged(new, old):\n    return {**new, **old}\n"
    # A dict holding an object is not watched: the object compares by identity, so no copy equals it.
    boxed = "assert merged({1: Box()}, {2: 'b'}) != {}\n"
    with Sandbox(config_for("bwrap", tmp_path)) as sandbox:
        got = [asyncio.run(harness.run_tests(sandbox, f"case{k}", "python", solution=solution, tests=checks))
               for k, (solution, checks) in enumerate([(in_place, tests), (copied, tests), (copied, boxed)])]
    assert got[0].status == "failed", got
    assert got[0].error == ("coderforge check failed: solution.py: merged changed its argument 1 ({1: 'a'} became "
                            "{1: 'a', 2: 'b'}); the task asks for functions that leave their arguments unchanged")
    assert got[1:] == [harness.TestOutcome("passed", 2, ""), harness.TestOutcome("passed", 1, "")]



def test_an_answer_must_print_nothing(tmp_path: Path) -> None:
    """Seen on Qwen 0.5B: a kept Python `is_larger_than_worthiness` answer printed two lines, although
    its task (like every task) says the function returns its result and prints nothing. The tests
    themselves may print; output on stderr is not printing a result."""
    require_backend("bwrap")
    cases = {  # name: (language, solution, tests, error or None when it passes)
        "py-chatty": ("python", "def larger(a, b):\n    print('comparing', a, b)\n    return a > b\n",
                      "assert larger(3, 2)\n", "solution.py: larger printed 'comparing 3 2\\n'; the task asks "
                      "for functions that return their result and print nothing"),
        "py-stderr": ("python", "import sys\n\n\ndef larger(a, b):\n    sys.stderr.write('on stderr\\n')\n"
                      "    return a > b\n", "assert larger(3, 2)\nassert not larger(1, 2)\n", None),
        "py-tests-print": ("python", "def larger(a, b):\n    return a > b\n",
                           "print(larger(3, 2))\nassert larger(3, 2)\n", None),
        "js-chatty": ("javascript", "function larger(a, b) {\n  console.log('comparing', a, b);\n  return a > b;\n}\n",
                      "const assert = require('assert');\nassert.ok(larger(3, 2));\n",
                      "solution:2: console.log printed 'comparing 3 2'; the task asks for functions that "
                      "return their result and print nothing"),
        "js-tests-print": ("javascript", "function larger(a, b) {\n  console.error('on stderr');\n  return a > b;\n}\n",
                           "const assert = require('assert');\nconsole.log(larger(3, 2));\nassert.ok(larger(3, 2));\n",
                           None),
    }
    with Sandbox(config_for("bwrap", tmp_path)) as sandbox:
        for name, (language, solution, tests, error) in cases.items():
            got = asyncio.run(harness.run_tests(sandbox, name, language, solution=solution, tests=tests))
            if error is None:
                assert got.status == "passed", (name, got)
            else:
                assert (got.status, got.error) == ("failed", f"coderforge check failed: {error}"), (name, got)
