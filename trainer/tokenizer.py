"""The tokenizer: a byte-level BPE trained on the corpus with the Qwen special tokens and a chatml
template, or an existing tokenizer folder with the missing special tokens added."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from transformers import AutoTokenizer, PreTrainedTokenizerBase, PreTrainedTokenizerFast

from coderforge.code.special_tokens import ENDOFTEXT, SPECIAL_TOKENS
from coderforge.errors import CoderforgeError

log = logging.getLogger(__name__)

# Qwen2's pre-tokenizer split: single digits, words with one leading non-letter, punctuation runs,
# newline runs and whitespace kept apart, so indentation becomes reusable tokens.
_SPLIT_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)

# chatml with {% generation %} markers around each assistant turn, its <|im_end|> included, so trl's
# assistant_only_loss masks everything but what the assistant says and still learns to stop.
CHAT_TEMPLATE = (
    "{%- for message in messages %}"
    "{%- if message['role'] == 'assistant' %}"
    "{{- '<|im_start|>assistant\\n' }}"
    "{%- generation %}{{- message['content'] + '<|im_end|>' }}{%- endgeneration %}"
    "{{- '\\n' }}"
    "{%- else %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)


def train_tokenizer(texts: Iterable[str], *, vocab_size: int, min_frequency: int = 2) -> PreTrainedTokenizerFast:
    """Train a byte-level BPE on `texts`; every byte is in the alphabet, so nothing is ever unknown."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(_SPLIT_PATTERN), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=min_frequency,
        special_tokens=list(SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token=ENDOFTEXT,
        pad_token=ENDOFTEXT,
        additional_special_tokens=list(SPECIAL_TOKENS[1:]),
        clean_up_tokenization_spaces=False,
        model_max_length=1 << 20,
    )
    fast.chat_template = CHAT_TEMPLATE
    log.info("trained a byte-level BPE with %d tokens", len(fast))
    return fast


def load_tokenizer(path: str | Path) -> PreTrainedTokenizerFast:
    """Load an existing tokenizer, adding any Qwen special token and a chatml template it lacks."""
    try:
        tok = AutoTokenizer.from_pretrained(str(path))
    except (OSError, ValueError) as e:
        raise CoderforgeError(f"cannot load a tokenizer from {path}: {e}") from e
    missing = [t for t in SPECIAL_TOKENS if t not in tok.get_vocab()]
    if missing:
        log.info("adding special tokens %s to the tokenizer from %s", missing, path)
        tok.add_special_tokens({"additional_special_tokens": missing}, replace_extra_special_tokens=False)
    if not tok.chat_template:
        tok.chat_template = CHAT_TEMPLATE
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token or ENDOFTEXT
    return tok


def use_training_template(tok: PreTrainedTokenizerBase) -> None:
    """Give `tok` a chat template with {% generation %} markers, which assistant-only loss needs.

    trl patches the templates it knows (Qwen2.5's among them); any other model gets our chatml
    template, whose turn tokens load_tokenizer has made sure of.
    """
    from trl.chat_template_utils import get_training_chat_template

    try:
        patched = get_training_chat_template(tok)
    except ValueError:
        log.warning("trl cannot add generation markers to this chat template; training with chatml instead")
        patched = CHAT_TEMPLATE
    if patched is not None:
        tok.chat_template = patched
