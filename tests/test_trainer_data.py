"""Trainer data: packing (boundaries, labels, efficiency), source mixing, corpus reading, the FIM and
repo-level documents, and validation of SFT/DPO files."""

from __future__ import annotations

import itertools
import json
import random
from collections import Counter
from pathlib import Path

import pytest
import torch
from coderforge.trainer.config import PretrainConfig
from coderforge.trainer.corpus import iter_repos, iter_texts, read_held_out, split_held_out
from coderforge.trainer.datafiles import DataError, read_conversations, read_preferences
from coderforge.trainer.mixing import mix_order
from coderforge.trainer.packing import IGNORE_INDEX, pack, pack_windows

from coderforge.code.corpus import SkipCounter
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
    assert rows.real_tokens / rows.input_ids.numel() > 0.98  # slots filled


def test_pack_windows_stays_efficient_and_keeps_every_token() -> None:
    rng = random.Random(2)
    docs = [[rng.randrange(1, 50)] * int(rng.lognormvariate(4, 1) + 2) for _ in range(3000)]
    rows = list(pack_windows(iter(docs), length=256, window_rows=64))
    assert all(sum(map(len, pieces)) <= 256 for pieces in rows)
    real = sum(len(p) for pieces in rows for p in pieces)
    assert real >= sum(map(len, docs)) - len(docs)
    assert real / (256 * len(rows)) > 0.98


def test_mix_tracks_token_fractions_in_every_shard_and_stops_without_repeating() -> None:
    lengths = {"code": [10] * 700, "text": [10] * 1000, "math": [5] * 1000}
    used: dict[str, int] = {}
    order = list(mix_order(lengths, {"code": 0.7, "text": 0.2, "math": 0.1}, max_tokens=None, seed=0, used=used))
    total = sum(used.values())
    assert used["code"] == 7000  # code ran out first: nothing repeated
    assert abs(used["text"] / total - 0.2) < 0.01 and abs(used["math"] / total - 0.1) < 0.01
    assert len(set(order)) == len(order)
    for shard in (order[i:i + 100] for i in range(0, len(order) - 99, 100)):  # every stretch holds the mix
        tokens = {name: sum(lengths[name][i] for n, i in shard if n == name) for name in lengths}
        assert abs(tokens["code"] / sum(tokens.values()) - 0.7) < 0.05
    used = {}
    list(mix_order(lengths, {"code": 1, "text": 1, "math": 0}, max_tokens=30_000, seed=0, used=used))
    assert sum(used.values()) >= 30_000 and "math" not in used
    assert abs(used["code"] - used["text"]) <= 10


def test_mix_names_a_weighted_source_without_documents() -> None:
    with pytest.raises(CoderforgeError, match="math"):
        list(mix_order({"code": [1], "math": []}, {"code": 0.9, "math": 0.1}, max_tokens=None, seed=0, used={}))


def test_corpus_repos_loose_files_held_out_and_texts(tmp_path: Path) -> None:
    (tmp_path / "proj" / "pkg").mkdir(parents=True)
    (tmp_path / "proj" / "pkg" / "a.py").write_text("def a():\n    return 1\n")
    (tmp_path / "proj" / "b.rs").write_text("fn main() {}\n")
    (tmp_path / "proj" / "notes.bin").write_bytes(b"\x00\xff")
    (tmp_path / "proj" / "__pycache__").mkdir()
    (tmp_path / "proj" / "__pycache__" / "x.py").write_text("x = 1\n")
    (tmp_path / "loose.go").write_text("package main\n")
    (tmp_path / "proj" / "big.py").write_text("x = 1\n" * 5000)
    skipped = SkipCounter()
    repos = list(iter_repos([str(tmp_path)], max_file_bytes=10_000, skipped=skipped))
    # The code-analysis walker's files and skips (hidden folders are not entered; __pycache__ is).
    assert [(r.name, [(f.path, f.language) for f in r.files]) for r in repos] == [
        (None, [("loose.go", "go")]),
        ("proj", [("b.rs", "rust"), ("__pycache__/x.py", "python"), ("pkg/a.py", "python")])]
    assert skipped == {"too_large": 1, "unknown_language": 1}
    held_file = tmp_path / "held.jsonl"
    train = list(split_held_out(iter(repos), fraction=0.5, held_out=held_file))
    held = read_held_out(held_file)
    assert len(held) + sum(len(r.files) for r in train) == 4 and held
    assert {f.path for r in train for f in r.files}.isdisjoint(f.path for f in held)
    list(split_held_out(iter(repos), fraction=0.5, held_out=held_file))
    assert read_held_out(held_file) == held  # stable across runs
    with pytest.raises(CoderforgeError, match="does not exist"):
        list(iter_repos([str(tmp_path / "nope")], max_file_bytes=10, skipped=skipped))
    (tmp_path / "t.jsonl").write_text('{"text": "hello"}\n{"txt": 1}\n')
    with pytest.raises(CoderforgeError, match=r"t\.jsonl:2: expected a JSON object with a `text` field"):
        list(iter_texts([str(tmp_path / "t.jsonl")]))


def test_text_folders_are_walked_like_the_code_corpus(tmp_path: Path) -> None:
    for rel, text in {"b.md": "second", "a/z.txt": "third", "a.rst": "first", ".git/x.md": "hidden",
                      "notes.py": "not text", "blank.md": "  \n"}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    (tmp_path / "bad.tex").write_bytes(b"caf\xe9")
    assert list(iter_texts([str(tmp_path)])) == ["first", "second", "caf\ufffd", "third"]


def test_code_documents_use_the_fim_builder_and_repo_format() -> None:
    from coderforge.trainer.documents import code_documents
    from coderforge.trainer.tokenizer import train_tokenizer

    from coderforge.code.special_tokens import FILE_SEP, FIM_MIDDLE, FIM_PREFIX, REPO_NAME

    repos = list(iter_repos([str(DATA / "corpus" / "code")], max_file_bytes=100_000, skipped=SkipCounter()))[:5]
    tok = train_tokenizer([f.code for r in repos for f in r.files], vocab_size=600)
    cfg = PretrainConfig(repo_level_rate=0.5, fim_rate=0.5, spm_rate=0.5, context_length=512)
    counts: Counter[str] = Counter()
    texts = list(code_documents(repos, config=cfg, tokenizer=tok, rng=random.Random(0), counts=counts))
    repo_docs = [t for t in texts if t.startswith(REPO_NAME)]
    assert repo_docs and all(FILE_SEP in t and FIM_MIDDLE in t for t in repo_docs)
    assert all(len(tok(t)["input_ids"]) <= 512 for t in repo_docs)
    fim_files = [t for t in texts if t.startswith(FIM_PREFIX)]
    assert counts["file_fim_psm"] > 0 and counts["file_fim_spm"] > 0
    assert len(fim_files) == counts["file_fim_psm"] + counts["file_fim_spm"]
    plain = [t for t in texts if not t.startswith((REPO_NAME, FIM_PREFIX))]
    assert len(plain) == counts["file"]


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


def test_prepared_data_is_on_disk_deterministic_and_mixed_per_shard(tmp_path: Path) -> None:
    """Arrow files memory-mapped by training (no pickled tensors); two preparations (one tokenizing in
    two processes) write the same rows; each window of rows holds the code share of the mix."""
    import hashlib

    from coderforge.trainer.config import TrainConfig
    from coderforge.trainer.pretrain import prepare_tokenizer
    from coderforge.trainer.pretrain_data import HELD_OUT_FILE, PackedRowsDataset, prepare_data

    from coderforge.code.special_tokens import FIM_MIDDLE

    section = {"code": [str(DATA / "corpus" / "code")], "text": [str(DATA / "corpus" / "text.jsonl")],
               "math": [str(DATA / "corpus" / "math.jsonl")], "context_length": 128, "max_tokens": 40_000,
               "held_out_fraction": 0.1}
    digests, stats = [], []
    for num_proc, folder in ((1, tmp_path / "a"), (2, tmp_path / "b")):
        cfg = TrainConfig.model_validate({"tokenizer": {"vocab_size": 600}, "pretrain": {**section,
                                                                                        "num_proc": num_proc}})
        folder.mkdir()
        tokenizer = prepare_tokenizer(cfg, out=folder)
        stats.append(prepare_data(cfg, out=folder, tokenizer=tokenizer))
        assert sorted(p.name for p in (folder / "data").iterdir()) == ["rows.arrow", "stats.json"]
        assert not list(folder.rglob("*.pt"))
        digests.append(hashlib.sha256((folder / "data" / "rows.arrow").read_bytes()).hexdigest())
    assert digests[0] == digests[1] and stats[0] == stats[1]
    s = stats[0]
    # 300 rows from 300 documents: the last rows of the one window are part-filled (the benchmark
    # measures the >= 98% target on a real corpus).
    assert s["packing_efficiency"] > 0.94
    assert s["held_out_files"] == len(read_held_out(tmp_path / "a" / HELD_OUT_FILE)) > 0
    assert abs(s["tokens_per_source"]["code"] / sum(s["tokens_per_source"].values()) - 0.7) < 0.02
    rows = PackedRowsDataset(tmp_path / "a", length=128, pad_id=tokenizer.pad_token_id)
    assert len(rows) == s["rows"]
    row = rows[0]
    assert {k: v.shape for k, v in row.items()} == dict.fromkeys(("input_ids", "position_ids", "labels"),
                                                                   torch.Size([128]))
    starts = (row["position_ids"] == 0).nonzero().flatten().tolist()
    assert all(row["labels"][i] == IGNORE_INDEX for i in starts)
    fim = tokenizer.convert_tokens_to_ids(FIM_MIDDLE)
    assert any((rows[i]["input_ids"] == fim).any() for i in range(len(rows)))
