"""Fill-in-the-middle samples in Qwen2.5-Coder's format: file-level (a syntactic unit or a random
character span as the middle, PSM or SPM order, cut to a token budget that keeps the middle whole),
repo-level documents (`<|repo_name|>`, `<|file_sep|>`, FIM inside the last file), and FIM
instruction samples (chat messages) for mixed FIM tuning. Every sample is checked before it is
returned: prefix + middle + suffix is exactly the original text or its window.
"""

from __future__ import annotations

import bisect
import posixpath
import random
from dataclasses import asdict, dataclass
from string import Template
from typing import Any, Literal

from coderforge import prompts
from coderforge.code.blocks import extract_code_blocks
from coderforge.code.config import FimConfig
from coderforge.code.special_tokens import ENDOFTEXT, FILE_SEP, FIM_MIDDLE, FIM_PREFIX, FIM_SUFFIX, REPO_NAME
from coderforge.code.syntax import ParseResult, imports, parse, syntactic_units
from coderforge.code.tokens import TokenCounter
from coderforge.errors import CoderforgeError
from coderforge.languages import get_language, language_for_extension

__all__ = [
    "HOLE",
    "FimSample",
    "FimSkipped",
    "Order",
    "OrderChoice",
    "RepoFile",
    "build_fim_sample",
    "build_repo_sample",
    "fim_instruction_sample",
    "format_fim",
]

HOLE = "<FILL_ME>"
"""Marks the hole in FIM instruction samples."""

Order = Literal["psm", "spm"]
OrderChoice = Literal["psm", "spm", "mix"]
_SYNTAX_KINDS = ("function_body", "block", "statement", "expression")
# Repo-level context stops once fewer tokens than this are left.
_MIN_CONTEXT_ROOM = 32
# Line-span middles cover 1 to this many lines: a few lines, like a short completion.
_MAX_SPAN_LINES = 5


class FimSkipped(CoderforgeError):
    """No sample could be made from this input; `reason` is a short key for counts."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        super().__init__(f"{reason}: {detail}" if detail else reason)


@dataclass(frozen=True)
class FimSample:
    language: str | None
    path: str | None
    prefix: str
    middle: str
    suffix: str
    unit: str
    """function_body, block, statement, expression, line_span or random_span."""
    node_type: str
    """The tree-sitter node type of the middle (`line_span` / `random_span` when not a node)."""
    order: Order
    window: tuple[int, int]
    """Character offsets of prefix + middle + suffix in the original (the whole file unless truncated)."""
    text: str
    """The training text with Qwen's FIM tokens."""

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        record["window"] = list(self.window)
        return record


def format_fim(prefix: str, middle: str, suffix: str, *, order: Order) -> str:
    """Qwen's FIM text. SPM is the variant of Bavarian et al. (2022, sec. 3) that keeps the prefix
    right before the middle, so PSM and SPM share the `<|fim_middle|>` continuation."""
    if order == "psm":
        return f"{FIM_PREFIX}{prefix}{FIM_SUFFIX}{suffix}{FIM_MIDDLE}{middle}{ENDOFTEXT}"
    return f"{FIM_PREFIX}{FIM_SUFFIX}{suffix}{FIM_MIDDLE}{prefix}{middle}{ENDOFTEXT}"


def _pick_order(order: OrderChoice, rng: random.Random, config: FimConfig) -> Order:
    if order == "mix":
        return "spm" if rng.random() < config.spm_rate else "psm"
    return order


def _line_align(code: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole lines when only whitespace lies between it and the line ends."""
    line_start = code.rfind("\n", 0, start) + 1
    if not code[line_start:start].strip():
        start = line_start
    line_end = code.find("\n", end)
    if line_end == -1:
        line_end = len(code)
    if not code[end:line_end].strip():
        end = min(line_end + 1, len(code))
    return start, end


def _unit_bounds(code: str, kind: str, start: int, end: int) -> tuple[int, int]:
    """Where a unit's middle lies: a braced block's or body's inner lines (the braces stay in the
    prefix and suffix), widened to whole lines; expressions exactly as parsed."""
    if kind == "expression":
        return start, end
    if code[start] == "{" and code[end - 1] == "}":
        inner_start = code.find("\n", start, end) + 1
        inner_end = code.rfind("\n", start, end - 1) + 1
        if 0 < inner_start < inner_end:
            start, end = inner_start, inner_end
    return _line_align(code, start, end)


@dataclass(frozen=True)
class _Middle:
    start: int
    end: int
    unit: str
    node_type: str


def _fits(code: str, start: int, end: int, config: FimConfig) -> bool:
    size = end - start
    return (config.min_middle_chars <= size <= config.max_middle_chars
            and code.count("\n", start, end - 1) < config.max_middle_lines and bool(code[start:end].strip()))


def _random_span(code: str, rng: random.Random, config: FimConfig) -> _Middle:
    """A character-level random span (the baseline); its length is bounded by max_middle_chars."""
    longest = min(config.max_middle_chars, len(code))
    shortest = min(config.min_middle_chars, longest)
    length = rng.randint(shortest, longest)
    start = rng.randint(0, len(code) - length)
    return _Middle(start, start + length, "random_span", "random_span")


def _line_span(code: str, rng: random.Random, config: FimConfig) -> _Middle | None:
    lines = code.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    candidates = [i for i, line in enumerate(lines) if line.strip()]
    if not candidates:
        return None
    first = rng.choice(candidates)
    last = min(first + rng.randint(1, min(config.max_middle_lines, _MAX_SPAN_LINES)), len(lines))
    middle = _Middle(starts[first], starts[last], "line_span", "line_span")
    return middle if _fits(code, middle.start, middle.end, config) else None


def _syntactic(code: str, result: ParseResult, rng: random.Random, config: FimConfig) -> _Middle | None:
    pools: dict[str, list[_Middle]] = {kind: [] for kind in _SYNTAX_KINDS}
    seen = set()
    for unit in syntactic_units(code, result.language, result=result):
        start, end = _unit_bounds(code, unit.kind, unit.span.start, unit.span.end)
        if (start, end) in seen or not _fits(code, start, end, config):
            continue
        seen.add((start, end))
        pools[unit.kind].append(_Middle(start, end, unit.kind, unit.node_type))
    weights = config.unit_weights
    kinds = [kind for kind in _SYNTAX_KINDS if pools[kind] and getattr(weights, kind) > 0]
    if weights.line_span > 0:
        kinds.append("line_span")
    while kinds:
        kind = rng.choices(kinds, weights=[getattr(weights, k) for k in kinds])[0]
        middle = _line_span(code, rng, config) if kind == "line_span" else rng.choice(pools[kind])
        if middle is not None:
            return middle
        kinds.remove(kind)
    return None


def _choose_middle(code: str, result: ParseResult | None, rng: random.Random, config: FimConfig) -> _Middle:
    if result is not None and rng.random() >= config.random_span_rate:
        middle = _syntactic(code, result, rng, config)
        if middle is not None:
            return middle
    return _random_span(code, rng, config)


def _next_line_start(code: str, pos: int, limit: int) -> int:
    if pos == 0 or code[pos - 1] == "\n":
        return pos
    nl = code.find("\n", pos, limit)
    return nl + 1 if nl != -1 else pos


def _prev_line_end(code: str, pos: int, floor: int) -> int:
    if pos == len(code) or code[pos - 1] == "\n":
        return pos
    nl = code.rfind("\n", floor, pos)
    return nl + 1 if nl != -1 else pos


def _window(code: str, middle: _Middle, *, order: Order, counter: TokenCounter, budget: int) -> tuple[int, int]:
    """The largest window around the middle whose FIM text fits `budget` tokens, cut at line starts.

    Pieces are counted apart; the joined text can tokenize a little differently, so the result is
    recounted and the room shrunk by the excess until it fits.
    """
    overhead = counter.count(format_fim("", "", "", order=order))
    room = budget - overhead - counter.count(code[middle.start:middle.end])
    if room < 0:
        raise FimSkipped("middle_over_budget", f"the middle alone needs more than {budget} tokens")
    # Token starts of the whole file (cached across samples of one file), split around the middle.
    starts = counter.token_starts(code)
    prefix_starts = starts[:bisect.bisect_left(starts, middle.start)]
    suffix_starts = [s - middle.end for s in starts[bisect.bisect_left(starts, middle.end):]]
    for _ in range(4):
        n_prefix, n_suffix = len(prefix_starts), len(suffix_starts)
        if n_prefix + n_suffix <= room:
            start, end = 0, len(code)
        else:
            keep_prefix = min(n_prefix, max(room // 2, room - n_suffix))
            keep_suffix = min(n_suffix, room - keep_prefix)
            start = 0 if keep_prefix == n_prefix else (
                prefix_starts[n_prefix - keep_prefix] if keep_prefix else middle.start)
            start = _next_line_start(code, start, middle.start)
            end = len(code) if keep_suffix == n_suffix else middle.end + suffix_starts[keep_suffix]
            end = _prev_line_end(code, end, middle.end)
        text = format_fim(code[start:middle.start], code[middle.start:middle.end], code[middle.end:end], order=order)
        excess = counter.count(text) - budget
        if excess <= 0:
            return start, end
        room -= excess + 4
        if room < 0:
            break
    raise FimSkipped("budget", f"could not fit the sample into {budget} tokens")


def _verified(code: str, middle: _Middle, window: tuple[int, int], *, language: str | None, path: str | None,
              order: Order) -> FimSample:
    start, end = window
    prefix, mid, suffix = code[start:middle.start], code[middle.start:middle.end], code[middle.end:end]
    if not mid or prefix + mid + suffix != code[start:end] or not (start <= middle.start <= middle.end <= end):
        raise FimSkipped("reconstruction", "prefix + middle + suffix differs from the original")
    return FimSample(language=language, path=path, prefix=prefix, middle=mid, suffix=suffix, unit=middle.unit,
                     node_type=middle.node_type, order=order, window=window,
                     text=format_fim(prefix, mid, suffix, order=order))


def build_fim_sample(
    code: str,
    language: str | None,
    *,
    rng: random.Random,
    config: FimConfig | None = None,
    order: OrderChoice = "psm",
    path: str | None = None,
    counter: TokenCounter | None = None,
    budget: int | None = None,
) -> FimSample:
    """One FIM sample from one file; raises FimSkipped (with a reason) when none can be made.

    `language` None allows only random spans. A file with local parse errors (real code has them:
    macros, newer syntax than the grammar) still gets syntactic middles, from subtrees that hold no
    error, or else a random span. With `counter`, the sample is cut to `budget` tokens (default:
    config.max_tokens).
    """
    config = config or FimConfig()
    if not code.strip():
        raise FimSkipped("empty")
    lang = get_language(language).name if language else None
    result = parse(code, lang) if lang is not None else None
    middle = _choose_middle(code, result, rng, config)
    chosen = _pick_order(order, rng, config)
    budget = budget if budget is not None else config.max_tokens
    window = (0, len(code))
    if counter is not None and budget is not None:
        window = _window(code, middle, order=chosen, counter=counter, budget=budget)
    return _verified(code, middle, window, language=lang, path=path, order=chosen)


# --- repo level -------------------------------------------------------------------------------

@dataclass(frozen=True)
class RepoFile:
    path: str
    """Path inside the repository, `/`-separated."""
    text: str
    language: str | None


def _module_keys(path: str) -> list[str]:
    stem = posixpath.splitext(path)[0]
    keys = [stem]
    if posixpath.basename(stem) in ("__init__", "index", "mod", "lib", "main"):
        keys.append(posixpath.dirname(stem))
    return keys


def _import_target(module: str, importer: str) -> str:
    """An import's module as a repo-relative path stem (`a.b` -> `a/b`, `./x.js` -> `dir/x`)."""
    if language_for_extension(posixpath.splitext(module)[1]) is not None:
        module = posixpath.splitext(module)[0]
    if module.startswith("."):
        if "/" in module:  # a relative path (JavaScript, C includes)
            return posixpath.normpath(posixpath.join(posixpath.dirname(importer), module))
        dots = len(module) - len(module.lstrip("."))  # a Python relative import
        base = posixpath.dirname(importer)
        for _ in range(dots - 1):
            base = posixpath.dirname(base)
        return posixpath.join(base, module[dots:].replace(".", "/")).strip("/")
    return module.replace("::", "/").replace(".", "/")


def _dependencies(files: list[RepoFile]) -> dict[str, list[str]]:
    """Which repo files each file imports (resolved by path suffix; unresolved imports are ignored)."""
    by_name: dict[str, list[tuple[str, str]]] = {}
    for f in files:
        for key in _module_keys(f.path):
            by_name.setdefault(posixpath.basename(key), []).append((key, f.path))
    deps: dict[str, list[str]] = {f.path: [] for f in files}
    for f in files:
        if f.language is None:
            continue
        for imp in imports(f.text, f.language):
            module = _import_target(imp.module, f.path)
            for target in (module, *(posixpath.join(module, name.replace(".", "/")) for name in imp.names)):
                for key, path in by_name.get(posixpath.basename(target), []):
                    if path != f.path and (key == target or key.endswith("/" + target)) and path not in deps[f.path]:
                        deps[f.path].append(path)
    return deps


def _order(files: list[RepoFile], deps: dict[str, list[str]]) -> list[RepoFile]:
    """Files with what they import first (depth-first, path order among equals; cycles cut)."""
    by_path = {f.path: f for f in files}
    ordered: list[RepoFile] = []
    seen: set[str] = set()

    def visit(path: str) -> None:
        if path in seen:
            return
        seen.add(path)
        for dep in sorted(deps[path]):
            visit(dep)
        ordered.append(by_path[path])

    for path in sorted(by_path):
        visit(path)
    return ordered


def _transitive(deps: dict[str, list[str]], root: str) -> list[str]:
    out: list[str] = []
    stack = list(reversed(deps[root]))
    while stack:
        path = stack.pop()
        if path not in out and path != root:
            out.append(path)
            stack.extend(reversed(deps[path]))
    return out


def build_repo_sample(
    repo_name: str,
    files: list[RepoFile],
    *,
    rng: random.Random,
    config: FimConfig | None = None,
    order: OrderChoice = "psm",
    counter: TokenCounter | None = None,
    budget: int | None = None,
    attempts: int = 3,
) -> dict[str, Any]:
    """A repo-level document: other files as context (what the target imports first), then FIM in
    one parseable target file, all within `budget` tokens (default: config.max_tokens)."""
    config = config or FimConfig()
    budget = budget if budget is not None else config.max_tokens
    candidates = [f for f in files if f.language is not None and f.text.strip()]
    if not candidates:
        raise FimSkipped("no_code_files", f"repository {repo_name!r} has no file in a known language")
    deps = _dependencies(files)
    ordered = _order(files, deps)
    header = f"{REPO_NAME}{repo_name}\n"
    last_error: FimSkipped | None = None
    for target in rng.sample(candidates, min(attempts, len(candidates))):
        target_head = f"{FILE_SEP}{target.path}\n"
        fixed = header + target_head
        sample_budget = None if counter is None or budget is None else budget - counter.count(fixed)
        try:
            sample = build_fim_sample(target.text, target.language, rng=rng, config=config, order=order,
                                      path=target.path, counter=counter, budget=sample_budget)
        except FimSkipped as e:
            last_error = e
            continue
        context = _pick_context(ordered, deps, target, counter=counter,
                                room=None if sample_budget is None else sample_budget - counter.count(sample.text))
        pieces = [f"{FILE_SEP}{f.path}\n{f.text}\n" for f in context]
        record = sample.to_dict()
        record.update(repo=repo_name, files=[f.path for f in context],
                      text=header + "".join(pieces) + target_head + sample.text)
        return record
    raise last_error or FimSkipped("no_sample")


def _pick_context(ordered: list[RepoFile], deps: dict[str, list[str]], target: RepoFile, *,
                  counter: TokenCounter | None, room: int | None) -> list[RepoFile]:
    """Context files in dependency order: the target's imports first, then files nearest to it."""
    by_path = {f.path: f for f in ordered}
    wanted = _transitive(deps, target.path)
    target_dir = posixpath.dirname(target.path)
    others = sorted((f.path for f in ordered if f.path != target.path and f.path not in wanted),
                    key=lambda p: (posixpath.dirname(p) != target_dir, p))
    chosen = set()
    for path in wanted + others:
        f = by_path[path]
        if room is None or counter is None:
            chosen.add(path)
            continue
        if room < _MIN_CONTEXT_ROOM:  # nothing useful fits any more: stop tokenizing files
            break
        cost = counter.count(f"{FILE_SEP}{f.path}\n{f.text}\n")
        if cost <= room:
            chosen.add(path)
            room -= cost
    return [f for f in ordered if f.path in chosen]


# --- FIM instruction samples ------------------------------------------------------------------

def _fence_for(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return fence


def fim_instruction_sample(
    code: str,
    language: str,
    *,
    rng: random.Random,
    config: FimConfig | None = None,
    path: str | None = None,
) -> dict[str, Any]:
    """A chat sample for mixed FIM tuning: the user shows the code with a hole where a logic block
    (a function body or a block found by tree-sitter, in a subtree without parse errors) was, the
    assistant answers the block."""
    config = config or FimConfig()
    lang = get_language(language)
    result = parse(code, lang.name)
    if HOLE in code:
        raise FimSkipped("hole_marker_in_code")
    blocks = []
    for unit in syntactic_units(code, lang.name, result=result):
        if unit.kind not in ("function_body", "block"):
            continue
        start, end = _unit_bounds(code, unit.kind, unit.span.start, unit.span.end)
        if _fits(code, start, end, config):
            blocks.append(_Middle(start, end, unit.kind, unit.node_type))
    if not blocks:
        raise FimSkipped("no_logic_block")
    middle = rng.choice(blocks)
    prefix, mid, suffix = code[:middle.start], code[middle.start:middle.end], code[middle.end:]
    shown = prefix + HOLE + suffix
    fence, answer_fence = _fence_for(shown), _fence_for(mid)
    user = Template(prompts.load("fim_instruction")["user"]).substitute(
        display=lang.display, hole=HOLE, fence=fence, language=lang.name, code=shown)
    answer = f"{answer_fence}{lang.name}\n{mid.removesuffix(chr(10))}\n{answer_fence}"
    extracted = extract_code_blocks(answer)
    if len(extracted) != 1 or extracted[0].code != mid.removesuffix("\n") or prefix + mid + suffix != code:
        raise FimSkipped("reconstruction", "the answer block does not give back the middle")
    return {
        "messages": [{"role": "user", "content": user}, {"role": "assistant", "content": answer}],
        "language": lang.name, "path": path, "prefix": prefix, "middle": mid, "suffix": suffix,
        "unit": middle.unit, "node_type": middle.node_type,
    }
