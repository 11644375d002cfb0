"""Checklists as data: criteria with a description, a score scale and a weight, loaded from the
built-in YAML or a user's file, and the JSON Schema of a judge's answer derived from them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from coderforge.errors import CoderforgeError

__all__ = ["Checklist", "ChecklistError", "Criterion", "builtin_names", "load_checklist"]

BUILTIN_RESOURCE = "checklists.yaml"
#: A one-line reason of 1 to 120 characters.
REASON_PATTERN = "^[^\\n\\r]{1,120}$"
#: The checklist used for a record whose `task` names none of the built-in ones.
DEFAULT = "instruction"


class ChecklistError(CoderforgeError, ValueError):
    """A checklist name or file that cannot be used; the message says why."""


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    description: str
    weight: float
    low: int = 1
    high: int = 10


@dataclass(frozen=True)
class Checklist:
    name: str
    subject: str
    """What a sample of this task kind holds, as the judge's prompt says it."""
    criteria: tuple[Criterion, ...]

    def answer_schema(self) -> dict[str, Any]:
        """JSON Schema of a judge's answer: per criterion an integer score and a one-line reason."""
        return {
            "type": "object",
            "properties": {
                c.id: {
                    "type": "object",
                    "properties": {
                        "score": {"type": "integer", "minimum": c.low, "maximum": c.high},
                        # One line, bounded in the pattern itself: xgrammar ignores maxLength next to a
                        # pattern, and fails to compile repetition bounds much above 120 (xgrammar 0.2.8).
                        "reason": {"type": "string", "pattern": REASON_PATTERN},
                    },
                    "required": ["score", "reason"],
                    "additionalProperties": False,
                }
                for c in self.criteria
            },
            "required": [c.id for c in self.criteria],
            "additionalProperties": False,
        }

    def weighted_total(self, scores: dict[str, int]) -> float:
        """Weighted mean of the scores, each first mapped onto 1-10 (so totals compare across scales)."""
        weight = sum(c.weight for c in self.criteria)
        total = sum(c.weight * (1 + 9 * (scores[c.id] - c.low) / (c.high - c.low)) for c in self.criteria)
        return round(total / weight, 3)

    def with_weights(self, weights: dict[str, float]) -> Checklist:
        criteria = tuple(
            Criterion(c.id, c.title, c.description, weights.get(c.id, c.weight), c.low, c.high) for c in self.criteria
        )
        return Checklist(self.name, self.subject, criteria)

    def to_yaml(self) -> str:
        """This checklist as a file `load_checklist` reads back."""
        data = {"name": self.name, "subject": self.subject,
                "criteria": [{"id": c.id, "title": c.title, "description": c.description, "weight": c.weight,
                              "scale": [c.low, c.high]} for c in self.criteria]}
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@cache
def _builtin() -> dict[str, Any]:
    return yaml.safe_load(resources.files("coderforge.checklists").joinpath(BUILTIN_RESOURCE).read_text())


def builtin_names() -> list[str]:
    return list(_builtin()["checklists"])


def _criterion(entry: Any, where: str) -> Criterion:
    known = _builtin()["criteria"]
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise ChecklistError(f"{where}: each criterion needs an `id` (one of {', '.join(known)}, or your own)")
    base = known.get(entry["id"], {})
    title = entry.get("title", base.get("title"))
    description = entry.get("description", base.get("description"))
    if not title or not description:
        raise ChecklistError(f"{where}: criterion {entry['id']!r} is not built in, so it needs a title and a "
                             "description")
    weight = entry.get("weight", 1)
    scale = entry.get("scale", [1, 10])
    if not isinstance(weight, int | float) or weight <= 0:
        raise ChecklistError(f"{where}: criterion {entry['id']!r}: weight must be a number > 0, got {weight!r}")
    if not (isinstance(scale, list) and len(scale) == 2 and all(isinstance(s, int) for s in scale)
            and scale[0] < scale[1]):
        raise ChecklistError(f"{where}: criterion {entry['id']!r}: scale must be [low, high] integers, got {scale!r}")
    return Criterion(entry["id"], title, description, float(weight), scale[0], scale[1])


def _from_mapping(data: Any, where: str) -> Checklist:
    if not isinstance(data, dict) or not isinstance(data.get("criteria"), list) or not data["criteria"]:
        raise ChecklistError(f"{where}: a checklist is a mapping with `name`, `subject` and a non-empty "
                             "`criteria` list")
    criteria = tuple(_criterion(e, f"{where}: criteria[{i}]") for i, e in enumerate(data["criteria"]))
    ids = [c.id for c in criteria]
    if len(set(ids)) != len(ids):
        raise ChecklistError(f"{where}: criterion ids repeat: {ids}")
    return Checklist(str(data.get("name", Path(where).stem)), str(data.get("subject", "a code sample")), criteria)


@cache
def _builtin_checklist(name: str) -> Checklist:
    spec = _builtin()["checklists"][name]
    entries = [{"id": cid, "weight": w} for cid, w in spec["weights"].items()]
    return _from_mapping({"name": name, "subject": spec["subject"], "criteria": entries}, name)


def load_checklist(name_or_path: str) -> Checklist:
    """A built-in checklist by name, or one read from a YAML file."""
    builtin = _builtin()
    if name_or_path in builtin["checklists"]:
        return _builtin_checklist(name_or_path)
    path = Path(name_or_path)
    if not path.is_file():
        raise ChecklistError(f"no checklist {name_or_path!r}: not a built-in one ({', '.join(builtin['checklists'])}) "
                             "nor a file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise ChecklistError(f"{path}: cannot read the checklist: {e}") from e
    return _from_mapping(data, str(path))
