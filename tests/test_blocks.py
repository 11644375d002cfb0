"""Code blocks in model output: fences, info strings, unclosed fences; property tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coderforge.code.blocks import extract_code_blocks, fence_language


def test_several_blocks_with_and_without_info() -> None:
    md = (
        "Here:\n\n```python\ndef f():\n    return 1\n```\n\nand\n\n```\nplain text\n```\n"
        "then ~~~ fences:\n~~~c++ title=\"a.cpp\"\nint main() {}\n~~~\n"
    )
    blocks = extract_code_blocks(md)
    assert [(b.code, b.language, b.info) for b in blocks] == [
        ("def f():\n    return 1", "python", "python"),
        ("plain text", None, ""),
        ("int main() {}", "cpp", 'c++ title="a.cpp"'),
    ]
    assert all(b.closed for b in blocks)
    assert blocks[0].start_line == 3


def test_unclosed_final_fence_runs_to_the_end() -> None:
    (block,) = extract_code_blocks("Answer:\n```js\nconsole.log(1);\nconsole.log(2);\n")
    assert block.code == "console.log(1);\nconsole.log(2);\n"
    assert block.language == "javascript"
    assert not block.closed


def test_backticks_inside_code_do_not_close_the_block() -> None:
    md = '```python\ns = "```"\nt = """\n```not a closer\n"""\n```\nafter\n'
    (block,) = extract_code_blocks(md)
    assert block.code == 's = "```"\nt = """\n```not a closer\n"""'


def test_longer_fence_holds_shorter_fences_and_indented_fences_are_dedented() -> None:
    md = "````markdown\n```py\nx\n```\n````\n1. item\n   ```go\n   package main\n   ```\n"
    outer, listed = extract_code_blocks(md)
    assert outer.code == "```py\nx\n```" and outer.language is None
    assert listed.code == "package main" and listed.language == "go"


def test_fence_language_aliases() -> None:
    assert fence_language("py") == "python"
    assert fence_language("{.python}") == "python"
    assert fence_language("language-c++") == "cpp"
    assert fence_language("golang linenums") == "go"
    assert fence_language("") is None
    assert fence_language("mermaid") is None


_LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines splits on
_line = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=_LINE_BREAKS), max_size=30)
_code = st.lists(_line.filter(lambda s: not s.lstrip(" \t").startswith(("```", "~~~"))), min_size=0, max_size=6).map(
    "\n".join)
_lang = st.sampled_from(["python", "py", "c++", "", "rust", "mermaid"])
_prose = st.lists(_line.filter(lambda s: not s.lstrip(" \t").startswith(("```", "~~~"))), max_size=3).map("\n".join)


@given(st.lists(st.tuples(_prose, _lang, _code, st.sampled_from(["```", "~~~", "````"])), min_size=1, max_size=4),
       st.booleans())
def test_blocks_round_trip(parts: list[tuple[str, str, str, str]], drop_last_close: bool) -> None:
    md = ""
    for i, (prose, lang, code, fence) in enumerate(parts):
        last = i == len(parts) - 1
        close = "" if (last and drop_last_close) else f"\n{fence}\n"
        md += f"{prose}\n{fence}{lang}\n{code}{close}"
    blocks = extract_code_blocks(md)
    assert [b.code for b in blocks] == [code for _, _, code, _ in parts]
    assert [b.language for b in blocks] == [fence_language(lang) for _, lang, _, _ in parts]
    assert blocks[-1].closed is not drop_last_close


@pytest.mark.slow
def test_real_model_answer(bundled_model) -> None:
    """Blocks, language id and parsing on a real answer of the bundled model (greedy, so stable)."""
    import asyncio

    from coderforge.code.langid import identify_language
    from coderforge.code.syntax import parse
    from coderforge.llm import Request, SamplingParams, make_backend
    from coderforge.llm.config import BackendConfig

    request = Request.chat([{"role": "user", "content": "Write a Python function that checks whether a string "
                             "is a palindrome."}], sampling=SamplingParams(max_tokens=96, temperature=0.0))

    async def answer() -> str:
        async with make_backend(BackendConfig(model=str(bundled_model))) as backend:
            (response,) = await backend.generate([request])
        return response.text

    blocks = extract_code_blocks(asyncio.run(answer()))
    assert blocks, "the model's answer has no fenced code block"
    first = blocks[0]
    assert first.language == "python"
    assert identify_language(first.code) == "python"
    assert parse(first.code, "python").ok
