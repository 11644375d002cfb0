"""The transformers backend: a local HF causal LM, batched with left padding, CPU or GPU.

Structured output uses xgrammar's logits processor when xgrammar is installed (vLLM brings it);
otherwise the output is parsed and validated, with a bounded number of sampled retries.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import jsonschema

from coderforge.llm.base import Completion, Request, SamplingParams
from coderforge.llm.config import BackendConfig
from coderforge.llm.hf_rows import Row, RowSampler, RowStops
from coderforge.llm.local import BatchingBackend, EngineOutput
from coderforge.llm.render import cut_at_stop, prompt_token_ids
from coderforge.models import resolve_model

log = logging.getLogger(__name__)

#: Sampled retries for structured output when no constrained decoder is installed.
UNCONSTRAINED_JSON_RETRIES = 3


class TransformersBackend(BatchingBackend):
    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
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
        """One row per completion, whatever its sampling settings or schema; rows of similar prompt
        length share a forward batch of `batch_size` rows."""
        unconstrained: set[int] = set()
        if self._grammar_compiler is None:
            unconstrained = {i for i, r in enumerate(requests) if r.json_schema is not None}
        outputs: dict[int, EngineOutput] = {i: self._generate_json_by_retry(requests[i]) for i in unconstrained}
        prompts = {i: prompt_token_ids(self._tokenizer, r) for i, r in enumerate(requests) if i not in unconstrained}
        rows = [(i, k) for i in prompts for k in range(requests[i].sampling.n)]
        rows.sort(key=lambda ik: len(prompts[ik[0]]))
        completions: dict[tuple[int, int], Completion] = {}
        size = self._options.batch_size
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            batch = [self._row(requests[i], prompts[i], k) for i, k in chunk]
            completions.update(zip(chunk, self._decode(batch), strict=True))
        for i, prompt in prompts.items():
            n = requests[i].sampling.n
            outputs[i] = EngineOutput(tuple(completions[i, k] for k in range(n)), len(prompt))
        return [outputs[i] for i in range(len(requests))]

    def _row(self, request: Request, prompt: list[int], k: int) -> Row:
        """The k-th completion of a request as one batch row (a seeded request's k-th row gets seed + k)."""
        s = request.sampling
        grammar = None
        if request.json_schema is not None:
            grammar = self._compiled(json.dumps(request.json_schema, sort_keys=True))
        return Row(prompt, s.temperature, s.top_p, s.max_tokens, tuple(s.stop),
                   None if s.seed is None else s.seed + k, grammar)

    def _decode(self, rows: list[Row]) -> list[Completion]:
        import torch

        device = self._lm.device
        width = max(len(r.prompt) for r in rows)
        pad = self._tokenizer.pad_token_id
        input_ids = torch.tensor([[pad] * (width - len(r.prompt)) + r.prompt for r in rows], device=device)
        attention = torch.tensor([[0] * (width - len(r.prompt)) + [1] * len(r.prompt) for r in rows], device=device)
        end_id = self._tokenizer.eos_token_id if self._tokenizer.eos_token_id is not None else min(self._eos_ids)
        sampler = RowSampler(rows, prompt_width=width, end_id=end_id, end_ids=self._eos_ids)
        with torch.inference_mode():
            out = self._lm.generate(
                input_ids=input_ids, attention_mask=attention, max_new_tokens=max(r.max_tokens for r in rows),
                do_sample=False, temperature=None, top_p=None, top_k=None, pad_token_id=pad,
                eos_token_id=sorted(self._eos_ids), logits_processor=[sampler],
                stopping_criteria=[RowStops(rows, tokenizer=self._tokenizer, prompt_width=width)],
            )
        return [self._completion(tokens.tolist(), row) for tokens, row in zip(out[:, width:], rows, strict=True)]

    def _completion(self, tokens: list[int], row: Row) -> Completion:
        """Trim one generated row at its end of sequence or stop string; name why it ended."""
        end = next((i for i, t in enumerate(tokens) if t in self._eos_ids), None)
        ended = end is not None and end < row.max_tokens  # an end token at max_tokens is the sampler's cut
        kept = tokens[:end] if ended else tokens[: row.max_tokens]
        text, stopped = cut_at_stop(self._tokenizer.decode(kept, skip_special_tokens=True), row.stop)
        if stopped:
            return Completion(text, "stop", len(self._tokenizer(text, add_special_tokens=False)["input_ids"]))
        # Count like vLLM: generated tokens including the end-of-sequence token.
        return Completion(text, "stop" if ended else "length", len(kept) + (1 if ended else 0))

    def _compiled(self, schema_key: str) -> Any:
        if schema_key not in self._grammars:
            self._grammars[schema_key] = self._grammar_compiler.compile_json_schema(schema_key)
        return self._grammars[schema_key]

    def _generate_json_by_retry(self, request: Request) -> EngineOutput:
        """Without a constrained decoder: sample until every completion parses and validates."""
        prompt = prompt_token_ids(self._tokenizer, request)
        assert request.json_schema is not None
        validator = jsonschema.Draft202012Validator(request.json_schema)
        request = replace(request, json_schema=None)  # validated here instead
        sampling = request.sampling
        completions: list[Completion] = []
        for attempt in range(UNCONSTRAINED_JSON_RETRIES + 1):
            completions = self._decode([self._row(request, prompt, k) for k in range(sampling.n)])
            if all(_valid_json(c.text, validator) for c in completions):
                break
            log.debug("unconstrained JSON attempt %d failed validation", attempt + 1)
            sampling = SamplingParams(
                n=sampling.n, temperature=max(sampling.temperature, 0.7), top_p=sampling.top_p,
                max_tokens=sampling.max_tokens, stop=sampling.stop,
                seed=None if sampling.seed is None else sampling.seed + attempt + 1,
            )
            request = replace(request, sampling=sampling)
        return EngineOutput(tuple(completions), len(prompt))


def _valid_json(text: str, validator: jsonschema.Draft202012Validator) -> bool:
    try:
        return validator.is_valid(json.loads(text))
    except ValueError:
        return False
