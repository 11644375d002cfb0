"""Trainer data: packing (boundaries, labels, efficiency), source mixing, corpus reading, the FIM and
repo-level documents, and validation of SFT/DPO files."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest
import torch
from coderforge.trainer.config import PretrainConfig
from coderforge.trainer.corpus import read_texts, scan_code, split_held_out
from coderforge.trainer.datafiles import DataError, read_conversations, read_preferences
from coderforge.trainer.mixing import mix
from coderforge.trainer.packing import IGNORE_INDEX, pack

from coderforge.errors import CoderforgeError

DATA = Path(__file__).parent / "data" / "train"


def test_pack_keeps_every_token_and_restarts_positions() -> None:
    rng = random.Random(0)
    docs = [[rng.randrange(1, 50) for _ in range(rng.randrange(2, 40))] for _ in range(60)]
    rows = pack(docs, length=64, pad_id=0)
    assert rows.real_tokens == sum(map(len, docs))
    # Each document appears contiguously, positions 0..n-1, labels = ids except its first token.
    found = []
    for r in range(len(rows)):
        pos, ids, labels = rows.position_ids[r].tolist(), rows.input_ids[r].tolist(), rows.labels[r].tolist()
        starts = [i for i, p in enumerate(pos) if p == 0] + [len(pos)]
        for a, b in itertools.pairwise(starts):
            assert pos[a:b] == list(range(b - a))
            assert labels[a] == IGNORE_INDEX
            if all(t == 0 for t in ids[a:b]):  # the padding tail: no loss at all
                assert set(labels[a:b]) == {IGNORE_INDEX}
            else:
                assert labels[a + 1:b] == ids[a + 1:b]
                found.append(ids[a:b])
    assert sorted(found) == sorted(docs)


def test_pack_splits_long_documents_and_is_efficient() -> None:
    rng = random.Random(1)
    docs = [[7] * int(rng.lognormvariate(5, 1) + 2) for _ in range(2000)]
    rows = pack(docs, length=1024, pad_id=0)
    assert rows.input_ids.shape[1] == 1024
    assert rows.real_tokens >= sum(map(len, docs)) - len(docs)  # at most a lone tail token per document
    assert rows.efficiency > 0.98


def test_mix_tracks_token_fractions_and_stops_without_repeating() -> None:
    sources = {"code": [[1] * 10] * 700, "text": [[2] * 10] * 1000, "math": [[3] * 5] * 1000}
    docs, used = mix(sources, {"code": 0.7, "text": 0.2, "math": 0.1}, max_tokens=None, seed=0)
    total = sum(used.values())
    assert used["code"] == 7000  # code ran out first: nothing repeated
    assert abs(used["text"] / total - 0.2) < 0.01 and abs(used["math"] / total - 0.1) < 0.01
    assert len(docs) == sum(1 for _ in docs)
    docs, used = mix(sources, {"code": 1, "text": 1, "math": 0}, max_tokens=30_000, seed=0)
    assert sum(used.values()) >= 30_000 and "math" not in used
    assert abs(used["code"] - used["text"]) <= 10


def test_mix_names_a_weighted_source_without_documents() -> None:
    with pytest.raises(CoderforgeError, match="math"):
        mix({"code": [[1]], "math": []}, {"code": 0.9, "math": 0.1}, max_tokens=None, seed=0)


def test_corpus_repos_loose_files_held_out_and_texts(tmp_path: Path) -> None:
    (tmp_path / "proj" / "pkg").mkdir(parents=True)
    (tmp_path / "proj" / "pkg" / "a.py").write_text("def a():\n    return 1\n")
    (tmp_path / "proj" / "b.rs").write_text("fn main() {}\n")
    (tmp_path / "proj" / "notes.bin").write_bytes(b"\x00\xff")
    (tmp_path / "proj" / "__pycache__").mkdir()
    (tmp_path / "proj" / "__pycache__" / "x.py").write_text("x = 1\n")
    (tmp_path / "loose.go").write_text("package main\n")
    repos = scan_code([str(tmp_path)], max_file_bytes=10_000)
    assert [(r.name, [(f.path, f.language) for f in r.files]) for r in repos] == [
        ("proj", [("b.rs", "rust"), ("pkg/a.py", "python")]), (None, [("loose.go", "go")])]
    train, held = split_held_out(repos, fraction=0.5)
    assert sorted(f.path for r in train for f in r.files) + sorted(f.path for f in held) != []
    assert {f.path for r in train for f in r.files}.isdisjoint(f.path for f in held)
    again = split_held_out(repos, fraction=0.5)[1]
    assert again == held  # stable across runs
    with pytest.raises(CoderforgeError, match="does not exist"):
        scan_code([str(tmp_path / "nope")], max_file_bytes=10)
    (tmp_path / "t.jsonl").write_text('{"text": "hello"}\n{"txt": 1}\n')
    with pytest.raises(CoderforgeError, match=r"t\.jsonl:2: expected a JSON object with a `text` field"):
        read_texts([str(tmp_path / "t.jsonl")])


def test_code_documents_use_the_fim_builder_and_repo_format() -> None:
    from coderforge.trainer.documents import code_documents
    from coderforge.trainer.tokenizer import train_tokenizer

    from coderforge.code.fim import FILE_SEP, FIM_MIDDLE, FIM_PREFIX, REPO_NAME

    repos = scan_code([str(DATA / "corpus" / "code")], max_file_bytes=100_000)[:4]
    tok = train_tokenizer([f.code for r in repos for f in r.files], vocab_size=600)
    cfg = PretrainConfig(repo_level_rate=0.5, fim_rate=0.5, spm_rate=0.5, context_length=512)
    docs = code_documents(repos, config=cfg, tokenizer=tok, rng=random.Random(0))
    repo_docs = [t for t in docs.texts if t.startswith(REPO_NAME)]
    assert repo_docs and all(FILE_SEP in t and FIM_MIDDLE in t for t in repo_docs)
    assert all(len(tok(t)["input_ids"]) <= 512 for t in repo_docs)
    fim_files = [t for t in docs.texts if t.startswith(FIM_PREFIX)]
    assert docs.counts["file_fim_psm"] > 0 and docs.counts["file_fim_spm"] > 0
    assert len(fim_files) == docs.counts["file_fim_psm"] + docs.counts["file_fim_spm"]
    plain = [t for t in docs.texts if not t.startswith((REPO_NAME, FIM_PREFIX))]
    assert len(plain) == docs.counts["file"]


def _write(path: Path, records: list[object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_fixtures_are_valid_sft_and_dpo_data() -> None:
    assert len(read_conversations(sorted((DATA / "sft").glob("*.jsonl")))) == 374
    assert len(read_conversations([DATA / "fim" / "python.jsonl"], skip_raw_fim=True)) > 300
    assert len(read_preferences([DATA / "dpo" / "python.jsonl"])) == 90


def test_sft_takes_fim_instruction_chats_and_skips_raw_fim_documents(tmp_path: Path) -> None:
    """A `coderforge generate` folder: fim/<lang>.jsonl mixes raw FIM documents (messages null)
    with FIM instruction chats; SFT reads only the chats."""
    from coderforge.trainer.config import TrainConfig
    from coderforge.trainer.sft import sft_dataset

    from coderforge.outputs import _fim_records, validate_record

    code = "def add(a, b):\n    total = a + b\n    return total\n\n\ndef neg(x):\n    return -x\n"
    fim = _fim_records([("seed:add", "python", code)], per_source=3, seed=0)
    assert {r["kind"] for r in fim} == {"fim", "fim_instruction"}
    for record in fim:
        validate_record("fim", record)
    (tmp_path / "fim").mkdir()
    _write(tmp_path / "fim" / "python.jsonl", fim)
    (tmp_path / "sft").mkdir()
    chat = {"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}
    _write(tmp_path / "sft" / "python.jsonl", [chat] * 9)
    chats = [r["messages"] for r in fim if r["kind"] == "fim_instruction"]
    assert read_conversations([tmp_path / "fim" / "python.jsonl"], skip_raw_fim=True) == chats
    cfg = TrainConfig.model_validate({"data_dir": str(tmp_path), "sft": {"fim_ratio": 0.25}})
    mixed = sft_dataset(cfg, stage="coarse")
    assert len(mixed) == 12 and sum(m in chats for m in mixed) == 3


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"text": "x"}, "no `messages` field"),
        ({"messages": []}, "`messages` must be a non-empty list"),
        ({"messages": [{"role": "bot", "content": "x"}]}, r"`messages\[0\]` must be"),
        ({"messages": [{"role": "user", "content": "x"}]}, "the last message must be the assistant"),
    ],
)
def test_bad_sft_records_name_file_and_line(tmp_path: Path, record: dict, message: str) -> None:
    good = {"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}
    path = _write(tmp_path / "s.jsonl", [good, record])
    with pytest.raises(DataError, match=rf"s\.jsonl:2: {message}"):
        read_conversations([path])


def test_bad_dpo_records_are_rejected(tmp_path: Path) -> None:
    user = [{"role": "user", "content": "q"}]
    same = {"prompt": user, "chosen": [{"role": "assistant", "content": "a"}],
            "rejected": [{"role": "assistant", "content": "a"}]}
    with pytest.raises(DataError, match="same text"):
        read_preferences([_write(tmp_path / "d.jsonl", [same])])
    with pytest.raises(DataError, match="missing rejected"):
        read_preferences([_write(tmp_path / "d.jsonl", [{"prompt": user, "chosen": user}])])
    (tmp_path / "d.jsonl").write_text("{not json\n")
    with pytest.raises(DataError, match=r"d\.jsonl:1: not valid JSON"):
        read_preferences([tmp_path / "d.jsonl"])


def test_packed_rows_train_like_separate_documents() -> None:
    """The loss on a packed row equals the loss on its documents run one by one (no leakage)."""
    from transformers import Qwen2Config, Qwen2ForCausalLM

    torch.manual_seed(0)
    model = Qwen2ForCausalLM(Qwen2Config(vocab_size=128, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                                         num_attention_heads=4, num_key_value_heads=2, use_cache=False))
    docs = [torch.randint(1, 128, (n,)).tolist() for n in (11, 7, 5)]
    rows = pack(docs, length=26, pad_id=0)
    packed = model(input_ids=rows.input_ids, position_ids=rows.position_ids, labels=rows.labels).loss
    total = sum(model(input_ids=torch.tensor([d]), labels=torch.tensor([d])).loss * (len(d) - 1) for d in docs)
    assert torch.allclose(packed, total / sum(len(d) - 1 for d in docs), atol=1e-5)
    # With a KV cache transformers ignores position ids for masking: why training turns the cache off.
    model.config.use_cache = True
    leaky = model(input_ids=rows.input_ids, position_ids=rows.position_ids, labels=rows.labels).loss
    assert not torch.allclose(leaky, packed, atol=1e-5)


class _Payload:
    """Unpickling this opens (creates) a file: what a planted packed_rows.pt could run."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.path), "w")


def test_resumed_pretraining_loads_packed_rows_as_weights_only(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    from coderforge.trainer.config import TrainConfig
    from coderforge.trainer.pretrain import ROWS_FILE, STATS_FILE, run_pretrain
    from tokenizers import Tokenizer, models
    from transformers import PreTrainedTokenizerFast

    out, marker = tmp_path / "pretrain", tmp_path / "ran"
    out.mkdir()
    PreTrainedTokenizerFast(tokenizer_object=Tokenizer(models.WordLevel({"a": 0, "<unk>": 1}, unk_token="<unk>")),
                            unk_token="<unk>").save_pretrained(out)
    torch.save(_Payload(marker), out / ROWS_FILE)
    (out / STATS_FILE).write_text("{}")
    # Older torch loads full pickles by default, and this variable restores that default on any version.
    monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
    with pytest.raises(pickle.UnpicklingError):
        run_pretrain(TrainConfig(), out=out)
    assert not marker.exists()
