"""Prompt rendering and hashing, and robust parsing of model answers (junk is a counted rejection)."""

from __future__ import annotations

from pathlib import Path
from string import Template

import pytest
from coderforge.agents.answers import (
    OutputRejected,
    parse_adaptation,
    parse_code,
    parse_concepts,
    parse_instruction,
    parse_review,
    solution_inside,
)
from coderforge.agents.prompting import ROLES, _template, combined_hash, language_notes, own_text, render, starter_tasks
from coderforge.sandbox import harness
from hypothesis import given, settings
from hypothesis import strategies as st

from coderforge.errors import ConfigError
from coderforge.languages import LANGUAGES


def test_every_role_renders_for_every_noted_language() -> None:
    fields = {"code": "x = {'a': 1}  # $HOME ${oops}", "concept": "dicts", "difficulty": "easy",
              "instruction": "Do it.", "source_display": "Python", "source_fence": "python", "status": "failed",
              "error": "AssertionError", "seed_display": "Python", "seed_fence": "python", "examples": "Task: x",
              "avoid": "", "problems": "ambiguous"}
    placeholders = {role: Template(_template(role)["user"]).get_identifiers() for role in ROLES}
    for language in ("python", "javascript", "java", "c", "cpp", "go", "rust", "bash", "php", "csharp", "ruby",
                     "kotlin"):
        for role in ROLES:
            rendered = render(role, language, **fields)
            assert [m["role"] for m in rendered.messages] == ["system", "user"]
            content = rendered.messages[1]["content"].replace("$HOME ${oops}", "")
            assert not [name for name in placeholders[role] if f"${name}" in content], "every placeholder filled"
            assert len(rendered.prompt_hash) == 12


def test_prompt_hash_depends_on_template_and_language_not_on_fields() -> None:
    a = render("solution", "python", instruction="one")
    b = render("solution", "python", instruction="two")
    c = render("solution", "rust", instruction="one")
    d = render("repair", "python", instruction="one", code="x", status="failed", error="e")
    assert a.prompt_hash == b.prompt_hash
    assert len({a.prompt_hash, c.prompt_hash, d.prompt_hash}) == 3
    assert combined_hash(a.prompt_hash, d.prompt_hash) != combined_hash(d.prompt_hash, a.prompt_hash)


def test_language_notes_fall_back_to_defaults() -> None:
    assert language_notes("py").name == "python"
    assert "assert" in language_notes("python").tests_style
    kotlin = language_notes("kotlin")
    assert kotlin.fence == "kotlin" and "no tests" in kotlin.solution_style and kotlin.tests_style is None


def test_tests_style_exactly_where_the_sandbox_has_a_test_harness() -> None:
    for language in LANGUAGES:
        notes = language_notes(language.name)
        assert (notes.tests_style is not None) == harness.supports(language.name), language.name
    assert "`assert`" in language_notes("java").tests_style and "no `main`" in language_notes("java").solution_style
    assert "expect(" in language_notes("go").tests_style


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('["Recursion", "string formatting", "error handling"]', ["recursion", "string formatting", "error handling"]),
        ("1. Recursion\n2. Hash maps\n- Error handling: raising", ["recursion", "hash maps", "error handling"]),
        ("loops, list comprehension, closures", ["loops", "list comprehension", "closures"]),
        ("* Dynamic-Programming\n* Dynamic programming", ["dynamic programming"]),
    ],
)
def test_concepts_parse_lists_in_several_shapes(text: str, expected: list[str]) -> None:
    assert parse_concepts(text) == expected


def test_concepts_drop_code_language_names_and_filler() -> None:
    text = ("The JavaScript code uses the following 3 programming concepts:\n1. **Tokenization**: splits text\n"
            "- `undefined`\n- def init_database\n- os.path\n- JavaScript\n- which is a\n- for loops")
    assert parse_concepts(text) == ["tokenization", "for loops"]


def test_concepts_reject_prose_and_junk() -> None:
    with pytest.raises(OutputRejected) as e:
        parse_concepts("This code is a very long sentence that describes what the function does in detail.")
    assert e.value.stage == "concepts"
    with pytest.raises(OutputRejected):
        parse_concepts("!!! ??? 123")


def test_instruction_strips_label_and_rejects_bad_lengths() -> None:
    text = ("**Task:** Write a function `count_vowels(s)` that returns how many vowels the string s contains. "
            "Example: 'hello' -> 2.")
    assert parse_instruction(text, finish_reason="stop", language="python").startswith("Write a function")
    with pytest.raises(OutputRejected, match="too short"):
        parse_instruction("Write code.", finish_reason="stop", language="python")
    with pytest.raises(OutputRejected, match="too long"):
        parse_instruction("word " * 500, finish_reason="stop", language="python")
    with pytest.raises(OutputRejected, match="cut at max_tokens"):
        parse_instruction(text, finish_reason="length", language="python")
    with pytest.raises(OutputRejected, match="backend error"):
        parse_instruction(text, finish_reason="error", language="python")


TASK = "Write a function `add(a, b)` that returns the sum of two integers a and b, for example add(1, 2) is 3."


@pytest.mark.parametrize(("language", "text"), [
    ("python", TASK + "\n\n**Solution:**\nUse the + operator."),
    ("python", TASK + "\nFunction:\n```python\ndef add(a, b):\n    return a + b\n```"),
    ("javascript", TASK + "\n```javascript\nfunction add(a, b) {\n  const s = a + b;\n  return s;\n}\n```"),
    ("cpp", TASK + "\n```cpp\nint add(int a, int b) {\n    return a + b;\n}\n```"),
    ("java", TASK + "\n```java\nclass Solution {\n  static int add(int a, int b) { return a + b; }\n}\n```"),
])
def test_solutions_are_found_and_trimmed_off_instructions(language: str, text: str) -> None:
    assert solution_inside(text, language)
    task = parse_instruction(text, finish_reason="stop", language=language)
    assert task.startswith(TASK) and solution_inside(task, language) is None


@pytest.mark.parametrize(("language", "text"), [
    ("python", TASK + "\n```python\ndef add(a: int, b: int) -> int:\n    \"\"\"Return the sum.\"\"\"\n    pass\n```"),
    ("python", TASK + "\n```python\nprint(add(1, 2))  # 3\nassert add(2, 2) == 4\n```"),
    ("javascript", TASK + "\n```javascript\nfunction add(a, b) {\n  // your code here\n}\n```"),
    ("cpp", TASK + "\n```cpp\nint add(int a, int b) {\n    return 0;\n}\n```"),
    ("python", TASK + " The answer: the sum, as an int."),
])
def test_signature_stubs_and_examples_are_not_solutions(language: str, text: str) -> None:
    assert solution_inside(text, language) is None
    assert parse_instruction(text, finish_reason="stop", language=language)


def test_wordy_answers_are_trimmed_to_their_task() -> None:
    answer = ("To solve this, we first think about it.\n\n### Task\n" + TASK + "\n\nExample:\n```python\n"
              "add(1, 2)  # 3\n```\n\n### Solution\n```python\ndef add(a, b):\n    return a + b\n```\n"
              "Explanation: it adds.")
    task = parse_instruction(answer, finish_reason="stop", language="python")
    assert task.startswith("Write a function `add(a, b)`") and task.endswith("add(1, 2)  # 3\n```")
    # A code block implementing the function ends the task; a second task too.
    leaked = TASK + "\n```python\ndef add(a, b):\n    return a + b\n```\nMore text."
    assert parse_instruction(leaked, finish_reason="stop", language="python") == TASK
    assert parse_instruction(TASK + "\n\nTask: Write another thing entirely.", finish_reason="stop",
                             language="python") == TASK
    # The prompt's rule list echoed after the task (seen on Qwen 0.5B) goes; rules inside a task stay.
    echoed = TASK + "\n\nRules:\n- Name the function to write and give its exact signature.\n- At most 100 words."
    assert parse_instruction(echoed, finish_reason="stop", language="python") == TASK
    game = TASK + "\nRules of the game: a tie counts as zero."
    assert parse_instruction(game, finish_reason="stop", language="python") == game
    # So does a sentence echoing the prompt's own words; a task's own word limit stays.
    prompt = own_text("instruction", "python")
    for echo in (" Write at least one example: a call and its exact result.",
                 "\nGive exactly one example. At most 100 words."):
        assert parse_instruction(TASK + echo, finish_reason="stop", language="python", prompt=prompt) == TASK
    words = TASK + " Keep at most 100 words of the text."
    assert parse_instruction(words, finish_reason="stop", language="python", prompt=prompt) == words
    # The adapter's request pasted after the task (seen on Qwen 0.5B).
    adapted = (TASK + "\n\nRewrite it for JavaScript programmers: the same problem and examples, with the function "
               "signature written in JavaScript and JavaScript types.")
    assert parse_instruction(adapted, finish_reason="stop", language="javascript",
                             prompt=own_text("adapt", "javascript")) == TASK
    # The task inside the prompt's <task> tags, its request echoed after them (seen on Qwen 0.5B).
    tagged = f"<task>\n{TASK}\n</task>\n\n Do not write the solution, and do not name the language it was written for."
    assert parse_instruction(tagged, finish_reason="stop", language="cpp", prompt=own_text("adapt", "cpp")) == TASK
    # A <task> tag never closed, an <answer> tag opened after the task (seen on Qwen 0.5B).
    unclosed = f"<task>\n{TASK}\n\n<answer>\n```cpp\nint add(int a, int b) {{ return a + b; }}\n```"
    assert parse_instruction(unclosed, finish_reason="stop", language="cpp") == TASK
    # ... or a language tag opened after it, before an unfenced solution (seen on Qwen 0.5B, and kept).
    unfenced = f"<task>\n{TASK}\n\n<cpp>\n#include <iostream>\n\nbool isOdd(int num) {{\n    return num % 2 != 0;\n}}"
    assert parse_instruction(unfenced, finish_reason="stop", language="cpp") == TASK
    # An answer describing how to solve a task states none (seen on Qwen 0.5B, kept with its answers).
    with pytest.raises(OutputRejected, match="describes how to solve a task instead of stating one"):
        parse_instruction("To solve this problem in Python, we can create a function named `extractNumber` that "
                          "uses a regular expression to match the number. Here's how you can implement this:",
                          finish_reason="stop", language="python")
    # Cut at max_tokens: the unfinished last paragraph goes.
    cut = TASK + "\n\nExample: `add(2, 2)` ret"
    assert parse_instruction(cut, finish_reason="length", language="python") == TASK


def test_review_answers() -> None:
    ok = parse_review('{"self_contained": true, "solvable": true, "unambiguous": true, "no_solution": true, '
                      '"problems": "none really"}', finish_reason="stop")
    assert ok["problems"] == "", "all four checks hold: nothing to revise"
    bad = parse_review('{"self_contained": true, "solvable": true, "unambiguous": false, "no_solution": true, '
                       '"problems": ""}', finish_reason="stop")
    assert bad["problems"] == "fails: unambiguous"
    with pytest.raises(OutputRejected, match="four true/false"):
        parse_review('{"ok": true}', finish_reason="stop")
    with pytest.raises(OutputRejected, match="malformed JSON"):
        parse_review('{"self_contained": tru', finish_reason="stop")


PY_ANSWER = """Here is the solution:

```python
def add(a, b):
    return a + b
```
"""


def test_code_takes_the_block_in_the_language() -> None:
    answer = "```text\nnot code\n```\n" + PY_ANSWER + "\n```python\nprint('short')\n```"
    code = parse_code(answer, language="python", finish_reason="stop", stage="solution")
    assert code.startswith("def add") and code.endswith("a + b\n")


def test_code_rejections_say_why() -> None:
    with pytest.raises(OutputRejected, match="no code block"):
        parse_code("def add(a, b): return a + b", language="python", finish_reason="stop", stage="solution")
    with pytest.raises(OutputRejected, match="no python code block"):
        parse_code("```rust\nfn main() { assert!(true); }\n```", language="python", finish_reason="stop",
                   stage="tests")
    with pytest.raises(OutputRejected, match="truncated") as e:
        parse_code(PY_ANSWER.rsplit("```", 1)[0], language="python", finish_reason="length", stage="repair")
    assert e.value.stage == "repair"
    # Cut in the prose after a closed block: the code is whole.
    assert "a + b" in parse_code(PY_ANSWER + "This works because", language="python", finish_reason="length",
                                 stage="solution")


@settings(max_examples=200, deadline=None)
@given(st.text(), st.sampled_from(["python", "rust", "javascript"]), st.sampled_from(["stop", "length"]))
def test_any_text_is_parsed_or_rejected_never_crashes(text: str, language: str, finish: str) -> None:
    for parse in (lambda: parse_concepts(text),
                  lambda: parse_instruction(text, finish_reason=finish, language=language),
                  lambda: parse_code(text, language=language, finish_reason=finish, stage="solution"),
                  lambda: parse_review(text, finish_reason=finish)):
        try:
            parse()
        except OutputRejected as e:
            assert e.stage and e.reason


def test_starter_tasks_ship_per_language_and_a_user_file_replaces_them(tmp_path: Path) -> None:
    for language in ("python", "javascript", "typescript", "java", "c", "cpp", "go", "rust", "bash", "php",
                     "csharp", "ruby"):
        starters = starter_tasks(language)
        assert len(starters) >= 3 and all(solution_inside(t, language) is None for t in starters), language
    assert starter_tasks("kotlin") == []
    own = tmp_path / "mine.yaml"
    own.write_text("- 'Write a function `twice(x)` that returns two times x. Example: `twice(2)` returns `4`.'\n")
    assert starter_tasks("py", str(own)) == ["Write a function `twice(x)` that returns two times x. Example: "
                                             "`twice(2)` returns `4`."]
    own.write_text("just: a mapping\n")
    with pytest.raises(ConfigError, match=r"mine\.yaml: generate\.starters\.python: expected a YAML list"):
        starter_tasks("python", str(own))
    with pytest.raises(ConfigError, match="cannot read"):
        starter_tasks("python", str(tmp_path / "missing.yaml"))


OWN_TESTS = {  # (language, answer, what is left of it)
    # Seen on Qwen 0.5B: `check_solution` asserting wrong results, a checking loop, top-level asserts.
    "python": ("python", "def merge(xs):\n    return xs\n\ndef check_solution():\n    assert merge([1]) == [2]\n"
                         "    print('ok')\n\ndef check_more():\n    for n, want in [(1, 2)]:\n"
                         "        got = merge([n])\n        assert got == want\n\nassert merge([]) == []\n",
               "def merge(xs):\n    return xs\n"),
    # A task's own `check_*` function, calling nothing else the answer defines, stays.
    "python-task": ("python", "def check_type(x):\n    assert x is not None\n    return str(x)\n\n"
                              "def f(x):\n    return x\n", None),
    "javascript": ("javascript", "function rev(a) {\n  return [...a].reverse();\n}\n\nfunction testRev() {\n"
                                 "  assert.deepStrictEqual(rev([1, 2]), [2, 1]);\n}\n",
                   "function rev(a) {\n  return [...a].reverse();\n}\n"),
    # C++: the test function goes once `main`, its only caller, goes; a task's `checkX` returning its answer stays.
    "cpp": ("cpp", "int twice(int x) { return 2 * x; }\n\n// Test it\nvoid testTwice() {\n  std::cout << twice(2);\n}\n"
                   "bool checkEven(int x) { return x % 2 == 0; }\nint main() {\n  testTwice();\n}\n",
            "int twice(int x) { return 2 * x; }\nbool checkEven(int x) { return x % 2 == 0; }\n"),
}


@pytest.mark.parametrize("case", sorted(OWN_TESTS))
def test_answers_lose_their_own_tests(case: str) -> None:
    language, answer, kept = OWN_TESTS[case]
    got = parse_code(f"```{language}\n{answer}```", language=language, finish_reason="stop", stage="solution")
    assert got == (answer if kept is None else kept)


def test_tests_cut_at_max_tokens_keep_their_complete_lines() -> None:
    cut = "```python\nassert f(1) == 2\nassert f(2) == 3\nassert f(3) =="
    assert parse_code(cut, language="python", finish_reason="length", stage="tests") == (
        "assert f(1) == 2\nassert f(2) == 3\n")
    with pytest.raises(OutputRejected, match="truncated"):
        parse_code(cut, language="python", finish_reason="length", stage="solution")
    cpp = "```cpp\n#include <cassert>\nint main() {\n    assert(f(1) == 2);\n    assert(f(2) =="
    assert parse_code(cpp, language="cpp", finish_reason="length", stage="tests") == (
        "#include <cassert>\nint main() {\n    assert(f(1) == 2);\n}\n")
    # Seen on Qwen 0.5B: JavaScript tests cut inside nested describe/it callbacks, brackets in strings.
    js = ('```javascript\ndescribe("f(", () => {\n  it("works {", function () {\n    assert.strictEqual(f([1]), 2);\n'
          "  });\n  it('again', () => {\n    assert.strictEqual(f([2]), 3);\n    assert.strictEqual(f(")
    assert parse_code(js, language="javascript", finish_reason="length", stage="tests") == (
        'describe("f(", () => {\n  it("works {", function () {\n    assert.strictEqual(f([1]), 2);\n  });\n'
        "  it('again', () => {\n    assert.strictEqual(f([2]), 3);\n}\n)\n}\n)\n")


def test_a_check_repeated_word_for_word_is_kept_once() -> None:
    from coderforge.agents.answers import parse_tests

    looping = ("```javascript\nfunction testRev() {\n" + '  assert.strictEqual(rev("ab"), "ba");\n'
               + '  assert.strictEqual(rev("a"), "a");\n' * 20 + "}\ntestRev();\ntestRev();\n```")
    assert parse_tests(looping, language="javascript", finish_reason="stop") == (
        'function testRev() {\n  assert.strictEqual(rev("ab"), "ba");\n  assert.strictEqual(rev("a"), "a");\n}\n'
        "testRev();\ntestRev();\n")


def test_tests_that_do_not_parse_are_rejected_before_any_run() -> None:
    from coderforge.agents.answers import parse_tests

    assert parse_tests("```python\nassert f(1) == 2\n```", language="python", finish_reason="stop")
    with pytest.raises(OutputRejected, match="the tests do not parse") as e:
        parse_tests('```python\nassert f(1) == 2, "f(["a"]) failed"\n```', language="python", finish_reason="stop")
    assert e.value.stage == "tests"


def test_solutions_lose_their_demo_code() -> None:
    answer = ("```python\nimport math\n\ndef area(r):\n    print('inside stays')\n    return math.pi * r * r\n\n"
              "# Example usage:\nprint(area(2))\nfor r in range(3):\n    print(area(r))\n"
              "if __name__ == \"__main__\":\n    area(1)\n```")
    kept = "import math\n\ndef area(r):\n    print('inside stays')\n    return math.pi * r * r\n"
    for stage in ("solution", "repair"):
        assert parse_code(answer, language="python", finish_reason="stop", stage=stage) == kept
    # Values set up for a demo after the definitions go; an alias, or a constant a definition reads, stays.
    setup = ("```python\ndef _solve(obj):\n    return type(obj) if LIMIT else None\n\nsolve = _solve\nLIMIT = 3\n"
             "# Example usage\nobj1 = 'Hello, world!'\nobj = {}\nr = solve(obj)\n```")
    assert parse_code(setup, language="python", finish_reason="stop", stage="solution") == (
        "def _solve(obj):\n    return type(obj) if LIMIT else None\n\nsolve = _solve\nLIMIT = 3\n")
    # A function that only prints its examples goes unless another definition calls it.
    printer = ("```python\ndef f(x):\n    return x\n\ndef show(x):\n    print(x)\n\ndef report():\n    show(f(1))\n\n"
               "def check():\n    \"\"\"Check.\"\"\"\n    print(f(1) == 1)\n```")
    assert parse_code(printer, language="python", finish_reason="stop", stage="solution") == (
        "def f(x):\n    return x\n\ndef show(x):\n    print(x)\n\ndef report():\n    show(f(1))\n")
    js_printer = ("```javascript\nfunction rev(s) {\n  return s;\n}\n\n// Check function\nfunction check() {\n"
                  "  console.log(rev('') === ''); // True\n}\ncheck();\n```")
    assert parse_code(js_printer, language="javascript", finish_reason="stop", stage="solution") == (
        "function rev(s) {\n  return s;\n}\n")
    # Tests keep their top-level calls; a script without definitions stays whole.
    assert "print(area(2))" in parse_code(answer, language="python", finish_reason="stop", stage="tests")
    assert parse_code("```python\nprint(1)\n```", language="python", finish_reason="stop", stage="solution") == (
        "print(1)\n")
    # JavaScript: the usage example's wrong comment goes with it; exports and declarations stay.
    js = ("```javascript\nfunction rev(s) {\n  return s.split('').reverse().join('');\n}\nmodule.exports = { rev };\n"
          "\n// Example usage:\nconsole.log(rev('javascript')); // Output: 'vscipt'\n"
          "if (require.main === module) {\n  rev('x');\n}\n```")
    assert parse_code(js, language="javascript", finish_reason="stop", stage="solution") == (
        "function rev(s) {\n  return s.split('').reverse().join('');\n}\nmodule.exports = { rev };\n")
    # Values set up for its usage example go too; a constant a function reads, or an arrow function, stays.
    js_setup = ("```javascript\nconst LIMIT = 3;\nfunction sum(xs, array) {\n"
                "  return xs.slice(0, LIMIT).reduce((a, b) => a + b, 0);\n}\nconst total = (xs) => sum(xs);\n"
                "// Example usage:\nconst numbers = [1, 2, 3];\nconst array = [4];\nlet shown = sum(numbers, array);\n"
                "console.log(total(numbers));\n```")
    assert parse_code(js_setup, language="javascript", finish_reason="stop", stage="solution") == (
        "const LIMIT = 3;\nfunction sum(xs, array) {\n  return xs.slice(0, LIMIT).reduce((a, b) => a + b, 0);\n}\n"
        "const total = (xs) => sum(xs);\n")
    # A function reading a value declared after it keeps it.
    late = "```javascript\nfunction pick(i) {\n  return TABLE[i];\n}\nconst TABLE = [1, 2];\n```"
    assert parse_code(late, language="javascript", finish_reason="stop", stage="solution") == late[14:-3]


def test_a_solution_in_inline_code_is_found() -> None:
    """Seen on Qwen 0.5B, kept in a quickstart run: a task ending "Return: `function capitalizeSentence(
    sentence) { return sentence.split(' ')...; }`". Signatures and calls in inline code are fine."""
    leaked = {
        "javascript": TASK + "\nReturn: `function add(a, b) { return a + b; }`",
        "python": TASK + "\nHint: `def add(a, b): return a + b`",
        "cpp": TASK + "\nLike `int add(int a, int b) { return a + b; }`.",
    }
    for language, text in leaked.items():
        assert solution_inside(text, language) == "its inline code implements add() ('return a + b'...)", language
        with pytest.raises(OutputRejected, match="holds its own solution"):
            parse_instruction(text, finish_reason="stop", language=language)
    fine = {"javascript": "Signature: `function add(a, b)`; `add(1, 2)` returns `3`.",
            "python": "Signature: `def add(a: int, b: int) -> int`; `add(1, 2)` returns `3`.",
            "cpp": "Signature: `int add(int a, int b)`; `add(1, 2)` returns `3`."}
    for language, text in fine.items():
        assert solution_inside(TASK + "\n" + text, language) is None, language


def test_an_adaptation_that_names_its_source_language_is_rejected() -> None:
    """Seen on Qwen 0.5B, two adapted Python tasks kept in one quickstart run: one ending "Rewritten for
    Python programmers:", one going on "This task was written for JavaScript, as JavaScript does not
    have a direct equivalent..."."""
    source = "Write a function `computeArea(width, height)` that returns the area of a rectangle, width * height."
    prompt = own_text("adapt", "python")

    def adapt(text: str, source_task: str = source) -> str:
        return parse_adaptation(text, finish_reason="stop", language="python", source=source_task,
                                source_display="JavaScript", prompt=prompt)

    task = "Write a function `compute_area(width, height)` that returns the area of a rectangle, width * height."
    assert adapt(task + "\n\nRewritten for Python programmers:") == task
    with pytest.raises(OutputRejected, match=r"names the language it was adapted from \(JavaScript\)"):
        adapt(task + "\n\nThis task was written for JavaScript, as JavaScript does not have a direct equivalent.")
    about_js = "Write a function `count_keywords(code)` that counts the JavaScript keywords in a string of code."
    assert adapt(about_js, source_task=about_js.replace("count_keywords", "countKeywords")) == about_js
