"""Language identification: hints, shebangs, candidates, snippets, and real installed files."""

from __future__ import annotations

import pytest
from sources_support import real_sources

from coderforge.code.langid import identify_language, language_scores

SNIPPETS = {
    "python": "def add(a, b):\n    return a + b\n\nclass A:\n    def m(self):\n        return self.x\n",
    "javascript": "const fs = require('fs');\nfunction read(p) {\n  return fs.readFileSync(p, 'utf8');\n}\n"
                  "module.exports = { read };\n",
    "typescript": "interface Point { x: number; y: number }\nexport function norm(p: Point): number {\n"
                  "  return Math.sqrt(p.x * p.x + p.y * p.y);\n}\n",
    "java": "public class Main {\n    public static void main(String[] args) {\n"
            "        System.out.println(\"hi\");\n    }\n}\n",
    "c": "#include <stdio.h>\n\nint main(void) {\n    printf(\"%d\\n\", 42);\n    return 0;\n}\n",
    "cpp": "#include <vector>\n#include <iostream>\nint main() {\n  std::vector<int> v{1, 2};\n"
           "  std::cout << v.size() << std::endl;\n}\n",
    "go": "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tx := 1\n\tfmt.Println(x)\n}\n",
    "rust": "fn main() {\n    let mut v: Vec<i32> = Vec::new();\n    v.push(1);\n    println!(\"{:?}\", v);\n}\n",
    "ruby": "require 'json'\ndef greet(name)\n  puts \"hi #{name}\"\nend\n[1, 2].each do |x|\n  greet(x)\nend\n",
    "php": "<?php\nfunction add($a, $b) {\n    return $a + $b;\n}\necho add(1, 2);\n",
    "bash": "#!/usr/bin/env bash\nset -euo pipefail\nfor f in *.txt; do\n  echo \"$f\"\ndone\n",
    "sql": "SELECT name, COUNT(*) FROM users WHERE age > 21 GROUP BY name;\n",
    "lua": "local function add(a, b)\n  return a + b\nend\nfor i, v in ipairs({1, 2}) do print(v) end\n",
    "csharp": "using System;\nclass P {\n    public int X { get; set; }\n    static void Main() {\n"
              "        Console.WriteLine(\"hi\");\n    }\n}\n",
    "kotlin": "fun main() {\n    val xs = listOf(1, 2)\n    println(xs.map { it * 2 })\n}\n",
}


@pytest.mark.parametrize(("language", "code"), SNIPPETS.items())
def test_snippets(language: str, code: str) -> None:
    assert identify_language(code) == language


def test_hints_win_and_resolve_aliases_and_extensions() -> None:
    code = SNIPPETS["python"]
    assert identify_language(code, hint="py") == "python"
    assert identify_language(code, hint="golang") == "go"  # a fence tag is trusted
    assert identify_language(code, hint="src/main.rs") == "rust"
    assert identify_language(code, hint=".tsx-unknown") == "python"  # unknown hints fall back to content
    assert identify_language(code, hint="go", candidates=["python", "java"]) == "python"


def test_shebang_blank_and_candidates() -> None:
    assert identify_language("#!/usr/bin/env python3\nprint(1)\n") == "python"
    assert identify_language("#!/bin/sh\nls\n") == "bash"
    assert identify_language("   \n") is None
    code = SNIPPETS["cpp"]
    assert identify_language(code, candidates=["c", "java"]) in ("c", "java")
    scores = language_scores(SNIPPETS["go"], candidates=["go", "python"])
    assert scores["go"] > scores.get("python", 0)


@pytest.mark.parametrize("language", ["python", "javascript", "go", "java", "ruby", "rust", "php", "typescript"])
def test_real_files(language: str) -> None:
    files = real_sources(language, limit=10, seed=21)
    hits = sum(identify_language(f.text) == language for f in files)
    assert hits >= 0.8 * len(files), f"{hits}/{len(files)} {language} files identified"
