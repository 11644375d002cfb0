"""Tokenizer (byte-level BPE, Qwen special tokens, chatml with assistant masks) and the Qwen2 presets."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from coderforge.trainer.modeling import PRESETS, preset_config
from coderforge.trainer.tokenizer import load_tokenizer, train_tokenizer
from transformers import AutoTokenizer, Qwen2ForCausalLM

from coderforge.code.special_tokens import SPECIAL_TOKENS

CORPUS = [
    "def add(a, b):\n    return a + b\n",
    "class Stack:\n    def __init__(self):\n        self.items = []\n",
    "fn main() { println!(\"hi\"); }\n",
    "The answer is 42. Tom has 3 apples.\n",
] * 20


@pytest.fixture(scope="module")
def tokenizer():
    return train_tokenizer(CORPUS, vocab_size=600)


def test_trained_tokenizer_round_trips_any_text_and_keeps_special_tokens(tokenizer, tmp_path: Path) -> None:
    text = "def f(x):\n\treturn x ** 2  # ünïcødé ✓ 12345\r\n"
    assert tokenizer.decode(tokenizer(text)["input_ids"]) == text
    for token in SPECIAL_TOKENS:
        assert tokenizer(token)["input_ids"] == [tokenizer.convert_tokens_to_ids(token)]
    assert tokenizer.eos_token == "<|endoftext|>"
    tokenizer.save_pretrained(tmp_path)
    again = AutoTokenizer.from_pretrained(tmp_path)
    assert again("x = 1\n")["input_ids"] == tokenizer("x = 1\n")["input_ids"]
    assert again.chat_template == tokenizer.chat_template


def test_chat_template_masks_only_assistant_turns_including_im_end(tokenizer) -> None:
    messages = [{"role": "system", "content": "sys"}, {"role": "user", "content": "question"},
                {"role": "assistant", "content": "answer"}]
    out = tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
    ids, mask = out["input_ids"], out["assistant_masks"]
    assert tokenizer.decode(ids) == ("<|im_start|>system\nsys<|im_end|>\n<|im_start|>user\nquestion<|im_end|>\n"
                                     "<|im_start|>assistant\nanswer<|im_end|>\n")
    trained = tokenizer.decode([t for t, m in zip(ids, mask, strict=True) if m])
    assert trained == "answer<|im_end|>"
    prompt = tokenizer.apply_chat_template(messages[:2], add_generation_prompt=True, tokenize=False)
    assert prompt.endswith("<|im_start|>assistant\n")


def test_existing_tokenizer_gets_missing_special_tokens(bundled_model: Path) -> None:
    tok = load_tokenizer(bundled_model)
    vocab = tok.get_vocab()
    assert all(t in vocab for t in SPECIAL_TOKENS)
    assert len(tok("<|fim_prefix|>")["input_ids"]) == 1


# Total parameters of the released Qwen2.5-Coder checkpoints (model cards), with Qwen's padded vocab.
@pytest.mark.parametrize(("preset", "billions"), [("0.5b", 0.49), ("1.5b", 1.54), ("3b", 3.09), ("7b", 7.61),
                                                   ("14b", 14.7), ("32b", 32.5)])
def test_presets_match_the_report_sizes(tokenizer, preset: str, billions: float) -> None:
    cfg = preset_config(preset, vocab_size=151_646, tokenizer=tokenizer)
    assert cfg.vocab_size == 151_680  # padded to a multiple of 64
    with torch.device("meta"):
        model = Qwen2ForCausalLM(cfg)
    assert model.num_parameters() / 1e9 == pytest.approx(billions, rel=0.02)
    assert cfg.tie_word_embeddings == (PRESETS[preset].hidden_size < 3000)


def test_an_existing_checkpoint_is_the_base_with_room_for_the_new_tokens(bundled_model: Path) -> None:
    from coderforge.trainer.config import ModelConfig
    from coderforge.trainer.modeling import new_model

    tok = load_tokenizer(bundled_model)
    model = new_model(ModelConfig(path=str(bundled_model)), tokenizer=tok, seed=0)
    assert model.get_input_embeddings().num_embeddings >= len(tok)
    ids = tok("<|fim_prefix|>x<|fim_suffix|>y<|fim_middle|>", return_tensors="pt")["input_ids"]
    assert model(input_ids=ids).logits.shape[-1] >= len(tok)
