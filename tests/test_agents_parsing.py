"""Prompt rendering and hashing, and robust parsing of model answers (junk is a counted rejection)."""

from __future__ import annotations

import pytest
from coderforge.agents.parsing import (
    OutputRejected,
    parse_adaptation,
    parse_concepts,
    parse_instruction,
    parse_program,
)
from coderforge.agents.prompting import ROLES, combined_hash, language_notes, render
from coderforge.sandbox import harness
from hypothesis import given, settings
from hypothesis import strategies as st

from coderforge.languages import LANGUAGES


def test_every_role_renders_for_every_noted_language() -> None:
    fields = {"code": "x = {'a': 1}  # $HOME ${oops}", "concept": "dicts", "difficulty": "easy",
              "instruction": "Do it.", "source_display": "Python", "source_fence": "python", "status": "failed",
              "error": "AssertionError", "seed_display": "Python", "seed_fence": "python"}
    for language in ("python", "javascript", "java", "c", "cpp", "go", "rust", "bash", "php", "csharp", "ruby",
                     "kotlin"):
        for role in ROLES:
            rendered = render(role, language, **fields)
            assert [m["role"] for m in rendered.messages] == ["system", "user"]
            assert "$" not in rendered.messages[1]["content"].replace("$HOME ${oops}", "")
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
    assert language_notes("python").test_markers.search("assert f(1) == 2")
    kotlin = language_notes("kotlin")
    assert kotlin.fence == "kotlin" and "non-zero" in kotlin.test_style
    assert "no tests" in kotlin.solution_style and kotlin.tests_style is None


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
    assert parse_instruction(text, finish_reason="stop").startswith("Write a function")
    with pytest.raises(OutputRejected, match="too short"):
        parse_instruction("Write code.", finish_reason="stop")
    with pytest.raises(OutputRejected, match="too long"):
        parse_instruction("word " * 500, finish_reason="stop")
    with pytest.raises(OutputRejected, match="truncated"):
        parse_instruction(text, finish_reason="length")
    with pytest.raises(OutputRejected, match="backend error"):
        parse_instruction(text, finish_reason="error")


PY_ANSWER = """Here is the solution:

```python
def add(a, b):
    return a + b

if __name__ == "__main__":
    assert add(1, 2) == 3
```
"""


def test_program_takes_the_block_in_the_language() -> None:
    answer = "```text\nnot code\n```\n" + PY_ANSWER + "\n```python\nprint('short')\n```"
    code = parse_program(answer, language="python", finish_reason="stop")
    assert code.startswith("def add") and code.endswith("== 3\n")


def test_program_rejections_say_why() -> None:
    with pytest.raises(OutputRejected, match="no code block"):
        parse_program("def add(a, b): return a + b", language="python", finish_reason="stop")
    with pytest.raises(OutputRejected, match="no python code block"):
        parse_program("```rust\nfn main() { assert!(true); }\n```", language="python", finish_reason="stop")
    with pytest.raises(OutputRejected, match="no executable tests"):
        parse_program("```python\ndef add(a, b):\n    return a + b\n```", language="python", finish_reason="stop")
    with pytest.raises(OutputRejected, match="truncated") as e:
        parse_program(PY_ANSWER.rsplit("```", 1)[0], language="python", finish_reason="length", stage="repair")
    assert e.value.stage == "repair"
    # Cut in the prose after a closed block: the program is whole.
    assert "assert add" in parse_program(PY_ANSWER + "This works because", language="python", finish_reason="length")


def test_adaptation_splits_task_and_program() -> None:
    answer = ("Task: Write a function add(a, b) that returns the sum of two integers a and b, for example "
              "add(1, 2) is 3.\n\n" + PY_ANSWER.split("\n", 2)[2])
    instruction, code = parse_adaptation(answer, language="python", finish_reason="stop")
    assert instruction.startswith("Write a function add") and "```" not in instruction
    assert "assert add(1, 2) == 3" in code
    with pytest.raises(OutputRejected) as e:
        parse_adaptation(PY_ANSWER, language="python", finish_reason="stop")
    assert e.value.stage == "adapt"


@settings(max_examples=200, deadline=None)
@given(st.text(), st.sampled_from(["python", "rust", "javascript"]), st.sampled_from(["stop", "length"]))
def test_any_text_is_parsed_or_rejected_never_crashes(text: str, language: str, finish: str) -> None:
    for parse in (lambda: parse_concepts(text), lambda: parse_instruction(text, finish_reason=finish),
                  lambda: parse_program(text, language=language, finish_reason=finish),
                  lambda: parse_adaptation(text, language=language, finish_reason=finish)):
        try:
            parse()
        except OutputRejected as e:
            assert e.stage and e.reason
