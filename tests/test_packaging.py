"""The distribution maps every part folder into the one `coderforge` namespace."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_declared() -> None:
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    mapping = tool["package-dir"]
    declared = set(tool["packages"])
    found = set()
    for name, folder in mapping.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            found.add(".".join([name, *rel.parts]))
    assert found == declared, f"declare these in pyproject [tool.setuptools] packages: {found ^ declared}"


def test_parts_import_under_the_namespace() -> None:
    import coderforge.agents
    import coderforge.checklists
    import coderforge.sandbox
    import coderforge.trainer

    for module in (coderforge.agents, coderforge.checklists, coderforge.sandbox, coderforge.trainer):
        assert module.__name__.startswith("coderforge.")
