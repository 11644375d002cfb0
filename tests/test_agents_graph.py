"""The memory graph: coverage policy (fair tie-breaks, a failure cap), a difficulty mix that follows pass
rates, memory for the prompts, adaptation lookups, near-duplicates, persistence."""

from __future__ import annotations

from pathlib import Path

from coderforge.agents.graph import MemoryGraph, normalize_concept

MIX = {"easy": 0.5, "medium": 0.3, "hard": 0.2}


def _seed(graph: MemoryGraph, seed_id: str, language: str, concepts: list[str]) -> None:
    graph.add_seed({"id": seed_id, "language": language, "name": seed_id, "code": f"def {seed_id}(): pass"})
    graph.set_concepts(seed_id, concepts)


def test_least_covered_concept_comes_first() -> None:
    graph = MemoryGraph()
    _seed(graph, "s1", "python", ["Recursion", "string parsing"])
    _seed(graph, "s2", "python", ["recursion", "hash maps"])
    first = graph.next_target("python", difficulty_mix=MIX)
    assert first is not None
    graph.add_instruction("i1", language="python", text="Write a recursive factorial.", concept=first.concept,
                          difficulty=first.difficulty, seed_id=first.seed_id)
    second = graph.next_target("python", difficulty_mix=MIX)
    assert second is not None and second.concept != first.concept
    # In-flight concepts count as attempted, so concurrent picks spread over concepts.
    third = graph.next_target("python", difficulty_mix=MIX, exclude=[second.concept])
    assert third is not None and third.concept not in {first.concept, second.concept}
    # Coverage is per language: rust has attempted nothing yet, so any concept may lead.
    assert graph.next_target("rust", difficulty_mix=MIX).concept in {"recursion", "string parsing", "hash maps"}


def test_ties_break_fairly_not_alphabetically() -> None:
    graph = MemoryGraph()
    concepts = [f"{letter} concept" for letter in "abcdefghijklmnopqrstuvwxyz"]
    _seed(graph, "s1", "python", concepts[:13])
    _seed(graph, "s2", "python", concepts[13:])
    firsts = {graph.next_target("python", difficulty_mix=MIX, salt=f"0:python-{slot:05d}").concept
              for slot in range(40)}
    assert len(firsts) >= 10, "a small budget sees concepts from all over the alphabet"
    assert graph.next_target("python", difficulty_mix=MIX, salt="x") == graph.next_target(
        "python", difficulty_mix=MIX, salt="x"), "reproducible for the same slot"


def test_concepts_that_never_verify_are_capped() -> None:
    graph = MemoryGraph()
    _seed(graph, "s1", "python", ["hard thing", "easy thing"])
    for i in range(3):
        graph.add_instruction(f"h{i}", language="python", text=f"failed task {i} " * 4, concept="hard thing",
                              difficulty="easy", tested=True)
    graph.add_instruction("e0", language="python", text="verified task " * 4, concept="easy thing",
                          difficulty="easy", tested=True, verified=True)
    assert graph.next_target("python", difficulty_mix=MIX, max_failures=3).concept == "easy thing"
    assert graph.next_target("python", difficulty_mix=MIX).concept == "hard thing", "no cap: least verified first"
    graph.add_instruction("e1", language="python", text="second failed " * 4, concept="easy thing",
                          difficulty="easy", tested=True)
    graph.add_instruction("e2", language="python", text="third failed " * 4, concept="easy thing",
                          difficulty="easy", tested=True)
    graph.add_instruction("e3", language="python", text="fourth failed " * 4, concept="easy thing",
                          difficulty="easy", tested=True)
    assert graph.next_target("python", difficulty_mix=MIX, max_failures=3) is None


def test_verified_coverage_outranks_attempts() -> None:
    graph = MemoryGraph()
    _seed(graph, "s1", "python", ["a", "b"])
    graph.add_instruction("i1", language="python", text="task one about a", concept="a", difficulty="easy",
                          verified=True)
    graph.add_instruction("i2", language="python", text="task two about b", concept="b", difficulty="easy")
    graph.add_instruction("i3", language="python", text="task three about b", concept="b", difficulty="easy")
    # b has more attempts but nothing verified: it still comes before a.
    assert graph.next_target("python", difficulty_mix=MIX).concept == "b"


def test_difficulty_follows_the_mix() -> None:
    graph = MemoryGraph()
    _seed(graph, "s1", "python", ["loops"])
    picked = []
    for i in range(10):
        target = graph.next_target("python", difficulty_mix=MIX)
        picked.append(target.difficulty)
        graph.add_instruction(f"i{i}", language="python", text=f"unique task number {i} " * 3 + str(i),
                              concept=target.concept, difficulty=target.difficulty)
    assert (picked.count("easy"), picked.count("medium"), picked.count("hard")) == (5, 3, 2)


def test_difficulty_share_shrinks_where_nothing_verifies() -> None:
    graph = MemoryGraph()
    _seed(graph, "s1", "python", ["loops"])
    for i in range(6):
        graph.add_instruction(f"h{i}", language="python", text=f"hard task {i} " * 4, concept="loops",
                              difficulty="hard", tested=True)
    assert graph.pass_rate("python", "hard") < 0.2 < graph.pass_rate("python", "easy")
    picked = []
    for i in range(40):
        difficulty = graph.next_difficulty("python", {"easy": 1, "hard": 1})
        picked.append(difficulty)
        graph.add_instruction(f"n{i}", language="python", text=f"new task {i} " * 4, concept="loops",
                              difficulty=difficulty, tested=True, verified=difficulty == "easy")
    assert picked.count("easy") > 2 * picked.count("hard") > 0, "hard keeps a smaller, non-zero share"


def test_memory_for_the_prompts() -> None:
    graph = MemoryGraph()
    graph.add_instruction("a", language="python", text="Sort words by length.", concept="sorting",
                          difficulty="easy")
    graph.add_instruction("b", language="python", text="Sort tuples by their second item.", concept="sorting",
                          difficulty="easy", verified=True, score=6.0)
    graph.add_instruction("c", language="python", text="Count the vowels of a word.", concept="strings",
                          difficulty="easy", verified=True, score=9.0)
    graph.add_instruction("d", language="go", text="Sort a slice of ints in place.", concept="sorting",
                          difficulty="easy")
    assert graph.written_about("python", "sorting") == ["Sort words by length.", "Sort tuples by their second item."]
    assert graph.written_about("rust", "sorting") == []
    assert graph.verified_examples("python") == ["Count the vowels of a word.", "Sort tuples by their second item."]
    assert graph.verified_examples("go") == []


def test_seed_in_own_language_is_preferred() -> None:
    graph = MemoryGraph()
    _seed(graph, "py", "python", ["sorting"])
    _seed(graph, "js", "javascript", ["sorting"])
    assert graph.next_target("javascript", difficulty_mix=MIX).seed_id == "js"
    assert graph.next_target("rust", difficulty_mix=MIX).seed_id in {"py", "js"}


def test_near_duplicates_are_found_and_kept_out_of_the_index() -> None:
    graph = MemoryGraph()
    text = "Write a function that returns the longest palindromic substring of a given string s."
    graph.add_instruction("i1", language="python", text=text, concept="strings", difficulty="easy")
    assert graph.near_duplicate(text, "python") == "i1"
    assert graph.near_duplicate(text.replace("Write", "Please write"), "python") == "i1"
    # Seen on Qwen 0.5B: the same JavaScript task twice, the second with Input/Output lines added.
    padded = f"{text}\n\nInput: A string `s`.\n\nOutput: The longest substring of `s` that reads the same backwards."
    assert graph.near_duplicate(padded, "python") == "i1"
    assert graph.near_duplicate("Write a function that returns the longest run of equal characters in a given "
                                "string s.", "python") is None
    assert graph.near_duplicate("Implement a min-heap with push, pop and peek operations in Rust.", "python") is None
    assert graph.near_duplicate(text, "cpp") is None  # the same task for another language is an adaptation
    graph.add_instruction("i2", language="python", text=text, concept="strings", difficulty="easy", duplicate_of="i1")
    assert graph.g.has_edge("instruction:i2", "instruction:i1")
    assert graph.g.edges["instruction:i2", "instruction:i1"]["rel"] == "similar"


def test_adaptable_lists_verified_instructions_from_other_languages_once() -> None:
    graph = MemoryGraph()
    graph.add_instruction("p1", language="python", text="sum a list", concept="lists", difficulty="easy",
                          verified=True, score=7.0)
    graph.add_instruction("p2", language="python", text="reverse a list", concept="lists", difficulty="easy")
    found = graph.adaptable("rust")
    assert [a.instruction_id for a in found] == ["p1"]
    assert found[0].instruction == "sum a list" and found[0].language == "python" and found[0].concept == "lists"
    assert graph.adaptable("python") == []
    graph.add_instruction("r1", language="rust", text="sum a vector", concept="lists", difficulty="easy",
                          adapted_from="p1", verified=True)
    assert graph.adaptable("rust") == []
    # An adaptation is not adapted again (chains drift), but the original still is, for other languages.
    assert [a.instruction_id for a in graph.adaptable("go")] == ["p1"]


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    graph = MemoryGraph()
    _seed(graph, "s1", "python", ["Binary-Search"])
    graph.add_instruction("i1", language="python", text="binary search in a sorted list of ints",
                          concept="binary search", difficulty="medium", seed_id="s1", verified=True)
    graph.add_tests("i1", trusted=True, mutant_killed=True)
    graph.add_solution("i1-0", instruction_id="i1", code="ok", status="passed", verified=True)
    graph.add_verdict("i1-0", stage="sandbox", passed=True, reason="passed")
    graph.add_fim("f1", language="python", source="solution:i1-0")
    graph.mark_applied("event-1")
    path = tmp_path / "graph.json"
    graph.save(path)
    assert not [p for p in tmp_path.iterdir() if p.name != "graph.json"], "no temporary file left behind"
    loaded = MemoryGraph.load(path)
    assert loaded.stats() == graph.stats()
    assert loaded.is_applied("event-1") and not loaded.is_applied("event-2")
    stats = loaded.stats()
    assert stats["nodes"] == {"concept": 1, "fim": 1, "instruction": 1, "language": 1, "seed": 1,
                              "solution": 1, "tests": 1, "verdict": 1}
    assert stats["languages"]["python"]["verified_instructions"] == 1
    assert stats["concepts"] == {"binary search": {"python": {"attempted": 1, "verified": 1}}}


def test_load_of_missing_file_is_empty(tmp_path: Path) -> None:
    assert MemoryGraph.load(tmp_path / "graph.json").stats()["edges"] == 0


def test_normalize_concept() -> None:
    assert normalize_concept("  Dynamic-Programming!! ") == "dynamic programming"
    assert normalize_concept("***") == ""


def test_a_trimmed_or_extended_copy_of_a_source_is_found_and_a_rewrite_is_not() -> None:
    from coderforge.agents.graph import copied_from

    starter = ("Write a function `merge_intervals(intervals)` that merges overlapping closed intervals and "
               "returns them sorted by start. Touching intervals such as (1, 2) and (2, 3) overlap. An empty "
               "list gives an empty list. Example: `merge_intervals([(5, 7), (1, 3)])` returns `[(1, 3), (5, 7)]`.")
    copy = starter.split(" Example:")[0]  # the model dropped the example line
    rewrite = ("Write a function `merge_ranges(ranges)` that joins ranges sharing at least one point and returns "
               "the result ordered by the first element; an empty input gives an empty output.")
    assert copied_from(copy, ["Count the vowels in a string.", starter], threshold=0.8) == 1
    # Seen on Qwen 0.5B: a C++ starter task with the next starter's example appended.
    assert copied_from(f"{starter}\nExample: `runningMax({{3, 1, 4}})` returns `{{3, 3, 4}}`.", [starter],
                       threshold=0.8) == 0
    assert copied_from(rewrite, [starter], threshold=0.8) is None
    assert copied_from("", [starter], threshold=0.8) is None


def test_a_task_with_a_starter_tasks_lines_pasted_in_is_found() -> None:
    from coderforge.agents.graph import mixed_in

    starters = ["Write a function `count_vowels(text)` ... Example: `count_vowels(\"ab\")` returns `1`.",
                "Write a function `merge_intervals(intervals)` ... Example: `merge_intervals([])` returns `[]`."]
    # Seen on Qwen 0.5B: its own task, then a starter's lines as a second "Task:".
    mixed = ("Write a function `is_prime(n: int) -> bool` that checks if a number is prime.\n- Task: Write a function "
             "`merge_intervals(intervals: list[tuple[int, int]])` that merges intervals.\n- Example: `is_prime(5)`.")
    assert mixed_in(mixed, starters) == 1
    # A task of its own, or a starter's task told again, names one function: not mixed.
    assert mixed_in("Write `is_prime(n)`. Example: `is_prime(5)` returns `True`.", starters) is None
    assert mixed_in("Write `merge_intervals(xs)`: `merge_intervals([])` is `[]`.", starters) is None
    assert mixed_in("Write `encode(s)` and `decode(s)`.", starters) is None
