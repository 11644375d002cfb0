"""The layout rule (docs/architecture.md), checked on the source: no import cycle between modules,
and imports only go down the layers: the entry points (top) compose the stages, a stage uses the
stages it builds on and the shared base, and the base uses nothing above it. Every import counts,
those inside functions and under TYPE_CHECKING too."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]

#: The stages, each with the stages it may import (the data flow: agents write through the filter
#: chain and the sandbox, checklists judge with the sandbox, the trainer evaluates in it).
STAGES = {
    "sandbox": set(),
    "checklists": {"sandbox"},
    "agents": {"checklists", "sandbox"},
    "trainer": {"sandbox"},
}
#: Everything else is the shared base, prompts/ included (the texts and their loader, read by every
#: layer). Modules and packages of coderforge/ that compose the stages: commands, the root config, the
#: generate run and what it writes, and the executors (local or Ray).
TOP = {"cli", "config", "generate_run", "outputs", "outputs_config", "card", "rundir", "executor"}


def _modules() -> dict[str, Path]:
    """Every module of the distribution, by dotted name, from pyproject's package-dir mapping."""
    package_dir = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    modules = {}
    for package, folder in package_dir.items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            if folder == "coderforge" and parts[0] in {p.split(".")[-1] for p in package_dir if p != "coderforge"}:
                continue
            modules[".".join([package, *(p for p in parts if p != "__init__")])] = path
    return modules


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project's modules that `path` imports (`from a.b import c` counts a.b.c when c is one)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            found.update(name if name in modules else node.module for name in names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    resolved = set()
    for name in found:
        while name not in modules and "." in name:
            name = name.rsplit(".", 1)[0]
        if name in modules:
            resolved.add(name)
    return resolved


def _graph() -> nx.DiGraph:
    modules = _modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        graph.add_edges_from((name, target) for target in _imports(path, modules) if target != name)
    return graph


def layer(module: str) -> tuple[str, str]:
    """("top" | "stage" | "base", the package or module under coderforge)."""
    part = module.split(".")[1] if "." in module else ""
    if part in STAGES:
        return "stage", part
    return ("top" if part in TOP else "base"), part


def layering_violations(graph: nx.DiGraph) -> list[str]:
    bad = []
    for source, target in graph.edges:
        (src_kind, src), (dst_kind, dst) = layer(source), layer(target)
        if src_kind == "top" or (src_kind, src) == (dst_kind, dst):
            continue
        allowed = dst_kind == "base" or (src_kind == "stage" and dst in STAGES[src])
        if not allowed:
            bad.append(f"{source} -> {target}")
    return sorted(bad)


def test_the_import_graph_has_no_cycle() -> None:
    graph = _graph()
    assert len(graph) > 100  # the scan found the tree
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c + c[:1]) for c in cycles[:20])


def test_imports_go_down_the_layers() -> None:
    assert layering_violations(_graph()) == []


@pytest.mark.parametrize(("edge", "why"), [
    (("coderforge.code.demo", "coderforge.sandbox.checks"), "the base imports a stage"),
    (("coderforge.sandbox.harness", "coderforge.agents.pool"), "a stage imports one it does not build on"),
    (("coderforge.trainer.stages", "coderforge.config"), "a stage imports the root config"),
])
def test_the_rule_catches_an_upward_import(edge: tuple[str, str], why: str) -> None:
    graph = _graph()
    graph.add_edge(*edge)
    assert layering_violations(graph) == [" -> ".join(edge)], why


def test_the_cycle_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from coderforge.config import load_config\n")
    assert _imports(module, _modules()) == {"coderforge.config"}
