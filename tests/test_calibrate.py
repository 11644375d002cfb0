"""Judge calibration: agreement with sandbox verdicts (accuracy, Cohen's kappa), the logistic
weight fit, and `coderforge judge calibrate`."""

from __future__ import annotations

import json
import random

import pytest
from coderforge.checklists.calibrate import CalibrationError, calibrate, cohen_kappa, fit_logistic
from coderforge.checklists.checklist import load_checklist
from typer.testing import CliRunner

from coderforge.cli import app
from coderforge.records import add_verdict

NINE = [c.id for c in load_checklist("instruction").criteria]


def test_cohen_kappa_known_values() -> None:
    assert cohen_kappa([True, False, True, False], [True, False, True, False]) == 1.0
    assert cohen_kappa([True, True, False, False], [True, False, True, False]) == 0.0
    # 20 items: 15 agree; raters say yes 10 and 12 times: p_e = .5*.6 + .5*.4 = .5 -> (0.75 - .5)/.5
    a = [True] * 10 + [False] * 10
    b = [True] * 8 + [False] * 2 + [True] * 4 + [False] * 6
    assert cohen_kappa(a, b) == pytest.approx((14 / 20 - 0.5) / 0.5)
    assert cohen_kappa([True, True], [True, True]) is None


def test_logistic_fit_finds_the_informative_feature() -> None:
    rng = random.Random(0)
    x = [[rng.random(), rng.random()] for _ in range(400)]
    y = [1.0 if row[0] + rng.gauss(0, 0.1) > 0.5 else 0.0 for row in x]
    import numpy as np

    coef, _ = fit_logistic(np.array(x), np.array(y))
    assert coef[0] > 3 and abs(coef[1]) < 1  # L2 shrinks the slope; the sign and the gap are what count


def judged(rng: random.Random, passes: bool, *, noise: int) -> dict:
    correctness = (8 if passes else 3) + rng.randint(-noise, noise)
    scores = {c: rng.randint(3, 8) for c in NINE} | {"code_correctness": max(1, min(10, correctness))}
    record: dict = {"id": str(rng.random())}
    add_verdict(record, stage="sandbox", passed=passes, reason="", status="passed" if passes else "failed")
    add_verdict(record, stage="judge", passed=True, reason="", scores=scores, total=5.0)
    return record


def test_calibration_measures_agreement_and_fits_weights() -> None:
    rng = random.Random(1)
    records = [judged(rng, i % 2 == 0, noise=3) for i in range(200)]
    records.append({"id": "no verdicts"})
    errored: dict = {}
    add_verdict(errored, stage="sandbox", passed=False, reason="", status="sandbox_error")
    add_verdict(errored, stage="judge", passed=True, reason="", scores=dict.fromkeys(NINE, 5), total=5.0)
    records.append(errored)
    report = calibrate(records, threshold=6, weights={c.id: c.weight for c in load_checklist("instruction").criteria})
    assert (report.samples, report.skipped) == (200, 2)
    said = [r["verdicts"][1]["scores"]["code_correctness"] >= 6 for r in records[:200]]
    ran = [r["verdicts"][0]["passed"] for r in records[:200]]
    assert report.accuracy == sum(s == e for s, e in zip(said, ran, strict=True)) / 200
    assert report.kappa == pytest.approx(cohen_kappa(said, ran))
    assert sum(report.confusion.values()) == 200
    assert max(report.coefficients, key=report.coefficients.get) == "code_correctness"
    assert max(report.suggested_weights, key=report.suggested_weights.get) == "code_correctness"
    assert sum(report.suggested_weights.values()) == pytest.approx(11.0, abs=0.01)


def test_calibration_without_usable_records_says_so() -> None:
    with pytest.raises(CalibrationError, match="no record has both"):
        calibrate([{"id": 1}])


def test_cli_reports_and_writes_a_usable_checklist(tmp_path) -> None:
    rng = random.Random(2)
    (tmp_path / "j.jsonl").write_text("".join(json.dumps(judged(rng, i % 3 == 0, noise=2)) + "\n" for i in range(90)))
    result = CliRunner().invoke(app, ["judge", "calibrate", str(tmp_path / "j.jsonl"), "--out-checklist",
                                      str(tmp_path / "fitted.yaml"), "--json", str(tmp_path / "report.json")])
    assert result.exit_code == 0, result.output
    assert "Cohen's kappa" in result.output and "suggested weight" in result.output
    fitted = load_checklist(str(tmp_path / "fitted.yaml"))
    assert [c.id for c in fitted.criteria] == NINE
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["samples"] == 90 and 0 <= report["accuracy"] <= 1
