"""Seeds for the pools from a corpus folder: spread over files, stable ids, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from coderforge.agents.seeding import SEEDS_PER_FILE, load_seeds

from coderforge.code.config import SeedConfig
from coderforge.code.tokens import load_token_counter
from coderforge.errors import CoderforgeError

FUNCTION = '''def {name}(values):
    """Return the {name} of a list of numbers, or None when it is empty."""
    if not values:
        return None
    result = values[0]
    for value in values[1:]:
        result = {op}
    return result

'''


@pytest.fixture(scope="module")
def counter():
    return load_token_counter("bundled")


def _corpus(root: Path) -> Path:
    root.mkdir()
    ops = {"largest": "max(result, value)", "smallest": "min(result, value)", "total": "result + value",
           "product": "result * value"}
    (root / "a.py").write_text("".join(FUNCTION.format(name=n, op=o) for n, o in list(ops.items())[:3]))
    (root / "b.py").write_text(FUNCTION.format(name="product", op=ops["product"]))
    (root / "broken.py").write_text("def oops(:\n    pass\n")
    (root / "notes.txt").write_text("not code")
    return root


def test_seeds_spread_over_files_with_stable_ids(tmp_path: Path, counter) -> None:
    corpus = _corpus(tmp_path / "corpus")
    seeds = load_seeds("python", paths=[str(corpus)], limit=10, seed=0, config=SeedConfig(), counter=counter)
    by_file: dict[str, int] = {}
    for s in seeds:
        by_file[Path(s["path"]).name] = by_file.get(Path(s["path"]).name, 0) + 1
        assert s["id"].startswith("python-") and s["parses"]
    assert by_file == {"a.py": SEEDS_PER_FILE, "b.py": 1}
    again = load_seeds("python", paths=[str(corpus)], limit=10, seed=0, config=SeedConfig(), counter=counter)
    assert [s["id"] for s in again] == [s["id"] for s in seeds]
    assert len(load_seeds("python", paths=[str(corpus)], limit=1, seed=0, config=SeedConfig(), counter=counter)) == 1


def test_missing_corpus_path_is_a_clear_error(tmp_path: Path, counter) -> None:
    with pytest.raises(CoderforgeError, match=r"generate.corpus.python: .*nowhere does not exist"):
        load_seeds("python", paths=[str(tmp_path / "nowhere")], limit=3, seed=0, config=SeedConfig(), counter=counter)


def test_installed_source_is_the_default_corpus(counter) -> None:
    seeds = load_seeds("python", paths=None, limit=3, seed=0, config=SeedConfig(max_tokens=300), counter=counter)
    assert len(seeds) == 3 and all(Path(s["path"]).suffix == ".py" for s in seeds)


def test_seeds_never_come_from_links_out_of_the_corpus(tmp_path: Path, counter) -> None:
    corpus = _corpus(tmp_path / "corpus")
    host = tmp_path / "host.py"
    host.write_text(FUNCTION.format(name="secret", op="result - value"))
    (corpus / "linked.py").symlink_to(host)
    seeds = load_seeds("python", paths=[str(corpus)], limit=10, seed=0, config=SeedConfig(), counter=counter)
    assert seeds and not any("secret" in s["code"] for s in seeds)
    assert {Path(s["path"]).name for s in seeds} == {"a.py", "b.py"}


def test_installed_seeds_come_from_library_code_not_test_suites(counter) -> None:
    """The Python standard library ships its own tests (test/test_cmath.py: `rect_complex`, fixtures
    that made muddled tasks); a default run seeds from its modules only, never from site-packages."""
    seeds = load_seeds("python", paths=None, limit=16, seed=0, config=SeedConfig(testable=True), counter=counter)
    assert len(seeds) == 16
    for seed in seeds:
        parts = Path(seed["path"]).parts
        assert not {"test", "tests", "site-packages"} & set(parts), seed["path"]
        assert not parts[-1].startswith("test_"), seed["path"]
