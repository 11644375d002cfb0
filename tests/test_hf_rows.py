"""The per-row sampler of mixed transformers batches, on hand-made logits."""

from __future__ import annotations

import torch

from coderforge.llm.hf_rows import Row, RowSampler

VOCAB = 50
END = 0


def step(sampler: RowSampler, generated: list[list[int]], scores: torch.Tensor) -> list[int]:
    """One decoding step as `generate` runs it (greedy over the processed scores)."""
    prompt = torch.ones(len(generated), 3, dtype=torch.long)
    input_ids = torch.cat([prompt, torch.tensor(generated, dtype=torch.long).reshape(len(generated), -1)], dim=1)
    return sampler(input_ids, scores.clone()).argmax(dim=-1).tolist()


def decode(rows: list[Row], steps: int, seed: int = 0) -> list[list[int]]:
    torch.manual_seed(seed)
    sampler = RowSampler(rows, prompt_width=3, end_id=END, end_ids={END})
    generated: list[list[int]] = [[] for _ in rows]
    for _ in range(steps):
        scores = torch.randn(len(rows), VOCAB)
        scores[:, END] = -1e9  # the model never ends on its own here
        for row, token in zip(generated, step(sampler, generated, scores), strict=True):
            row.append(token)
    return generated


def test_rows_end_at_their_own_max_tokens() -> None:
    rows = [Row([1], 0.0, 1.0, 2), Row([1], 1.0, 1.0, 4), Row([1], 0.0, 1.0, 10)]
    out = decode(rows, steps=6)
    assert out[0][2] == END and END not in out[0][:2]
    assert out[1][4] == END and END not in out[1][:4]
    assert END not in out[2]


def test_seeded_rows_draw_the_same_whatever_the_batch() -> None:
    seeded = Row([1], 1.0, 0.9, 8, seed=5)
    alone = decode([seeded], steps=8, seed=1)[0]
    # Different companions and a different global RNG state change nothing for the seeded row,
    # while the model's scores for it are the same (the test's scores come from the global seed).
    torch.manual_seed(1)
    scores = [torch.randn(1, VOCAB) for _ in range(8)]
    sampler = RowSampler([Row([1], 1.0, 1.0, 8), seeded], prompt_width=3, end_id=END, end_ids={END})
    generated: list[list[int]] = [[], []]
    torch.manual_seed(99)
    for s in scores:
        s[:, END] = -1e9
        both = torch.cat([torch.randn(1, VOCAB), s])
        for row, token in zip(generated, step(sampler, generated, both), strict=True):
            row.append(token)
    assert generated[1] == alone


def test_greedy_rows_are_left_to_argmax_and_top_p_narrows_sampling() -> None:
    scores = torch.full((2, VOCAB), -10.0)
    scores[:, 7], scores[:, 8] = 5.0, 4.9  # token 7 holds about half the mass, 8 most of the rest
    rows = [Row([1], 0.0, 1.0, 8), Row([1], 1.0, 0.05, 8)]
    for seed in range(20):
        torch.manual_seed(seed)
        sampler = RowSampler(rows, prompt_width=3, end_id=END, end_ids={END})
        assert step(sampler, [[], []], scores) == [7, 7]  # top_p 0.05 keeps only the top token
