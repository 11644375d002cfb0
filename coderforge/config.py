"""Run configuration: typed models (the one source of truth, defaults included), the JSON Schema
generated from them and shipped in the package, and YAML loading with errors that name the field.

Each section documents its fields with a docstring under the attribute; those docstrings become
the schema's descriptions (`coderforge config schema`).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from pydantic import Field, ValidationError

from coderforge.agents.config import GenerateConfig
from coderforge.checklists.config import FiltersConfig
from coderforge.code.config import CodeConfig
from coderforge.errors import ConfigError
from coderforge.executor.config import ExecutorConfig
from coderforge.llm.config import BackendConfig
from coderforge.outputs_config import OutputsConfig
from coderforge.sandbox.config import SandboxConfig
from coderforge.section import Section
from coderforge.trainer.config import TrainConfig

SCHEMA_RESOURCE = "config.schema.json"
#: Fields that moved to another section (old place -> new): a config still using the old place is
#: told where the field went.
_MOVED_FIELDS = {f"generate.{name}": f"outputs.{name}" for name in OutputsConfig.model_fields}


class Config(Section):
    """A coderforge run configuration."""

    backend: BackendConfig = Field(default_factory=BackendConfig)
    """The LLM backend every role uses unless routed elsewhere."""
    filters: FiltersConfig = Field(default_factory=FiltersConfig)
    """Quality filters: the chain's stages, decontamination, near-dedup and the checklist judge."""
    sandbox: SandboxConfig = Field(default_factory=SandboxConfig)
    """Isolated execution of generated programs (bwrap or docker), limits and workers."""
    generate: GenerateConfig = Field(default_factory=GenerateConfig)
    """`coderforge generate`: language pools, budget, corpus, roles, candidates."""
    outputs: OutputsConfig = Field(default_factory=OutputsConfig)
    """What a generate run's outputs hold: the fine split's share, DPO pairs, chatml text, FIM samples."""
    code: CodeConfig = Field(default_factory=CodeConfig)
    """Code analysis: tokenizer for budgets, FIM sample building, seed extraction."""
    train: TrainConfig = Field(default_factory=TrainConfig)
    """The trainer: tokenizer, model, pretrain, SFT, DPO and eval (coderforge train / eval)."""
    executor: ExecutorConfig = Field(default_factory=ExecutorConfig)
    """Where the work runs: this process (local) or a Ray cluster (ray)."""


def generated_schema() -> dict[str, Any]:
    """The JSON Schema derived from the models above (what the shipped file must equal)."""
    schema = Config.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "coderforge configuration"
    return schema


@cache
def shipped_schema() -> dict[str, Any]:
    """The JSON Schema shipped in the package, used for validation."""
    return json.loads(resources.files("coderforge").joinpath(SCHEMA_RESOURCE).read_text())


def _format_path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _describe(error: jsonschema.ValidationError) -> str:
    """A readable message, unpacking anyOf (pydantic's Optional) into the types it allowed."""
    if error.context:
        if all(sub.validator == "type" for sub in error.context):
            allowed = " or ".join(str(sub.validator_value) for sub in error.context)
            return f"expected {allowed}, got {error.instance!r}"
        return jsonschema.exceptions.best_match(error.context).message
    return error.message


def validate_data(data: Any, *, source: str = "<config>") -> Config:
    """Validate a parsed YAML/JSON document; raises ConfigError naming the first bad field."""
    _check_moved(data, source=source)
    validator = jsonschema.Draft202012Validator(shipped_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.path))))
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
        raise ConfigError(_describe(first) + more, source=source, path=_format_path(first.absolute_path))
    try:
        return Config.model_validate(data)
    except ValidationError as e:  # cross-field checks the schema cannot express
        err = e.errors()[0]
        raise ConfigError(err["msg"].removeprefix("Value error, "), source=source,
                          path=_format_path(err["loc"])) from e


def _check_moved(data: Any, *, source: str) -> None:
    for old, new in _MOVED_FIELDS.items():
        section, name = old.split(".")
        if isinstance(data, dict) and isinstance(data.get(section), dict) and name in data[section]:
            raise ConfigError(f"this field moved to {new}", source=source, path=old)


def load_config(path: str | Path | None) -> Config:
    """Read and validate a YAML config file; ``None`` gives the defaults."""
    if path is None:
        return Config()
    source = str(path)
    try:
        text = Path(path).read_text()
    except OSError as e:
        raise ConfigError(f"cannot read the file: {e.strerror}", source=source) from e
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ConfigError(f"not valid YAML: {where}{getattr(e, 'problem', e)}", source=source) from e
    return validate_data({} if data is None else data, source=source)
