"""Judge calibration against execution: how well the correctness score agrees with sandbox
verdicts (accuracy, Cohen's kappa), and criterion weights fitted by logistic regression."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from coderforge.sandbox.program import Status

from coderforge.errors import CoderforgeError
from coderforge.records import Record, verdict

__all__ = ["Calibration", "CalibrationError", "calibrate", "cohen_kappa", "fit_logistic"]

#: Sandbox statuses that say nothing about the code (the sandbox itself failed).
_UNINFORMATIVE = {Status.sandbox_error}


class CalibrationError(CoderforgeError, ValueError):
    """Too few usable samples to calibrate on; the message says what was missing."""


@dataclass(frozen=True)
class Calibration:
    samples: int
    """Samples with a valid judge verdict and an informative sandbox verdict."""
    skipped: int
    threshold: int
    """Correctness score at or above which the judge is taken to say `correct`."""
    executed_pass_rate: float
    judge_pass_rate: float
    accuracy: float
    kappa: float | None
    """Cohen's kappa; None when undefined (both raters constant)."""
    confusion: dict[str, int]
    """tp (judge correct, tests pass), fp, fn, tn."""
    criteria: tuple[str, ...]
    coefficients: dict[str, float] | None
    """Logistic-regression coefficient per criterion (scores scaled to 0-1); None when one class only."""
    intercept: float | None
    fit_accuracy: float | None
    suggested_weights: dict[str, float] | None
    """Positive coefficients rescaled to the checklist's total weight (negative ones clipped to a floor)."""


def cohen_kappa(a: Sequence[bool], b: Sequence[bool]) -> float | None:
    """Cohen's kappa of two binary raters; None when chance agreement is total."""
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)


def fit_logistic(x: np.ndarray, y: np.ndarray, *, l2: float = 1e-2, iterations: int = 50) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method: (coefficients, intercept)."""
    n, d = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0  # the intercept is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-design @ w))
        gradient = design.T @ (p - y) / n + penalty * w
        hessian = (design.T * (p * (1 - p))) @ design / n + np.diag(penalty) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return w[:-1], float(w[-1])


def calibrate(records: Iterable[Record], *, correctness: str = "code_correctness", threshold: int = 6,
              weights: dict[str, float] | None = None) -> Calibration:
    """Compare judge verdicts with sandbox verdicts over records that carry both.

    ``weights`` are the checklist's current weights; suggested weights keep their total.
    """
    rows: list[dict[str, int]] = []
    executed: list[bool] = []
    skipped = 0
    for record in records:
        judged, ran = verdict(record, "judge"), verdict(record, "sandbox")
        if (not judged or not judged.get("scores") or correctness not in judged["scores"] or not ran
                or ran.get("status") in _UNINFORMATIVE or ran.get("status") is None):
            skipped += 1
            continue
        rows.append(judged["scores"])
        executed.append(ran["status"] == Status.passed)
    if not rows:
        raise CalibrationError(f"no record has both a judge verdict scoring {correctness!r} and a sandbox verdict "
                               f"with an execution status ({skipped} skipped)")
    said = [r[correctness] >= threshold for r in rows]
    confusion = {
        "tp": sum(s and e for s, e in zip(said, executed, strict=True)),
        "fp": sum(s and not e for s, e in zip(said, executed, strict=True)),
        "fn": sum(not s and e for s, e in zip(said, executed, strict=True)),
        "tn": sum(not s and not e for s, e in zip(said, executed, strict=True)),
    }
    criteria = tuple(c for c in rows[0] if all(c in r for r in rows))
    coefficients = intercept = fit_accuracy = suggested = None
    if 0 < sum(executed) < len(executed):
        x = (np.array([[r[c] for c in criteria] for r in rows], dtype=float) - 1) / 9
        y = np.array(executed, dtype=float)
        coef, intercept = fit_logistic(x, y)
        coefficients = {c: round(float(v), 4) for c, v in zip(criteria, coef, strict=True)}
        fit_accuracy = float(np.mean(((x @ coef + intercept) > 0) == (y > 0.5)))
        suggested = _suggest(coefficients, weights or dict.fromkeys(criteria, 1.0))
    return Calibration(
        samples=len(rows), skipped=skipped, threshold=threshold,
        executed_pass_rate=sum(executed) / len(rows), judge_pass_rate=sum(said) / len(rows),
        accuracy=(confusion["tp"] + confusion["tn"]) / len(rows), kappa=cohen_kappa(said, executed),
        confusion=confusion, criteria=criteria, coefficients=coefficients, intercept=intercept,
        fit_accuracy=fit_accuracy, suggested_weights=suggested,
    )


def _suggest(coefficients: dict[str, float], weights: dict[str, float]) -> dict[str, float]:
    """Weights proportional to the positive coefficients, with the current total weight. A
    criterion with a non-positive coefficient keeps a small floor so it still counts."""
    budget = sum(weights.get(c, 1.0) for c in coefficients)
    floor = 0.05 * budget / len(coefficients)
    raw = {c: max(v, 0.0) for c, v in coefficients.items()}
    scale = (budget - floor * len(raw)) / sum(raw.values()) if sum(raw.values()) > 0 else 0.0
    return {c: round(floor + v * scale, 3) for c, v in raw.items()}
