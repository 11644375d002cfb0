"""Planted benchmark copies, to measure decontamination recall (exact copies, whitespace and case
changes, renamed identifiers, copies inside a longer text), and clean code from this machine's
Python standard library, to measure false positives."""

from __future__ import annotations

import ast
import keyword
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

VARIANTS = ("exact", "whitespace_case", "renamed", "embedded")

_DEFINED = (
    re.compile(r"\bdef\s+([A-Za-z_]\w*)\s*\(([^)]*)\)"),  # function name and its parameter list
    re.compile(r"^\s*([A-Za-z_]\w*)\s*=[^=]", re.MULTILINE),  # assignment targets
    re.compile(r"\bfor\s+([A-Za-z_]\w*)(?:\s*,\s*([A-Za-z_]\w*))?\s+in\b"),  # loop variables
)
_PARAM = re.compile(r"^\s*\*{0,2}([A-Za-z_]\w*)")


@dataclass(frozen=True)
class Planted:
    text: str
    benchmark: str
    item_id: str
    variant: str


def defined_identifiers(code: str) -> list[str]:
    """Names the code defines (functions, parameters, assigned and loop variables), in order."""
    names: list[str] = []
    for pattern in _DEFINED:
        for match in pattern.finditer(code):
            for group in match.groups():
                if not group:
                    continue
                parts = group.split(",") if "(" not in group else [group]
                names.extend(m.group(1) for p in parts if (m := _PARAM.match(p.split(":")[0].split("=")[0])))
    skip = set(keyword.kwlist) | {"self", "cls", "_"}
    return list(dict.fromkeys(n for n in names if n not in skip))


def rename_identifiers(code: str) -> str | None:
    """Every defined identifier renamed consistently everywhere in the text (docstrings included);
    None when the text defines none (prose)."""
    names = defined_identifiers(code)
    if not names:
        return None
    mapping = {name: f"renamed_{i}" for i, name in enumerate(names)}
    return re.sub(r"\b(" + "|".join(map(re.escape, names)) + r")\b", lambda m: mapping[m.group(1)], code)


def perturb_whitespace_case(text: str, rng: random.Random) -> str:
    """Re-indent, double some spaces, swap some line breaks, and change the case of some words."""
    out = []
    for word in re.split(r"(\s+)", text):
        if not word:
            continue
        if word.isspace():
            out.append(rng.choice([word, word + " ", "\t" if "\n" not in word else "\n\n", word.replace("    ", "  ")]))
        else:
            out.append(rng.choice([word, word, word.upper(), word.capitalize()]))
    return "".join(out)


def plant(items: Sequence[tuple[str, str, str]], filler: Sequence[str], *, rng: random.Random) -> list[Planted]:
    """Every variant of every (benchmark, item_id, text) item; `filler` is clean text that
    surrounds the embedded copies."""
    planted: list[Planted] = []
    for benchmark, item_id, text in items:
        planted.append(Planted(text, benchmark, item_id, "exact"))
        planted.append(Planted(perturb_whitespace_case(text, rng), benchmark, item_id, "whitespace_case"))
        renamed = rename_identifiers(text)
        if renamed is not None and renamed != text:
            planted.append(Planted(renamed, benchmark, item_id, "renamed"))
        embedded = f"{rng.choice(filler)}\n\n{text}\n\n{rng.choice(filler)}"
        planted.append(Planted(embedded, benchmark, item_id, "embedded"))
    return planted


def stdlib_functions(limit: int, *, min_chars: int = 200) -> list[str]:
    """Function definitions (at least ``min_chars`` long) from the running Python's standard library."""
    out: list[str] = []
    folder = Path(sys.base_prefix, "lib", f"python{sys.version_info.major}.{sys.version_info.minor}")
    for path in sorted(folder.rglob("*.py")):
        if "site-packages" in path.parts:
            continue
        source = path.read_text(encoding="utf-8", errors="replace")
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        lines = source.splitlines(keepends=True)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                code = "".join(lines[node.lineno - 1: node.end_lineno])
                if len(code) >= min_chars:
                    out.append(code)
        if len(out) >= limit:
            break
    return out[:limit]


def duplicate_set(n: int, *, seed: int = 0) -> list[dict[str, object]]:
    """About `n` records (instruction + a small Python solution), shuffled, with planted duplicates
    of about a quarter of the originals: near copies (one instruction word changed, estimated Jaccard
    about 0.8) and exact copies (case and whitespace changed). Each copy names its original in
    `planted_from`; some records carry a judge verdict, so a cluster's keeper is not always its first."""
    rng = random.Random(seed)
    vocabulary = sorted({w for code in stdlib_functions(400) for w in re.findall(r"[a-z]{3,}", code)})
    originals = round(n / 1.25)
    records: list[dict[str, object]] = []
    for i in range(originals):
        words = [rng.choice(vocabulary) for _ in range(40)]
        record: dict[str, object] = {"id": f"r{i:06d}", "language": "python", "instruction": " ".join(words),
                                     "solution": f"def task_{i}(x):\n    return x + {i}\n"}
        records.append(record)
        if rng.random() < 0.15:
            near = list(words)
            near[rng.randrange(len(near))] = rng.choice(vocabulary)
            records.append(dict(record, id=f"r{i:06d}n", instruction=" ".join(near), planted_from=record["id"]))
        if rng.random() < 0.1:
            records.append(dict(record, id=f"r{i:06d}x", instruction="  " + " ".join(words).upper().replace(" ", "\n"),
                                planted_from=record["id"]))
    for record in records:
        if rng.random() < 0.2:
            record["verdicts"] = [{"stage": "judge", "passed": True, "reason": "scored", "total": rng.randint(1, 10)}]
    rng.shuffle(records)
    return records
