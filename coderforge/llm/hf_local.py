"""The transformers backend: a local HF causal LM, batched with left padding, CPU or GPU.

Structured output uses xgrammar's logits processor when xgrammar is installed (vLLM brings it);
otherwise the output is parsed and validated, with a bounded number of sampled retries.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

import jsonschema

from coderforge.config import BackendConfig
from coderforge.llm.base import Completion, FinishReason, Request, SamplingParams
from coderforge.llm.local import BatchingBackend, EngineOutput
from coderforge.llm.render import cut_at_stop, prompt_token_ids
from coderforge.models import resolve_model

log = logging.getLogger(__name__)

#: Sampled retries for structured output when no constrained decoder is installed.
UNCONSTRAINED_JSON_RETRIES = 3


class TransformersBackend(BatchingBackend):
    def __init__(self, config: BackendConfig) -> None:
        super().__init__(model=config.model, batch_window_s=config.batch_window_ms / 1000, max_batch=config.max_batch)
        self._options = config.transformers
        self._tokenizer: Any = None
        self._lm: Any = None
        self._grammar_compiler: Any = None
        self._grammars: dict[str, Any] = {}

    # -- loading -------------------------------------------------------------------------
    def _load(self) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        path = resolve_model(self.model)
        device = self._options.device
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        dtype = self._options.dtype
        if dtype == "auto":
            dtype = "bfloat16" if device.startswith("cuda") else "float32"
        if self._options.threads is not None:
            torch.set_num_threads(self._options.threads)
        log.info("transformers: loading %s on %s (%s)", path, device, dtype)
        self._tokenizer = AutoTokenizer.from_pretrained(path)
        self._lm = AutoModelForCausalLM.from_pretrained(path, dtype=getattr(torch, dtype)).to(device).eval()
        if self._tokenizer.pad_token_id is None:
            self._tokenizer.pad_token = self._tokenizer.eos_token
        self._eos_ids = self._eos_token_ids()
        try:
            import xgrammar

            info = xgrammar.TokenizerInfo.from_huggingface(self._tokenizer, vocab_size=self._lm.config.vocab_size)
            self._grammar_compiler = xgrammar.GrammarCompiler(info)
        except ImportError:
            log.warning("xgrammar is not installed: structured output falls back to parse-and-retry")

    def _eos_token_ids(self) -> set[int]:
        eos = self._lm.generation_config.eos_token_id
        ids = set(eos if isinstance(eos, list) else [eos] if eos is not None else [])
        if self._tokenizer.eos_token_id is not None:
            ids.add(self._tokenizer.eos_token_id)
        return ids

    def _unload(self) -> None:
        self._lm = None
        self._grammars.clear()

    # -- generation ----------------------------------------------------------------------
    def _run_batch(self, requests: Sequence[Request]) -> list[EngineOutput]:
        outputs: list[EngineOutput | None] = [None] * len(requests)
        groups: dict[tuple[SamplingParams, str | None], list[int]] = {}
        for i, r in enumerate(requests):
            schema_key = json.dumps(r.json_schema, sort_keys=True) if r.json_schema is not None else None
            groups.setdefault((r.sampling, schema_key), []).append(i)
        size = self._options.batch_size
        for (sampling, schema_key), indices in groups.items():
            for start in range(0, len(indices), size):
                chunk = indices[start : start + size]
                results = self._generate([requests[i] for i in chunk], sampling, schema_key)
                for i, out in zip(chunk, results, strict=True):
                    outputs[i] = out
        return [o for o in outputs if o is not None]

    def _generate(
        self, requests: list[Request], sampling: SamplingParams, schema_key: str | None
    ) -> list[EngineOutput]:
        if schema_key is not None and self._grammar_compiler is None:
            return [self._generate_json_by_retry(r) for r in requests]
        prompts = [prompt_token_ids(self._tokenizer, r) for r in requests]
        rows = self._decode(prompts, sampling, schema_key)
        n = sampling.n
        return [
            EngineOutput(tuple(rows[i * n : (i + 1) * n]), len(prompts[i])) for i in range(len(requests))
        ]

    def _decode(self, prompts: list[list[int]], sampling: SamplingParams, schema_key: str | None) -> list[Completion]:
        import torch

        device = self._lm.device
        width = max(len(p) for p in prompts)
        pad = self._tokenizer.pad_token_id
        input_ids = torch.tensor([[pad] * (width - len(p)) + p for p in prompts], device=device)
        attention = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts], device=device)
        kwargs: dict[str, Any] = {
            "max_new_tokens": sampling.max_tokens,
            "num_return_sequences": sampling.n,
            "pad_token_id": pad,
            "do_sample": sampling.temperature > 0,
        }
        if sampling.temperature > 0:
            kwargs.update(temperature=sampling.temperature, top_p=sampling.top_p, top_k=0)
        else:  # silence generation_config sampling defaults under greedy decoding
            kwargs.update(temperature=None, top_p=None, top_k=None)
        if sampling.stop:
            kwargs.update(stop_strings=list(sampling.stop), tokenizer=self._tokenizer)
        if schema_key is not None:
            from xgrammar.contrib.hf import LogitsProcessor

            kwargs["logits_processor"] = [LogitsProcessor(self._compiled(schema_key))]
        if sampling.seed is not None:
            torch.manual_seed(sampling.seed)
        with torch.inference_mode():
            out = self._lm.generate(input_ids=input_ids, attention_mask=attention, **kwargs)
        return [self._completion(row.tolist(), sampling) for row in out[:, width:]]

    def _completion(self, tokens: list[int], sampling: SamplingParams) -> Completion:
        """Trim one generated row at its end of sequence; name why it ended."""
        end = next((i for i, t in enumerate(tokens) if t in self._eos_ids), None)
        kept = tokens if end is None else tokens[:end]
        text, stopped = cut_at_stop(self._tokenizer.decode(kept, skip_special_tokens=True), sampling.stop)
        reason: FinishReason = "stop" if end is not None or stopped else "length"
        # Count like vLLM: generated tokens including the end-of-sequence token.
        count = len(kept) + (1 if end is not None else 0)
        if end is None and sampling.stop and stopped:
            count = len(self._tokenizer(text, add_special_tokens=False)["input_ids"])
        return Completion(text, reason, count)

    def _compiled(self, schema_key: str) -> Any:
        if schema_key not in self._grammars:
            self._grammars[schema_key] = self._grammar_compiler.compile_json_schema(schema_key)
        return self._grammars[schema_key]

    def _generate_json_by_retry(self, request: Request) -> EngineOutput:
        """Without a constrained decoder: sample until every completion parses and validates."""
        prompt = prompt_token_ids(self._tokenizer, request)
        assert request.json_schema is not None
        validator = jsonschema.Draft202012Validator(request.json_schema)
        sampling = request.sampling
        completions: list[Completion] = []
        for attempt in range(UNCONSTRAINED_JSON_RETRIES + 1):
            rows = self._decode([prompt], sampling, None)
            completions = rows
            if all(_valid_json(c.text, validator) for c in rows):
                break
            log.debug("unconstrained JSON attempt %d failed validation", attempt + 1)
            sampling = SamplingParams(
                n=sampling.n, temperature=max(sampling.temperature, 0.7), top_p=sampling.top_p,
                max_tokens=sampling.max_tokens, stop=sampling.stop,
                seed=None if sampling.seed is None else sampling.seed + attempt + 1,
            )
        return EngineOutput(tuple(completions), len(prompt))


def _valid_json(text: str, validator: jsonschema.Draft202012Validator) -> bool:
    try:
        return validator.is_valid(json.loads(text))
    except ValueError:
        return False
