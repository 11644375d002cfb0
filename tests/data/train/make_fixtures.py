"""Regenerate the trainer's test fixtures from MBPP (CC-BY-4.0; tasks are not evaluated on: the
trainer's eval is HumanEval). Usage: python make_fixtures.py PATH/TO/mbpp.jsonl

corpus/code/repo_NN/mod_MM.py  tasks 1-500, three solutions per module with their task as docstring
corpus/text.jsonl              task descriptions, five per document
corpus/math.jsonl              MBPP-free arithmetic word problems written out with their sums
sft/python.jsonl               tasks 601-974 as chat (user: task + one test, assistant: fenced code)
sft/fine/python.jsonl          the 120 shortest of those
dpo/python.jsonl               tasks 511-600: chosen is the solution, rejected a broken one (fails its tests)
fim/python.jsonl               FIM instruction samples (coderforge.code.fim) from tasks 601-974's solutions
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).parent


def clean(code: str) -> str:
    return code.replace("\r\n", "\n").replace("\t", "    ").strip() + "\n"


def chat(task: dict) -> list[dict[str, str]]:
    return [{"role": "user", "content": f"{task['text']}\nYour code should pass this test:\n{task['test_list'][0]}"}]


def main(mbpp: Path) -> None:
    tasks = {t["task_id"]: t for t in map(json.loads, mbpp.read_text().splitlines())}
    rng = random.Random(0)
    code_root = HERE / "corpus" / "code"
    ids = list(range(1, 501))
    for n, start in enumerate(range(0, len(ids), 3)):
        group = [tasks[i] for i in ids[start:start + 3]]
        body = "\n\n".join(f'# {t["text"]}\n{clean(t["code"])}' for t in group)
        path = code_root / f"repo_{n // 12:02d}" / f"mod_{n % 12:02d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)
    texts = [tasks[i]["text"] for i in range(1, 501)]
    write(HERE / "corpus" / "text.jsonl",
          [{"text": " ".join(texts[i:i + 5])} for i in range(0, len(texts), 5)])
    math = []
    for _ in range(150):
        a, b, c = rng.randint(2, 99), rng.randint(2, 99), rng.randint(2, 9)
        math.append({"text": f"Tom has {a} apples and buys {b} more. He gives away {c}. "
                             f"{a} + {b} = {a + b}. {a + b} - {c} = {a + b - c}. The answer is {a + b - c}."})
    write(HERE / "corpus" / "math.jsonl", math)
    sft = [{"messages": [*chat(tasks[i]), {"role": "assistant", "content": f"```python\n{clean(tasks[i]['code'])}```"}]}
           for i in range(601, 975)]
    write(HERE / "sft" / "python.jsonl", sft)
    write(HERE / "sft" / "fine" / "python.jsonl", sorted(sft, key=lambda r: len(r["messages"][-1]["content"]))[:120])
    write(HERE / "dpo" / "python.jsonl", [
        {"prompt": chat(tasks[i]),
         "chosen": [{"role": "assistant", "content": f"```python\n{clean(tasks[i]['code'])}```"}],
         "rejected": [{"role": "assistant", "content": f"```python\n{broken(clean(tasks[i]['code']))}```"}]}
        for i in range(511, 601)])
    write(HERE / "fim" / "python.jsonl", fim_instructions([clean(tasks[i]["code"]) for i in range(601, 975)]))


def broken(code: str) -> str:
    """The solution with every returned value replaced by None, or cut in half when it returns nothing."""
    lines = code.splitlines(keepends=True)
    out = [line[:line.index("return") + 6] + " None\n" if line.strip().startswith("return ") else line
           for line in lines]
    return "".join(out) if out != lines else "".join(lines[:max(1, len(lines) // 2)])


def fim_instructions(codes: list[str]) -> list[dict]:
    from coderforge.code.fim import FimSkipped, fim_instruction_sample

    rng = random.Random(0)
    out = []
    for code in codes:
        try:
            out.append(fim_instruction_sample(code, "python", rng=rng))
        except FimSkipped:
            continue
    return out


def write(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
