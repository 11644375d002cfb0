"""Qwen2-architecture presets (a CPU-sized `tiny`, and the Qwen2.5-Coder report's sizes) and
building or loading the model a run starts from."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import torch
from coderforge.trainer.config import ModelConfig
from transformers import AutoModelForCausalLM, PreTrainedModel, PreTrainedTokenizerBase, Qwen2Config, Qwen2ForCausalLM

from coderforge.errors import CoderforgeError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Preset:
    hidden_size: int
    num_layers: int
    num_heads: int
    num_kv_heads: int
    intermediate_size: int
    tie_embeddings: bool
    max_position_embeddings: int


# tiny: head size 32, the smallest vLLM's attention backends (CPU included) take, so it serves too.
# Qwen2.5-Coder technical report (arXiv 2409.12186), Table 1, and the released config.json files:
# head size 128 except 0.5B (64), RoPE base 1e6, RMSNorm eps 1e-6, QKV bias; 7B+ untie embeddings.
PRESETS: dict[str, Preset] = {
    "tiny": Preset(64, 2, 2, 1, 256, True, 2048),
    "0.5b": Preset(896, 24, 14, 2, 4864, True, 32768),
    "1.5b": Preset(1536, 28, 12, 2, 8960, True, 32768),
    "3b": Preset(2048, 36, 16, 2, 11008, True, 32768),
    "7b": Preset(3584, 28, 28, 4, 18944, False, 131072),
    "14b": Preset(5120, 48, 40, 8, 13824, False, 131072),
    "32b": Preset(5120, 64, 40, 8, 27648, False, 131072),
}


def preset_config(name: str, *, vocab_size: int, tokenizer: PreTrainedTokenizerBase) -> Qwen2Config:
    """A Qwen2Config for a preset, its vocabulary padded to a multiple of 64 as Qwen's is."""
    p = PRESETS[name]
    return Qwen2Config(
        vocab_size=-(-vocab_size // 64) * 64,
        hidden_size=p.hidden_size,
        intermediate_size=p.intermediate_size,
        num_hidden_layers=p.num_layers,
        num_attention_heads=p.num_heads,
        num_key_value_heads=p.num_kv_heads,
        max_position_embeddings=p.max_position_embeddings,
        rope_theta=1_000_000.0,
        rms_norm_eps=1e-6,
        tie_word_embeddings=p.tie_embeddings,
        bos_token_id=tokenizer.eos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        use_cache=True,
    )


def new_model(config: ModelConfig, *, tokenizer: PreTrainedTokenizerBase, seed: int) -> PreTrainedModel:
    """A freshly initialised preset model, or the configured checkpoint resized to the tokenizer."""
    if config.path:
        return load_model(config.path, attn_implementation=config.attn_implementation, tokenizer=tokenizer)
    torch.manual_seed(seed)
    qcfg = preset_config(config.preset, vocab_size=len(tokenizer), tokenizer=tokenizer)
    qcfg._attn_implementation = config.attn_implementation
    model = Qwen2ForCausalLM(qcfg)
    log.info("new %s model: %.1fM parameters", config.preset, model.num_parameters() / 1e6)
    return model


def load_model(path: str, *, attn_implementation: str = "sdpa",
               tokenizer: PreTrainedTokenizerBase | None = None) -> PreTrainedModel:
    """Load a checkpoint with AutoModelForCausalLM; a missing or broken folder is a user error.

    With `tokenizer`, embeddings grow to hold tokens it added (load_tokenizer adds missing special tokens).
    """
    try:
        model = AutoModelForCausalLM.from_pretrained(path, attn_implementation=attn_implementation,
                                                     dtype=torch.float32)
    except (OSError, ValueError) as e:
        raise CoderforgeError(f"cannot load a model from {path}: {e}") from e
    if tokenizer is not None and model.get_input_embeddings().num_embeddings < len(tokenizer):
        log.info("resizing %s's embeddings to %d tokens", path, len(tokenizer))
        model.resize_token_embeddings(len(tokenizer), pad_to_multiple_of=64)
    return model
