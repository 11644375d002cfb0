"""Probing passing answers with inputs their tests do not hold (sandbox/probes.py), run in the
bubblewrap sandbox on the real toolchains."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from coderforge.sandbox import Sandbox, probes
from sandbox_support import config_for, require_backend


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory):
    require_backend("bwrap")
    with Sandbox(config_for("bwrap", tmp_path_factory.mktemp("probes"))) as box:
        yield box


def test_probe_calls_change_one_literal_argument_at_a_time() -> None:
    tests = ('assert count("112", 2) == 1\nassert count("112", 3) == 0\n'
             "assert total([1, 2, 3]) == 6\nassert count(word, 1) == 0\n")
    calls = probes.probe_calls(tests, ["count", "total"], "python")
    # Round-robin over the literal calls (count(word, 1) has a name for an argument: not probed);
    # count("112", 3) is a call the tests make, so count("112", 2)'s variant 2+1 is not a probe.
    assert calls[:3] == ['count("211", 2)', 'count("211", 3)', "total([3, 2, 1])"]
    assert set(calls) == {
        'count("211", 2)', 'count("112112", 2)', 'count("112a7 ", 2)', 'count("1", 2)', 'count("112", 4)',
        'count("211", 3)', 'count("112112", 3)', 'count("112a7 ", 3)', 'count("1", 3)', 'count("112", 5)',
        "total([3, 2, 1])", "total([2, 3])", "total([1, 1, 2, 3])"}
    assert probes.probe_calls('assert(first("a\\n") == 1);', ["first"], "cpp") == []  # escapes: left alone
    assert probes.probe_calls("assert(f('a') == 1);", ["f"], "cpp") == []  # a C++ char
    assert probes.probe_calls("assert f(1) == 2", ["f"], "ruby") == []
    many = "".join(f"assert f({n}) == {n}\n" for n in range(0, 200, 10))
    assert len(probes.probe_calls(many, ["f"], "python")) == probes.MAX_PROBES


def _probe(sandbox: Sandbox, language: str, answers: Sequence[str], calls: Sequence[str]) -> list[dict]:
    built = [probes.probe_program(f"probe{k}", language, a, calls) for k, a in enumerate(answers)]
    ran = sandbox.execute([program for program, _ in built])
    return [probes.results(r.stdout, nonce, len(calls)) for r, (_, nonce) in zip(ran, built, strict=True)]


#: Per language: an answer counting digits, one counting every distinct character (they agree on
#: strings of digits only), and one that is the first in other words.
UNIQUE_DIGITS = {
    "python": ("def count(s):\n    return len({c for c in s if c.isdigit()})\n",
               "def count(s):\n    return len(set(s))\n",
               "import sys\n\ndef count(text):\n    found = set()\n    for c in text:\n"
               "        if c in '0123456789':\n            found.add(c)\n    return len(found) * 1.0\n\n"
               "if __name__ == '__main__':\n    print(count(sys.stdin.read()))\n"),
    "javascript": ("function count(s) { return new Set(s.replace(/[^0-9]/g, '')).size; }",
                   "function count(s) { return new Set(s).size; }",
                   "export function count(s) {\n  const seen = new Set();\n  for (const c of s) "
                   "if (c >= '0' && c <= '9') seen.add(c);\n  return seen.size;\n}\nconsole.log(count('11'));\n"),
    "typescript": ("export function count(s: string): number {\n  return new Set(s.replace(/[^0-9]/g, '')).size;\n}\n",
                   "function count(s: string): number { return new Set(s).size; }",
                   "const count = (s: string): number => new Set([...s].filter((c) => /[0-9]/.test(c))).size;"),
    "cpp": ("#include <set>\n#include <string>\n#include <cctype>\nint count(const std::string& s) {\n"
            "  std::set<char> d;\n  for (char c : s) if (std::isdigit(c)) d.insert(c);\n  return d.size();\n}\n",
            "#include <set>\n#include <string>\nint count(const std::string& s) {\n"
            "  return std::set<char>(s.begin(), s.end()).size();\n}\n",
            "#include <string>\n#include <iostream>\nint count(const std::string& s) {\n  bool seen[10] = {};\n"
            "  int n = 0;\n  for (char c : s)\n"
            "    if (c >= '0' && c <= '9' && !seen[c - '0']) { seen[c - '0'] = true; ++n; }\n"
            "  return n;\n}\nint main() { std::cout << count(\"11\") << std::endl; return 0; }\n"),
}


@pytest.mark.parametrize("language", sorted(UNIQUE_DIGITS))
def test_answers_that_count_other_things_disagree_and_equal_ones_agree(sandbox: Sandbox, language: str) -> None:
    tests = {"python": 'assert count("1123") == 3\n', "javascript": 'assert.strictEqual(count("1123"), 3);\n',
             "typescript": 'assert.strictEqual(count("1123"), 3);\n',
             "cpp": 'assert(count("1123") == 3);\n'}[language]
    calls = probes.probe_calls(tests, ["count"], language)
    assert calls == ['count("3211")', 'count("11231123")', 'count("1123a7 ")', 'count("11")']
    digits, characters, other_words = _probe(sandbox, language, UNIQUE_DIGITS[language], calls)
    # The third answer runs its own main / __main__ block / top-level code apart from the probes,
    # and its 3.0 shows as 3 (no test tells them apart).
    assert digits == other_words == {0: "3", 1: "3", 2: "4", 3: "1"}, (digits, other_words)
    assert characters == {0: "3", 1: "3", 2: "6", 3: "1"}
    assert probes.disagreement(calls, [digits, other_words]) is None
    assert probes.disagreement(calls, [digits, characters, other_words]) == probes.Disagreement(
        'count("1123a7 ")', ("4", "6"))


def test_results_show_structure_and_errors_one_way(sandbox: Sandbox) -> None:
    calls = ["f([1, 2])", "f([])", "g(2)"]
    python = _probe(sandbox, "python", [
        "def f(xs):\n    return [x / 2 for x in xs]\n\ndef g(n):\n    return {'a': n, 'b': (n, 0.1 + 0.2)}\n",
        "def f(xs):\n    return [x * 0.5 for x in xs] if xs else xs[0]\n\n"
        "def g(n):\n    return dict(b=(n, 0.3), a=n)\n"],
        calls)
    assert python[0] == {0: "list[0.5, 1]", 1: "list[]", 2: "dict['a': 2, 'b': tuple[2, 0.3]]"}
    assert python[1] == {**python[0], 1: "raises"}
    objects = _probe(sandbox, "python", ["class Box:\n    pass\n\ndef f(xs):\n    return Box()\n\n"
                                         "def g(n):\n    return (x for x in range(n))\n"], calls)
    assert objects == [{}]  # shown by their address: nothing two answers could agree on
    cpp = _probe(sandbox, "cpp", [
        "#include <vector>\n#include <map>\nstd::vector<double> f(const std::vector<int>& v) {\n"
        "  std::vector<double> r;\n  for (int x : v) r.push_back(x / 2.0);\n  return r;\n}\n"
        "std::map<int, int> g(int n) { return {{n, n}}; }\n"], ["f({1, 2})", "f({})"])
    assert cpp == [{0: "[0.5, 1, ]", 1: "[]"}]
    unshowable = _probe(sandbox, "cpp", ["#include <map>\nstd::map<int, int> g(int n) { return {{n, n}}; }\n"],
                              ["g(2)"])
    assert unshowable == [{}]  # a result type the probe cannot print: that answer is not probed


def test_probe_program_refuses_a_language_without_probes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no probes for 'ruby'"):
        probes.probe_program("p", "ruby", "def f; end", ["f(1)"])
