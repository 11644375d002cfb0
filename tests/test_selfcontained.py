"""Self-containedness verdicts: Python exactly (symtable), other languages by tree-sitter."""

from __future__ import annotations

import pytest

from coderforge.code.selfcontained import check_self_contained, file_context, is_standard_module

PY_FILE = "import os\nimport numpy as np\nfrom collections import Counter\nfrom . import sibling\n\n" \
          "def helper(x):\n    return x\n"


@pytest.mark.parametrize(
    ("code", "ok", "needs", "imports"),
    [
        ("def f(a):\n    return os.path.join(a, str(len(a)))\n", True, [], ["import os"]),
        ("def f(a):\n    return np.array(a)\n", False, ["import numpy"], []),
        ("def f(a):\n    return helper(a) + Counter(a)\n", False, ["helper (defined elsewhere in the file)"],
         ["from collections import Counter"]),
        ("def f(a):\n    import json\n    def g(b):\n        return json.dumps([i for i in b])\n    return g(a)\n",
         True, [], []),
        ("def f(a):\n    import requests\n    return requests.get(a)\n", False, ["import requests"], []),
        ("def f(a):\n    return sibling.x + undefined_name\n", False, [".", "undefined_name"], []),
        ("class A(Base):\n    def m(self):\n        return self.x\n", False, ["Base"], []),
        ("def f(:\n", False, ["code CPython cannot compile"], []),
    ],
)
def test_python(code: str, ok: bool, needs: list[str], imports: list[str]) -> None:
    verdict = check_self_contained(code, "python", context=file_context(PY_FILE, "python"))
    assert verdict.self_contained is ok
    assert [n.removeprefix("import ") if n == "import ." else n for n in verdict.needs] == needs
    assert verdict.imports == imports


@pytest.mark.parametrize(
    ("language", "file", "code", "ok"),
    [
        ("go", 'package m\nimport (\n "fmt"\n "github.com/x/yaml"\n)\nfunc h() {}\n',
         'func f() { fmt.Println(len("x")) }', True),
        ("go", 'package m\nimport "github.com/x/yaml"\n', "func f() { yaml.Marshal(1) }", False),
        ("go", "package m\nfunc h() {}\n", "func f() { h() }", False),
        ("c", "#include <stdio.h>\n#include <string.h>\nstatic int g(int x) { return x; }\n",
         'int f(const char *s) { printf("%s", s); return strlen(s); }', True),
        ("c", "#include <stdio.h>\nstatic int g(int x) { return x; }\n", "int f(int x) { return g(x); }", False),
        ("c", '#include "mylib.h"\n', "int f(int x) { return g(x); }", False),
        ("javascript", "const fs = require('fs');\n", "function f(p) { return fs.readFileSync(p) }", True),
        ("javascript", "const _ = require('lodash');\n", "function f(p) { return _.map(p) }", False),
        ("java", "import java.util.List;\nclass A { int helper(int a) { return a; } }",
         "int f(int a) { return helper(a) + Math.abs(a); }", False),
        ("java", "import java.util.ArrayList;\n", "int f() { return new ArrayList<Integer>().size(); }", True),
        ("rust", "use std::collections::HashMap;\nuse serde::Serialize;\n",
         "fn f() -> HashMap<i32, i32> { HashMap::new() }", True),
        ("rust", "use crate::foo::Foo;\n", "fn f() -> Foo { Foo::default() }", False),
        ("rust", "struct Node<T> { v: T }\nfn helper() {}\n", "fn f<T>(n: &Node<T>) -> usize { 1 }", False),
        ("rust", "struct Node<T> { v: T }\n", "fn f(v: &[u8]) -> usize {\n    // not a Node\n    v.len()\n}", True),
        ("go", "package m\ntype Builder struct{}\n", "func (b *Builder) Len() int { return 0 }", False),
        ("ruby", "require 'json'\n", "def f(x)\n  puts JSON.generate(x)\nend\n", True),
        ("ruby", "def helper; end\n", "def f(x)\n  helper(x)\nend\n", False),
    ],
)
def test_tree_sitter_languages(language: str, file: str, code: str, ok: bool) -> None:
    verdict = check_self_contained(code, language, context=file_context(file, language))
    assert verdict.self_contained is ok, verdict


def test_standard_modules() -> None:
    assert is_standard_module("os.path", "python") and not is_standard_module("numpy", "python")
    assert is_standard_module("stdio.h", "c") and not is_standard_module("mylib.h", "c")
    assert is_standard_module("vector", "cpp") and is_standard_module("cstdio", "cpp")
    assert is_standard_module("java.util.List", "java") and not is_standard_module("org.junit.Test", "java")
    assert is_standard_module('"net/http"', "go") and not is_standard_module("github.com/x/y", "go")
    assert is_standard_module("node:fs", "javascript") and not is_standard_module("lodash", "javascript")
    assert is_standard_module("std::io", "rust") and not is_standard_module("serde::Serialize", "rust")


@pytest.mark.parametrize(
    ("language", "code", "ok"),
    [
        ("python", "def m(self):\n    return self.x\n", False),
        ("python", "def m(self, a):\n    return a + 1\n", True),
        ("python", "@staticmethod\ndef m(a):\n    return a\n", True),
        ("python", "def m(self):\n    def g():\n        return self.x\n    return g()\n", False),
        ("go", "func (b *Builder) Len() int { return len(b.buf) }", False),
        ("go", "func (b *Builder) Zero() int { return 0 }", True),
        ("java", "int size() { return this.n; }", False),
        ("java", "static int twice(int n) { return 2 * n; }", True),
        ("ruby", "def size\n  @n\nend\n", False),
        ("rust", "fn len(&self) -> usize { self.n }", False),
    ],
)
def test_methods_that_use_their_receiver_need_their_class(language: str, code: str, ok: bool) -> None:
    assert check_self_contained(code, language, method=True).self_contained is ok
